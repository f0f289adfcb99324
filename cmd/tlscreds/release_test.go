package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReleaseBuild builds the binary and the man page the way the
// Makefile does (`make build`, `make man`): the binary links none of
// urfave/cli's docs code (the urfave_cli_no_docs tag), no tablewriter
// and nothing of Prometheus or protobuf, its completion scripts still work, and its man command
// writes the page `make man` writes, which groff renders without a
// warning and which has every section. A build without the tag writes
// the same page.
func TestReleaseBuild(t *testing.T) {
	for _, tool := range []string{"make", "nroff", "groff"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (apt-get install -y make groff-base): %v", tool, err)
		}
	}
	tmp := t.TempDir()
	bin, page := filepath.Join(tmp, "tlscreds"), filepath.Join(tmp, "tlscreds.1")
	make := func(args ...string) {
		t.Helper()
		cmd := exec.Command("make", append([]string{"-s", "-C", "../.."}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	make("build", "BIN="+bin)
	make("man", "MAN="+page)

	syms, err := exec.Command("go", "tool", "nm", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool nm: %v\n%s", err, syms)
	}
	for _, s := range []string{"urfave/cli/v2.(*App).ToMan", "urfave/cli/v2.(*App).ToMarkdown", "go-md2man", "blackfriday"} {
		if bytes.Contains(syms, []byte(s)) {
			t.Errorf("make build links %s: the urfave_cli_no_docs tag is missing", s)
		}
	}
	// tablewriter is a test dependency of lint/table only (its package
	// init cost every process about 190 page faults).
	if bytes.Contains(syms, []byte("olekukonko")) {
		t.Errorf("make build links github.com/olekukonko/tablewriter")
	}
	// Nor Prometheus's client packages or protobuf: lint/metrics writes
	// the exposition itself (their package init ran in every command).
	for _, s := range []string{"github.com/prometheus/", "google.golang.org/protobuf", "munnerz/goautoneg"} {
		if bytes.Contains(syms, []byte(s)) {
			t.Errorf("make build links %s", s)
		}
	}
	if !bytes.Contains(syms, []byte("urfave/cli/v2.(*App).ToFishCompletion")) {
		t.Errorf("make build lost fish completion")
	}

	run := func(bin string, args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if out, code := run(bin, "completion", sh); code != 0 || !strings.Contains(out, "tlscreds") {
			t.Errorf("completion %s: exit %d: %.200s", sh, code, out)
		}
	}
	if out, _ := run(bin, "--help"); !strings.Contains(out, "  man ") {
		t.Errorf("the release build does not list its man command:\n%s", out)
	}

	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if out, code := run(bin, "man"); code != 0 || out != string(data) {
		t.Errorf("tlscreds man in the release build: exit %d, and its page differs from make man's", code)
	}
	if !bytes.Contains(data, []byte("\n.TH tlscreds 1")) {
		t.Fatalf("make man wrote no man page: %.200q", data)
	}
	warn, err := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z", page).CombinedOutput()
	if err != nil || len(warn) > 0 {
		t.Errorf("groff -ww warns about the page (%v):\n%s", err, warn)
	}
	rendered, err := exec.Command("nroff", "-man", page).Output()
	if err != nil {
		t.Fatal(err)
	}
	// nroff makes bold by overstriking: "C\bC".
	text := regexp.MustCompile(".\b").ReplaceAllString(string(rendered), "")
	for _, want := range []string{"NAME", "SYNOPSIS", "GLOBAL OPTIONS", "COMMANDS", "EXIT STATUS",
		"gen pki", "p12 export", "--fail-on", "--as-user", "Writes DIR/ca"} {
		if !strings.Contains(text, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}

	// Without the tag: urfave/cli's generator is linked, tlscreds man
	// does not use it.
	plain := filepath.Join(tmp, "tlscreds-docs")
	if out, err := exec.Command("go", "build", "-o", plain, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build without the tag: %v\n%s", err, out)
	}
	if out, code := run(plain, "man"); code != 0 || out != string(data) {
		t.Errorf("tlscreds man built without the tag: exit %d, and its page differs from make man's", code)
	}
}
