package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestExplainStdinNeverEnds pipes text into `explain -` through a pipe
// whose writer stays open (as `tail -f` does): explain gives up after
// --stdin-timeout with an error naming standard input, exit 2, instead of
// waiting forever. With the writer closed, the same text is explained.
func TestExplainStdinNeverEnds(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	saved := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = saved })
	if _, err := w.WriteString("tlsv1 alert unknown ca\n"); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run([]string{"tlscreds", "explain", "--stdin-timeout", "300ms", "-"}, &stdout, &stderr)
	took := time.Since(start)
	if code != exitUsage {
		t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, stderr.String())
	}
	if !strings.Contains(stderr.String(), "tlscreds: error: standard input: did not reach its end within 300ms") ||
		!strings.Contains(stderr.String(), "--stdin-timeout") {
		t.Errorf("stderr %q: want the error naming standard input and the timeout, and a hint naming --stdin-timeout", stderr.String())
	}
	if took > 10*time.Second {
		t.Errorf("explain took %s with a 300ms timeout", took)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}

	// The writer closes: the same text in a fresh pipe is explained.
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r2.Close() })
	os.Stdin = r2
	if _, err := w2.WriteString("tlsv1 alert unknown ca\n"); err != nil {
		t.Fatal(err)
	}
	w2.Close()
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"tlscreds", "explain", "--stdin-timeout", "10s", "-"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "handshake-unknown-ca") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 0 naming handshake-unknown-ca", code, stdout.String(), stderr.String())
	}
}
