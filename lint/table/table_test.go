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
	if err := tbl.Append("error", "identity-unpaired", long, "add the missing half of the pair, or remove the lone file"); err != nil {
		t.Fatal(err)
	}
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
