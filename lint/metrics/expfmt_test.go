package metrics

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// This file holds Encode and negotiate to what they replace: expfmt's
// MetricFamilyToText, MetricFamilyToOpenMetrics, FinalizeOpenMetrics
// and NegotiateAccept (github.com/prometheus/common, which the tests
// still link; the commands do not).

// toDTO is the client_model message of a family, built the plain way:
// one message and one label pair per series and label, label values
// with U+FFFD in place of bytes that are not UTF-8 (what Encode
// documents). Nil for a family without series (client_golang's Gather
// never yields one; expfmt's text encoder refuses it).
func toDTO(f Family) *dto.MetricFamily {
	if len(f.Series) == 0 {
		return nil
	}
	typ := dto.MetricType_GAUGE
	if f.Type == Counter {
		typ = dto.MetricType_COUNTER
	}
	mf := &dto.MetricFamily{Name: &f.Name, Help: &f.Help, Type: &typ}
	for _, s := range f.Series {
		m := &dto.Metric{}
		for j, l := range f.Labels {
			v := strings.ToValidUTF8(s.Values[j], "\uFFFD")
			m.Label = append(m.Label, &dto.LabelPair{Name: &l, Value: &v})
		}
		v := s.Value
		if f.Type == Counter {
			m.Counter = &dto.Counter{Value: &v}
		} else {
			m.Gauge = &dto.Gauge{Value: &v}
		}
		mf.Metric = append(mf.Metric, m)
	}
	return mf
}

// expfmtEncode writes fams with expfmt as this package did before it
// wrote them itself: each family in both formats, then # EOF.
func expfmtEncode(fams []Family) (text, om []byte, err error) {
	var t, o bytes.Buffer
	for _, f := range fams {
		mf := toDTO(f)
		if mf == nil {
			continue
		}
		if _, err := expfmt.MetricFamilyToText(&t, mf); err != nil {
			return nil, nil, err
		}
		if _, err := expfmt.MetricFamilyToOpenMetrics(&o, mf); err != nil {
			return nil, nil, err
		}
	}
	if _, err := expfmt.FinalizeOpenMetrics(&o); err != nil {
		return nil, nil, err
	}
	return t.Bytes(), o.Bytes(), nil
}

// sameAsExpfmt fails unless Encode writes what expfmt writes for fams,
// byte for byte, in both formats (or both refuse them), and returns
// Encode's bytes.
func sameAsExpfmt(t testing.TB, fams []Family) (text, om []byte) {
	t.Helper()
	text, om, err := Encode(fams)
	wantText, wantOM, wantErr := expfmtEncode(fams)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("Encode: error %v, expfmt: %v (families %#v)", err, wantErr, fams)
	}
	if err != nil {
		return nil, nil
	}
	sameBytes(t, "text format", text, wantText)
	sameBytes(t, "OpenMetrics", om, wantOM)
	return text, om
}

func sameBytes(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.SplitAfter(string(got), "\n"), strings.SplitAfter(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("%s: line %d differs from expfmt's:\n got  %q\n want %q", what, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s: %d lines, expfmt writes %d", what, len(gl), len(wl))
}

// TestEncodeIsExpfmts renders real lint runs: every good set and every
// broken set of the fixtures catalogue in one tree, linted in every
// profile (findings and their severities differ), with a warning window,
// a CRL, unreadable files and Secret-less and Secret sources, plus the
// counters of a serving process.
func TestEncodeIsExpfmts(t *testing.T) {
	root := t.TempDir()
	sets := map[string]string{}
	for name := range fixtures.GoodSets() {
		sets["good/"+name] = name
	}
	for _, b := range fixtures.BrokenSets() {
		sets["broken/"+b.Rule] = b.Rule
	}
	// a directory name with the characters the formats escape
	sets["odd \"dir\\name\"\nline é/qemu"] = "key-mismatch"
	writeFleet(t, root, sets)
	seen := map[string]bool{}
	for _, p := range lint.Profiles {
		t.Run(string(p), func(t *testing.T) {
			now := time.Now()
			snap := &Snapshot{Version: "v1.2.3-\"q\"\\", Now: now, CheckSeconds: 0.0625}
			o := lint.Options{Profile: p, KeepMaterial: true, WarnWithin: 60 * 24 * time.Hour, Now: now}
			err := treeSource(root).Check(o, func(r lint.Result) error {
				snap.Objects = append(snap.Objects, FromResult(r))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Objects) < len(sets)-5 {
				t.Fatalf("%d objects linted of %d sets", len(snap.Objects), len(sets))
			}
			snap.Sources = []Source{
				{Kind: "file", Name: root, Up: true, Objects: len(snap.Objects), Errors: map[string]float64{"walk_error": 2, "bad_pem": 3}},
				{Kind: "kube-secret", Name: "secrets\nwith \"odd\" \\ name", Errors: map[string]float64{}},
			}
			c := NewCounters("a-cause", "b-cause")
			c.Reload(creds.Event{ID: "web"})
			c.Reload(creds.Event{ID: "web", Err: os.ErrNotExist})
			c.HandshakeFailure("b-cause")
			c.Serving("web", time.Unix(1893456000, 0))
			snap.Counters = c
			fams := snap.Families()
			for _, f := range fams {
				seen[f.Name] = true
			}
			text, om := sameAsExpfmt(t, fams)
			for _, want := range []string{`\"`, `\\`, `\n`, `é`, " counter\n", "_total{"} {
				if !bytes.Contains(text, []byte(want)) || !bytes.Contains(om, []byte(want)) {
					t.Errorf("the exposition has no %q: the comparison does not cover it", want)
				}
			}
			if p == lint.Profiles[0] {
				promtoolCheck(t, text)
			}
		})
	}
	// Every family the package defines was compared.
	for _, d := range []*familyDef{defNotBefore, defNotAfter, defExpired, defExpiresIn, defCertError, defCRLThis,
		defCRLNext, defCRLStale, defSourceUp, defSourceObjs, defSourceErrs, defBuildInfo, defFindings, defStatus,
		defNextExpiry, defCertInfo, defCheckSecs, defCheckTime, defReloads, defFailures, defServing} {
		if !seen[d.name] {
			t.Errorf("no lint run has a %s series: the comparison does not cover it", d.name)
		}
	}
}

// famGen makes metric families from bytes (a fuzzer's or a PRNG's):
// names valid or not, HELP and label values from pieces that need
// escaping, UTF-8 and invalid UTF-8, values at the edges of float64.
type famGen struct{ data []byte }

func (g *famGen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *famGen) pick(n int) int { return int(g.byte()) % n }

var textPieces = []string{"", "a", "path/to/file.pem", `\`, "\n", `"`, "\\n", `\"`, "é", "日本", "\U0001F512", "\xff", "\xc3", "\r", "\t", " ", "{", "}", ",", "=", "#", "# EOF", "0", "-", "\x00", "_total"}

func (g *famGen) text() string {
	var b strings.Builder
	for range g.pick(6) {
		if g.pick(4) == 0 {
			b.WriteByte(g.byte()) // any byte
		} else {
			b.WriteString(textPieces[g.pick(len(textPieces))])
		}
	}
	return b.String()
}

var namePieces = []string{"x509_cert_not_after", "a", "b_total", "tlscreds_reload_total", "_", ":", "A9", "9", "é", "a.b", "a-b", "\"", `\`, "\n", "total", "_total"}

// name is most often a legacy name, sometimes one expfmt quotes.
func (g *famGen) name() string {
	var b strings.Builder
	for range 1 + g.pick(3) {
		b.WriteString(namePieces[g.pick(len(namePieces))])
	}
	return b.String()
}

var edgeValues = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.125, 2, 10, 1e15, 1e16, 1e21, 1e-7, 1.7e9, 1893456000.5,
	-2592000, 123456789012345678, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308,
	math.Inf(1), math.Inf(-1), math.NaN(), 1.0 / 3, 100, 0.1}

func (g *famGen) value() float64 {
	if g.pick(3) == 0 {
		var b [8]byte
		for i := range b {
			b[i] = g.byte()
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	}
	return edgeValues[g.pick(len(edgeValues))]
}

func (g *famGen) families() []Family {
	var fams []Family
	for range 1 + g.pick(4) {
		f := Family{Name: g.name(), Help: g.text(), Type: Type(g.pick(2))}
		if g.pick(8) == 0 {
			f.Name = "" // expfmt refuses it; so must Encode
		}
		for range g.pick(12) { // up to 11 labels
			f.Labels = append(f.Labels, g.name())
		}
		for range g.pick(5) { // 0 series: the family is left out
			s := Series{Value: g.value()}
			for range f.Labels {
				s.Values = append(s.Values, g.text())
			}
			f.Series = append(f.Series, s)
		}
		fams = append(fams, f)
	}
	return fams
}

// FuzzEncode: any families, Encode writes expfmt's bytes.
func FuzzEncode(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", strings.Repeat("\x03\x05\x07\x0b\x0d", 40)} {
		f.Add([]byte(seed))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 32 {
		b := make([]byte, 200)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &famGen{data: data}
		sameAsExpfmt(t, g.families())
	})
}

// TestEncodeRandom is FuzzEncode over 3,000 pseudo-random inputs (go test
// runs FuzzEncode over its seeds only), and checks that they reach what
// the comparison is for: each escape in HELP and label values, quoted
// names, invalid UTF-8, every special value, OpenMetrics' ".0", counters
// with and without _total (type unknown there), refused families.
func TestEncodeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var all bytes.Buffer
	refused := 0
	for range 3000 {
		b := make([]byte, 300)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		g := &famGen{data: b}
		fams := g.families()
		text, om := sameAsExpfmt(t, fams)
		if text == nil {
			refused++
		}
		all.Write(text)
		all.Write(om)
	}
	for _, want := range []string{`\\`, `\n`, `\"`, "\uFFFD", `{"`, `,"`, " NaN\n", " +Inf\n", " -Inf\n", " 0\n", " 0.0\n", " 1.0\n",
		" -1.0\n", ".0\n", "e+", "e-", " counter\n", " unknown\n", " gauge\n", "_total{"} {
		if !bytes.Contains(all.Bytes(), []byte(want)) {
			t.Errorf("no random exposition holds %q: the comparison does not cover it", want)
		}
	}
	if !regexp.MustCompile(`(?m)^# HELP [^ \n]+ \n`).Match(all.Bytes()) {
		t.Error("no random family has an empty HELP")
	}
	if refused == 0 {
		t.Error("no random family set was refused (no empty name)")
	}
}

// TestEncodeToWriterError: a writer that fails stops the encoding with
// its error.
func TestEncodeToWriterError(t *testing.T) {
	var fams []Family
	for i := range 2000 {
		fams = append(fams, Family{Name: fmt.Sprintf("f%d", i), Help: "h", Labels: []string{"a"},
			Series: []Series{{Values: []string{strings.Repeat("v", 100)}, Value: float64(i)}}})
	}
	w := &failingWriter{after: 3}
	if err := EncodeTo(fams, nil, w); err == nil || err.Error() != "disk full" {
		t.Fatalf("EncodeTo error %v, want disk full", err)
	}
	if w.calls != 3 {
		t.Errorf("the writer was called %d times, want 3 (not after its error)", w.calls)
	}
	bad := []Family{{Name: "a", Help: "h", Labels: []string{"x", "y"}, Series: []Series{{Values: []string{"1"}}}}}
	if _, _, err := Encode(bad); err == nil || !strings.Contains(err.Error(), "a series of a has 1 label values for 2 labels") {
		t.Errorf("a series short of a label value: error %v", err)
	}
}

type failingWriter struct{ after, calls int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.calls == w.after {
		return 0, fmt.Errorf("disk full")
	}
	return len(p), nil
}

// exporterFormats is what the exporter offered expfmt's NegotiateAccept.
var exporterFormats = []expfmt.Format{expfmt.FmtOpenMetrics_1_0_0, expfmt.FmtOpenMetrics_0_0_1, expfmt.FmtText}

func sameNegotiation(t testing.TB, accept []string) {
	t.Helper()
	h := http.Header{}
	for _, a := range accept {
		h.Add("Accept", a)
	}
	want := expfmt.NegotiateAccept(h, exporterFormats...)
	wantFormat := fmtText
	if want.FormatType() == expfmt.TypeOpenMetrics {
		wantFormat = fmtOM
	}
	ct, f := negotiate(h)
	if ct != string(want) || f != wantFormat {
		t.Fatalf("Accept %q: Content-Type %q (format %d), expfmt's %q (format %d)", accept, ct, f, want, wantFormat)
	}
}

// acceptHeaders are what scrapers send and what a parser can stumble
// on.
var acceptHeaders = []string{
	"",
	// Prometheus 2.x, 3.x (with UTF-8 names allowed), promtool, curl
	"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
	"application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
	"text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
	"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3",
	"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
	"*/*", "*", "text/*", "application/*", "text/plain", "text/plain;version=1.0.0", "application/openmetrics-text",
	"application/openmetrics-text; version=1.0.0", "application/openmetrics-text;version=2.0.0",
	"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"text/plain;q=0,application/openmetrics-text;q=0", "text/plain;q=0.3,application/openmetrics-text;version=1.0.0;q=0.3",
	"application/openmetrics-text;version=1.0.0;q= 0.9,text/plain;q=0.8", "text/plain;q=x,application/openmetrics-text;q=0.1",
	"application/openmetrics-text;version=1.0.0;q=1e999", "text/plain;escaping=dots,application/openmetrics-text;escaping=values;q=0.5",
	"text/plain;escaping=bogus", "text/plain;escaping=DOTS", "text/plain;ESCAPING=dots", "text/plain;Version=0.0.4,application/openmetrics-text;q=0.5", "application/openmetrics-text;escaping=values;version=0.0.1;q=0.1,text/plain;escaping=dots;q=0.2",
	"text/plain/,application/openmetrics-text/x", "text/plain//", "text/,*/,*;q=0.5", " text / plain ; version = 0.0.4 ",
	"\ttext/plain", "application/openmetrics-text;version==1.0.0", "application/openmetrics-text;version=1.0.0=", "text/plain;version=",
	"a;b;c,,,", ",,", ";;;", "/", "*/*;version=1.0.0", "*/*;version=0.0.4;q=0.9,text/plain;q=0.1", "TEXT/PLAIN",
	"text/plain;charset=latin1;version=0.0.4", "application/openmetrics-text;charset=ascii",
	// goautoneg reads "a/b/" as a/b and "q=0.5=" as q=0.5, "q==" as q=0
	"application/openmetrics-text/;version=1.0.0", "text/plain;q==,application/openmetrics-text;q=0.5",
	"application/openmetrics-text;version=1.0.0;q=0.5=,text/plain;q=0.6",
	// q is a float32: 1e39 and 1e40 are both +Inf, 0.1 and 0.100000001 equal
	"text/plain;q=1e39,application/openmetrics-text;version=1.0.0;q=1e40",
	"text/plain;q=0.1,application/openmetrics-text;version=1.0.0;q=0.100000001",
}

// TestNegotiateIsExpfmts: for every Accept header above, alone, paired
// and as two Accept fields, the format and the Content-Type (with its
// escaping parameter) are expfmt's.
func TestNegotiateIsExpfmts(t *testing.T) {
	for _, a := range acceptHeaders {
		sameNegotiation(t, []string{a})
		for _, b := range acceptHeaders {
			sameNegotiation(t, []string{a + "," + b})
			sameNegotiation(t, []string{a, b}) // only the first field counts
		}
	}
}

// FuzzNegotiate: any Accept header, expfmt's choice and Content-Type.
func FuzzNegotiate(f *testing.F) {
	for _, a := range acceptHeaders {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		sameNegotiation(t, []string{accept})
	})
}

// TestNegotiateRandom is FuzzNegotiate over headers of up to 12 clauses
// (sort.Sort's insertion sort ends at 12 elements) made of the pieces
// that matter: types, versions, q values, escaping.
func TestNegotiateRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	types := []string{"*/*", "*", "text/*", "text/plain", "application/openmetrics-text", "application/*", "application/json", "text/html", "a/b/c", "application/openmetrics-text/", "text/plain/"}
	params := []string{"version=0.0.4", "version=1.0.0", "version=0.0.1", "version=2.0.0", "q=0", "q=0.1", "q=0.5", "q=1", "q=0.5", "q=x",
		"escaping=allow-utf-8", "escaping=underscores", "escaping=dots", "escaping=values", "escaping=x", "charset=utf-8", "x=y", "", " q=0.2", "q==", "q=0.9=", "version=1.0.0="}
	for range 20000 {
		var clauses []string
		for range 1 + r.IntN(14) {
			c := types[r.IntN(len(types))]
			for range r.IntN(3) {
				c += ";" + params[r.IntN(len(params))]
			}
			clauses = append(clauses, c)
		}
		sameNegotiation(t, []string{strings.Join(clauses, ",")})
	}
}

// The escaping parameter the exporter sends by default, checked against
// the strings themselves (not only against expfmt) so that a change of
// expfmt's default shows here.
func TestNegotiateContentTypes(t *testing.T) {
	for accept, want := range map[string]string{
		"":                             "text/plain; version=0.0.4; charset=utf-8; escaping=underscores",
		promAccept:                     "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores",
		"application/openmetrics-text": "application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores",
		"application/openmetrics-text;version=1.0.0;escaping=allow-utf-8": "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8",
	} {
		h := http.Header{}
		if accept != "" {
			h.Set("Accept", accept)
		}
		if ct, _ := negotiate(h); ct != want {
			t.Errorf("Accept %q: Content-Type %q, want %q", accept, ct, want)
		}
	}
}
