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
// arrived. At most four values per worker are in flight (queued, running
// or waiting for an earlier one to be emitted), so memory does not grow
// with the input. Once emit returns an error, the values still to come
// are received (a producer never blocks) but not computed, and Run
// returns that error when in is closed.
func Run[In, Out any](in <-chan In, f func(In) Out, emit func(int, Out) error) error {
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		i int
		v In
	}
	type done struct {
		i  int
		r  Out
		ok bool
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
				d := done{i: j.i}
				if !failed.Load() {
					d.r, d.ok = f(j.v), true
				}
				results <- d
			}
		}()
	}
	go func() {
		i := 0
		for v := range in {
			window <- struct{}{}
			jobs <- job{i, v}
			i++
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
			if err == nil && x.ok {
				if err = emit(next, x.r); err != nil {
					failed.Store(true)
				}
			}
			next++
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
