package diagnose

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	rec "github.com/tlscreds/tlscreds/fixtures/recorder"
)

func TestRequiredLiterals(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`(?i)SSL_ERROR_SYSCALL|(?:read|write):errno=(?:104|32)\b`, []string{"ssl_error_syscall", ":errno="}},
		{`Unknown CA|bad certificate`, []string{"unknown ca", "bad certificate"}},
		{`unknown ca|a*`, nil},                      // the second matches anything
		{`Caf\x{c9} (\w+)`, []string{"caf\u00c9 "}}, // only ASCII letters are lowered
	} {
		if got := requiredLiterals(c.expr); !slices.Equal(got, c.want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

// TestExplainFilterChangesNothing explains texts with and without the
// required-literal filter, each also in upper case: the filter may only
// save time. The texts: a few written here (the Kelvin sign and the long
// s fold to k and s; a byte that is not UTF-8; random bytes; a recorded
// output after a long s, which turns off the line search), a seventh of the recorded
// outputs (the test stays quick under -race), and a long log made of 300
// of them (lines that hold a pattern's literal without its match).
func TestExplainFilterChangesNothing(t *testing.T) {
	recs, err := rec.Load(recordingsDir)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"SSL_ERROR_SYSCALL", "ssl_error_syscall", "Alert 46", "Fatal error: The certificate is NOT trusted. Café",
		"tlsv1 alert unknown \u212aey", "SSL_ERROR_\u017fYSCALL", "invalid \xff UTF-8: certificate has expired"}
	var outputs []string
	for _, r := range recs {
		for _, o := range r.Outputs {
			outputs = append(outputs, o.Text)
		}
	}
	for i := 0; i < len(outputs); i += 7 {
		texts = append(texts, outputs[i])
	}
	texts = append(texts, strings.Join(outputs[:min(len(outputs), 300)], "\n"))
	noise := make([]byte, 16<<10) // binary: invalid UTF-8, long s and Kelvin signs by chance
	rand.NewChaCha8([32]byte{1}).Read(noise)
	texts = append(texts, string(noise), "\u017f\n"+outputs[len(outputs)/2])
	defer func() { filterByLiteral = true }()
	for _, text := range texts {
		for _, text := range []string{text, strings.ToUpper(text)} {
			filterByLiteral = true
			with := Explain(text)
			filterByLiteral = false
			without := Explain(text)
			if !reflect.DeepEqual(with, without) {
				t.Errorf("the filter changed Explain of %.300q:\nwith:    %+v\nwithout: %+v", text, with, without)
			}
		}
	}
}
