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
// urfave/cli's docs code (the urfave_cli_no_docs tag), its completion
// scripts still work and its hidden man command says where the page
// comes from; the page, from the generator, is complete.
func TestReleaseBuild(t *testing.T) {
	for _, tool := range []string{"make", "nroff"} {
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
	for _, s := range []string{"urfave/cli/v2.(*App).ToMan", "urfave/cli/v2.(*App).ToMarkdown", "go-md2man"} {
		if bytes.Contains(syms, []byte(s)) {
			t.Errorf("make build links %s: the urfave_cli_no_docs tag is missing", s)
		}
	}
	if !bytes.Contains(syms, []byte("urfave/cli/v2.(*App).ToFishCompletion")) {
		t.Errorf("make build lost fish completion")
	}

	run := func(args ...string) (string, int) {
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
		if out, code := run("completion", sh); code != 0 || !strings.Contains(out, "tlscreds") {
			t.Errorf("completion %s: exit %d: %.200s", sh, code, out)
		}
	}
	out, code := run("man")
	if code != 2 || !strings.Contains(out, "hint: generate the page from a checkout: make man") {
		t.Errorf("man in the release build: exit %d, %q; want 2 with the make man hint", code, out)
	}
	if out, _ := run("--help"); strings.Contains(out, "  man ") {
		t.Errorf("the release build lists a man command it cannot run:\n%s", out)
	}

	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("\n.TH tlscreds 1")) {
		t.Fatalf("make man wrote no man page: %.200q", data)
	}
	rendered, err := exec.Command("nroff", "-man", page).Output()
	if err != nil {
		t.Fatal(err)
	}
	// nroff makes bold by overstriking: "C\bC".
	text := regexp.MustCompile(".\b").ReplaceAllString(string(rendered), "")
	for _, want := range []string{"GLOBAL OPTIONS", "COMMANDS", "--fail-on", "--as-user"} {
		if !strings.Contains(text, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
}
