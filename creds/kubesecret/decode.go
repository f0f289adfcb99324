package kubesecret

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"
)

// Decode reads the Secrets of a manifest stream (YAML documents or JSON,
// single objects or Lists) and calls fn with each TLS Secret, in the
// order they appear, one at a time. name labels errors (the file's name).
// Objects that are not TLS Secrets are skipped; a malformed object or one
// larger than [MaxSecretBytes] ends the stream with an error naming it.
func Decode(r io.Reader, name string, fn func(*Secret) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d := &decoder{name: name, fn: fn}
	if first == '{' || first == '[' {
		return d.json(br)
	}
	return d.yaml(br)
}

// firstByte peeks at the first byte that is not white space.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF {
			continue
		}
		return b, br.UnreadByte()
	}
}

type decoder struct {
	name string
	fn   func(*Secret) error
	n    int // objects seen
}

func (d *decoder) emit(m *manifest) error {
	d.n++
	s, ok, err := m.secret(fmt.Sprintf("%s: object #%d", d.name, d.n))
	if err != nil || !ok {
		return err
	}
	return d.fn(s)
}

func (d *decoder) tooLarge() error {
	return fmt.Errorf("%s: object #%d is larger than %d KiB; refusing to read it (a Secret holds at most 1 MiB)", d.name, d.n+1, MaxSecretBytes>>10)
}

// ---- JSON ----

// capReader fails once more than limit bytes have been read since the
// last reset: it bounds what one JSON value may take.
type capReader struct {
	r     io.Reader
	read  int64
	limit int64
}

var errCap = errors.New("object too large")

func (c *capReader) Read(p []byte) (int, error) {
	if c.read >= c.limit {
		return 0, errCap
	}
	if int64(len(p)) > c.limit-c.read {
		p = p[:c.limit-c.read]
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

func (d *decoder) json(r io.Reader) error {
	cr := &capReader{r: r}
	dec := json.NewDecoder(cr)
	// Each value may take MaxSecretBytes beyond what the decoder has
	// consumed (it may have buffered up to that much more already).
	next := func() { cr.limit = max(cr.read, dec.InputOffset()+MaxSecretBytes) }
	fail := func(err error) error {
		if errors.Is(err, errCap) {
			return d.tooLarge()
		}
		return fmt.Errorf("%s: object #%d: %v", d.name, d.n+1, err)
	}
	for {
		next()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		switch tok {
		case json.Delim('['): // a bare array of objects
			if err := d.jsonItems(dec, next, fail); err != nil {
				return err
			}
		case json.Delim('{'):
			if err := d.jsonObject(dec, next, fail); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: want a JSON object or a List, found %v", d.name, tok)
		}
	}
}

// jsonObject reads an object whose '{' was read: a List's items are
// streamed one by one; any other object is decoded whole.
func (d *decoder) jsonObject(dec *json.Decoder, next func(), fail func(error) error) error {
	fields := map[string]json.RawMessage{}
	listed := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		if key == "items" {
			t, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			if t == nil {
				continue // "items": null
			}
			if t != json.Delim('[') {
				return fail(fmt.Errorf("items is not an array"))
			}
			listed = true
			if err := d.jsonItems(dec, next, fail); err != nil {
				return err
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		fields[key] = raw
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fail(err)
	}
	if listed {
		return nil
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return fail(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fail(err)
	}
	if m.Kind == "List" || strings.HasSuffix(m.Kind, "List") {
		return nil // an empty list
	}
	return d.emit(&m)
}

// jsonItems decodes the elements of an array whose '[' was read.
func (d *decoder) jsonItems(dec *json.Decoder, next func(), fail func(error) error) error {
	for dec.More() {
		next()
		var m manifest
		if err := dec.Decode(&m); err != nil {
			return fail(err)
		}
		if err := d.emit(&m); err != nil {
			return err
		}
	}
	_, err := dec.Token() // ']'
	if err != nil {
		return fail(err)
	}
	return nil
}

// ---- YAML ----

// The YAML reader splits the stream into documents at "---" lines and a
// List's block sequence of items into one chunk per item, by
// indentation, so that one Secret at a time is decoded. A document that
// is not a block-style List is decoded whole, within the same cap.
func (d *decoder) yaml(br *bufio.Reader) error {
	var (
		header    bytes.Buffer // the document outside its items
		item      bytes.Buffer
		inItems   bool
		seqIndent = -1
		sawItems  bool
		lineNo    int
	)
	flushItem := func() error {
		if item.Len() == 0 {
			return nil
		}
		var m manifest
		err := yaml.Unmarshal(item.Bytes(), &m)
		item.Reset()
		if err != nil {
			return fmt.Errorf("%s: object #%d (before line %d): %v", d.name, d.n+1, lineNo, err)
		}
		return d.emit(&m)
	}
	flushDoc := func() error {
		if err := flushItem(); err != nil {
			return err
		}
		defer func() { header.Reset(); inItems, seqIndent, sawItems = false, -1, false }()
		if sawItems || len(bytes.TrimSpace(header.Bytes())) == 0 {
			return nil
		}
		var m manifest
		if err := yaml.Unmarshal(header.Bytes(), &m); err != nil {
			return fmt.Errorf("%s: object #%d (before line %d): %v", d.name, d.n+1, lineNo, err)
		}
		if strings.HasSuffix(m.Kind, "List") {
			// a List in flow style or an empty one: decode it whole
			var l struct {
				Items []manifest `yaml:"items"`
			}
			if err := yaml.Unmarshal(header.Bytes(), &l); err != nil {
				return fmt.Errorf("%s: %v", d.name, err)
			}
			for i := range l.Items {
				if err := d.emit(&l.Items[i]); err != nil {
					return err
				}
			}
			return nil
		}
		return d.emit(&m)
	}
	for {
		line, err := readLine(br)
		if err != nil && err != io.EOF {
			if errors.Is(err, errCap) {
				return d.tooLarge()
			}
			return fmt.Errorf("%s: %w", d.name, err)
		}
		if len(line) == 0 && err == io.EOF {
			return flushDoc()
		}
		lineNo++
		text := strings.TrimRight(string(line), "\r\n")
		if text == "---" || strings.HasPrefix(text, "--- ") || text == "..." {
			if err := flushDoc(); err != nil {
				return err
			}
		} else {
			indent := len(text) - len(strings.TrimLeft(text, " "))
			trimmed := strings.TrimSpace(text)
			blank := trimmed == "" || strings.HasPrefix(trimmed, "#")
			switch {
			case inItems && blank:
				item.WriteString(text + "\n")
			case inItems && seqIndent < 0 && (trimmed == "-" || strings.HasPrefix(trimmed, "- ")):
				seqIndent = indent
				fallthrough
			case inItems && indent == seqIndent && (trimmed == "-" || strings.HasPrefix(trimmed, "- ")):
				if err := flushItem(); err != nil {
					return err
				}
				item.WriteString(dedent(text, seqIndent, true) + "\n")
			case inItems && seqIndent >= 0 && indent > seqIndent:
				item.WriteString(dedent(text, seqIndent, false) + "\n")
			default:
				if err := flushItem(); err != nil {
					return err
				}
				inItems = false
				if indent == 0 && (trimmed == "items:" || strings.HasPrefix(trimmed, "items: #")) {
					inItems, sawItems, seqIndent = true, true, -1
				} else {
					header.WriteString(text + "\n")
				}
			}
			if item.Len() > MaxSecretBytes || header.Len() > MaxSecretBytes {
				return d.tooLarge()
			}
		}
		if err == io.EOF {
			return flushDoc()
		}
	}
}

// dedent removes a sequence entry's indentation (and its "- " marker on
// its first line) so the entry decodes as a document of its own.
func dedent(line string, seqIndent int, first bool) string {
	cut := seqIndent + 2
	if first {
		rest := line[seqIndent+1:] // after '-'
		return strings.TrimPrefix(rest, " ")
	}
	if len(line) >= cut && strings.TrimSpace(line[:cut]) == "" {
		return line[cut:]
	}
	return strings.TrimLeft(line, " ")
}

// readLine reads one line, refusing lines longer than MaxSecretBytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > MaxSecretBytes {
			return nil, errCap
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return out, err
	}
}

// DecodeFile is [Decode] over a file the user named: "-" is stdin
// (a pipe is fine), a regular file or a FIFO is streamed, a directory or a
// device is refused.
func DecodeFile(path string, stdin io.Reader, fn func(*Secret) error) error {
	if path == "-" {
		return Decode(stdin, "standard input", fn)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	switch m := info.Mode(); {
	case m.IsDir():
		return fmt.Errorf("%s: is a directory, not a Secret manifest", path)
	case m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeSocket) != 0:
		return fmt.Errorf("%s: is a device, not a Secret manifest; refusing to read it", path)
	case m&fs.ModeNamedPipe != 0:
		// A FIFO the user named (<(kubectl get secret ...)): read it
		// blocking, as a pipe.
		if err := syscall.SetNonblock(int(f.Fd()), false); err != nil {
			return err
		}
	}
	return Decode(f, path, fn)
}
