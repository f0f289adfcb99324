package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
)

// TestHelpWidth renders --help of every command and fails on a line wider
// than 100 columns, or on a placeholder taken from a backquoted word of a
// usage text (urfave/cli turns `gen pki` into "--ca gen pki").
func TestHelpWidth(t *testing.T) {
	var paths [][]string
	var walk func(prefix []string, cmds []*cli.Command)
	walk = func(prefix []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(append([]string{}, prefix...), c.Name)
			paths = append(paths, p)
			walk(p, c.Subcommands)
		}
	}
	walk(nil, newApp(nil, nil).Commands)
	paths = append(paths, nil)
	for _, p := range paths {
		var out, errOut bytes.Buffer
		args := append(append([]string{"tlscreds"}, p...), "--help")
		if code := run(args, &out, &errOut); code != 0 {
			t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
			continue
		}
		for i, line := range strings.Split(out.String(), "\n") {
			if n := utf8.RuneCountInString(line); n > helpWidth {
				t.Errorf("%s: line %d is %d columns: %s", strings.Join(args, " "), i+1, n, line)
			}
		}
		if strings.Contains(out.String(), "--ca gen pki") {
			t.Errorf("%s: a usage text's backquotes became a placeholder", strings.Join(args, " "))
		}
	}
}

func TestWrapHelp(t *testing.T) {
	in := "   --flag value   " + strings.Repeat("word ", 30) + "\n"
	got := wrapHelp(in, 60)
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if len(line) > 60 {
			t.Errorf("line over 60: %q", line)
		}
		if !strings.HasPrefix(line, "   --flag value   word") && !strings.HasPrefix(line, strings.Repeat(" ", 18)+"word") {
			t.Errorf("continuation not under the description: %q", line)
		}
	}
	if strings.Count(got, "word") != 30 {
		t.Errorf("words lost: %q", got)
	}
}
