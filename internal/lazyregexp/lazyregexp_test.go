package lazyregexp

import (
	"sync"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	r := &Regexp{expr: `^(\w+)@(\w+)$`}
	if r.rx != nil {
		t.Fatal("compiled before use")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if m := r.FindStringSubmatch("user@host"); len(m) != 3 || m[2] != "host" {
				t.Errorf("FindStringSubmatch = %q", m)
			}
		})
	}
	wg.Wait()
	if !r.MatchString("a@b") || r.MatchString("a b") {
		t.Error("MatchString")
	}
	if got := r.ReplaceAllString("a@b", "$2@$1"); got != "b@a" {
		t.Errorf("ReplaceAllString = %q", got)
	}
}

// In a test binary New compiles at once: a bad pattern panics when its
// package initialises.
func TestNewCompilesInTests(t *testing.T) {
	if !inTest {
		t.Fatal("inTest is false in a test binary")
	}
	if New(`x+`).rx == nil {
		t.Error("New did not compile in a test binary")
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted a bad pattern")
		}
	}()
	New(`(`)
}
