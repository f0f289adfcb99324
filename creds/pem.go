package creds

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tlscreds/tlscreds/creds/gnutlspem"
)

// Errors for errors.Is about file content.
var (
	ErrDER      = errors.New("DER where PEM is expected")
	ErrNotPEM   = errors.New("not PEM")
	ErrEmpty    = errors.New("empty file")
	ErrWrongPEM = errors.New("wrong PEM block type")
)

// parseCertBundle parses the certificates of a PEM file as GnuTLS 3.7.9
// reads them (package gnutlspem): from the first CERTIFICATE block
// anywhere, every later one, whatever surrounds them. It reads up to the
// first NUL byte, as QEMU's own checks do. Besides the certificates it
// returns what is unusual but accepted (text before the block, a
// byte-order mark, the legacy label, ...). Errors keep GnuTLS's own text
// in a *gnutlspem.Error and say what was found instead: DER bytes, a key,
// an OpenSSL "TRUSTED CERTIFICATE", a block GnuTLS cannot decode.
func parseCertBundle(data []byte) ([]*x509.Certificate, []string, error) {
	data, hadNUL := gnutlspem.CutNUL(data)
	if len(bytes.TrimSpace(data)) == 0 {
		if hadNUL {
			return nil, nil, fmt.Errorf("%w: the file starts with a NUL byte, and QEMU reads a file up to its first NUL", ErrNotPEM)
		}
		return nil, nil, ErrEmpty
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		if data[0] == 0x30 {
			return nil, nil, fmt.Errorf("%w: the file is binary DER, but QEMU reads PEM; convert it with `openssl x509 -inform DER -in FILE -out FILE.pem`", ErrDER)
		}
		return nil, nil, fmt.Errorf("%w: no -----BEGIN CERTIFICATE----- line", ErrNotPEM)
	}
	blocks, err := gnutlspem.CertList(data, 0)
	if err != nil {
		var ge *gnutlspem.Error
		errors.As(err, &ge)
		switch {
		case ge.GnuTLS == gnutlspem.TextNoCertificate && bytes.Contains(data, []byte("-----BEGIN TRUSTED CERTIFICATE")):
			return nil, nil, fmt.Errorf("%w: an OpenSSL TRUSTED CERTIFICATE, which QEMU and Go cannot read; convert it with `openssl x509 -in FILE -out FILE.pem` (drops the trust settings): %w", ErrWrongPEM, err)
		case ge.GnuTLS == gnutlspem.TextNoCertificate:
			if others := blockLabels(data); len(others) > 0 {
				return nil, nil, fmt.Errorf("%w: not a PEM certificate (found %s): %w", ErrWrongPEM, strings.Join(others, ", "), err)
			}
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrNotPEM, err)
	}
	certs := make([]*x509.Certificate, 0, len(blocks))
	var goRefuses []string
	for i, b := range blocks {
		if err := gnutlspem.CheckCert(b.DER); err != nil {
			return nil, nil, fmt.Errorf("certificate %d: %w", i+1, err)
		}
		c, err := parseCert(b.DER)
		if err != nil {
			lc, changes, ok := parseCertLenient(b.DER)
			if !ok {
				return nil, nil, fmt.Errorf("certificate %d: %w", i+1, &gnutlspem.Error{GnuTLS: gnutlspem.DERReason(b.DER), Reason: err.Error()})
			}
			c = lc
			goRefuses = append(goRefuses, fmt.Sprintf("certificate %d (%s): %v: %s", i+1, describeSubject(c), err, strings.Join(changes, "; ")))
		}
		certs = append(certs, c)
	}
	if len(goRefuses) > 0 {
		return certs, nil, &GoRefusesError{Certs: certs, Notes: gnutlspem.Notes(data, blocks), Problems: goRefuses}
	}
	notes := gnutlspem.Notes(data, blocks)
	if hadNUL {
		notes = append(notes, "holds a NUL byte; QEMU reads the file only up to it")
	}
	return certs, notes, nil
}

// blockLabels lists the labels of the PEM BEGIN lines in data, each once.
func blockLabels(data []byte) []string {
	var out []string
	for rest := data; ; {
		b, r := pem.Decode(rest)
		if b == nil {
			return out
		}
		rest = r
		if !slices.Contains(out, b.Type) {
			out = append(out, b.Type)
		}
	}
}

// parseCRL parses a PEM (or, reported as such, DER) CRL.
func parseCRL(data []byte) (*x509.RevocationList, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	b, _ := pem.Decode(data)
	if b == nil {
		if data[0] == 0x30 {
			return nil, fmt.Errorf("%w: the CRL is binary DER; convert it with `openssl crl -inform DER -in FILE -out FILE.pem`", ErrDER)
		}
		return nil, fmt.Errorf("%w: no -----BEGIN X509 CRL----- line", ErrNotPEM)
	}
	if b.Type != "X509 CRL" {
		return nil, fmt.Errorf("%w: not a PEM CRL (found %s)", ErrWrongPEM, b.Type)
	}
	crl, err := x509.ParseRevocationList(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("CRL: %w", err)
	}
	return crl, nil
}

// keyNotes is what is unusual in a key file that parsed. The key was
// read from the block gnutlspem.Key finds (or, where it finds none, from
// one GnuTLS does not know, which gets no notes), so KeyPlace finds the
// same block without decoding it again.
func keyNotes(data []byte) []string {
	b, err := gnutlspem.KeyPlace(data)
	if err != nil {
		return nil
	}
	notes := gnutlspem.Notes(data, []gnutlspem.Block{b})
	if i := bytes.IndexByte(data, 0); i >= 0 {
		notes = append(notes, "holds a NUL byte; QEMU 10.2 reads the file only up to it")
	}
	return notes
}

// GoRefusesError is returned with the certificates of a file that GnuTLS
// (so QEMU and libvirt) loads but Go's crypto/x509 cannot parse: a
// negative, empty or non-minimal serial, version 5, February 30, a name
// or SAN that is not valid in its string type. The certificates were
// read by a lenient path (gnutlspem.RepairCert) so that every other check
// still runs; Go peers (crypto/tls, tlscreds serve) cannot use them.
type GoRefusesError struct {
	Certs    []*x509.Certificate
	Notes    []string
	Problems []string // one per certificate: what Go said and what differs
}

func (e *GoRefusesError) Error() string {
	return "QEMU loads it, but Go peers cannot parse it: " + strings.Join(e.Problems, "; ")
}

// parseCertLenient parses a certificate Go refuses but GnuTLS loads:
// the DER is repaired (gnutlspem.RepairCert) and parsed, then the
// original bytes are put back in Raw and RawTBSCertificate, so signatures
// are checked over what the issuer signed.
func parseCertLenient(der []byte) (*x509.Certificate, []string, bool) {
	fixed, changes, ok := gnutlspem.RepairCert(der)
	if !ok {
		return nil, nil, false
	}
	c, err := x509.ParseCertificate(fixed)
	if err != nil {
		return nil, nil, false
	}
	c.Raw = der
	c.RawTBSCertificate = gnutlspem.TBS(der)
	return c, changes, true
}

// describeSubject names a certificate in a message by its subject.
func describeSubject(c *x509.Certificate) string {
	if s := c.Subject.String(); s != "" {
		return s
	}
	return "empty subject"
}
