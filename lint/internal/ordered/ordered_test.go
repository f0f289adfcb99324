package ordered

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// TestRunOrder: results come out in input order although the work
// finishes out of order, and every value is emitted once.
func TestRunOrder(t *testing.T) {
	const n = 500
	var got []int
	err := Indexes(n, func(k int) int {
		time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
		return k * k
	}, func(i, v int) error {
		if v != i*i {
			t.Errorf("position %d: got %d, want %d", i, v, i*i)
		}
		got = append(got, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("emitted %d results, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("emitted position %d at %d", v, i)
		}
	}
}

// TestRunStopsOnError: after emit fails, nothing more is emitted, the
// producer is drained (Run returns), and little more work is done.
func TestRunStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	computed := make(chan int, 10000)
	emitted := 0
	err := Indexes(10000, func(k int) int { computed <- k; return k }, func(i, v int) error {
		emitted++
		if i == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the emit error", err)
	}
	if emitted != 11 {
		t.Errorf("emitted %d results, want 11 (none after the error)", emitted)
	}
	if n := len(computed); n > 1000 {
		t.Errorf("computed %d values after emit failed at 10: the rest should be skipped", n)
	}
}
