package gnutlsprio

import (
	"errors"
	"testing"
)

// Verdicts measured with libgnutls 3.7.9 itself (gnutls_priority_init, then
// gnutls_priority_set_direct on a client session, called through Python's
// ctypes on Debian 12), so they hold without gnutls-cli. The set column is
// what a QEMU session sees.
var measured = []struct {
	s         string
	init, set int
}{
	{"NORMAL", 0, 0},
	{"normal", 0, 0},
	{"PFS", 0, 0},
	{"SECURE128", 0, 0},
	{"LEGACY", 0, 0},
	{"NORMAL:%COMPAT", 0, 0},
	{"NORMAL:-VERS-TLS1.3", 0, 0},
	{"NORMAL:-VERS-TLS-ALL:+VERS-TLS1.2", 0, 0},
	{"NORMAL:-KX-ALL", 0, 0},
	{"PERFORMANCE:+VERS-TLS1.0", 0, 0},
	{"", -50, -50},
	{"BOGUS", -50, -50},
	{"NORMAL:+BOGUS", -50, -50},
	{"NORMAL:%BOGUS", -50, -50},
	{"NORMAL::", -50, -50},
	{"@SYSTEM", -50, -50},
	{"@QEMU,,SYSTEM", -50, -50},
	{"NONE", -326, -326},
	{"NORMAL:-VERS-ALL", -326, -326},
	{"NORMAL:-CIPHER-ALL", -326, -326},
	{"SECURE256", 0, 0},
	{"NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL", 0, -326},
	{"NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+PSK", 0, 0},
	{"NORMAL:-VERS-ALL:+VERS-TLS1.2:-SIGN-ALL", -326, -326},
	{"NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:-SIGN-ALL", 0, 0},
	{"NORMAL:-VERS-ALL:+VERS-TLS1.3:+NULL", -326, -326},
	{" NORMAL:+BOGUS", -50, -50},
	{"NORMAL: +BOGUS", -50, -50},
	{"NORMAL:%compat", -50, -50},
	{"NORMAL:+GOSTX", 0, 0},
	{"NORMAL:-GOSTX", -326, -326},
	{"NONE:+CIPHER-ALL:+MAC-ALL:+SIGN-ALL:+VERS-TLS1.3:+GROUP-GC512B", 0, -326},
	{"NONE:+CIPHER-ALL:+MAC-ALL:+SIGN-ALL:+VERS-TLS1.3:+GROUP-GC512A", 0, 0},
	{"NONE:+CIPHER-ALL:+MAC-ALL:+SIGN-ALL:+VERS-TLS1.3:+CURVE-CryptoPro-A", 0, -326},
	{"NONE:+CIPHER-ALL:+MAC-ALL:+SIGN-ALL:+VERS-TLS1.3:+CURVE-TC26-256-B", 0, 0},
	{"LEGACY:-VERS-ALL:+VERS-TLS1.3:-GROUP-GOST-ALL", 0, 0},
	{"NONE:+CIPHER-ALL:+MAC-ALL:+SIGN-ALL:-VERS-ALL:+VERS-TLS1.3:+VERS-SSL3.0", 0, -326},
	{"PERFORMANCE:-VERS-ALL:+VERS-SSL3.0:+VERS-TLS1.3:-AEAD", -326, -326},
}

func code(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return 1
	}
	return 0
}

func TestMeasuredVerdicts(t *testing.T) {
	for _, m := range measured {
		if got := code(Init(m.s)); got != m.init {
			t.Errorf("Init(%q) = %d (%s), GnuTLS 3.7.9 says %d (%s)", m.s, got, Strerror(got), m.init, Strerror(m.init))
		}
		err := Check(m.s)
		if got := code(err); got != m.set {
			t.Errorf("Check(%q) = %d (%s), GnuTLS 3.7.9 says %d (%s)", m.s, got, Strerror(got), m.set, Strerror(m.set))
		}
		var e *Error
		if errors.As(err, &e) && e.AtSet != (m.init == 0) {
			t.Errorf("Check(%q): AtSet = %v", m.s, e.AtSet)
		}
	}
}

func TestErrorWords(t *testing.T) {
	err := Check("NORMAL:+BOGUS")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Check: %v", err)
	}
	if e.Strerror() != "The request is invalid." || e.Pos != len("NORMAL:") {
		t.Errorf("got %q at %d", e.Strerror(), e.Pos)
	}
	if want := `GnuTLS refuses priority string "NORMAL:+BOGUS" at "+BOGUS": The request is invalid.`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if got := Check("NONE").(*Error).Strerror(); got != "No or insufficient priorities were set." {
		t.Errorf("NONE: %q", got)
	}
	// A C string ends at its first NUL: what follows is never read.
	if err := Check("NORMAL\x00:+BOGUS"); err != nil {
		t.Errorf("NUL: %v", err)
	}
}
