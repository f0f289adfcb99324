package main

import (
	"bytes"
	"slices"
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
		// Wrapping moves words, never loses, joins or splits one.
		var raw bytes.Buffer
		helpWrap = 1 << 20
		run(args, &raw, &errOut)
		helpWrap = helpWidth
		if got, want := strings.Fields(out.String()), strings.Fields(raw.String()); !slices.Equal(got, want) {
			t.Errorf("%s: wrapping changed the words:\n%s", strings.Join(args, " "), out.String())
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

// TestWrapHelpParagraph: prose written hard-wrapped near the margin is
// filled again when it is too wide, leaving no word alone on a line;
// a list item or a line with a column gap is not pulled into it.
func TestWrapHelpParagraph(t *testing.T) {
	long := "   " + strings.Repeat("abcd ", 19) + "efgh" // 3 + 99 columns
	in := long + "\n" + long + "\n   last words.\n   - an item\n      0  a status\n"
	got := wrapHelp(in, 100)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for i, line := range lines {
		if utf8.RuneCountInString(line) > 100 {
			t.Errorf("line %d over 100: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "   ") || strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "      0  ") {
			t.Errorf("line %d is not at the paragraph's indent: %q", i+1, line)
		}
		if f := strings.Fields(line); len(f) == 1 && i < len(lines)-3 {
			t.Errorf("line %d holds one word: %q\n%s", i+1, line, got)
		}
	}
	if !strings.Contains(got, "\n   - an item\n      0  a status\n") {
		t.Errorf("the list item or the status line was reflowed:\n%s", got)
	}
	if !slices.Equal(strings.Fields(got), strings.Fields(in)) {
		t.Errorf("words changed:\n%s", got)
	}
}
