package lint

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestCheckAllKeepsInputOrder: results come out in the order targets
// went in, whatever order the workers finish them in. Targets alternate
// between a cheap missing directory and a real one, so workers finish out
// of order.
func TestCheckAllKeepsInputOrder(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good")
	if err := fixtures.GoodSets()["server-rsa-intermediate"](gen, good); err != nil {
		t.Fatal(err)
	}
	const n = 200
	targets := make(chan Target)
	go func() {
		defer close(targets)
		for i := 0; i < n; i++ {
			dir := good
			if i%3 == 0 {
				dir = filepath.Join(t.TempDir(), "missing")
			}
			sp, _, err := creds.ParseSpec(fmt.Sprintf("tls-creds-x509,id=o%d,endpoint=server,dir=%s", i, dir))
			if err != nil {
				panic(err)
			}
			targets <- Target{Spec: sp}
		}
	}()
	i := 0
	err := CheckAll(targets, Options{Now: fixtures.TestClock}, func(r Result) error {
		if want := fmt.Sprintf("o%d", i); r.Object != want {
			t.Fatalf("result %d is %s, want %s", i, r.Object, want)
		}
		i++
		return nil
	})
	if err != nil || i != n {
		t.Fatalf("CheckAll: %v after %d results, want %d", err, i, n)
	}
}
