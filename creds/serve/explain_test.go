package serve

import (
	"crypto/tls"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/cause/causetest"
)

// Explain words every cause cause.Classify gives, with or without a
// client certificate at hand.
func TestExplainWordsEveryCause(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range causetest.ServerErrors() {
		err := c.Err
		id, msg := Explain(err, tls.ConnectionState{})
		if id != cause.Classify(err) || msg == "" {
			t.Errorf("Explain(%v) = %q, %q", err, id, msg)
		}
		seen[id] = true
	}
	for _, id := range cause.ServerCauses {
		if !seen[id] {
			t.Errorf("no case gives cause %s", id)
		}
	}
}
