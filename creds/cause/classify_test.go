package cause_test

import (
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/cause/causetest"
)

// Classify reads crypto/tls's server-side errors as the real handshakes in
// creds/serve's serve_test.go produce them; this table pins each branch, wrapped as
// crypto/tls and net wrap them, so that a change of order shows.
func TestClassify(t *testing.T) {
	tests := append([]causetest.Case{{Err: nil, Cause: ""}}, causetest.ServerErrors()...)
	seen := map[string]bool{}
	for _, tt := range tests {
		got := cause.Classify(tt.Err)
		if got != tt.Cause {
			t.Errorf("Classify(%v) = %q, want %q", tt.Err, got, tt.Cause)
		}
		seen[got] = true
	}
	for _, c := range cause.ServerCauses {
		if !seen[c] {
			t.Errorf("no case gives cause %s", c)
		}
	}
}
