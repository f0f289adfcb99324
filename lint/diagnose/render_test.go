package diagnose

import (
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/lint"
)

// TestRenderEscapes: a certificate name with an escape sequence, or a
// server's error text, never reaches the terminal as control characters.
func TestRenderEscapes(t *testing.T) {
	r := Report{Addr: "127.0.0.1:1", Stage: StageHandshake, Error: "x509: certificate is valid for \x1b[2Jevil, not host"}
	fs := []lint.Finding{{Rule: "handshake-name-mismatch", Severity: lint.Error, Subject: lint.SubjectServer, Object: "a\x07b", Message: "CN \x1b]0;title\x07"}}
	var b strings.Builder
	if err := WriteReportTable(&b, r, fs); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("control characters in the output:\n%q", b.String())
	}
	if !strings.Contains(b.String(), `\x1b[2Jevil`) {
		t.Errorf("the escape is not shown escaped:\n%s", b.String())
	}
}
