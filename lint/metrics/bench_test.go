package metrics

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// fleetDirs is the size of the benchmarked fleet: 1,000 directories by
// default (make test runs every benchmark once), TLSCREDS_FLEET_DIRS for
// the figures in docs/performance.md.
func fleetDirs() int {
	if n, err := strconv.Atoi(os.Getenv("TLSCREDS_FLEET_DIRS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

var (
	fleetOnce sync.Once
	fleetRoot string
)

// benchFleet writes n server directories (one generated set, copied:
// what is measured is reading and checking, not generating) in hv*/qemu.
func benchFleet(b *testing.B) string {
	fleetOnce.Do(func() {
		root, err := os.MkdirTemp("", "tlscreds-fleet-bench")
		if err != nil {
			b.Fatal(err)
		}
		proto := filepath.Join(root, "proto")
		if err := fixtures.GoodSets()["server-with-crl"](fixtures.New(time.Now()), proto); err != nil {
			b.Fatal(err)
		}
		entries, _ := os.ReadDir(proto)
		files := map[string][]byte{}
		for _, e := range entries {
			data, _ := os.ReadFile(filepath.Join(proto, e.Name()))
			files[e.Name()] = data
		}
		os.RemoveAll(proto)
		tree := filepath.Join(root, "tree")
		for i := 0; i < fleetDirs(); i++ {
			dir := filepath.Join(tree, "hv"+strconv.Itoa(i), "qemu")
			os.MkdirAll(dir, 0o755)
			for name, data := range files {
				mode := os.FileMode(0o644)
				if filepath.Ext(name) == ".pem" && name == "server-key.pem" {
					mode = 0o600
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
					b.Fatal(err)
				}
			}
		}
		fleetRoot = tree
	})
	if fleetRoot == "" {
		b.Fatal("no fleet")
	}
	return fleetRoot
}

// BenchmarkFleetLint is `lint -r` over the fleet with a reporter that
// discards: the baseline of the exporter's re-check.
func BenchmarkFleetLint(b *testing.B) {
	root := benchFleet(b)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		rep := lint.NewJSONReporter(io.Discard)
		targets := make(chan lint.Target)
		go func() {
			defer close(targets)
			lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil })
		}()
		if err := lint.CheckAll(targets, lint.Options{}, rep.Add); err != nil {
			b.Fatal(err)
		}
		rep.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9, "s/check")
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/check")
}

// cpuSeconds is the process's user and system CPU time so far: on a
// machine shared with other work, the CPU a check takes varies less than
// its wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkFleetExporterCheck is one exporter check of the fleet before
// any scrape: read, lint, summarise and render both formats. It reports
// the exposition's size per 1,000 directories and the live heap after
// each check (flat: nothing is kept from one check to the next but the
// rendering).
func BenchmarkFleetExporterCheck(b *testing.B) {
	benchExporterCheck(b, "")
}

// BenchmarkFleetExporterCheckScraped is one exporter check once
// Prometheus has scraped: OpenMetrics only is rendered, and the check's
// families are kept for a first request of the text format.
func BenchmarkFleetExporterCheckScraped(b *testing.B) {
	benchExporterCheck(b, promAccept)
}

func benchExporterCheck(b *testing.B, accept string) {
	root := benchFleet(b)
	x := &Exporter{Sources: []ExporterSource{treeSource(root)}, Version: "bench"}
	f := fmtText
	if accept != "" {
		if err := x.Check(); err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Header.Set("Accept", accept)
		req.Header.Set("Accept-Encoding", "gzip")
		x.ServeHTTP(httptest.NewRecorder(), req)
		f = fmtOM
	}
	var heap []float64
	var cpu float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cpu0 := cpuSeconds()
		if err := x.Check(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuSeconds() - cpu0
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = append(heap, float64(ms.HeapAlloc)/(1<<20))
		b.StartTimer()
	}
	b.StopTimer()
	r := x.cur.Load()
	per1000 := 1000 / float64(r.objects)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9, "s/check")
	b.ReportMetric(cpu/float64(b.N), "cpu-s/check")
	b.ReportMetric(float64(r.plain[f])*per1000/(1<<20), "MiB-text/1000dirs")
	b.ReportMetric(float64(len(r.gz[f]))*per1000/(1<<20), "MiB-gzip/1000dirs")
	b.ReportMetric(heap[0], "heap-MiB-first")
	b.ReportMetric(heap[len(heap)-1], "heap-MiB-last")
}

// BenchmarkFleetScrape is one scrape (gzip, as Prometheus asks) while
// checks run back to back in another goroutine: a scrape is served the
// last rendering and never waits for a check.
func BenchmarkFleetScrape(b *testing.B) {
	root := benchFleet(b)
	x := &Exporter{Sources: []ExporterSource{treeSource(root)}, Version: "bench"}
	if err := x.Check(); err != nil {
		b.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				x.Check()
			}
		}
	}()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	var max time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		rec := httptest.NewRecorder()
		x.ServeHTTP(rec, req)
		if d := time.Since(t); d > max {
			max = d
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(max.Microseconds())/1000, "ms-max")
}

// TestMain removes the benchmarks' fleet, which they share.
func TestMain(m *testing.M) {
	code := m.Run()
	if fleetRoot != "" {
		os.RemoveAll(filepath.Dir(fleetRoot))
	}
	os.Exit(code)
}

var (
	fleetSnapOnce sync.Once
	fleetSnap     *Snapshot
)

// benchSnapshot is one check's snapshot of the fleet, made once.
func benchSnapshot(b *testing.B) *Snapshot {
	root := benchFleet(b)
	fleetSnapOnce.Do(func() {
		s := &Snapshot{Version: "bench", Now: time.Now(), CheckSeconds: 1}
		targets := make(chan lint.Target)
		go func() {
			defer close(targets)
			lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil })
		}()
		if err := lint.CheckAll(targets, lint.Options{KeepMaterial: true}, func(r lint.Result) error {
			s.Objects = append(s.Objects, FromResult(r))
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		fleetSnap = s
	})
	if fleetSnap == nil {
		b.Fatal("no snapshot")
	}
	return fleetSnap
}

// BenchmarkFleetRender is the rendering alone, what an exporter check
// adds to lint: a snapshot's families encoded in the text format and
// OpenMetrics, both gzipped, per 1,000 directories.
func BenchmarkFleetRender(b *testing.B) {
	s := benchSnapshot(b)
	x := &Exporter{Version: "bench"}
	per1000 := 1000 / float64(len(s.Objects))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := x.publish(s); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	r := x.cur.Load()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6*per1000, "ms/1000dirs")
	b.ReportMetric(float64(r.plain[fmtText])*per1000/(1<<20), "MiB-text/1000dirs")
	b.ReportMetric(float64(len(r.gz[fmtText]))*per1000/(1<<20), "MiB-gzip/1000dirs")
}

// BenchSnapshot is benchSnapshot for the external test package's
// client_golang registry benchmark.
func BenchSnapshot(b *testing.B) *Snapshot { return benchSnapshot(b) }
