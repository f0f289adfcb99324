package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// lintGCPercent is the collector's largest target for the lint command:
// a batch process whose heap stays small (the runner bounds the objects
// in flight), so collecting a quarter as often as the default saves about
// a fifth of the CPU over a large tree (docs/performance.md).
const lintGCPercent = 400

// lintGCHeadroom bounds what that target may add above the live heap:
// at 400% a live heap of 11 MiB (the names of a directory of 200,000
// entries) grew to 55 MiB before a collection, and a manifest of 10,000
// objects to 220 MiB. Above 3 MiB live the target falls towards the
// default (100%) so that the heap stays within about 12 MiB of what is
// live: with 20 MiB, the peak RSS of lint -r grew from 31 MiB at 1,000
// directories to 43 MiB at 50,000 (whose top-level listing is 3 MiB
// more live heap); with 12 MiB it is 34 MiB, for some 50 more
// collections of a 5 MiB heap over those 50,000 directories.
const lintGCHeadroom = 12 << 20

// tuneGC sets the collector's target to at most maxPercent, lowered after
// each collection so that it adds at most headroom bytes above the live
// heap (never below the default of 100). It returns a function that
// restores the previous target; nothing is changed when GOGC is set.
func tuneGC(maxPercent int, headroom uint64) (restore func()) {
	prev := debug.SetGCPercent(maxPercent)
	var stopped atomic.Bool
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	current := maxPercent
	var arm func()
	arm = func() {
		// A finalizer runs once after each collection that finds its
		// object unreachable: re-armed every time, it runs once a cycle.
		s := &gcSentinel{}
		runtime.SetFinalizer(s, func(*gcSentinel) {
			if stopped.Load() {
				return
			}
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > 0 {
				pct := int(headroom * 100 / live)
				pct = max(min(pct, maxPercent), 100)
				if pct != current && !stopped.Load() {
					current = pct
					debug.SetGCPercent(pct)
				}
			}
			arm()
		})
	}
	arm()
	return func() {
		stopped.Store(true)
		debug.SetGCPercent(prev)
	}
}

// gcSentinel is the object whose finalizer marks a collection; it holds
// a pointer so that it is never one of the runtime's tiny allocations,
// whose finalizers may not run.
type gcSentinel struct{ _ *int }
