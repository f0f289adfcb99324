package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
)

// TestGenBrokenHintsShowTheRule runs the lint command `gen broken --all`
// prints for each set, as a shell would split it, and asserts that it
// reports the set's rule.
func TestGenBrokenHintsShowTheRule(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "broken sets") // a space: the hints must quote
	var out, errOut bytes.Buffer
	if code := run([]string{"tlscreds", "gen", "broken", "--all", "--out", dir}, &out, &errOut); code != 0 {
		t.Fatalf("gen broken --all: exit %d: %s", code, errOut.String())
	}
	line := regexp.MustCompile(`^(\S+) +.*  \((tlscreds lint .*)\)$`)
	seen := 0
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("no lint command in %q", l)
			continue
		}
		seen++
		if b, _ := fixtures.LookupBroken(m[1]); len(b.LibvirtSettings) > 0 {
			// Not reproducible from the command line: the hint must say so.
			if !strings.Contains(m[2], "which lint cannot be told on the command line") {
				t.Errorf("%s: the hint hides the libvirt settings the set needs: %s", m[1], m[2])
			}
			continue
		}
		rule, args := m[1], shellSplit(t, m[2])
		var lo, le bytes.Buffer
		code := run(append(args, "--format", "json"), &lo, &le)
		if code > 1 || !strings.Contains(lo.String(), `"rule": "`+rule+`"`) {
			t.Errorf("%s: %s (exit %d) does not report the rule:\n%s%s", rule, m[2], code, lo.String(), le.String())
		}
	}
	if seen != len(fixtures.BrokenSets()) {
		t.Errorf("%d hints for %d sets", seen, len(fixtures.BrokenSets()))
	}
}

// shellSplit splits a command line as a POSIX shell does for the quoting
// shellQuote produces: words, 'single quotes', '\” for a quote.
func shellSplit(t *testing.T, s string) []string {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '\'' {
				quoted = false
			} else {
				cur.WriteByte(c)
			}
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
