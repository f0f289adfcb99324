package qemudiff

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/keyval"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
	"github.com/tlscreds/tlscreds/lint"
)

// TestQEMUHangsOnACALoop measures what lint's chain-no-issuer says about
// a CA file whose CAs name each other as issuers: qemu-img 10.2.0 never
// returns over it (its authority-chain walk has no loop guard), while the
// same directory with the root first in the CA file loads at once. The loop run is stopped
// after 10 s; a good run on a loaded machine takes well under that.
func TestQEMUHangsOnACALoop(t *testing.T) {
	p := findQEMU(t, qemuBinaries[0])
	g := fixtures.New(fixtures.TestClock)
	named := func(cn string) fixtures.Spec { return fixtures.Spec{Subject: pkix.Name{CommonName: cn}} }
	y0, err := g.Root(named("loop Y"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := g.Intermediate(y0, named("loop X"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := g.Intermediate(x, fixtures.Spec{Subject: pkix.Name{CommonName: "loop Y"}, Key: y0.Key})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := g.Server(y, fixtures.Spec{Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"}})
	if err != nil {
		t.Fatal(err)
	}
	load := func(name string, ca ...*x509.Certificate) peer.Result {
		dir := filepath.Join(t.TempDir(), name)
		if _, err := (fixtures.Dir{CA: ca, Server: leaf}).Write(dir, layout.QEMU, true); err != nil {
			t.Fatal(err)
		}
		obj := keyval.Object("tls-creds-x509", "id", "tls0", "endpoint", "server", "dir", dir, "verify-peer", "yes")
		return peer.Run(t, 10*time.Second, nil, p.Path, "info", "--object", obj, "--image-opts", "driver=null-co")
	}
	// y0 has y's name and key and is self-issued; first in the file, it
	// is the first match for the leaf's issuer and the walk ends there.
	// (Last in the file it would never be reached: QEMU takes the first
	// match, y, and loops all the same.)
	if r := load("rooted", y0.Cert, y.Cert, x.Cert); r.Code != 0 {
		t.Fatalf("qemu-img over the rooted CA file: exit %d: %s", r.Code, r.Output)
	}
	// Without y0, x's issuer is y again: y → x → y → ...
	if r := load("loop", y.Cert, x.Cert); r.Code != -1 {
		t.Fatalf("qemu-img over the looping CA file returned (exit %d): %s", r.Code, r.Output)
	}
	var found bool
	dir := filepath.Join(t.TempDir(), "lint")
	if _, err := (fixtures.Dir{CA: []*x509.Certificate{y.Cert, x.Cert}, Server: leaf}).Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	tg, err := lint.DirTarget("loop", dir, "server")
	if err != nil {
		t.Fatal(err)
	}
	m, err := creds.Read(tg.Spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lint.Run(m, lint.Options{Profile: lint.ProfileQEMU1020, Now: fixtures.TestClock}) {
		found = found || f.Rule == "chain-no-issuer" && strings.Contains(f.Message, "loops")
	}
	if !found {
		t.Error("lint does not say the chain loops")
	}
}
