package gnutlspem

import (
	"bytes"
	"encoding/base64"
	"fmt"
)

// GnuTLS error texts (gnutls_strerror) that QEMU puts in its messages.
const (
	TextUnexpectedHeader = "Base64 unexpected header error."
	TextBase64           = "Base64 decoding error."
	TextNoCertificate    = "No certificate was found."
	TextNotAvailable     = "The requested data were not available."
	TextASN1Tag          = "ASN1 parser: Error in TAG."
	TextASN1DER          = "ASN1 parser: Error in DER parsing."
)

// Error is a PEM reading failure: GnuTLS's text and what it means.
type Error struct {
	GnuTLS string // GnuTLS's error text, as QEMU quotes it
	Reason string // what is wrong, for humans
}

func (e *Error) Error() string { return e.Reason }

func fail(gnutls, format string, args ...any) *Error {
	return &Error{GnuTLS: gnutls, Reason: fmt.Sprintf(format, args...)}
}

// Block is one decoded PEM block.
type Block struct {
	Label string // as searched for: "CERTIFICATE", "X509 CERTIFICATE", "EC PRIVATE KEY", ...
	DER   []byte
	// Start is the offset of "-----BEGIN"; BodyEnd the offset of the
	// "-----END " that ends it.
	Start, BodyEnd int
}

const (
	begin  = "-----BEGIN "
	dashes = "-----"
	end    = "-----END "
)

// Decode finds the first block with the given label anywhere in data and
// decodes it, as GnuTLS's _gnutls_fbase64_decode does.
func Decode(label string, data []byte) (Block, error) {
	b, body, err := locate(label, data)
	if err != nil {
		return Block{}, err
	}
	der, err := decodeBase64(body)
	if err != nil {
		return Block{}, fail(TextBase64, "the %s block's base64 is corrupt (%s)", label, err)
	}
	b.DER = der
	return b, nil
}

// locate finds the first block with the given label as Decode does and
// returns it without DER, with the base64 text of its body.
func locate(label string, data []byte) (Block, []byte, error) {
	top := begin + label
	i := bytes.Index(data, []byte(top))
	if i < 0 {
		return Block{}, nil, fail(TextUnexpectedHeader, "no -----BEGIN %s----- line", label)
	}
	rest := data[i:]
	if len(rest) < 4+len(end) {
		return Block{}, nil, fail(TextBase64, "the %s PEM block is truncated", label)
	}
	// The "-----" that ends the BEGIN line (or whatever comes first).
	k := bytes.Index(rest[1:], []byte(dashes))
	if k < 0 {
		return Block{}, nil, fail(TextBase64, "the -----BEGIN %s line does not end with -----", label)
	}
	body := rest[1+k+len(dashes):]
	bodyStart := i + 1 + k + len(dashes)
	e := bytes.Index(body, []byte(end))
	if e < 0 {
		return Block{}, nil, fail(TextBase64, "the %s PEM block is truncated (no -----END line)", label)
	}
	body = body[:e]
	if len(body) < 4 {
		return Block{}, nil, fail(TextBase64, "the %s block is empty", label)
	}
	return Block{Label: label, Start: i, BodyEnd: bodyStart + e}, body, nil
}

// decodeBase64 is GnuTLS's cpydata (skip LF, CR, space and tab; stop at
// the first '-') followed by nettle's base64 decoder.
func decodeBase64(body []byte) ([]byte, error) {
	// One pass with a table: this decoding was 13% of linting a tree.
	// The cleaned text is scratch: on the stack for a block of a few
	// kilobytes (a certificate or key), on the heap beyond.
	var scratch [8192]byte
	clean := scratch[:0]
	if len(body) > len(scratch) {
		clean = make([]byte, 0, len(body))
	}
	for _, c := range body {
		if c == '\n' || c == '\r' || c == ' ' || c == '\t' {
			continue
		}
		if c == '-' {
			break
		}
		if !base64Byte[c] {
			if c >= 0x20 && c < 0x7f {
				return nil, fmt.Errorf("%q is not base64; PEM headers such as \"Comment:\" are not accepted", string(c))
			}
			return nil, fmt.Errorf("byte 0x%02x is not base64", c)
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		return nil, fmt.Errorf("no base64 text")
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("bad padding or length")
	}
	return out[:n], nil
}

// base64Byte marks the bytes isBase64 accepts.
var base64Byte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isBase64(byte(c))
	}
	return t
}()

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// Labels of certificates, in the order GnuTLS tries them.
const (
	LabelCert     = "CERTIFICATE"
	LabelX509Cert = "X509 CERTIFICATE"
)

// Cert decodes one certificate as gnutls_x509_crt_import does with PEM:
// the first "CERTIFICATE" block anywhere in data, else the first
// "X509 CERTIFICATE" block. When both fail, the second attempt's error is
// the one GnuTLS returns.
func Cert(data []byte) (Block, error) {
	b, err := Decode(LabelCert, data)
	if err == nil {
		return b, nil
	}
	b, err2 := Decode(LabelX509Cert, data)
	if err2 == nil {
		return b, nil
	}
	e1, e2 := err.(*Error), err2.(*Error)
	if e2.GnuTLS == TextUnexpectedHeader && e1.GnuTLS != TextUnexpectedHeader {
		// GnuTLS says "unexpected header"; the useful reason is the first.
		return Block{}, &Error{GnuTLS: e2.GnuTLS, Reason: e1.Reason}
	}
	return Block{}, e2
}

// CertList decodes certificates as gnutls_x509_crt_list_import does with
// PEM: from the first "CERTIFICATE" block anywhere (else the first
// "X509 CERTIFICATE" one), each block in turn, at most max of them (0: no
// limit). An undecodable block fails the whole list. A list with no block
// fails with "No certificate was found.".
func CertList(data []byte, max int) ([]Block, error) {
	next := func(from int) int {
		if from >= len(data) {
			return -1
		}
		if i := bytes.Index(data[from:], []byte(begin+LabelCert)); i >= 0 {
			return from + i
		}
		if i := bytes.Index(data[from:], []byte(begin+LabelX509Cert)); i >= 0 {
			return from + i
		}
		return -1
	}
	p := next(0)
	if p < 0 {
		return nil, fail(TextNoCertificate, "no -----BEGIN CERTIFICATE----- line")
	}
	var out []Block
	for p >= 0 {
		if max > 0 && len(out) >= max {
			break
		}
		// Each block is imported from its position to the end of the
		// data, so a legacy-labelled block is passed over when a
		// "CERTIFICATE" block follows it.
		b, err := Cert(data[p:])
		if err != nil {
			e := err.(*Error)
			return nil, &Error{GnuTLS: e.GnuTLS, Reason: fmt.Sprintf("certificate %d: %s", len(out)+1, e.Reason)}
		}
		b.Start += p
		b.BodyEnd += p
		out = append(out, b)
		p = next(p + 1)
	}
	return out, nil
}

// Labels of private keys, in the order GnuTLS tries them.
var KeyLabels = []string{"RSA PRIVATE KEY", "DSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"}

// Key finds the private key block as gnutls_x509_privkey_import2 does:
// the first "RSA PRIVATE KEY", else "DSA PRIVATE KEY", else
// "EC PRIVATE KEY", else PKCS#8 "PRIVATE KEY", else
// "ENCRYPTED PRIVATE KEY" block. A block found under one label that does
// not decode is an error (GnuTLS does not go on to the next label).
func Key(data []byte) (Block, error) {
	for _, l := range KeyLabels {
		b, err := Decode(l, data)
		if err == nil {
			return b, nil
		}
		if err.(*Error).GnuTLS != TextUnexpectedHeader {
			return Block{}, err
		}
	}
	return Block{}, fail(TextNotAvailable, "no private key block (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)")
}

// KeyPlace is Key without the decoding: the label and place of the block
// Key reads, DER left nil. For data whose key was read already (to tell
// what else is in the file), it costs a search instead of a second base64
// decoding; it does not check the base64, so on other data it may find a
// block that Key refuses.
func KeyPlace(data []byte) (Block, error) {
	for _, l := range KeyLabels {
		b, _, err := locate(l, data)
		if err == nil {
			return b, nil
		}
		if err.(*Error).GnuTLS != TextUnexpectedHeader {
			return Block{}, err
		}
	}
	return Block{}, fail(TextNotAvailable, "no private key block (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)")
}

// CutNUL returns data up to its first NUL byte and whether there was one:
// QEMU reads files with GLib and passes strlen() bytes to GnuTLS.
func CutNUL(data []byte) ([]byte, bool) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return data[:i], true
	}
	return data, false
}
