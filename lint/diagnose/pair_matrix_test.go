package diagnose

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestPairMatrixClasses checks the matrix computed a class of equal
// edges at a time, on all cores, against every edge paired on its own:
// the same edges in the same order with the same results. The manifest
// has client endpoints sharing objects (one class), one with min-tls
// (its own class: the refusal names it), servers sharing objects with
// different policies, and edges that fail.
func TestPairMatrixClasses(t *testing.T) {
	path, err := fixtures.WritePairFleet(fixtures.New(fixtures.TestClock), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mf, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mf.Registry(manifest.Options{}); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return fixtures.TestClock }
	pm, err := NewPairMatrix(mf, PairOptions{Time: clock})
	if err != nil {
		t.Fatal(err)
	}
	var got []PairEdge
	err = pm.Run(func(i, j int, e PairEdge) error {
		if e.Client != pm.Clients[i] || e.Server != pm.Servers[j] {
			t.Errorf("edge (%d, %d) is %s → %s, want %s → %s", i, j, e.Client, e.Server, pm.Clients[i], pm.Servers[j])
		}
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Every edge on its own, as the matrix did before it had classes.
	var want []PairEdge
	for _, ce := range mf.Endpoints {
		if ce.Role != "client" {
			continue
		}
		for _, se := range mf.Endpoints {
			if se.Role != "server" {
				continue
			}
			srcS, so, err := mf.ServerOptions(se.Name)
			if err != nil {
				t.Fatal(err)
			}
			srcC, host, co, err := mf.ClientOptions(ce.Name)
			if err != nil {
				t.Fatal(err)
			}
			declared := ce.Server == se.Name
			if !declared {
				host = se.Hosts[0]
			}
			res := Pair(srcS, srcC, host, PairOptions{Time: clock, Server: &so, Client: &co})
			e := pairEdgeOf(&pairSide{e: ce, host: host}, &pairSide{e: se}, func(*pairSide, *pairSide, string) []PairResult { return res })
			want = append(want, e)
		}
	}
	if len(got) != len(want) || len(want) != 13*3 {
		t.Fatalf("%d edges, want %d (13 clients × 3 servers)", len(got), len(want))
	}
	fails := 0
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("edge %d (%s → %s):\n got %+v\nwant %+v", i, want[i].Client, want[i].Server, got[i], want[i])
		}
		if !want[i].OK {
			fails++
		}
	}
	if fails == 0 || fails == len(want) {
		t.Errorf("%d of %d edges fail; the test wants both kinds", fails, len(want))
	}
}

// A manifest without a client endpoint has no pair.
func TestPairMatrixNoPairs(t *testing.T) {
	dir := t.TempDir()
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ServerDir().Write(filepath.Join(dir, "server"), layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.yaml")
	text := "objects:\n  - {id: srv, endpoint: server, dir: server}\nendpoints:\n  - {name: vnc, role: server, objects: [srv], hosts: [localhost]}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	mf, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPairMatrix(mf, PairOptions{}); err != ErrNoPairs {
		t.Errorf("NewPairMatrix = %v, want ErrNoPairs", err)
	}
}
