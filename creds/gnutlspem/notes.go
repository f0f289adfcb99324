package gnutlspem

import (
	"bytes"
	"fmt"
	"strings"
)

// KeyReason is GnuTLS's text for a private key that gnutls_x509_privkey_import2
// refuses, as QEMU up to 10.1 quotes it after "Cannot load certificate
// '...' & key '...': ". It is measured, not derived: the import tries
// PKCS#1/SEC1, PKCS#8, PKCS#12 and OpenSSL-encrypted decoders in turn and
// reports the last one's error.
func KeyReason(data []byte, err error) string {
	e, ok := err.(*Error)
	if !ok {
		return TextASN1DER
	}
	switch {
	case bytes.Contains(data, []byte("DEK-Info: ")):
		return "The request is invalid."
	case e.GnuTLS == TextUnexpectedHeader || e.GnuTLS == TextNotAvailable:
		return TextNotAvailable
	case e.GnuTLS == TextBase64 && (strings.Contains(e.Reason, "not base64") || strings.Contains(e.Reason, "is empty")):
		return TextBase64 // an undecodable (or empty) block of a key label
	case e.GnuTLS == TextBase64:
		return TextNotAvailable
	}
	return e.GnuTLS
}

// DERReason is the ASN.1 error GnuTLS gives for bytes that decoded from
// base64 but are not the expected structure: "Error in TAG" when they do
// not start with a SEQUENCE, "Error in DER parsing" otherwise.
func DERReason(der []byte) string {
	if len(der) == 0 || der[0] != 0x30 {
		return TextASN1Tag
	}
	return TextASN1DER
}

// Notes lists what is unusual in data, given the blocks GnuTLS uses from
// it: accepted by GnuTLS (so by QEMU and libvirt), but not what other
// readers (Go, OpenSSL, browsers) or a person would expect. The notes are
// sorted by where they occur and say nothing of the key material.
func Notes(data []byte, used []Block) []string {
	var notes []string
	if len(used) == 0 {
		return nil
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		notes = append(notes, "starts with a UTF-8 byte-order mark (GnuTLS skips it; Go and OpenSSL do not)")
	} else if first := used[0].Start; len(bytes.TrimSpace(data[:first])) > 0 {
		notes = append(notes, fmt.Sprintf("has %d bytes of text before the first -----BEGIN line (GnuTLS skips them)", first))
	} else if first > 0 && !bytes.HasSuffix(data[:first], []byte("\n")) {
		notes = append(notes, "the first -----BEGIN line is indented (GnuTLS reads it; Go does not)")
	}
	if bytes.IndexByte(data, '\r') >= 0 && !bytes.Contains(data, []byte("\r\n")) {
		notes = append(notes, "has CR-only line ends (GnuTLS reads them; Go and OpenSSL do not)")
	}
	for _, b := range used {
		if b.Label == LabelX509Cert {
			notes = append(notes, "uses the legacy -----BEGIN X509 CERTIFICATE----- label (GnuTLS reads it; Go and OpenSSL 3 do not)")
			break
		}
	}
	spaces, mismatch := false, ""
	for _, b := range used {
		body := data[b.Start:b.BodyEnd]
		if nl := bytes.IndexAny(body, "\r\n"); nl >= 0 {
			body = body[nl:]
		}
		if bytes.ContainsAny(body, " \t") || bytes.Contains(body, []byte("\n\n")) || bytes.Contains(body, []byte("\r\n\r\n")) {
			spaces = true
		}
		tail := data[b.BodyEnd+len(end):]
		label := tail
		if i := bytes.Index(tail, []byte(dashes)); i >= 0 {
			label = tail[:i]
		}
		if string(label) != b.Label && mismatch == "" {
			mismatch = fmt.Sprintf("a -----BEGIN %s----- block ends with -----END %s----- (GnuTLS ignores the END label; Go does not)", b.Label, printable(label))
		}
	}
	if spaces {
		notes = append(notes, "has spaces, tabs or blank lines inside the base64 (GnuTLS skips them)")
	}
	if mismatch != "" {
		notes = append(notes, mismatch)
	}
	// Blocks GnuTLS does not use.
	usedAt := map[int]bool{}
	for _, b := range used {
		usedAt[b.Start] = true
	}
	var others []string
	seen := map[string]bool{}
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(begin))
		if i < 0 {
			break
		}
		at := off + i
		off = at + 1
		if usedAt[at] {
			continue
		}
		label := data[at+len(begin):]
		if j := bytes.IndexAny(label, "-\r\n"); j >= 0 {
			label = label[:j]
		}
		l := printable(label)
		if !seen[l] {
			seen[l] = true
			others = append(others, l)
		}
	}
	if len(others) > 0 {
		notes = append(notes, fmt.Sprintf("also holds %s block(s) that are not read from this file", strings.Join(others, ", ")))
	}
	return notes
}

// printable is label text safe for a message: at most 40 bytes, control
// characters and non-ASCII as '?'.
func printable(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f {
			return '?'
		}
		return r
	}, string(b))
}
