package creds

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// Errors for errors.Is about file content.
var (
	ErrDER      = errors.New("DER where PEM is expected")
	ErrNotPEM   = errors.New("not PEM")
	ErrEmpty    = errors.New("empty file")
	ErrWrongPEM = errors.New("wrong PEM block type")
)

// parseCertBundle parses every CERTIFICATE block of a PEM file, in order.
// It says what it found instead when that is not PEM certificates: DER
// bytes, a key, an OpenSSL "TRUSTED CERTIFICATE", or a truncated block.
func parseCertBundle(data []byte) ([]*x509.Certificate, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		if data[0] == 0x30 {
			return nil, fmt.Errorf("%w: the file is binary DER, but QEMU reads PEM; convert it with `openssl x509 -inform DER -in FILE -out FILE.pem`", ErrDER)
		}
		return nil, fmt.Errorf("%w: no -----BEGIN CERTIFICATE----- line", ErrNotPEM)
	}
	var certs []*x509.Certificate
	var others []string
	rest := data
	for n := 1; ; n++ {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certificate %d: %w", len(certs)+1, err)
			}
			certs = append(certs, c)
		case "TRUSTED CERTIFICATE":
			return nil, fmt.Errorf("%w: block %d is an OpenSSL TRUSTED CERTIFICATE, which QEMU and Go cannot read; convert it with `openssl x509 -in FILE -out FILE.pem` (drops the trust settings)", ErrWrongPEM, n)
		default:
			others = append(others, b.Type)
		}
	}
	if bytes.Contains(rest, []byte("-----BEGIN")) {
		return nil, fmt.Errorf("%w: a PEM block is truncated or malformed after %d certificate(s)", ErrNotPEM, len(certs))
	}
	if len(certs) == 0 {
		if len(others) > 0 {
			return nil, fmt.Errorf("%w: not a PEM certificate (found %s)", ErrWrongPEM, strings.Join(others, ", "))
		}
		return nil, fmt.Errorf("%w: no PEM certificate", ErrNotPEM)
	}
	if len(others) > 0 {
		return nil, fmt.Errorf("%w: the file holds %s besides certificates; keep keys in their own file", ErrWrongPEM, strings.Join(others, ", "))
	}
	return certs, nil
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
