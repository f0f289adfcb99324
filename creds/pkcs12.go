package creds

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"

	"software.sslmate.com/src/go-pkcs12"
)

// ErrP12Password is returned for a PKCS#12 file whose password is wrong.
var ErrP12Password = errors.New("wrong PKCS#12 password")

// DecodePKCS12 reads a PKCS#12 identity. The leaf is the certificate that
// matches the private key (not merely the first one, which some tools get
// wrong); chain holds the leaf then the other certificates in file order.
func DecodePKCS12(data []byte, password string) (crypto.Signer, []*x509.Certificate, error) {
	if len(data) > 0 && data[0] != 0x30 {
		return nil, nil, errors.New("not a PKCS#12 file: it is text (PEM?), and PKCS#12 is binary DER; make one with `openssl pkcs12 -export` or `tlscreds p12 export`")
	}
	if err := checkP12Cost(data); err != nil {
		return nil, nil, err
	}
	key, first, rest, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, nil, fmt.Errorf("%w: give the right one with passwordid= (or --password-file)", ErrP12Password)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("not a readable PKCS#12 file: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("PKCS#12 key of type %T cannot sign", key)
	}
	all := append([]*x509.Certificate{first}, rest...)
	for i, c := range all {
		if keyMatches(c, signer) {
			chain := []*x509.Certificate{c}
			chain = append(chain, all[:i]...)
			return signer, append(chain, all[i+1:]...), nil
		}
	}
	return nil, nil, errors.New("no certificate in the PKCS#12 file matches its private key")
}

// EncodePKCS12 writes key, leaf and the rest of chain as PKCS#12 with
// AES-256-CBC, PBKDF2-HMAC-SHA-256 and an HMAC-SHA-256 MAC, which OpenSSL
// 1.1.1 and later read. It refuses a key that is not the leaf's.
func EncodePKCS12(key crypto.Signer, chain []*x509.Certificate, password string) ([]byte, error) {
	if len(chain) == 0 {
		return nil, errors.New("no certificate to export")
	}
	if !keyMatches(chain[0], key) {
		return nil, errors.New("the private key does not match the certificate")
	}
	return pkcs12.Modern2023.Encode(key, chain[0], chain[1:], password)
}

// keyMatches reports whether key is the private key of cert.
func keyMatches(cert *x509.Certificate, key crypto.Signer) bool {
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(key.Public())
}

func (m *Material) readP12(password []byte) {
	f := &File{Role: RoleP12, Path: m.Spec.P12, Required: true, Endpoint: m.Spec.Endpoint, Index: BaseIdentity}
	m.Files = append(m.Files, f)
	data, info, err := readFile(f.Path)
	f.Info, f.Data = info, data
	if errors.Is(err, fs.ErrNotExist) {
		f.Err = err
		return
	}
	f.Present = true
	if err != nil {
		f.Err = err
		return
	}
	key, chain, err := DecodePKCS12(data, string(password))
	if err != nil {
		f.Err = &FileError{Path: f.Path, Err: err}
		return
	}
	f.Key, f.PublicKey, f.Certs = key, key.Public(), chain
}
