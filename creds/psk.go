package creds

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// PSKEntry is one usable line of a keys.psk file.
type PSKEntry struct {
	Username string
	Key      []byte
	Line     int // 1-based
}

// PSKFile is a parsed keys.psk file (GnuTLS psktool format, one
// "username:hexkey" per line).
type PSKFile struct {
	Entries  []PSKEntry   // usable entries, first per username, in file order
	Problems []PSKProblem // non-fatal findings, in line order

	lines []string // raw lines (CR kept), for Lookup
	name  string   // the file name as given, for messages
	text  string   // the content up to the first NUL, as QEMU's client reads it
}

// PSKProblem is a non-fatal finding in a keys.psk file. Message names the
// file and line and never includes key material.
type PSKProblem struct {
	Line    int
	Kind    string // see the PSKProblem* constants
	Message string
}

// Kinds of PSKProblem.
const (
	PSKProblemCRLF          = "crlf"           // line ends with CR LF
	PSKProblemBadHex        = "bad-hex"        // key is not valid hex (line unusable)
	PSKProblemDuplicateUser = "duplicate-user" // an earlier line has the same username (line unusable)
	PSKProblemShortKey      = "short-key"      // key shorter than 16 bytes
	PSKProblemEmptyUser     = "empty-user"     // nothing before ':' (line unusable)
	PSKProblemNoColon       = "no-colon"       // no ':' separator (line unusable)
	PSKProblemBlank         = "blank"          // empty or whitespace-only line
)

// minPSKBytes is the shortest key not reported as short-key. psktool
// generates 32-byte keys by default.
const minPSKBytes = 16

// ErrNoPSKEntries is wrapped by the error ParsePSKFile returns when the file
// has no usable entry.
var ErrNoPSKEntries = errors.New("no usable PSK entries")

// ParsePSKFile parses the keys.psk file called name (used in messages
// only; "" leaves it out, for a caller whose error names the file).
//
// Lines ending in CR LF are reported as "crlf" problems but still parsed with
// the CR removed: QEMU's client keeps the CR as part of the key, so its hex
// decode fails (spec §5 item 17), while this parser wants to report the
// other problems too. Lines that cannot be used (no ':', empty username, bad
// hex, a username already defined) are problems, not entries.
//
// The error is non-nil only when there is no usable entry at all; it wraps
// [ErrNoPSKEntries], and the returned *PSKFile still carries the problems.
func ParsePSKFile(name string, data []byte) (*PSKFile, error) {
	f := &PSKFile{name: name}
	text := string(data)
	f.text, _, _ = strings.Cut(text, "\x00")
	if text != "" {
		f.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	}
	report := func(line int, kind, format string, args ...any) {
		f.Problems = append(f.Problems, PSKProblem{
			Line:    line,
			Kind:    kind,
			Message: fmt.Sprintf("%s:%d: ", name, line) + fmt.Sprintf(format, args...),
		})
	}
	firstLine := map[string]int{} // username → first line naming it
	for i, line := range f.lines {
		n := i + 1
		if strings.HasSuffix(line, "\r") {
			line = strings.TrimSuffix(line, "\r")
			report(n, PSKProblemCRLF, "line ends with CR LF (Windows line ending); QEMU's PSK client keeps the CR as part of the key, "+
				"so the hex decode fails (\"Cannot set PSK client credentials\" since QEMU 7.2, a handshake failure before); convert the file with dos2unix")
		}
		if strings.TrimSpace(line) == "" {
			report(n, PSKProblemBlank, "blank line")
			continue
		}
		user, hexKey, ok := strings.Cut(line, ":")
		if !ok {
			report(n, PSKProblemNoColon, "no ':' separator (want username:hexkey, as written by psktool)")
			continue
		}
		if user == "" {
			report(n, PSKProblemEmptyUser, "empty username before ':'")
			continue
		}
		if first, dup := firstLine[user]; dup {
			report(n, PSKProblemDuplicateUser, "username %q already defined on line %d; QEMU and GnuTLS use the first line, this one is ignored", user, first)
			continue
		}
		firstLine[user] = n
		key, err := decodePSKHex(hexKey)
		if err != nil {
			report(n, PSKProblemBadHex, "key for username %q: %v", user, err)
			continue
		}
		if len(key) < minPSKBytes {
			report(n, PSKProblemShortKey, "key for username %q is %d bytes; use at least %d (psktool makes 32 by default)", user, len(key), minPSKBytes)
		}
		f.Entries = append(f.Entries, PSKEntry{Username: user, Key: key, Line: n})
	}
	if len(f.Entries) == 0 {
		detail := "the file is empty"
		if len(f.Problems) > 0 {
			detail = fmt.Sprintf("%d problem(s), first: %s", len(f.Problems), f.Problems[0].Message)
		}
		if name == "" {
			return f, fmt.Errorf("%w (%s)", ErrNoPSKEntries, detail)
		}
		return f, fmt.Errorf("psk file %s: %w (%s)", name, ErrNoPSKEntries, detail)
	}
	return f, nil
}

// decodePSKHex decodes a hex key, explaining failures without echoing the key.
func decodePSKHex(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("no key after ':'")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' {
			continue
		}
		what := "a character that is not a hex digit"
		switch c {
		case ' ', '\t':
			what = "whitespace"
		case '\r':
			what = "a CR"
		}
		return nil, fmt.Errorf("not valid hex: %s at column %d of the key", what, i+1)
	}
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("not valid hex: odd number of digits (%d)", len(s))
	}
	return hex.DecodeString(s)
}

// DefaultPSKUsername is the username QEMU's PSK client sends when the
// object has no username= property.
const DefaultPSKUsername = "qemu"

// PSKClientError is why QEMU's PSK client refuses keys.psk when the object
// is created (measured on QEMU 7.2.22, 10.0.0, 10.1.0 and 10.2.0 with
// GnuTLS 3.7.9: all four behave alike). Error returns QEMU's own message.
type PSKClientError struct {
	File     string // the keys.psk path as given
	Username string
	Line     int    // 1-based line QEMU took the key from; 0 when none matched
	Reason   string // why GnuTLS refused the key, in words; "" when none matched
	QEMU     string // QEMU's message
}

func (e *PSKClientError) Error() string { return e.QEMU }

// ClientKey is the key QEMU's PSK client loads for username ("" means
// [DefaultPSKUsername]), or why it refuses the file, exactly as QEMU and
// GnuTLS 3.7.9 do: QEMU reads the file up to its first NUL byte, splits it
// on LF and takes the first line that starts with "username:" (a plain
// prefix match, so a username may contain ':'); the rest of that line, CR
// and spaces included, goes to GnuTLS as hex. GnuTLS refuses a key that is
// not hex or has an odd number of digits ("Error in parsing.") and one
// shorter than 4 bytes, empty included ("The request is invalid."). Other
// lines are never looked at. The error is a *[PSKClientError] and never
// holds key material.
func (f *PSKFile) ClientKey(username string) ([]byte, error) {
	if username == "" {
		username = DefaultPSKUsername
	}
	prefix := username + ":"
	var lines []string
	if f.text != "" {
		lines = strings.Split(f.text, "\n")
	}
	for i, line := range lines {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		e := &PSKClientError{File: f.name, Username: username, Line: i + 1}
		key, err := decodePSKHex(rest)
		switch {
		case rest != "" && err != nil:
			e.Reason = err.Error()
			e.QEMU = "Cannot set PSK client credentials: Error in parsing."
		case len(key) < minGnuTLSPSKBytes:
			e.Reason = fmt.Sprintf("the key is %d bytes; GnuTLS wants at least %d", len(key), minGnuTLSPSKBytes)
			e.QEMU = "Cannot set PSK client credentials: The request is invalid."
		default:
			return key, nil
		}
		return nil, e
	}
	return nil, &PSKClientError{File: f.name, Username: username,
		QEMU: fmt.Sprintf("Username %s not found in PSK file %s", username, f.name)}
}

// minGnuTLSPSKBytes is the shortest key GnuTLS 3.7.9 takes from a client
// (measured through QEMU: 3 bytes are "The request is invalid.", 4 load).
const minGnuTLSPSKBytes = 4

// Lookup returns the key QEMU's PSK client would use for username: that of
// the first line starting with "username:" (a plain prefix match, as in
// qemu:crypto/tlscredspsk.c). QEMU sends "qemu" when the username property is
// unset; pass that explicitly. ok is false when no line matches or the
// matching line's key is not valid hex. A trailing CR is removed before
// decoding, unlike QEMU; ParsePSKFile reports it as a problem.
func (f *PSKFile) Lookup(username string) ([]byte, bool) {
	if f.lines == nil { // built by hand, not parsed
		for _, e := range f.Entries {
			if e.Username == username {
				return e.Key, true
			}
		}
		return nil, false
	}
	prefix := username + ":"
	for _, line := range f.lines {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			key, err := decodePSKHex(strings.TrimSuffix(rest, "\r"))
			return key, err == nil
		}
	}
	return nil, false
}
