package metrics

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Exposition is a snapshot rendered once in both formats Prometheus
// reads.
type Exposition struct {
	Text        []byte // text format 0.0.4
	OpenMetrics []byte // OpenMetrics 1.0.0, served by content negotiation
}

// Render encodes a snapshot's families in both formats.
func Render(s *Snapshot) (*Exposition, error) {
	var t, o bytes.Buffer
	if err := EncodeTo(s.Families(), &t, &o); err != nil {
		return nil, err
	}
	return &Exposition{Text: t.Bytes(), OpenMetrics: o.Bytes()}, nil
}

// Encode writes families in the Prometheus text format 0.0.4 and in
// OpenMetrics 1.0.0 with the Prometheus client library's encoders
// (github.com/prometheus/common/expfmt, which client_golang's promhttp
// and WriteToTextfile use).
func Encode(fams []Family) (text, om []byte, err error) {
	var t, o bytes.Buffer
	err = EncodeTo(fams, &t, &o)
	return t.Bytes(), o.Bytes(), err
}

// EncodeTo is [Encode] writing to text and om (either may be nil) one
// family at a time: each family becomes a client_model MetricFamily,
// is written by expfmt and dropped, so neither the plain text nor every
// family's protobuf messages are held whole (the exporter gzips on the
// fly; at 10,000 directories the text is some 60 MB per format).
func EncodeTo(fams []Family, text, om io.Writer) error {
	b := protoBuilder{reuse: true}
	for i := range fams {
		mf := b.family(&fams[i])
		if mf == nil {
			continue
		}
		if text != nil {
			if _, err := expfmt.MetricFamilyToText(text, mf); err != nil {
				return err
			}
		}
		if om != nil {
			if _, err := expfmt.MetricFamilyToOpenMetrics(om, mf); err != nil {
				return err
			}
		}
	}
	if om != nil {
		_, err := expfmt.FinalizeOpenMetrics(om)
		return err
	}
	return nil
}

// gather returns families as client_model MetricFamilies, what a
// client_golang prometheus.Gatherer returns.
func gather(fams []Family) []*dto.MetricFamily {
	var b protoBuilder
	out := make([]*dto.MetricFamily, 0, len(fams))
	for i := range fams {
		if mf := b.family(&fams[i]); mf != nil {
			out = append(out, mf)
		}
	}
	return out
}

// protoBuilder turns families into client_model messages. The five
// certificate families share one label value slice per certificate
// (family.go): their label pairs are built once and shared too, for as
// long as consecutive families have the same label names.
type protoBuilder struct {
	names  []string
	nameP  []*string
	shared map[*string][]*dto.LabelPair
	// reuse: each family is encoded and dropped before the next is
	// built ([EncodeTo]), so the per-series messages of one family are
	// built in the memory of the previous one (fresh memory for every
	// family was half of a 10,000-directory render's time).
	reuse    bool
	ms       []dto.Metric
	mp       []*dto.Metric
	values   []float64
	gauges   []dto.Gauge
	counters []dto.Counter
}

// grow returns s resliced to n zeroed elements, reusing its memory when
// it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

var (
	gaugeType   = dto.MetricType_GAUGE
	counterType = dto.MetricType_COUNTER
)

// family converts f (nil when it has no series). Messages are allocated
// per family, not per series: a family of n series with k labels costs
// a handful of allocations instead of some 3+2k per series.
func (b *protoBuilder) family(f *Family) *dto.MetricFamily {
	n := len(f.Series)
	if n == 0 {
		return nil
	}
	if !slicesEqual(b.names, f.Labels) {
		b.names = f.Labels
		b.nameP = make([]*string, len(f.Labels))
		for i := range f.Labels {
			b.nameP[i] = &f.Labels[i]
		}
		b.shared = map[*string][]*dto.LabelPair{}
	}
	mf := &dto.MetricFamily{Name: &f.Name, Help: &f.Help, Type: &gaugeType}
	if f.Type == Counter {
		mf.Type = &counterType
	}
	var ms []dto.Metric
	var values []float64
	var gauges []dto.Gauge
	var counters []dto.Counter
	if b.reuse {
		b.ms, b.mp, b.values = grow(b.ms, n), grow(b.mp, n), grow(b.values, n)
		ms, mf.Metric, values = b.ms, b.mp, b.values
		if f.Type == Counter {
			b.counters = grow(b.counters, n)
			counters = b.counters
		} else {
			b.gauges = grow(b.gauges, n)
			gauges = b.gauges
		}
	} else {
		ms, mf.Metric, values = make([]dto.Metric, n), make([]*dto.Metric, n), make([]float64, n)
		if f.Type == Counter {
			counters = make([]dto.Counter, n)
		} else {
			gauges = make([]dto.Gauge, n)
		}
	}
	k := len(f.Labels)
	var pairs []dto.LabelPair
	var pairP []*dto.LabelPair
	for i := range f.Series {
		s := &f.Series[i]
		m := &ms[i]
		values[i] = s.Value
		if counters != nil {
			counters[i].Value = &values[i]
			m.Counter = &counters[i]
		} else {
			gauges[i].Value = &values[i]
			m.Gauge = &gauges[i]
		}
		mf.Metric[i] = m
		if k == 0 {
			continue
		}
		if lp, ok := b.shared[&s.Values[0]]; ok {
			m.Label = lp
			continue
		}
		if len(pairs) < k {
			// Label pairs of the series not shared yet, allocated in
			// blocks.
			pairs = make([]dto.LabelPair, k*min(n-i, 256))
			pairP = make([]*dto.LabelPair, len(pairs))
		}
		lp := pairP[:k:k]
		for j := range k {
			p := &pairs[j]
			p.Name = b.nameP[j]
			p.Value = validUTF8(&s.Values[j])
			lp[j] = p
		}
		pairs, pairP = pairs[k:], pairP[k:]
		b.shared[&s.Values[0]] = lp
		m.Label = lp
	}
	return mf
}

// validUTF8 returns v, or a copy with U+FFFD in place of invalid bytes:
// a file name can be anything, and the exposition is UTF-8 (client_golang
// refuses such a label value).
func validUTF8(v *string) *string {
	if utf8.ValidString(*v) {
		return v
	}
	s := strings.ToValidUTF8(*v, "\uFFFD")
	return &s
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// servedFormats are the encodings the exporter renders, in its order of
// preference when a scrape accepts several: OpenMetrics (Prometheus asks
// for it first) and the text format. Protobuf is not rendered: a scraper
// that asks for it alone is answered in the text format.
var servedFormats = []expfmt.Format{expfmt.FmtOpenMetrics_1_0_0, expfmt.FmtOpenMetrics_0_0_1, expfmt.FmtText}

// negotiate picks the format of a scrape with expfmt's content
// negotiation, as client_golang's promhttp does (Content-Type included),
// and says whether it is OpenMetrics.
func negotiate(h http.Header) (contentType string, openMetrics bool) {
	f := expfmt.NegotiateAccept(h, servedFormats...)
	return string(f), f.FormatType() == expfmt.TypeOpenMetrics
}
