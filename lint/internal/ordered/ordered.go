// Package ordered runs work on all cores and hands the results on in the
// order the work arrived, so that output is deterministic whatever the
// scheduling: lint's tree checks and the pair matrix use it.
package ordered

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Run calls f on every value received from in, on GOMAXPROCS workers, and
// emit with each result and its position, in the order the values
// arrived. Values are handed to the workers in batches of those that are
// waiting (at most batch), so that a worker wakes once for several small
// jobs rather than once for each (a directory's lint costs about as much
// as three goroutine hand-offs on a virtual machine). At most four
// batches per worker are in flight (queued, running or waiting for an
// earlier one to be emitted), so memory does not grow with the input.
// Once emit returns an error, the values still to come are received (a
// producer never blocks) but not computed, and Run returns that error
// when in is closed.
func Run[In, Out any](in <-chan In, f func(In) Out, emit func(int, Out) error) error {
	const batch = 16
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		i int // position of vs[0]
		v []In
	}
	type done struct {
		i, n int // position and number of values
		r    []Out
		ok   bool
	}
	jobs := make(chan job, workers)
	results := make(chan done, workers)
	window := make(chan struct{}, 4*workers)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				d := done{i: j.i, n: len(j.v)}
				if !failed.Load() {
					d.r, d.ok = make([]Out, len(j.v)), true
					for k, v := range j.v {
						d.r[k] = f(v)
					}
				}
				results <- d
			}
		}()
	}
	go func() {
		i := 0
		for v := range in {
			// The first value waits; those already queued behind it
			// join its batch.
			vs := []In{v}
		more:
			for len(vs) < batch {
				select {
				case v, ok := <-in:
					if !ok {
						break more
					}
					vs = append(vs, v)
				default:
					break more
				}
			}
			window <- struct{}{}
			jobs <- job{i, vs}
			i += len(vs)
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	pending := map[int]done{}
	next := 0
	var err error
	for d := range results {
		pending[d.i] = d
		for {
			x, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			<-window
			for k := range x.r {
				if err == nil && x.ok {
					if err = emit(next+k, x.r[k]); err != nil {
						failed.Store(true)
					}
				}
			}
			next += x.n
		}
	}
	return err
}

// Indexes is Run over 0 ... n-1.
func Indexes[Out any](n int, f func(int) Out, emit func(int, Out) error) error {
	in := make(chan int)
	go func() {
		defer close(in)
		for k := range n {
			in <- k
		}
	}()
	return Run(in, f, emit)
}
