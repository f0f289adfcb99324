package metrics

import (
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/serve"
)

// Counters are the live metrics of a process that serves credentials: a
// creds.Registry's reloads (feed [Counters.Reload] to Registry.Watch or
// ReloadOnSignal as their event callback), handshake failures by cause ID,
// and the expiry of the certificate each object serves. The library
// reports these as plain events; registering Counters with a Prometheus
// registry is the caller's choice. Safe for concurrent use.
type Counters struct {
	mu       sync.Mutex
	reloads  map[[2]string]float64
	failures map[string]float64
	serving  map[string]time.Time
}

// NewCounters returns counters at zero. The handshake failure counter
// starts with a series at 0 for every cause ID given (serve gives the
// whole registry, creds/cause), so that increase() sees the first failure.
func NewCounters(causes ...string) *Counters {
	c := &Counters{reloads: map[[2]string]float64{}, failures: map[string]float64{}, serving: map[string]time.Time{}}
	for _, id := range causes {
		c.failures[id] = 0
	}
	return c
}

var (
	descReloads  = prometheus.NewDesc("tlscreds_reload_total", "Reload attempts of an object that changed or failed, by result (ok, error).", []string{"object", "result"}, nil)
	descFailures = prometheus.NewDesc("tlscreds_handshake_failures_total", "Failed TLS handshakes, by cause ID (tlscreds explain --causes).", []string{"cause"}, nil)
	descServing  = prometheus.NewDesc("tlscreds_object_cert_not_after_timestamp_seconds", "notAfter of the certificate an object serves now (after its last successful reload).", []string{"object"}, nil)
)

// Reload counts one reload event of a creds.Registry (reloads that find
// the files unchanged are not events).
func (c *Counters) Reload(ev creds.Event) {
	result := "ok"
	if ev.Err != nil {
		result = "error"
	}
	c.mu.Lock()
	c.reloads[[2]string{ev.ID, result}]++
	c.mu.Unlock()
}

// Serving records the notAfter of the certificate an object serves.
func (c *Counters) Serving(object string, notAfter time.Time) {
	c.mu.Lock()
	c.serving[object] = notAfter
	c.mu.Unlock()
}

// ServingFrom records what every object of a registry serves now.
func (c *Counters) ServingFrom(r *creds.Registry) {
	for _, id := range r.IDs() {
		src, err := r.Get(id)
		if err != nil {
			continue
		}
		obj := src.Current()
		if obj == nil {
			continue
		}
		for _, ident := range obj.Identities {
			if leaf := ident.Leaf(); leaf != nil {
				c.Serving(id, leaf.NotAfter)
				break
			}
		}
	}
}

// Serve counts one event of serve's event model: a failed handshake by
// its cause ID ("unknown" when it has none).
func (c *Counters) Serve(ev serve.Event) {
	if ev.Kind != serve.KindHandshake || ev.OK {
		return
	}
	cause := ev.Cause
	if cause == "" {
		cause = "unknown"
	}
	c.HandshakeFailure(cause)
}

// HandshakeFailure counts one failed handshake with its cause ID.
func (c *Counters) HandshakeFailure(cause string) {
	c.mu.Lock()
	c.failures[cause]++
	c.mu.Unlock()
}

// Describe implements prometheus.Collector.
func (c *Counters) Describe(ch chan<- *prometheus.Desc) {
	ch <- descReloads
	ch <- descFailures
	ch <- descServing
}

// Collect implements prometheus.Collector.
func (c *Counters) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([][2]string, 0, len(c.reloads))
	for k := range c.reloads {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		ch <- prometheus.MustNewConstMetric(descReloads, prometheus.CounterValue, c.reloads[k], k[0], k[1])
	}
	for cause, n := range c.failures {
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, n, cause)
	}
	for id, t := range c.serving {
		ch <- prometheus.MustNewConstMetric(descServing, prometheus.GaugeValue, float64(t.Unix()), id)
	}
}

// BuildInfo is tlscreds_build_info as a collector of its own, for
// processes that serve live counters (serve).
func BuildInfo(version string) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tlscreds_build_info",
		Help:        "Constant 1, labelled with the tlscreds build.",
		ConstLabels: prometheus.Labels{"version": version, "go_version": runtime.Version()}}, func() float64 { return 1 })
}
