package lint

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

func TestLoadCheckGatesLoading(t *testing.T) {
	check := LoadCheck(Options{Now: fixtures.TestClock})
	good := filepath.Join(t.TempDir(), "good")
	if err := fixtures.GoodSets()["server-ecdsa"](gen, good); err != nil {
		t.Fatal(err)
	}
	load := func(dir, extra string) error {
		sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=" + dir + extra)
		if err != nil {
			t.Fatal(err)
		}
		_, err = creds.Load(sp, creds.LoadOptions{Check: check})
		return err
	}
	if err := load(good, ""); err != nil {
		t.Fatalf("good set refused: %v", err)
	}
	b, _ := fixtures.LookupBroken("cert-expired")
	bad := filepath.Join(t.TempDir(), "bad")
	if err := b.Write(gen, bad); err != nil {
		t.Fatal(err)
	}
	err := load(bad, "")
	var ge *GateError
	if !errors.As(err, &ge) || len(ge.Findings) == 0 || ge.Findings[0].Rule != "cert-expired" {
		t.Fatalf("expired set: %v, want a GateError with cert-expired", err)
	}
	// sanity-check=off skips the check, as in QEMU.
	if err := load(bad, ",sanity-check=off"); err != nil {
		t.Errorf("sanity-check=off still checked: %v", err)
	}
}
