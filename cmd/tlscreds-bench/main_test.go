package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

func TestParseGoBench(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkHandshake/factory-2    	     219	   1000 ns/op	       975.7 handshakes/s	  145564 B/op	    1118 allocs/op
BenchmarkHandshake/factory-2    	     219	   3000 ns/op	       333.3 handshakes/s	  145564 B/op	    1118 allocs/op
BenchmarkHandshake/factory-2    	     219	   2000 ns/op	       500 handshakes/s	  145564 B/op	    1118 allocs/op
BenchmarkGetConfigForClient/objects=10000-2     	100000000	         2.321 ns/op	       0 B/op	       0 allocs/op
PASS
ok  	github.com/tlscreds/tlscreds/creds	1.909s
`)
	got := parseGoBench(out)
	if v := got.median("BenchmarkHandshake/factory", "ns/op"); v != 2000 {
		t.Errorf("median ns/op = %v, want 2000", v)
	}
	if v := got.median("BenchmarkHandshake/factory", "handshakes/s"); v != 500 {
		t.Errorf("median handshakes/s = %v, want 500", v)
	}
	if v := got["BenchmarkGetConfigForClient/objects=10000"]["allocs/op"]; len(v) != 1 || v[0] != 0 {
		t.Errorf("allocs/op = %v, want [0] (the GOMAXPROCS suffix stripped)", v)
	}
}

func TestPairedRatio(t *testing.T) {
	// The second run was slow for both: paired, it cancels out.
	r := benchResults{
		"a": {"ns/op": {100, 300, 110}},
		"b": {"ns/op": {100, 290, 100}},
	}
	if got := r.ratio("a", "b", "ns/op"); got < 1.03 || got > 1.04 {
		t.Errorf("ratio = %v, want the median of 1, 1.034, 1.1", got)
	}
	if got := r.ratio("a", "missing", "ns/op"); got != 0 {
		t.Errorf("ratio with a missing benchmark = %v, want 0", got)
	}
}

// The verdicts are the server process's ratios: factory vs static from
// the two served in turn within each run, SNI from separate
// sub-benchmarks; the one-process ratios are reported beside them, and
// without a server-process run there is no verdict.
func TestHandshakeRatios(t *testing.T) {
	r := benchResults{
		"BenchmarkServerHandshake/factory+static":    {"factory-µs/handshake": {1000, 1000, 1000}, "static-µs/handshake": {900, 1000, 990}},
		"BenchmarkServerHandshake/sni-objects=1":     {"ns/op": {900, 1000}, "handshakes/s": {1111, 1000}},
		"BenchmarkServerHandshake/sni-objects=10000": {"ns/op": {1000, 1000}, "handshakes/s": {1000, 1000}},
		"BenchmarkHandshake/static":                  {"ns/op": {800}, "handshakes/s": {1250}},
		"BenchmarkHandshake/factory":                 {"ns/op": {1000}, "handshakes/s": {1000}},
	}
	q, text := r.factoryRatio()
	if q != 0.99 {
		t.Errorf("factory ratio = %v, want 0.99 (the median of 0.9, 1.0 and 0.99)", q)
	}
	if !strings.Contains(text, "0.990× (server process") || !strings.Contains(text, "same process: 0.800×") {
		t.Errorf("factory description %q lacks the server-process or the one-process ratio", text)
	}
	if q, text := r.sniRatio(); q != 0.95 || strings.Contains(text, "same process") {
		t.Errorf("SNI ratio = %v (%q), want 0.95 (the median of 0.9 and 1.0) and no one-process figure", q, text)
	}
	delete(r, "BenchmarkServerHandshake/factory+static")
	if q, _ := r.factoryRatio(); q != 0 {
		t.Errorf("factory ratio without a server-process run = %v, want 0", q)
	}
}

func TestSpliceResults(t *testing.T) {
	file := filepath.Join(t.TempDir(), "perf.md")
	if err := spliceResults(file, "first\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(b), "# Performance\n") || !strings.Contains(string(b), "first") {
		t.Fatalf("new file:\n%s", b)
	}
	// Hand-written text around the markers survives a rewrite.
	text := "# Perf\n\nintro\n\n" + beginMarker + "\nold\n" + endMarker + "\n\n## Findings\nkept\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := spliceResults(file, "second\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(file)
	got := string(b)
	for _, want := range []string{"intro", "second", "## Findings\nkept"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "old") || strings.Count(got, endMarker) != 1 {
		t.Errorf("the old section was not replaced:\n%s", got)
	}
	// One marker alone is refused rather than guessed at.
	if err := os.WriteFile(file, []byte("x\n"+endMarker+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := spliceResults(file, "third\n"); err == nil {
		t.Error("a file with only the end marker was rewritten")
	}
}

func TestSummarizeExtrapolates(t *testing.T) {
	runs := []usage{
		{Wall: 3 * time.Second, CPU: 6 * time.Second, MaxRSS: 10},
		{Wall: 1 * time.Second, CPU: 2 * time.Second, MaxRSS: 30},
		{Wall: 2 * time.Second, CPU: 4 * time.Second, MaxRSS: 20},
	}
	s := summarize(runs, 50, 1000)
	if s.Wall != 40*time.Second || s.CPU != 80*time.Second || s.MaxRSS != 30 {
		t.Errorf("summary = %+v, want the medians times 20 and the largest RSS", s)
	}
	if got := s.dirsPerSec(); got != 25 {
		t.Errorf("dirs/s = %v, want 25", got)
	}
}

func TestSample(t *testing.T) {
	dirs := []string{"a", "b", "c", "d", "e", "f"}
	if got := sample(dirs, 3); strings.Join(got, "") != "ace" {
		t.Errorf("sample = %v", got)
	}
	if got := sample(dirs, 10); len(got) != len(dirs) {
		t.Errorf("sample larger than the tree = %v", got)
	}
}

func TestEnsureTreeReuses(t *testing.T) {
	cache := t.TempDir()
	o := treeOptions{Dirs: 5, KeyTypes: []fixtures.KeyType{fixtures.ECDSAP256}, PoolSize: 1}
	var log []string
	logf := func(f string, a ...any) { log = append(log, f) }
	root, err := ensureTree(cache, o, logf)
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := treeDirs(root)
	if err != nil || len(dirs) != 5 {
		t.Fatalf("treeDirs = %v, %v", dirs, err)
	}
	for _, f := range []string{"ca-cert.pem", "server-cert.pem", "server-key.pem"} {
		if _, err := os.Stat(filepath.Join(dirs[3], f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := ensureTree(cache, o, logf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(log[len(log)-1], "reusing") {
		t.Errorf("the second call did not reuse the tree: %q", log)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"bench", "-n", "100", "-rss-n", "10"}, os.Stderr)
	if err != nil || c.n != 100 || c.rssN != 10 || c.rounds != 3 || c.qemuSample != 50 {
		t.Errorf("parseFlags = %+v, %v", c, err)
	}
	if c, _ := parseFlags([]string{"bench", "-n", "1000"}, os.Stderr); c.rssN != 100 {
		t.Errorf("-rss-n defaults to %d for -n 1000, want 100", c.rssN)
	}
	for _, args := range [][]string{{"bench", "-n", "0"}, {"bench", "-n", "100", "-rss-n", "100"}, {"bench", "extra"}} {
		if _, err := parseFlags(args, &strings.Builder{}); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
