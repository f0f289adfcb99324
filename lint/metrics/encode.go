package metrics

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
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
	var b protoBuilder
	var buf familyBuf
	for i := range fams {
		mf := b.family(&fams[i], &buf)
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

// encodeShared builds each family's messages once and gives them to
// every write (one per format), each running in a goroutine of its own:
// family i+1 is built, in the other of two buffers, while the writes of
// family i run. It returns each write's first error; after one, that
// write is not called again.
func encodeShared(fams []Family, writes ...func(*dto.MetricFamily) error) []error {
	type job struct {
		mf   *dto.MetricFamily
		done *sync.WaitGroup
	}
	errs := make([]error, len(writes))
	chans := make([]chan job, len(writes))
	var writers sync.WaitGroup
	for k, write := range writes {
		ch := make(chan job, 1)
		chans[k] = ch
		writers.Add(1)
		go func() {
			defer writers.Done()
			for j := range ch {
				if errs[k] == nil {
					errs[k] = write(j.mf)
				}
				j.done.Done()
			}
		}()
	}
	var b protoBuilder
	var bufs [2]familyBuf
	var inUse [2]sync.WaitGroup
	n := 0
	for i := range fams {
		slot := n % 2
		inUse[slot].Wait() // the writes of the family built there are over
		mf := b.family(&fams[i], &bufs[slot])
		if mf == nil {
			continue
		}
		n++
		inUse[slot].Add(len(chans))
		for _, ch := range chans {
			ch <- job{mf, &inUse[slot]}
		}
	}
	for _, ch := range chans {
		close(ch)
	}
	writers.Wait()
	return errs
}

// gather returns families as client_model MetricFamilies, what a
// client_golang prometheus.Gatherer returns.
func gather(fams []Family) []*dto.MetricFamily {
	var b protoBuilder
	out := make([]*dto.MetricFamily, 0, len(fams))
	for i := range fams {
		if mf := b.family(&fams[i], nil); mf != nil {
			out = append(out, mf)
		}
	}
	return out
}

// protoBuilder turns families into client_model messages. Label pairs
// are immutable once built, so one pair stands for every series with
// the same label name and value (most label values repeat: file names,
// issuers, empty Secret fields), and the five certificate families,
// which share one label value slice per certificate (family.go), share
// that certificate's pair slice too, for as long as consecutive
// families have the same label names.
type protoBuilder struct {
	names  []string
	nameP  []*string
	shared map[*string][]*dto.LabelPair
	pairs  map[labelPair]*dto.LabelPair
	// free memory for new pairs and pair slices, allocated in blocks
	pairMem []dto.LabelPair
	ptrMem  []*dto.LabelPair
}

type labelPair struct{ name, value string }

// familyBuf is the memory of one family's per-series messages. A family
// that is written and dropped before the buffer's next family is built
// ([EncodeTo], [encodeShared]) is built in the memory of the previous
// one (fresh memory for every family was half of a 10,000-directory
// render's time).
type familyBuf struct {
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

// family converts f (nil when it has no series), in buf's memory (nil:
// fresh memory). Messages are allocated per family, not per series: a
// family of n series costs a handful of allocations, plus one pair per
// label value not seen before.
func (b *protoBuilder) family(f *Family, buf *familyBuf) *dto.MetricFamily {
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
	if b.pairs == nil {
		b.pairs = map[labelPair]*dto.LabelPair{}
	}
	mf := &dto.MetricFamily{Name: &f.Name, Help: &f.Help, Type: &gaugeType}
	if f.Type == Counter {
		mf.Type = &counterType
	}
	if buf == nil {
		buf = &familyBuf{}
	}
	buf.ms, buf.mp, buf.values = grow(buf.ms, n), grow(buf.mp, n), grow(buf.values, n)
	ms, values := buf.ms, buf.values
	mf.Metric = buf.mp
	var gauges []dto.Gauge
	var counters []dto.Counter
	if f.Type == Counter {
		buf.counters = grow(buf.counters, n)
		counters = buf.counters
	} else {
		buf.gauges = grow(buf.gauges, n)
		gauges = buf.gauges
	}
	k := len(f.Labels)
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
		if len(b.ptrMem) < k {
			b.ptrMem = make([]*dto.LabelPair, k*min(n-i, 256))
		}
		lp := b.ptrMem[:k:k]
		b.ptrMem = b.ptrMem[k:]
		for j := range k {
			lp[j] = b.pair(j, &s.Values[j])
		}
		b.shared[&s.Values[0]] = lp
		m.Label = lp
	}
	return mf
}

// pair returns the label pair of the j-th label name and value *v.
func (b *protoBuilder) pair(j int, v *string) *dto.LabelPair {
	key := labelPair{b.names[j], *v}
	if p, ok := b.pairs[key]; ok {
		return p
	}
	if len(b.pairMem) == 0 {
		b.pairMem = make([]dto.LabelPair, 256)
	}
	p := &b.pairMem[0]
	b.pairMem = b.pairMem[1:]
	p.Name = b.nameP[j]
	p.Value = validUTF8(v)
	b.pairs[key] = p
	return p
}

// validUTF8 returns v, or a copy with U+FFFD in place of invalid bytes:
// a file name can be anything, and the exposition is UTF-8
// (client_golang refuses such a label value).
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
// and says which of the exporter's renderings (fmtText, fmtOM) it is.
func negotiate(h http.Header) (contentType string, format int) {
	f := expfmt.NegotiateAccept(h, servedFormats...)
	if f.FormatType() == expfmt.TypeOpenMetrics {
		return string(f), fmtOM
	}
	return string(f), fmtText
}
