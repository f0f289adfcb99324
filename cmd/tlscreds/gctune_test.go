package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the collector's target without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC: with a live heap larger than the headroom, the target falls
// to the default after a collection; with room to spare it stays at the
// maximum; restoring puts the previous target back.
func TestTuneGC(t *testing.T) {
	before := gcPercent()
	live := make([]*[1 << 20]byte, 8) // 8 MiB live
	for i := range live {
		live[i] = new([1 << 20]byte)
	}
	for _, c := range []struct {
		headroom uint64
		want     int
	}{{1 << 20, 100}, {1 << 30, 400}} {
		restore := tuneGC(400, c.headroom)
		got := 0
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			runtime.GC()
			if got = gcPercent(); got == c.want {
				break
			}
		}
		restore()
		if got != c.want {
			t.Errorf("headroom %d with 8 MiB live: GC percent %d, want %d", c.headroom, got, c.want)
		}
		if p := gcPercent(); p != before {
			t.Errorf("after restore: GC percent %d, want %d", p, before)
		}
	}
	runtime.KeepAlive(live)
}
