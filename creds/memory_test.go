package creds_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
)

// A loaded server object stays small: a server selecting among thousands
// of objects by SNI has the collector mark all of them on every cycle
// (docs/performance.md, "SNI with 10,000 objects"). The bounds are well
// above what an object holds today (about 2.5 KiB in 24 heap objects for
// an ECDSA P-256 server directory) and well below what it held when it
// kept its parsed leaf (4.8 KiB in 53), so that keeping the parsed
// certificates again fails here.
func TestLoadedObjectRetainedHeap(t *testing.T) {
	dir := filepath.Join(benchPKI(t), "server")
	const n = 500
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	srcs := make([]*creds.Source, n)
	for i := range srcs {
		sp, _, err := creds.ParseSpec(fmt.Sprintf("tls-creds-x509,id=tls%d,endpoint=server,dir=%s", i, dir))
		if err != nil {
			t.Fatal(err)
		}
		if srcs[i], err = creds.NewSource(sp, creds.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(srcs)
	bytes := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	objects := (int64(after.HeapObjects) - int64(before.HeapObjects)) / n
	t.Logf("a loaded server object retains %d B in %d heap objects", bytes, objects)
	if bytes > 3500 || objects > 35 {
		t.Errorf("a loaded server object retains %d B in %d heap objects, want at most 3500 B in 35", bytes, objects)
	}
}
