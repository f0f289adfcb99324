package cause

import (
	"strings"
	"testing"
)

// Every entry of the table is complete, and every ID the package hands
// out is registered.
func TestRegistry(t *testing.T) {
	sides := map[string]bool{Server: true, Client: true, Either: true, Network: true}
	for _, c := range All() {
		if !strings.HasPrefix(c.ID, "handshake-") || c.Summary == "" || c.Fix == "" || !sides[c.Side] {
			t.Errorf("cause %+v: want a handshake- ID, a summary, a fix and a side", c)
		}
		if got := Get(c.ID); got != c {
			t.Errorf("Get(%s) = %v", c.ID, got)
		}
	}
	for _, id := range ServerCauses {
		if _, ok := Lookup(id); !ok {
			t.Errorf("Classify can return %s, which is not registered", id)
		}
	}
	if _, ok := Lookup("handshake-nonexistent"); ok {
		t.Error("Lookup finds an unregistered ID")
	}
}
