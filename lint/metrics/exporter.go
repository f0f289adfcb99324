package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds/kubesecret"
	"github.com/tlscreds/tlscreds/lint"
)

// ExporterSource is one input of an [Exporter]: credential directories,
// a tree, a manifest, a libvirt qemu.conf or a Kubernetes Secrets file.
type ExporterSource struct {
	Kind string // x509-certificate-exporter's source_kind: "file" or "kube-secret"
	Name string // source_name: the path as given
	// Check lints every object of the source (with o) and calls emit
	// with each result in a stable order. An error means the source
	// could not be read as a whole (x509_source_up 0); Reason is then
	// its reason code.
	Check func(o lint.Options, emit func(lint.Result) error) error
	// Reason classifies Check's error (default "walk_error").
	Reason func(error) string
	// Watch lists paths whose change should start a check before the
	// interval is over, besides the files the last check read (a
	// manifest, a Secrets file, a tree's root).
	Watch []string
}

// Exporter re-checks its sources on an interval and when their files
// change, renders the metrics after each check and serves those bytes:
// a scrape never waits for a check and costs the same during one.
type Exporter struct {
	Sources []ExporterSource
	Options lint.Options
	Version string
	// Counters are served beside the check's metrics (nil: none).
	Counters *Counters
	// Log receives one line per check problem (nil: discarded).
	Log func(string)

	cur      atomic.Pointer[rendered]
	mu       sync.Mutex // one check at a time
	renderMu sync.Mutex // one render of a format first asked for at a time
	// asked says which formats scrapes have asked for (until one has,
	// every format is rendered).
	asked    [numFormats]atomic.Bool
	errs     map[[3]string]float64
	stampSum [32]byte
	watched  []string
}

// The formats the exporter renders, as indices of rendered.gz.
const (
	fmtText = iota // Prometheus text format 0.0.4
	fmtOM          // OpenMetrics 1.0.0
	numFormats
)

// rendered is one check's exposition, kept gzipped only: Prometheus asks
// for gzip, and the plain text of 10,000 directories is some 60 MB per
// format (docs/performance.md). A client that does not accept gzip gets
// it decompressed on the fly.
//
// Until the first scrape every format is rendered after a check; from
// then on only the formats scrapes have asked for (Prometheus asks for
// OpenMetrics only). A format not rendered is rendered from fams, this
// check's families, by the first request for it, and after every check
// from then on.
type rendered struct {
	gz                 [numFormats][]byte // nil: not rendered
	plain              [numFormats]int    // length of the plain text
	fams               []Family           // kept while a format is not rendered
	checked            time.Time
	objects            int
	renderSecs, checkS float64
}

// Check runs one check of every source and publishes its metrics. It
// returns the first source error (the other sources are still checked).
func (x *Exporter) Check() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	start := time.Now()
	if x.errs == nil {
		x.errs = map[[3]string]float64{}
	}
	o := x.Options
	o.KeepMaterial = true
	snap := &Snapshot{Version: x.Version, Counters: x.Counters}
	var watched []pathStamp
	var firstErr error
	for _, src := range x.Sources {
		st := Source{Kind: src.Kind, Name: src.Name, Up: true}
		for _, p := range src.Watch {
			watched = append(watched, statStamp(p))
		}
		err := src.Check(o, func(r lint.Result) error {
			st.Objects++
			obj := FromResult(r)
			for _, e := range obj.Errors {
				x.errs[[3]string{src.Kind, src.Name, e.Reason}]++
			}
			// The baseline of a file is what was read (the open file's
			// stat), so a change that lands during the check is seen by
			// the next poll.
			if m := r.Material; m != nil {
				if m.Spec.Dir != "" && !strings.HasPrefix(m.Spec.Dir, kubesecret.Prefix) {
					watched = append(watched, statStamp(m.Spec.Dir))
				}
				for _, f := range m.Files {
					if strings.HasPrefix(f.Path, kubesecret.Prefix) {
						continue
					}
					watched = append(watched, pathStamp{f.Path, f.Info})
				}
			} else if r.Path != "" {
				watched = append(watched, statStamp(r.Path))
			}
			snap.Objects = append(snap.Objects, obj)
			return nil
		})
		if err != nil {
			st.Up = false
			reason := "walk_error"
			if src.Reason != nil {
				reason = src.Reason(err)
			}
			x.errs[[3]string{src.Kind, src.Name, reason}]++
			x.logf("source %s: %v", src.Name, err)
			if firstErr == nil {
				firstErr = fmt.Errorf("source %s: %w", src.Name, err)
			}
		}
		st.Errors = map[string]float64{}
		for k, n := range x.errs {
			if k[0] == src.Kind && k[1] == src.Name {
				st.Errors[k[2]] = n
			}
		}
		snap.Sources = append(snap.Sources, st)
	}
	snap.Now = time.Now()
	snap.CheckSeconds = snap.Now.Sub(start).Seconds()
	if snap.CheckSeconds == 0 {
		snap.CheckSeconds = 1e-9
	}
	if err := x.publish(snap); err != nil {
		return err
	}
	x.watched = make([]string, len(watched))
	for i, w := range watched {
		x.watched[i] = w.path
	}
	x.stampSum = sumStamps(watched)
	return firstErr
}

// publish renders a snapshot and makes it what scrapes are served.
func (x *Exporter) publish(s *Snapshot) error {
	r, err := x.render(s)
	if err != nil {
		return err
	}
	x.cur.Store(r)
	return nil
}

// render renders a snapshot in the formats wanted.
func (x *Exporter) render(s *Snapshot) (*rendered, error) {
	t := time.Now()
	r := &rendered{checked: s.Now, objects: len(s.Objects), checkS: s.CheckSeconds}
	fams := s.Families()
	if err := r.encode(fams, x.wanted()); err != nil {
		return nil, err
	}
	r.renderSecs = time.Since(t).Seconds()
	return r, nil
}

// wanted is the formats to render after a check: all of them until a
// scrape has asked for one, then those scrapes have asked for.
func (x *Exporter) wanted() [numFormats]bool {
	var w [numFormats]bool
	any := false
	for f := range w {
		w[f] = x.asked[f].Load()
		any = any || w[f]
	}
	for f := range w {
		w[f] = w[f] || !any
	}
	return w
}

// encode renders fams in the formats of want not rendered yet, and keeps
// fams when a format is left unrendered. Each format is written through
// gzip by a goroutine of its own (on two cores or more, rendering both
// formats takes about the time of one), so no plain text is held whole.
func (r *rendered) encode(fams []Family, want [numFormats]bool) error {
	var bufs [numFormats]bytes.Buffer
	var sinks [numFormats]*gzipSink
	var errs [numFormats]error
	var wg sync.WaitGroup
	for f := range want {
		if !want[f] || r.gz[f] != nil {
			continue
		}
		w := newGzipSink(&bufs[f])
		sinks[f] = w
		wg.Go(func() {
			e := &encoder{w: w, om: f == fmtOM}
			if errs[f] = e.all(fams); errs[f] == nil {
				errs[f] = w.close()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	for f, w := range sinks {
		if w != nil {
			r.gz[f], r.plain[f] = bufs[f].Bytes(), int(w.n)
		}
	}
	r.fams = nil
	for f := range r.gz {
		if r.gz[f] == nil {
			r.fams = fams
		}
	}
	return nil
}

// first publishes an empty rendering when none is published yet (no
// check has ended), never over a check's.
func (x *Exporter) first() error {
	if x.cur.Load() != nil {
		return nil
	}
	r, err := x.render(&Snapshot{Version: x.Version, Counters: x.Counters})
	if err != nil {
		return err
	}
	x.cur.CompareAndSwap(nil, r)
	return nil
}

// format returns a rendering holding format f of the last check: the
// current one, or, when f was not rendered after that check (no scrape
// had asked for it), the current one with f rendered from its families
// now. It never waits for a check; a check that ends meanwhile renders f
// itself when it read that f is asked for, else f is rendered from it.
func (x *Exporter) format(f int) (*rendered, error) {
	r := x.cur.Load()
	if r != nil && r.gz[f] != nil {
		return r, nil
	}
	x.renderMu.Lock()
	defer x.renderMu.Unlock()
	for {
		r := x.cur.Load()
		if r == nil {
			if err := x.first(); err != nil {
				return nil, err
			}
			continue
		}
		if r.gz[f] != nil {
			return r, nil
		}
		nr := *r
		var want [numFormats]bool
		want[f] = true
		if err := nr.encode(r.fams, want); err != nil {
			return nil, err
		}
		if x.cur.CompareAndSwap(r, &nr) {
			return &nr, nil
		}
	}
}

// gzipSink is plain text gzipped into a buffer as it is written (the
// encoder writes it in chunks of some 32 KiB).
type gzipSink struct {
	zw *gzip.Writer
	n  int64 // plain bytes
}

func newGzipSink(dst *bytes.Buffer) *gzipSink {
	zw, _ := gzip.NewWriterLevel(dst, gzip.BestSpeed)
	return &gzipSink{zw: zw}
}

func (g *gzipSink) Write(p []byte) (int, error) {
	g.n += int64(len(p))
	return g.zw.Write(p)
}

func (g *gzipSink) close() error { return g.zw.Close() }

// Changed reports whether a file the last check read (or a watched path)
// changed since: one stat per path, comparing size, modification time,
// inode and device (so a Secret volume's symlink swap is seen).
func (x *Exporter) Changed() bool {
	x.mu.Lock()
	watched, sum := x.watched, x.stampSum
	x.mu.Unlock()
	return stamp(watched) != sum
}

// pathStamp is a path and what a stat of it said (nil: absent).
type pathStamp struct {
	path string
	info fs.FileInfo
}

func statStamp(p string) pathStamp {
	info, err := os.Stat(p)
	if err != nil {
		return pathStamp{p, nil}
	}
	return pathStamp{p, info}
}

func stamp(paths []string) [32]byte {
	st := make([]pathStamp, len(paths))
	for i, p := range paths {
		st[i] = statStamp(p)
	}
	return sumStamps(st)
}

func sumStamps(st []pathStamp) [32]byte {
	h := sha256.New()
	for _, s := range st {
		if s.info == nil {
			fmt.Fprintf(h, "%s\x00-\x00", s.path)
			continue
		}
		var ino, dev uint64
		if sys, ok := s.info.Sys().(*syscall.Stat_t); ok {
			ino, dev = sys.Ino, uint64(sys.Dev)
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00%d\x00", s.path, s.info.Size(), s.info.ModTime().UnixNano(), ino, dev)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Run checks now, then again every interval and whenever a poll (every
// poll) sees a change, until ctx is done. Scrapes are served the last
// rendering throughout.
func (x *Exporter) Run(ctx context.Context, interval, poll time.Duration) error {
	if err := x.first(); err != nil {
		return err
	}
	x.Check()
	if poll <= 0 || poll > interval {
		poll = interval
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if time.Since(last) >= interval || x.Changed() {
			x.Check()
			last = time.Now()
		}
	}
}

func (x *Exporter) logf(format string, args ...any) {
	if x.Log != nil {
		x.Log(fmt.Sprintf(format, args...))
	}
}

// ServeHTTP serves the last rendering: Prometheus text format 0.0.4, or
// OpenMetrics when the scraper asks for it (the content negotiation of
// expfmt, which promhttp uses: [negotiate]), gzipped when it accepts gzip.
func (x *Exporter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ct, f := negotiate(req.Header)
	x.asked[f].Store(true)
	r, err := x.format(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	zipped := r.gz[f]
	w.Header().Set("Content-Type", ct)
	if acceptsGzip(req) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", fmt.Sprint(len(zipped)))
		if req.Method != http.MethodHead {
			w.Write(zipped)
		}
		return
	}
	if req.Method == http.MethodHead {
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	io.Copy(w, zr)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		q = strings.ReplaceAll(q, " ", "")
		if strings.TrimSpace(enc) == "gzip" && q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000" {
			return true
		}
	}
	return false
}

// Rendered says how big the current rendering is in the text format (0
// when that is not rendered: no scrape asked for it since the first
// scrape) and when it was made.
func (x *Exporter) Rendered() (textBytes, objects int, checked time.Time, err error) {
	r := x.cur.Load()
	if r == nil {
		return 0, 0, time.Time{}, errors.New("nothing rendered yet")
	}
	return r.plain[fmtText], r.objects, r.checked, nil
}
