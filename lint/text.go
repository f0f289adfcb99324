package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// Printable makes text that came from certificates, file names, the
// network or the command line safe to print, and is the one function
// every path to the terminal uses:
//
//   - key material is replaced: a PEM private-key block (with or without
//     its END line), a run of 60 or more base64 characters that is not
//     hex (a PEM line of a key pasted without its armour), and the hex dumps of private
//     fields that `openssl pkey -text` prints;
//   - characters that are not printable (a newline in a file name, an
//     escape sequence in a common name, a right-to-left override, a C1
//     control) are shown as Go escapes, and bytes that are not UTF-8 as
//     \xNN, so nothing reaches the terminal that could retitle, clear or
//     move it, or start a line that looks like one of ours.
func Printable(s string) string {
	s = Redact(s)
	if isPlain(s) {
		return s
	}
	return string(AppendEscaped(nil, s, false))
}

// isPlain reports whether s needs no escaping.
func isPlain(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (!unicode.IsPrint(r) && r != ' ') {
			return false
		}
	}
	return true
}

// AppendEscaped appends s to dst, escaped as [Printable] escapes it (but
// without redaction). With keepLines, newlines and tabs pass: that is for
// text whose lines are ours, such as a whole report. Runes beyond the
// Basic Multilingual Plane are escaped as UTF-16 surrogate pairs, so the
// escape is also valid inside a JSON string.
func AppendEscaped(dst []byte, s string, keepLines bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = fmt.Appendf(dst, `\x%02x`, s[i])
		case keepLines && (r == '\n' || r == '\t'):
			dst = append(dst, byte(r))
		case unicode.IsPrint(r) || r == ' ':
			dst = append(dst, s[i:i+size]...)
		case r < 0x80:
			q := strconv.QuoteRune(r)
			dst = append(dst, q[1:len(q)-1]...)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			dst = fmt.Appendf(dst, `\u%04x\u%04x`, r1, r2)
		default:
			dst = fmt.Appendf(dst, `\u%04x`, r)
		}
		i += size
	}
	return dst
}

var (
	pemKeyBlock = lazyregexp.New(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)`)
	base64Run   = lazyregexp.New(`[A-Za-z0-9+/]{60,}={0,2}`)
	privateHex  = lazyregexp.New(`(?i)(priv|privateExponent|prime1|prime2|exponent1|exponent2|coefficient|private-key)\s*:(\s*[0-9a-f]{2}:?)+`)
)

// Redacted replaces key material in text that is printed.
const Redacted = "[key material redacted]"

// Redact replaces anything in s that looks like private key material with
// [Redacted] (see [Printable]).
func Redact(s string) string {
	if strings.Contains(s, "PRIVATE KEY") {
		s = pemKeyBlock.ReplaceAllLiteralString(s, Redacted)
	}
	if hasBase64Run(s, 60) {
		s = base64Run.ReplaceAllStringFunc(s, func(m string) string {
			if strings.Trim(m, "0123456789abcdefABCDEF") == "" {
				return m // hex: a fingerprint or a pin, not base64
			}
			if existingPath(m) {
				return m // a long path of letters and digits (a test's temporary directory)
			}
			return Redacted
		})
	}
	if l := strings.ToLower(s); strings.Contains(l, "priv") || strings.Contains(l, "prime") || strings.Contains(l, "exponent") || strings.Contains(l, "coefficient") {
		s = privateHex.ReplaceAllString(s, "$1: "+Redacted)
	}
	return s
}

// existingPath says a run of base64 characters is an absolute path whose
// directory exists on this machine ("/tmp/TestName1234/002/creds/client"
// before "-cert.pem"): key material does not name a directory.
func existingPath(m string) bool {
	if !strings.HasPrefix(m, "/") || strings.Count(m, "/") < 2 {
		return false
	}
	fi, err := os.Stat(filepath.Dir(m))
	return err == nil && fi.IsDir()
}

// hasBase64Run is a quick test before the regular expression.
func hasBase64Run(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// PrintableBytes shows bytes a peer sent (a banner, a reply where TLS was
// expected) as text safe for a terminal and a JSON report: printable
// UTF-8 as it is, everything else escaped (\n, \r, \\, \xNN), at most limit
// bytes, then "…" when cut.
func PrintableBytes(b []byte, limit int) string {
	cut := len(b) > limit
	if cut {
		b = b[:limit]
	}
	var s strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			s.WriteString(`\x`)
			s.WriteString(hexByte(b[0]))
		case r == '\n':
			s.WriteString(`\n`)
		case r == '\r':
			s.WriteString(`\r`)
		case r == '\\':
			s.WriteString(`\\`)
		case unicode.IsPrint(r):
			s.WriteRune(r)
		default:
			for _, c := range b[:size] {
				s.WriteString(`\x`)
				s.WriteString(hexByte(c))
			}
		}
		b = b[size:]
	}
	if cut {
		s.WriteString("…")
	}
	return s.String()
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
