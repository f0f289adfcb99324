// Package promcollector registers tlscreds' metrics with a Prometheus
// client_golang registry, for a Go program that serves its own /metrics:
//
//	reg.MustRegister(promcollector.Counters(counters), promcollector.BuildInfo(version))
//
// or hands their families to client_golang as a Gatherer:
//
//	prometheus.WriteToTextfile(path, promcollector.Gatherer(reporter.Families))
//	prometheus.Gatherers{reg, promcollector.Gatherer(counters.Families)}
//
// The tlscreds commands do not link this package: lint/metrics writes
// the exposition itself, and client_golang, client_model and protobuf,
// whose package initialisation would run in every command, stay out of
// the binary (docs/performance.md). This package's tests hold the paths
// equal: a registry gathering these collectors, Gatherer, and
// lint/metrics' Encode.
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
