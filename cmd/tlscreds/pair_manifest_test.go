package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint/diagnose"
)

// TestPairManifestJSON checks the streamed JSON of `pair --manifest`
// against the library's matrix (diagnose.PairMatrix, whose classes
// TestPairMatrixClasses checks): the same edges in the same order, field
// for field, and exit 1 because declared edges fail.
func TestPairManifestJSON(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p, err := g.PKI(fixtures.PKIOptions{Clients: []string{"alice", "bob"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, d := range map[string]fixtures.Dir{"server": p.ServerDir(), "alice": p.ClientDir(0), "bob": p.ClientDir(1), "stranger": other.ClientDir(0)} {
		if _, err := d.Write(filepath.Join(dir, name), layout.QEMU, true); err != nil {
			t.Fatal(err)
		}
	}
	var m strings.Builder
	m.WriteString("objects:\n  - {id: srv, endpoint: server, dir: server}\n  - {id: open, endpoint: server, dir: server, verify-peer: off}\n")
	m.WriteString("  - {id: a, endpoint: client, dir: alice}\n  - {id: b, endpoint: client, dir: bob}\n  - {id: s, endpoint: client, dir: stranger}\nendpoints:\n")
	m.WriteString("  - {name: vnc, role: server, objects: [srv], hosts: [localhost], authz: {policy: deny, rules: [{match: \"O=tlscreds test PKI,CN=alice\", policy: allow}]}}\n")
	m.WriteString("  - {name: vnc2, role: server, objects: [srv], hosts: [localhost]}\n")
	m.WriteString("  - {name: status, role: server, objects: [open], hosts: [localhost], min-tls: \"1.3\"}\n")
	for i := range 12 {
		obj, server := []string{"a", "b", "s"}[i%3], []string{"vnc", "vnc2", "status"}[i%3]
		fmt.Fprintf(&m, "  - {name: c%d, role: client, objects: [%s], server: %s}\n", i, obj, server)
	}
	m.WriteString("  - {name: strict, role: client, objects: [a], server: vnc, min-tls: \"1.3\"}\n")
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(m.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"tlscreds", "pair", "--manifest", path, "--format", "json"}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1 (declared edges fail): %s", code, stderr.String())
	}
	var got struct {
		Schema string `json:"schema"`
		Edges  []any  `json:"edges"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("the streamed JSON does not parse: %v\n%s", err, stdout.String())
	}

	// The library's matrix, as the command computes it.
	mf, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := diagnose.NewPairMatrix(mf, diagnose.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []diagnose.PairEdge
	if err := pm.Run(func(_, _ int, e diagnose.PairEdge) error { want = append(want, e); return nil }); err != nil {
		t.Fatal(err)
	}
	// Through JSON, as got went.
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON []any
	if err := json.Unmarshal(b, &wantJSON); err != nil {
		t.Fatal(err)
	}
	if got.Schema != "tlscreds.pair-matrix/v1" || len(got.Edges) != len(want) || len(want) != 13*3 {
		t.Fatalf("schema %q, %d edges, want %d (13 clients × 3 servers)", got.Schema, len(got.Edges), len(want))
	}
	fails := 0
	for i := range want {
		if !reflect.DeepEqual(got.Edges[i], wantJSON[i]) {
			t.Errorf("edge %d (%s → %s):\n got %+v\nwant %+v", i, want[i].Client, want[i].Server, got.Edges[i], wantJSON[i])
		}
		if !want[i].OK {
			fails++
		}
	}
	if fails == 0 || fails == len(want) {
		t.Errorf("%d of %d edges fail; the test wants both kinds", fails, len(want))
	}
}
