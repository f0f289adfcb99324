package main

import (
	"io"
	"testing"
)

func TestSuggestCommand(t *testing.T) {
	cmds := newApp(io.Discard, io.Discard).Commands
	for typed, want := range map[string]string{
		"gne":        `Did you mean "gen"?`,
		"lnit":       `Did you mean "lint"?`,
		"inpsect":    `Did you mean "inspect"?`,
		"fingerprnt": `Did you mean "fingerprint"?`,
		"p21":        `Did you mean "p12"?`,
		"frobnicate": "Run 'tlscreds --help' for the commands.",
	} {
		if got := suggestCommand(cmds, typed); got != want {
			t.Errorf("suggestCommand(%q) = %q, want %q", typed, got, want)
		}
	}
}
