package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainReadsSeen: every message the cause registry says operators
// see for a cause is read by explain with that cause among its causes.
func TestExplainReadsSeen(t *testing.T) {
	for _, c := range cause.All() {
		for _, s := range c.Seen {
			text := strings.NewReplacer("%s", "/etc/pki/qemu/x.pem", "…", "2026-01-01T00:00:00Z").Replace(s)
			if h := Headline(Explain(text)); !slices.Contains(h, c.ID) {
				t.Errorf("%s: %q reads as %v", c.ID, text, h)
			}
		}
	}
}
