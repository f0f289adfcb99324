package promcollector

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/tlscreds/tlscreds/lint/metrics"
)

// Gatherer is a client_golang Gatherer of the families fn returns, every
// time it is asked: prometheus.WriteToTextfile(path,
// Gatherer(reporter.Families)), promhttp.HandlerFor(Gatherer(...), ...),
// prometheus.Gatherers{reg, Gatherer(counters.Families)}. It builds the
// client_model messages per family, not a const metric per series as a
// registry gathering a [Collector] does (about half the time and a
// fiftieth of the allocations at 10,000 directories,
// docs/performance.md); its tests hold both equal.
func Gatherer(fn func() []metrics.Family) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		return gather(fn()), nil
	})
}

// gather returns families as client_model MetricFamilies.
func gather(fams []metrics.Family) []*dto.MetricFamily {
	var b protoBuilder
	out := make([]*dto.MetricFamily, 0, len(fams))
	for i := range fams {
		if mf := b.family(&fams[i]); mf != nil {
			out = append(out, mf)
		}
	}
	return out
}

// protoBuilder turns families into client_model messages. Label pairs
// are immutable once built, so one pair stands for every series with
// the same label name and value (most label values repeat: file names,
// issuers, empty Secret fields), and the five certificate families,
// which share one label value slice per certificate, share that
// certificate's pair slice too, for as long as consecutive families have
// the same label names.
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

var (
	gaugeType   = dto.MetricType_GAUGE
	counterType = dto.MetricType_COUNTER
)

// family converts f (nil when it has no series). Messages are allocated
// per family, not per series: a family of n series costs a handful of
// allocations, plus one pair per label value not seen before.
func (b *protoBuilder) family(f *metrics.Family) *dto.MetricFamily {
	n := len(f.Series)
	if n == 0 {
		return nil
	}
	if !slices.Equal(b.names, f.Labels) {
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
	if f.Type == metrics.Counter {
		mf.Type = &counterType
	}
	ms := make([]dto.Metric, n)
	values := make([]float64, n)
	mf.Metric = make([]*dto.Metric, n)
	var gauges []dto.Gauge
	var counters []dto.Counter
	if f.Type == metrics.Counter {
		counters = make([]dto.Counter, n)
	} else {
		gauges = make([]dto.Gauge, n)
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

// validUTF8 returns v, or a copy with U+FFFD in place of invalid bytes,
// as metrics.Encode writes it (client_golang refuses such a label value).
func validUTF8(v *string) *string {
	if utf8.ValidString(*v) {
		return v
	}
	s := strings.ToValidUTF8(*v, "\uFFFD")
	return &s
}
