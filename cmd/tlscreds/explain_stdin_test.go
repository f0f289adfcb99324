package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// TestExplainLogFiles gives explain log files as its arguments: a file,
// a pipe that ends (bash's <(command)), two files and standard input
// together are read and explained; a file over 1 MiB is refused with an
// error naming it and a hint to pipe its end in, exit 2; a pipe that
// never ends is refused after --stdin-timeout; a directory or a device
// is text (never opened), not recognised, exit 1, with a hint saying
// what the path is.
func TestExplainLogFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	expired := write("curl.log", "curl: (60) SSL certificate problem: certificate has expired\n")
	unknown := write("server.log", "2026/12/07 05:00:00 http: TLS handshake error from 127.0.0.1:4711: remote error: tls: unknown certificate authority\n")
	quiet := write("quiet.log", "nothing to see here\n")

	explain := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, err := w.WriteString(stdin); err != nil {
			t.Fatal(err)
		}
		w.Close()
		saved := os.Stdin
		os.Stdin = r
		defer func() { os.Stdin = saved }()
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"tlscreds", "explain", "--stdin-timeout", "2s"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, out, errOut := explain("", expired); code != exitOK || !strings.HasPrefix(out, "most likely: handshake-expired") {
		t.Errorf("explain FILE: exit %d, stdout %q, stderr %q; want exit 0, handshake-expired first", code, out, errOut)
	}
	if code, out, errOut := explain("", quiet, unknown); code != exitOK || !strings.Contains(out, "handshake-unknown-ca") {
		t.Errorf("explain FILE FILE: exit %d, stdout %q, stderr %q; want exit 0 naming the second file's handshake-unknown-ca", code, out, errOut)
	}
	if code, out, errOut := explain("tlsv1 alert unknown ca\n", quiet, "-"); code != exitOK || !strings.Contains(out, "handshake-unknown-ca") {
		t.Errorf("explain FILE -: exit %d, stdout %q, stderr %q; want exit 0 naming standard input's handshake-unknown-ca", code, out, errOut)
	}
	if code, _, errOut := explain("", quiet); code != exitFailed || strings.Contains(errOut, "read here as text") {
		t.Errorf("explain QUIETFILE: exit %d, stderr %q; want exit 1 without the path hint", code, errOut)
	}

	// A pipe whose writer has closed is read; one that stays open is refused in time.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString("tlsv1 alert unknown ca\n")
			f.Close()
		}
		done <- err
	}()
	if code, out, errOut := explain("", fifo); code != exitOK || !strings.Contains(out, "handshake-unknown-ca") {
		t.Errorf("explain FIFO: exit %d, stdout %q, stderr %q; want exit 0 naming handshake-unknown-ca", code, out, errOut)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer that never closes
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	start := time.Now()
	if code, _, errOut := explain("", fifo); code != exitUsage || !strings.Contains(errOut, fifo+": is a pipe that did not reach its end within 2s") {
		t.Errorf("explain FIFO (never ends): exit %d, stderr %q; want exit 2 naming the pipe", code, errOut)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("explain FIFO (never ends) took %s with a 2s timeout", took)
	}

	big := write("big.log", strings.Repeat("x", 1<<20+1))
	if code, out, errOut := explain("", big); code != exitUsage || out != "" || !strings.Contains(errOut, "tlscreds: error: "+big+": is 1048577 bytes, larger than 1024 KiB") || !strings.Contains(errOut, "tail -c 1M "+big+" | tlscreds explain -") {
		t.Errorf("explain BIGFILE: exit %d, stdout %q, stderr %q; want exit 2 naming the file and the tail hint", code, out, errOut)
	}

	if code, _, errOut := explain("", dir); code != exitFailed || !strings.Contains(errOut, dir+" is a directory, read here as text") {
		t.Errorf("explain DIR: exit %d, stderr %q; want exit 1 saying the path is a directory", code, errOut)
	}
	if code, _, errOut := explain("", "/dev/zero"); code != exitFailed || !strings.Contains(errOut, "/dev/zero is a device, read here as text") {
		t.Errorf("explain /dev/zero: exit %d, stderr %q; want exit 1 saying the path is a device", code, errOut)
	}
}
