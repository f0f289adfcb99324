package lint

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"CN=plain, O=x":       "CN=plain, O=x",
		"evil\x1b[2Jname":     `evil\x1b[2Jname`,
		"two\nlines\ttab":     `two\nlines\ttab`,
		"unicode é ok":        "unicode é ok",
		"bell\a and nul\x00!": `bell\a and nul\x00!`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
