package creds

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// SecretSpec is a QEMU `secret` object (qemu:crypto/secret.c):
//
//	secret,id=sec0,file=PATH[,format=raw|base64]
//	secret,id=sec0,data=STRING[,format=raw|base64]
//
// Exactly one of File and Data is set. Format is "raw" (the default) or
// "base64". Text is the spec text with the data= value replaced by
// "<redacted>", so it is safe to print. Encrypted secrets (keyid=, iv=) are
// not supported.
type SecretSpec struct {
	ID, File, Data, Format string
	Text                   string
}

// maxSecretFile caps what Secret reads from a secret file. Passwords are
// short; a large file is a mistake, and a FIFO or device must not hang us.
const maxSecretFile = 64 << 10

// ErrNoSecret is matched (with [errors.Is]) by the error for a passwordid that
// names no secret object.
var ErrNoSecret = errors.New("no secret object")

type missingSecretError struct{ id string }

func (e missingSecretError) Error() string {
	return fmt.Sprintf("no secret object with id %q (passwordid=%s)", e.id, e.id)
}

func (e missingSecretError) Is(target error) bool { return target == ErrNoSecret }

func buildSecret(text string, conv map[string]any) (*SecretSpec, error) {
	s := &SecretSpec{Format: "raw", Text: redactSpec(text)}
	for name, v := range conv {
		str := v.(string) // secrets have no boolean properties
		switch name {
		case "id":
			s.ID = str
		case "file":
			s.File = str
		case "data":
			s.Data = str
		case "format":
			s.Format = str
		}
	}
	if _, ok := conv["id"]; !ok {
		return nil, specErr(text, "id", errors.New("missing (every object needs id=NAME)"))
	}
	_, hasFile := conv["file"]
	_, hasData := conv["data"]
	// QEMU's own texts (qemu:crypto/secret.c).
	if hasFile && hasData {
		return nil, specErr(text, "", errors.New("'file' and 'data' are mutually exclusive"))
	}
	if !hasFile && !hasData {
		//lint:ignore ST1005 QEMU's own message (qemu:crypto/secret.c), kept so users can search for it
		return nil, specErr(text, "", errors.New("Either 'file' or 'data' must be provided"))
	}
	return s, nil
}

// Specs collects the object specs given on one command line. Object ids are
// unique across credentials objects and secrets, as in QEMU.
//
// Add is not safe for concurrent use; once all specs are added, the other
// methods only read and may be called concurrently.
type Specs struct {
	Objects []*Spec
	Secrets []*SecretSpec
}

// Add parses text with [ParseSpec] and appends the result. An id already used
// by an earlier object or secret is an error naming both specs.
func (s *Specs) Add(text string) error {
	spec, sec, err := ParseSpec(text)
	if err != nil {
		return err
	}
	id := ""
	if spec != nil {
		id = spec.ID
	} else {
		id = sec.ID
	}
	if prev, ok := s.textOf(id); ok {
		return specErr(text, "id", fmt.Errorf("%w %q: already used by object %q", ErrDuplicateID, id, redactSpec(prev)))
	}
	if spec != nil {
		s.Objects = append(s.Objects, spec)
	} else {
		s.Secrets = append(s.Secrets, sec)
	}
	return nil
}

// textOf returns the spec text of the object or secret with the given id.
func (s *Specs) textOf(id string) (string, bool) {
	for _, o := range s.Objects {
		if o.ID == id {
			return o.Text, true
		}
	}
	for _, o := range s.Secrets {
		if o.ID == id {
			return o.Text, true
		}
	}
	return "", false
}

// Secret returns the bytes of the secret object with the given id, as QEMU
// would load them: the whole file (a trailing newline is part of the secret,
// as in QEMU; write it with printf '%s', not echo) or the data string,
// base64-decoded when format=base64.
//
// Secret files must be regular files of at most 64 KiB.
func (s *Specs) Secret(id string) ([]byte, error) {
	var sec *SecretSpec
	for _, c := range s.Secrets {
		if c.ID == id {
			sec = c
			break
		}
	}
	if sec == nil {
		for _, o := range s.Objects {
			if o.ID == id {
				// QEMU: "Object with id '%s' is not a secret".
				return nil, fmt.Errorf("%w: object with id %q is %s, not a secret", ErrNoSecret, id, o.Kind)
			}
		}
		return nil, missingSecretError{id: id}
	}

	var data []byte
	prop := "data"
	if sec.File != "" {
		prop = "file"
		b, err := readSecretFile(sec.File)
		if err != nil {
			return nil, specErr(sec.Text, prop, err)
		}
		data = b
	} else {
		data = []byte(sec.Data)
	}
	if sec.Format == "base64" {
		b, err := decodeQEMUBase64(data)
		if err != nil {
			return nil, specErr(sec.Text, prop, err)
		}
		data = b
	}
	return data, nil
}

// Password returns the key password for sp: nil, nil when sp has no
// passwordid, else the secret's bytes, which must be valid UTF-8 as QEMU
// requires (qcrypto_secret_lookup_as_utf8). Errors name sp and its
// passwordid property.
func (s *Specs) Password(sp *Spec) ([]byte, error) {
	if sp.PasswordID == "" {
		return nil, nil
	}
	b, err := s.Secret(sp.PasswordID)
	if err != nil {
		return nil, specErr(sp.Text, "passwordid", err)
	}
	if !utf8.Valid(b) {
		// QEMU's own text.
		return nil, specErrf(sp.Text, "passwordid", "Data from secret %s is not valid UTF-8", sp.PasswordID)
	}
	return b, nil
}

// readSecretFile reads a secret file safely (see readFile: never a FIFO
// or device), at most maxSecretFile bytes: a secret file holds one
// password.
func readSecretFile(name string) ([]byte, error) {
	data, _, err := readFileMax(name, maxSecretFile, false)
	return data, err
}

// decodeQEMUBase64 decodes base64 the way QEMU's qbase64_decode does
// (qemu:util/base64.c): only the base64 alphabet, '=' and '\n' are allowed,
// then GLib decodes leniently.
func decodeQEMUBase64(b []byte) ([]byte, error) {
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, errors.New("Base64 data contains embedded NUL characters")
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '+' || c == '/' || c == '=' || c == '\n' {
			continue
		}
		hint := ""
		switch c {
		case '\r':
			hint = "; remove the CR (Windows line ending)"
		case ' ', '\t':
			hint = "; remove the whitespace"
		case '-', '_':
			hint = "; this is URL-safe base64, QEMU wants the standard alphabet (+ and /)"
		}
		// QEMU's own text, then where.
		return nil, fmt.Errorf("Base64 data contains invalid characters (byte %d)%s", i, hint)
	}
	s := strings.ReplaceAll(string(b), "\n", "")
	s = strings.TrimRight(s, "=")
	if strings.Contains(s, "=") {
		return nil, errors.New("base64 data has '=' padding before its end")
	}
	out, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("base64 data is truncated: %w", err)
	}
	return out, nil
}

var jsonDataRE = lazyregexp.New(`("data"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// redactSpec hides the value of any data property (a secret's payload) so
// that spec text can go into error messages.
func redactSpec(text string) string {
	if strings.HasPrefix(strings.TrimSpace(text), "{") {
		// The token walk handles escaped keys ("d\u0061ta"); the regexp
		// catches what follows a syntax error.
		return jsonDataRE.ReplaceAllString(redactJSON(text), `$1"<redacted>"`)
	}
	if !strings.Contains(text, "data=") {
		return text
	}
	// Walk the elements the way parseKeyval does, but never fail.
	var b strings.Builder
	for pos := 0; pos < len(text); {
		end := pos
		for end < len(text) {
			if text[end] == ',' {
				if end+1 < len(text) && text[end+1] == ',' {
					end += 2
					continue
				}
				break
			}
			end++
		}
		elem := text[pos:end]
		if strings.HasPrefix(elem, "data=") {
			elem = "data=<redacted>"
		}
		b.WriteString(elem)
		if end < len(text) {
			b.WriteString(",")
		}
		pos = end + 1
	}
	return b.String()
}

// redactJSON replaces the value of every member named "data" (whatever its
// JSON type) with "<redacted>", as far as text is valid JSON.
func redactJSON(text string) string {
	dec := json.NewDecoder(strings.NewReader(text))
	type frame struct{ object, wantKey bool }
	var (
		stack []frame
		key   string
		from  int64 // offset just after the current key
		open  = -1  // stack depth of a container being redacted
		start int64 // where that container's member began
		spans [][2]int64
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			if open == top {
				spans, open = append(spans, [2]int64{start, dec.InputOffset()}), -1
			}
			if top > 0 && stack[top-1].object {
				stack[top-1].wantKey = true
			}
			continue
		}
		if s, ok := tok.(string); ok && top >= 0 && stack[top].object && stack[top].wantKey {
			key, from = s, dec.InputOffset()
			stack[top].wantKey = false
			continue
		}
		// tok starts a value.
		inData := top >= 0 && stack[top].object && key == "data" && open < 0
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
			if inData {
				open, start = top+1, from
			}
			continue
		}
		if inData {
			spans = append(spans, [2]int64{from, dec.InputOffset()})
		}
		if top >= 0 && stack[top].object {
			stack[top].wantKey = true
		}
	}
	var b strings.Builder
	last := int64(0)
	for _, sp := range spans {
		b.WriteString(text[last:sp[0]])
		b.WriteString(`:"<redacted>"`)
		last = sp[1]
	}
	b.WriteString(text[last:])
	return b.String()
}
