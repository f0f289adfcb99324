// Package promcollector registers tlscreds' metrics with a Prometheus
// client_golang registry, for a Go program that serves its own /metrics:
//
//	reg.MustRegister(promcollector.Counters(counters), promcollector.BuildInfo(version))
//
// lint/metrics' Snapshot, Counters and Reporter are client_golang
// Gatherers already (prometheus.Gatherers{reg, counters} works too); the
// tlscreds commands do not link this package's client_golang prometheus
// import, whose init would run in every command (docs/performance.md).
// This package's tests hold the two paths equal: a registry gathering
// these collectors and lint/metrics' own Gather and Encode.
package promcollector

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/tlscreds/tlscreds/lint/metrics"
)

// Collector is a client_golang collector of families produced afresh at
// every collection. Unchecked: the families' labels vary by family.
type Collector struct {
	families func() []metrics.Family
}

// New collects the families fn returns, every time it is asked.
func New(fn func() []metrics.Family) *Collector { return &Collector{families: fn} }

// Snapshot collects a check's snapshot (and its counters, if any).
func Snapshot(s *metrics.Snapshot) *Collector { return New(s.Families) }

// Counters collects a serving process's live counters.
func Counters(c *metrics.Counters) *Collector { return New(c.Families) }

// BuildInfo collects tlscreds_build_info alone.
func BuildInfo(version string) *Collector {
	return New(func() []metrics.Family { return metrics.BuildInfoFamilies(version) })
}

// Describe implements prometheus.Collector: it describes nothing, which
// makes the collector unchecked (the families it yields are known only
// when collecting).
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range c.families() {
		desc := prometheus.NewDesc(f.Name, f.Help, f.Labels, nil)
		typ := prometheus.GaugeValue
		if f.Type == metrics.Counter {
			typ = prometheus.CounterValue
		}
		for _, s := range f.Series {
			m, err := prometheus.NewConstMetric(desc, typ, s.Value, s.Values...)
			if err != nil {
				m = prometheus.NewInvalidMetric(desc, err)
			}
			ch <- m
		}
	}
}
