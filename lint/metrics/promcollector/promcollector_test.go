package promcollector

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/metrics"
	"google.golang.org/protobuf/proto"
)

// fleetSnapshot lints real generated sets: good ones, a key mismatch, a
// file that does not parse, a CRL, a client.
func fleetSnapshot(t *testing.T) *metrics.Snapshot {
	t.Helper()
	root := t.TempDir()
	g := fixtures.New(time.Now())
	for dir, set := range map[string]string{"a/qemu": "key-mismatch", "b/qemu": "server-with-crl", "c": "file-invalid", "d": "server-rsa-intermediate", "e \"quoted\\dir\"": "client-ecdsa"} {
		path := filepath.Join(root, dir)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if w, ok := fixtures.GoodSets()[set]; ok {
			if err := w(g, path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, ok := fixtures.LookupBroken(set)
		if !ok {
			t.Fatalf("no set %s", set)
		}
		if err := b.Write(g, path); err != nil {
			t.Fatal(err)
		}
	}
	snap := &metrics.Snapshot{Version: "v1.2.3", Now: time.Now(), CheckSeconds: 0.125}
	targets := make(chan lint.Target, 16)
	if err := lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil }); err != nil {
		t.Fatal(err)
	}
	close(targets)
	if err := lint.CheckAll(targets, lint.Options{KeepMaterial: true}, func(r lint.Result) error {
		snap.Objects = append(snap.Objects, metrics.FromResult(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(snap.Objects) != 5 {
		t.Fatalf("%d objects, want 5", len(snap.Objects))
	}
	snap.Sources = []metrics.Source{
		{Kind: "file", Name: root, Up: true, Objects: 5, Errors: map[string]float64{"walk_error": 2, "parse_error": 1}},
		{Kind: "kube-secret", Name: "secrets\nwith \"odd\" \\ name", Up: false, Errors: map[string]float64{}},
	}
	c := metrics.NewCounters("a-cause", "b-cause")
	c.Reload(creds.Event{ID: "web"})
	c.Reload(creds.Event{ID: "web", Err: os.ErrNotExist})
	c.HandshakeFailure("b-cause")
	c.Serving("web", time.Unix(1893456000, 0))
	snap.Counters = c
	return snap
}

// clientGolang encodes families as client_golang does: a registry's
// Gather, then expfmt's text and OpenMetrics encoders.
func clientGolang(t *testing.T, c prometheus.Collector) (text, om []byte) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var tb, ob bytes.Buffer
	te := expfmt.NewEncoder(&tb, expfmt.NewFormat(expfmt.TypeTextPlain))
	oe := expfmt.NewEncoder(&ob, expfmt.NewFormat(expfmt.TypeOpenMetrics))
	for _, mf := range mfs {
		if err := te.Encode(mf); err != nil {
			t.Fatal(err)
		}
		if err := oe.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	if err := oe.(expfmt.Closer).Close(); err != nil {
		t.Fatal(err)
	}
	return tb.Bytes(), ob.Bytes()
}

func sameBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("%s: line %d differs from client_golang's:\n got  %q\n want %q", what, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s: %d lines, client_golang writes %d", what, len(gl), len(wl))
}

// TestEncodeIsClientGolangs holds what the commands write (lint/metrics'
// Encode) and Gatherer (families built straight into client_model
// messages) to a client_golang registry gathering const metrics of the
// same families, on a linted fleet with every metric family: the same
// families, and byte for byte the same text and OpenMetrics.
func TestEncodeIsClientGolangs(t *testing.T) {
	snap := fleetSnapshot(t)
	text, om, err := metrics.Encode(snap.Families())
	if err != nil {
		t.Fatal(err)
	}
	wantText, wantOM := clientGolang(t, Snapshot(snap))
	sameBytes(t, "text format", text, wantText)
	sameBytes(t, "OpenMetrics", om, wantOM)
	for _, name := range []string{"x509_cert_not_after", "x509_cert_error", "x509_crl_stale", "x509_source_errors_total", "tlscreds_lint_findings", "tlscreds_reload_total", "tlscreds_handshake_failures_total"} {
		if !bytes.Contains(text, []byte("\n"+name+"{")) {
			t.Errorf("the fleet has no %s series: the comparison does not cover it", name)
		}
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(Snapshot(snap))
	want, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Gatherer(snap.Families).Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Gather: %d families, the registry %d", len(got), len(want))
	}
	for i := range want {
		if !proto.Equal(got[i], want[i]) {
			t.Errorf("Gather: family %s differs from the registry's:\n got  %v\n want %v", want[i].GetName(), got[i], want[i])
		}
	}
}

// TestWriteToTextfile writes a lint run with client_golang's
// WriteToTextfile and Gatherer(reporter.Families): the file holds what
// the Reporter writes, and nothing else is left in the directory.
func TestWriteToTextfile(t *testing.T) {
	snap := fleetSnapshot(t)
	var buf bytes.Buffer
	rep := metrics.NewReporter(&buf, snap.Version, snap.Now)
	root := t.TempDir()
	if err := fixtures.GoodSets()["server-with-crl"](fixtures.New(time.Now()), root); err != nil {
		t.Fatal(err)
	}
	targets := make(chan lint.Target, 4)
	if err := lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil }); err != nil {
		t.Fatal(err)
	}
	close(targets)
	if err := lint.CheckAll(targets, lint.Options{KeepMaterial: true}, rep.Add); err != nil {
		t.Fatal(err)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "tlscreds.prom")
	if err := prometheus.WriteToTextfile(out, Gatherer(rep.Families)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "textfile", data, buf.Bytes())
	if !bytes.Contains(data, []byte("\nx509_crl_stale{")) {
		t.Errorf("the textfile has no CRL series:\n%s", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the textfile directory holds %d entries, want the file alone", len(entries))
	}
}

// TestEncodeValuesAndEscapes compares odd values and label text: every
// escaped character, non-ASCII text, integers, fractions, exponents,
// infinities, negative numbers.
func TestEncodeValuesAndEscapes(t *testing.T) {
	fams := []metrics.Family{
		{Name: "a_total", Help: "help with \\ backslash, \"quotes\" and\nnewline", Type: metrics.Counter, Labels: []string{"x", "y"}, Series: []metrics.Series{
			{Values: []string{"", "é ü 日本"}, Value: 0},
			{Values: []string{"back\\slash", "new\nline"}, Value: 1},
			{Values: []string{"q\"uote", ""}, Value: 1e21},
		}},
		{Name: "b", Help: "gauge", Type: metrics.Gauge, Series: []metrics.Series{{Value: -1}}},
		{Name: "c", Help: "values", Type: metrics.Gauge, Labels: []string{"v"}, Series: []metrics.Series{
			{Values: []string{"1"}, Value: 1.7e9}, {Values: []string{"2"}, Value: -0.125}, {Values: []string{"3"}, Value: math.Inf(1)},
			{Values: []string{"4"}, Value: math.Inf(-1)}, {Values: []string{"5"}, Value: 123456}, {Values: []string{"6"}, Value: 1e-7},
			{Values: []string{"7"}, Value: -2592000},
		}},
	}
	text, om, err := metrics.Encode(fams)
	if err != nil {
		t.Fatal(err)
	}
	wantText, wantOM := clientGolang(t, New(func() []metrics.Family { return fams }))
	sameBytes(t, "text format", text, wantText)
	sameBytes(t, "OpenMetrics", om, wantOM)
}

// TestEncodeInvalidUTF8 writes a label value that is not UTF-8 (a file
// name may be anything) with U+FFFD, which client_golang then accepts.
func TestEncodeInvalidUTF8(t *testing.T) {
	fams := []metrics.Family{{Name: "a", Help: "h", Labels: []string{"p"}, Series: []metrics.Series{{Values: []string{"bad\xffname"}, Value: 1}}}}
	text, _, err := metrics.Encode(fams)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(text, []byte(`a{p="bad`+"\uFFFD"+`name"} 1`)) {
		t.Fatalf("text = %q", text)
	}
	fixed := []metrics.Family{{Name: "a", Help: "h", Labels: []string{"p"}, Series: []metrics.Series{{Values: []string{"bad\uFFFDname"}, Value: 1}}}}
	wantText, _ := clientGolang(t, New(func() []metrics.Family { return fixed }))
	sameBytes(t, "text format", text, wantText)
}
