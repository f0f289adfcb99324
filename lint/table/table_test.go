package table

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func render(t *testing.T, w *bytes.Buffer, width int) string {
	t.Helper()
	var out = Fixed(w, width)
	if width < 0 {
		out = w
	}
	tbl := New(out)
	tbl.Header("SEVERITY", "RULE", "MESSAGE", "FIX")
	long := "server-cert.pem has no key: server-key.pem is missing, and the consumer refuses the directory as a whole"
	tbl.Append("error", "identity-unpaired", long, "add the missing half of the pair, or remove the lone file")
	if err := tbl.Render(); err != nil {
		t.Fatal(err)
	}
	return w.String()
}

// On a terminal of 80 columns every line fits and words stay whole; on
// a pipe each row is one line.
func TestWidth(t *testing.T) {
	var b bytes.Buffer
	out := render(t, &b, 80)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("line of %d columns:\n%s", n, out)
		}
	}
	if !strings.Contains(out, "consumer") || strings.Contains(out, "consu\n") {
		t.Errorf("words cut:\n%s", out)
	}
	var p bytes.Buffer
	piped := render(t, &p, -1)
	if lines := strings.Split(strings.TrimSpace(piped), "\n"); len(lines) != 5 {
		t.Errorf("piped: %d lines, want 5 (rule, header, rule, row, rule):\n%s", len(lines), piped)
	}
}

// A worked example of the layout: wide runes count two columns,
// combining marks none; a multi-line cell makes the row taller, and its
// blank continuation lines are dropped.
func TestLayout(t *testing.T) {
	var b bytes.Buffer
	tbl := New(&b)
	tbl.Header("NAME", "VALUE")
	tbl.Append("  subject  ", "CN=証明書")
	tbl.Append("issuer", "CN=Cafe\u0301\n\n  second line")
	tbl.Append("short")
	if err := tbl.Render(); err != nil {
		t.Fatal(err)
	}
	want := `+---------+---------------+
| NAME    | VALUE         |
+---------+---------------+
| subject | CN=証明書     |
| issuer  | CN=Café       |
|         |   second line |
| short   |               |
+---------+---------------+
`
	want = strings.Replace(want, "Café", "Cafe\u0301", 1) // a combining accent
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	var e bytes.Buffer
	if err := New(&e).Render(); err != nil || e.Len() != 0 {
		t.Errorf("an empty table wrote %q, %v", e.String(), err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFull }

var errFull = bytesErr("disk full")

type bytesErr string

func (e bytesErr) Error() string { return string(e) }

func TestRenderReportsWriteErrors(t *testing.T) {
	tbl := New(failWriter{})
	tbl.Append("a", "b")
	if err := tbl.Render(); err != errFull {
		t.Errorf("Render on a failing writer: %v, want %v", err, errFull)
	}
}

// A cell of a hundred thousand words (a certificate with that many
// names) wraps in linear time, every line within the limit.
func TestWrapLongLine(t *testing.T) {
	words := make([]string, 100_000)
	for i := range words {
		words[i] = "DNS:host" + strings.Repeat("x", i%7)
	}
	lines := wrap(strings.Join(words, ", "), 60)
	if got := strings.Join(lines, " "); got != strings.Join(words, ", ") {
		t.Fatal("the wrapped lines do not hold the words in order")
	}
	for _, l := range lines {
		if n := textWidth(l); n > 60 {
			t.Fatalf("a line of %d columns: %q", n, l)
		}
	}
}
