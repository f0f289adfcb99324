package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestBatchWriter: small writes are held until the batch is full, the
// delay has passed or Flush is called, in their order; a write error
// sticks.
func TestBatchWriter(t *testing.T) {
	var out bytes.Buffer
	b := &batchWriter{w: &out}
	b.Write([]byte("a"))
	b.Write([]byte("b"))
	if out.Len() != 0 {
		t.Fatalf("written at once: %q", out.String())
	}
	b.Write(bytes.Repeat([]byte("c"), batchBytes))
	if out.Len() != batchBytes+2 || !strings.HasPrefix(out.String(), "abc") {
		t.Fatalf("a full batch: %d bytes written, want %d", out.Len(), batchBytes+2)
	}
	b.Write([]byte("d"))
	b.last = time.Now().Add(-batchDelay)
	b.Write([]byte("e"))
	if !strings.HasSuffix(out.String(), "cde") {
		t.Fatalf("after the delay: ends %q", out.String()[out.Len()-5:])
	}
	b.Write([]byte("f"))
	if err := b.Flush(); err != nil || !strings.HasSuffix(out.String(), "def") {
		t.Fatalf("Flush: %v, ends %q", err, out.String()[out.Len()-5:])
	}
	boom := errors.New("boom")
	fb := &batchWriter{w: failing{boom}}
	fb.Write([]byte("x"))
	if err := fb.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush = %v, want the write error", err)
	}
	if _, err := fb.Write([]byte("y")); !errors.Is(err, boom) {
		t.Fatalf("a write after the error = %v, want it again", err)
	}
}

type failing struct{ err error }

func (f failing) Write([]byte) (int, error) { return 0, f.err }
