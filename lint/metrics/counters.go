package metrics

import (
	"bytes"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

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

// Families is the counters as metric families, sorted.
func (c *Counters) Families() []Family {
	var fs families
	c.collect(&fs)
	return fs.done()
}

func (c *Counters) collect(fs *families) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([][2]string, 0, len(c.reloads))
	for k := range c.reloads {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		fs.add(defReloads, c.reloads[k], k[0], k[1])
	}
	for cause, n := range c.failures {
		fs.add(defFailures, n, cause)
	}
	for id, t := range c.serving {
		fs.add(defServing, float64(t.Unix()), id)
	}
}

// Handler serves the counters and tlscreds_build_info (Version) per
// request: a few series, for serve --metrics-listen.
func (c *Counters) Handler(version string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		fams := append(BuildInfoFamilies(version), c.Families()...)
		slices.SortFunc(fams, func(a, b Family) int { return strings.Compare(a.Name, b.Name) })
		ct, f := negotiate(req.Header)
		var body bytes.Buffer
		var err error
		if f == fmtOM {
			err = EncodeTo(fams, nil, &body)
		} else {
			err = EncodeTo(fams, &body, nil)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
		if req.Method != http.MethodHead {
			w.Write(body.Bytes())
		}
	})
}
