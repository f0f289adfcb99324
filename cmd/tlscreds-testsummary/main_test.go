package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// A stream as go test -json writes it: a passing test with a passing and
// a skipped subtest, a failing test with a failing subtest, a benchmark
// (no result of its own), a package that does not build.
const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestA/x"}
{"Action":"pass","Package":"p","Test":"TestA/x"}
{"Action":"run","Package":"p","Test":"TestA/y"}
{"Action":"skip","Package":"p","Test":"TestA/y"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"run","Package":"p","Test":"TestB/z"}
{"Action":"output","Package":"p","Test":"TestB/z","Output":"    b_test.go:9: want 2, got 3\n"}
{"Action":"fail","Package":"p","Test":"TestB/z"}
{"Action":"fail","Package":"p","Test":"TestB"}
{"Action":"run","Package":"p","Test":"BenchmarkC"}
{"Action":"output","Package":"p","Output":"FAIL\n"}
{"Action":"fail","Package":"p","Elapsed":1.5}
{"Action":"start","Package":"q"}
{"Action":"run","Package":"q","Test":"BenchmarkD"}
{"Action":"pass","Package":"q","Elapsed":0.2}
{"ImportPath":"r [r.test]","Action":"build-output","Output":"./r_test.go:3:1: syntax error\n"}
{"Action":"start","Package":"r"}
{"Action":"fail","Package":"r","Elapsed":0,"FailedBuild":"r [r.test]"}
`

func TestSummary(t *testing.T) {
	var s summary
	var out bytes.Buffer
	s.read(strings.NewReader(stream), &out, "")
	want := "4 passed, 3 failed, 1 skipped; failed: p TestB/z, r (no test failed: see the output above)" // TestB, TestB/z and r
	if got := s.line(); got != want {
		t.Errorf("line:\n%s\nwant:\n%s", got, want)
	}
	for _, w := range []string{"b_test.go:9: want 2, got 3", "FAIL  p 1.5s", "ok    q 0.2s", "syntax error"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	if !s.failed() {
		t.Error("not failed")
	}
}

func TestSummaryState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	for _, in := range []string{
		`{"Action":"run","Package":"p","Test":"TestA"}` + "\n" + `{"Action":"pass","Package":"p","Test":"TestA"}` + "\n" + `{"Action":"pass","Package":"p"}`,
		`{"Action":"run","Package":"p","Test":"BenchmarkB"}` + "\n" + `{"Action":"pass","Package":"p"}` + "\nnot json",
	} {
		var s summary
		s.read(strings.NewReader(in), &bytes.Buffer{}, "")
		if err := s.add(state); err != nil {
			t.Fatal(err)
		}
	}
	var total summary
	if err := total.load(state); err != nil {
		t.Fatal(err)
	}
	if got, want := total.line(), "2 passed, 0 failed, 0 skipped, 1 lines of output that are not go test's JSON (see above)"; got != want {
		t.Errorf("total %q, want %q", got, want)
	}
}
