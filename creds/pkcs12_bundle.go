package creds

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// PKCS12Bundle is one identity as tlscreds writes it to a PKCS#12 file
// (`tlscreds p12 export`) or reads it out of one (`tlscreds p12 import`).
type PKCS12Bundle struct {
	Key crypto.Signer
	// Chain is the leaf, then the intermediates that lead to its root.
	Chain []*x509.Certificate
	// CA are the other certificates: the CA file's (when exported from
	// an object) or the PKCS#12 file's besides Chain (when imported).
	CA []*x509.Certificate
	// CertFile names the certificate file of an exported identity, for
	// errors.
	CertFile string

	// rest are the certificates of an imported file besides the leaf,
	// in file order: they make the CA file.
	rest []*x509.Certificate
}

// PKCS12Bundle assembles the object's (base) identity for a PKCS#12
// file: the key, the certificate file's chain, then every certificate of
// the CA file that is not already in that chain. An object without a
// certificate and key of its own (a client object with a CA file only)
// has none: [ErrNoIdentity].
func (o *Object) PKCS12Bundle() (*PKCS12Bundle, error) {
	id := o.Identity()
	if id == nil {
		return nil, ErrNoIdentity
	}
	b := &PKCS12Bundle{Key: id.Key, Chain: id.Chain(), CertFile: id.CertFile}
	for _, ca := range o.CA {
		if !containsCert(b.Chain, ca) {
			b.CA = append(b.CA, ca)
		}
	}
	return b, nil
}

// Certs lists the bundle's certificates: Chain then CA.
func (b *PKCS12Bundle) Certs() []*x509.Certificate {
	return append(append([]*x509.Certificate{}, b.Chain...), b.CA...)
}

// Encode writes the bundle as PKCS#12 (see [EncodePKCS12]); errors name
// CertFile.
func (b *PKCS12Bundle) Encode(password string) ([]byte, error) {
	data, err := EncodePKCS12(b.Key, b.Certs(), password)
	if err != nil && b.CertFile != "" {
		err = fmt.Errorf("%s: %w", b.CertFile, err)
	}
	return data, err
}

// NewPKCS12Bundle sorts the content of a PKCS#12 file as [DecodePKCS12]
// returns it (the leaf first): Chain is the leaf and the issuers that
// lead from it to its root, as [Chain] walks them among the file's other
// certificates, stopping before a self-signed root or a link that does
// not verify; CA holds the rest.
func NewPKCS12Bundle(key crypto.Signer, certs []*x509.Certificate) (*PKCS12Bundle, error) {
	if len(certs) == 0 {
		return nil, errors.New("no certificate in the PKCS#12 file")
	}
	leaf, others := certs[0], certs[1:]
	b := &PKCS12Bundle{Key: key, Chain: []*x509.Certificate{leaf}, rest: others}
	for _, link := range Chain([]*x509.Certificate{leaf}, others)[1:] {
		if link.Cert == nil || link.SelfSigned || link.Status != LinkOK {
			break
		}
		b.Chain = append(b.Chain, link.Cert)
	}
	for _, c := range others {
		if !containsCert(b.Chain, c) {
			b.CA = append(b.CA, c)
		}
	}
	return b, nil
}

// DirFile is one file of a credential directory: its name within the
// directory, content and permission.
type DirFile struct {
	Name string
	Data []byte
	Mode fs.FileMode
}

// DirFiles lays an imported bundle out as a credential directory with
// the file names of layout l for endpoint: the CA file (the certificates
// besides the leaf, in file order; absent when there are none), the
// certificate file (Chain) and the private key as unencrypted PKCS#8,
// mode 0600.
func (b *PKCS12Bundle) DirFiles(l layout.Name, endpoint Endpoint) ([]DirFile, error) {
	key, err := privkey.Marshal(b.Key, privkey.PKCS8, nil)
	if err != nil {
		return nil, err
	}
	names := layout.Of(l)
	role := layout.Role(endpoint)
	var files []DirFile
	if len(b.rest) > 0 {
		files = append(files, DirFile{Name: names.CA, Data: encodeCertsPEM(b.rest), Mode: 0o644})
	}
	return append(files,
		DirFile{Name: names.Cert(role), Data: encodeCertsPEM(b.Chain), Mode: 0o644},
		DirFile{Name: names.Key(role), Data: key, Mode: 0o600}), nil
}

func encodeCertsPEM(certs []*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range certs {
		if x.Equal(c) {
			return true
		}
	}
	return false
}
