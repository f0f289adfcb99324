package promcollector_test

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/lint/metrics"
	"github.com/tlscreds/tlscreds/lint/metrics/promcollector"
)

// A Go program serving TLS with a creds.Registry counts its reloads and
// failed handshakes and serves them on its own client_golang registry.
func Example() {
	counters := metrics.NewCounters("client-cert-unknown-ca")
	// reg.Watch(ctx, interval, counters.Reload) feeds it in a real program.
	counters.Reload(creds.Event{ID: "web"})

	reg := prometheus.NewRegistry()
	reg.MustRegister(promcollector.Counters(counters), promcollector.BuildInfo("v1"))
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		fmt.Println(mf.GetName(), len(mf.GetMetric()))
	}
	// Output:
	// tlscreds_build_info 1
	// tlscreds_handshake_failures_total 1
	// tlscreds_reload_total 1
}
