package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The hostile-input harness: the CLI runs as its own process, so a hang is
// killed at hostileTimeout and reported as a hang (the bound is enforced by
// the harness, not asserted as a speed), a panic shows as a stack trace,
// and every byte it prints is checked.

// hostileTimeout bounds each run of the CLI on hostile input: far above
// what any run needs (well under a second) even on a loaded CI machine,
// far below a hang.
const hostileTimeout = 2 * time.Minute

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// cliBinary builds the CLI once per test process.
func cliBinary(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tlscreds-hostile-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "tlscreds")
		out, err := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", cliPath, ".").CombinedOutput()
		if err != nil {
			cliErr = errors.New(string(out))
		}
	})
	if cliErr != nil {
		t.Fatalf("go build: %v", cliErr)
	}
	return cliPath
}

// cliResult is what one run of the CLI did.
type cliResult struct {
	code           int
	stdout, stderr string
}

func (r cliResult) all() string { return r.stdout + r.stderr }

// runCLI runs the CLI with args (and stdin, when not nil) and kills it at
// hostileTimeout, failing the test as a hang.
func runCLI(t *testing.T, stdin []byte, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	r := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("tlscreds %s: hung (killed after %v)\n%s", printableArgs(args), hostileTimeout, r.all())
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("tlscreds %s: %v", printableArgs(args), err)
	}
	return r
}

func printableArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}

// assertSafeOutput checks what a run printed: no stack trace, no control
// character other than a newline (nothing to retitle, clear or move the
// terminal), valid UTF-8, no line forged to look like one of ours, and no
// key material.
func assertSafeOutput(t *testing.T, what string, r cliResult) {
	t.Helper()
	out := r.all()
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("%s: a stack trace:\n%s", what, out)
	}
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8: %q", what, out)
	}
	for i, c := range out {
		if c == '\n' || c == '\t' {
			continue
		}
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || unicode.Is(unicode.Cf, c) || c == '\u2028' || c == '\u2029' {
			t.Errorf("%s: control character %U at byte %d of the output:\n%q", what, c, i, out)
			break
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "FORGED") && strings.HasPrefix(line, "tlscreds: hint:") {
			t.Errorf("%s: a forged hint line: %q", what, line)
		}
	}
	for _, k := range []string{"PRIVATE KEY-----", "MIGHAgEAMBMGByqGSM49", "MIIEv", "MIIJQ"} {
		if strings.Contains(out, k) {
			t.Errorf("%s: output holds key material (%q):\n%s", what, k, out)
		}
	}
}
