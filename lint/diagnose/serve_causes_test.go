package diagnose

import (
	"testing"

	"github.com/tlscreds/tlscreds/creds/serve"
)

// The causes `tlscreds serve` logs are this registry's, so that explain
// and docs/troubleshooting.md describe every one of them.
func TestServeCausesAreRegistered(t *testing.T) {
	for _, id := range serve.Causes {
		if _, ok := LookupCause(id); !ok {
			t.Errorf("creds/serve cause %q is not in the diagnose cause registry", id)
		}
	}
}
