package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"CN=plain, O=x":       "CN=plain, O=x",
		"evil\x1b[2Jname":     `evil\x1b[2Jname`,
		"two\nlines\ttab":     `two\nlines\ttab`,
		"unicode é ok":        "unicode é ok",
		"bell\a and nul\x00!": `bell\a and nul\x00!`,
		"c1 \u009b1m":         `c1 \u009b1m`,
		"rtl \u202egnp.exe":   `rtl \u202egnp.exe`,
		"line\u2028sep":       `line\u2028sep`,
		"tag \U000E0041":      `tag \udb40\udc41`,
		"not utf-8 \xff\xfe":  `not utf-8 \xff\xfe`,
		"cut \xe2\x82":        `cut \xe2\x82`,
		"real U+FFFD \ufffd":  "real U+FFFD \ufffd",
		"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\nafter": `[key material redacted]\nafter`,
		"x -----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIE":             "x [key material redacted]",
		"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgEYUfLIBptOkATkOVsrfH":        "[key material redacted]",
		"pin-sha256:5+MPIA82Vwcan/9DAQDrGm4ljYkn9LzqA9OVrw11ETI=":                     "pin-sha256:5+MPIA82Vwcan/9DAQDrGm4ljYkn9LzqA9OVrw11ETI=",
		"sha256:3c26253ad3016fb15ee5293d89f17da1c68f4f06a0751341e41ca159c2e72a99":     "sha256:3c26253ad3016fb15ee5293d89f17da1c68f4f06a0751341e41ca159c2e72a99",
		"priv:\n    00:11:22:33:44:55\n    66:77\npub:":                               `priv: [key material redacted]\npub:`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPrintableKeepsLongPaths: a path of letters and digits longer than
// the base64 run that is redacted, whose directory exists, is printed as
// it is; the same run where no such directory exists is redacted.
func TestPrintableKeepsLongPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "LongDirectoryNameWithoutDots1234567890", "creds")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := dir + "/client-cert.pem"
	if !hasBase64Run(p, 60) {
		t.Fatalf("%s: want a base64 run of 60 for this test", p)
	}
	if got := Printable("read " + p); got != "read "+p {
		t.Errorf("Printable = %q, want the path", got)
	}
	gone := "/nonexistent/LongDirectoryNameWithoutDots1234567890abcdefghijklmnopqrstuvw/client"
	if got := Printable(gone); got != Redacted {
		t.Errorf("Printable(%q) = %q, want it redacted", gone, got)
	}
}

func TestAppendEscapedKeepsLines(t *testing.T) {
	got := string(AppendEscaped(nil, "a\tb\nc\x1b]0;t\a\r", true))
	if want := "a\tb\nc\\x1b]0;t\\a\\r"; got != want {
		t.Errorf("AppendEscaped = %q, want %q", got, want)
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "plain", "evil\x1b[2J\r\n", "\xff\xfe", "\u202e\u009b", "-----BEGIN PRIVATE KEY-----\nMIG", "priv:\n 00:11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		if !isPlain(p) && !strings.Contains(p, "\ufffd") {
			t.Errorf("Printable(%q) = %q is not printable", s, p)
		}
		for _, r := range p {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Printable(%q) = %q holds %U", s, p, r)
			}
		}
		if strings.Contains(p, "PRIVATE KEY-----") && strings.Contains(s, "-----BEGIN") {
			t.Errorf("Printable(%q) = %q keeps a key block", s, p)
		}
	})
}
