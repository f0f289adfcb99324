package creds

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds/gnutlspem"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// FileSummary is one file of an object as `tlscreds inspect` lists it.
type FileSummary struct {
	Path     string   `json:"path"`
	Role     FileRole `json:"role"`
	Required bool     `json:"required"`
	Present  bool     `json:"present"`
	Size     int64    `json:"size"`
	// Mode is the file type and permissions as ls prints them ("-rw-------").
	Mode  string `json:"mode,omitempty"`
	Error string `json:"error,omitempty"`
}

// Summary describes the file without its content.
func (f *File) Summary() FileSummary {
	s := FileSummary{Path: f.Path, Role: f.Role, Required: f.Required, Present: f.Present}
	if f.Info != nil {
		s.Size, s.Mode = f.Info.Size(), f.Info.Mode().String()
	} else if f.Data != nil {
		s.Size = int64(len(f.Data)) // held in memory (a Kubernetes Secret)
	}
	if f.Present && f.Err != nil {
		s.Error = f.Err.Error()
	}
	return s
}

// Encodings of a file read by [ReadContents].
const (
	EncodingPEM    = "pem"
	EncodingDER    = "der"
	EncodingPKCS12 = "pkcs12"
)

// Contents is what one file holds, read on its own rather than as part of
// an object: certificates, and what kind of private key, never the key
// itself.
type Contents struct {
	Path     string
	Info     fs.FileInfo
	Encoding string // EncodingPEM, EncodingDER or EncodingPKCS12
	Certs    []*x509.Certificate
	// Key describes the file's private key; nil when it holds none.
	Key *privkey.Info
	// Notes says what is unusual in a PEM file (see [File.PEMNotes]).
	Notes []string
}

// ReadContents reads a PEM file of certificates and/or a private key, a
// DER certificate, or a PKCS#12 file (tried for DER that is not a
// certificate, and first for names ending in .p12 or .pfx). password
// decrypts PKCS#12 files and encrypted keys; without it, an encrypted key
// is described from its headers alone. Files are read as [Read] reads
// them: never a FIFO or device, never more than [MaxFileSize].
//
// Errors are *[FileError]s; a wrong PKCS#12 password matches
// [ErrP12Password], a wrong key password privkey.ErrIncorrectPassword.
func ReadContents(path string, password []byte) (*Contents, error) {
	data, info, err := readFile(path)
	if err != nil {
		return nil, err
	}
	c := &Contents{Path: path, Info: info}
	fail := func(err error) (*Contents, error) { return nil, &FileError{Path: path, Err: err} }
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return fail(ErrEmpty)
	case bytes.Contains(data, []byte("-----BEGIN")):
		c.Encoding = EncodingPEM
		if err := c.readPEM(data, password); err != nil {
			return fail(err)
		}
	case data[0] != 0x30:
		return fail(fmt.Errorf("%w (no -----BEGIN line) and not DER either: not a certificate, key or PKCS#12 file", ErrNotPEM))
	case ext == ".p12" || ext == ".pfx":
		if err := c.readPKCS12(data, password); err != nil {
			return fail(err)
		}
	default:
		certs, certErr := x509.ParseCertificates(data)
		if certErr == nil {
			c.Encoding, c.Certs = EncodingDER, certs
			break
		}
		if err := c.readPKCS12(data, password); err != nil {
			if errors.Is(err, ErrP12Password) {
				return fail(err)
			}
			return fail(fmt.Errorf("DER, but neither a certificate (%v) nor PKCS#12 (%v)", certErr, err))
		}
	}
	return c, nil
}

func (c *Contents) readPKCS12(data, password []byte) error {
	key, chain, err := DecodePKCS12(data, string(password))
	if err != nil {
		return err
	}
	c.Encoding, c.Certs = EncodingPKCS12, chain
	info := privkey.Info{}
	info.Algorithm, info.Bits, info.Curve = privkey.Describe(key.Public())
	c.Key = &info
	return nil
}

func (c *Contents) readPEM(data, password []byte) error {
	// The one PEM reader (package gnutlspem), as QEMU's GnuTLS reads a
	// file: certificates from the first CERTIFICATE block on, the key by
	// its label wherever it is.
	hasCert := bytes.Contains(data, []byte("-----BEGIN CERTIFICATE")) || bytes.Contains(data, []byte("-----BEGIN X509 CERTIFICATE"))
	if hasCert {
		certs, notes, err := parseCertBundle(data)
		var gr *GoRefusesError
		if errors.As(err, &gr) {
			certs, notes, err = gr.Certs, append(gr.Notes, gr.Error()), nil
		}
		if err != nil {
			return err
		}
		c.Certs, c.Notes = certs, notes
	}
	if _, err := gnutlspem.Key(data); err == nil || bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		info, err := privkey.Inspect(data)
		if err == nil && info.Encrypted && len(password) > 0 {
			_, info, err = privkey.Parse(data, password)
		}
		if err != nil {
			return err
		}
		c.Key = &info
		if !hasCert {
			c.Notes = keyNotes(data)
		}
	}
	if len(c.Certs) == 0 && c.Key == nil {
		if others := blockLabels(data); len(others) > 0 {
			return fmt.Errorf("%w: no certificate or private key (found %s)", ErrWrongPEM, strings.Join(others, ", "))
		}
		return fmt.Errorf("%w: no PEM certificate or private key", ErrNotPEM)
	}
	return nil
}
