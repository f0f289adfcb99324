package metrics_test

import (
	"io"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/tlscreds/tlscreds/lint/metrics"
	"github.com/tlscreds/tlscreds/lint/metrics/promcollector"
)

// BenchmarkFleetRenderRegistry renders the fleet's snapshot the other
// way client_golang offers, for comparison with BenchmarkFleetRender: a
// registry gathering a collector of const metrics (one per series), then
// expfmt's text and OpenMetrics encoders (no gzip).
func BenchmarkFleetRenderRegistry(b *testing.B) {
	s := metrics.BenchSnapshot(b)
	reg := prometheus.NewRegistry()
	reg.MustRegister(promcollector.Snapshot(s))
	per1000 := 1000 / float64(len(s.Objects))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mfs, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		te := expfmt.NewEncoder(io.Discard, expfmt.FmtText)
		oe := expfmt.NewEncoder(io.Discard, expfmt.FmtOpenMetrics_1_0_0)
		for _, mf := range mfs {
			if err := te.Encode(mf); err != nil {
				b.Fatal(err)
			}
			if err := oe.Encode(mf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6*per1000, "ms/1000dirs")
}

// BenchmarkFleetEncode is BenchmarkFleetRenderRegistry's work done the
// way the exporter does it (lines written straight from the families by
// Encode, byte for byte expfmt's, no gzip).
func BenchmarkFleetEncode(b *testing.B) {
	s := metrics.BenchSnapshot(b)
	per1000 := 1000 / float64(len(s.Objects))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := metrics.EncodeTo(s.Families(), io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6*per1000, "ms/1000dirs")
}
