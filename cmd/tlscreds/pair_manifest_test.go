package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint/diagnose"
)

// TestPairManifestJSON checks the streamed JSON of `pair --manifest`
// against the library's matrix (diagnose.PairMatrix, whose classes
// TestPairMatrixClasses checks): the same edges in the same order, field
// for field, and exit 1 because declared edges fail.
func TestPairManifestJSON(t *testing.T) {
	path, err := fixtures.WritePairFleet(fixtures.New(fixtures.TestClock), t.TempDir())
	if err != nil {
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
