package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// docBlock returns the fenced block that follows the marker comment
// <!-- KIND: NAME --> in a docs page.
func docBlock(t *testing.T, doc, marker string) string {
	t.Helper()
	i := strings.Index(doc, marker)
	if i < 0 {
		t.Fatalf("docs: marker %q not found", marker)
	}
	rest := doc[i+len(marker):]
	start := strings.Index(rest, "```")
	if start < 0 {
		t.Fatalf("docs: no code block after %q", marker)
	}
	rest = rest[start+3:]
	rest = rest[strings.Index(rest, "\n")+1:]
	end := strings.Index(rest, "```")
	if end < 0 {
		t.Fatalf("docs: code block after %q is not closed", marker)
	}
	return rest[:end]
}

// TestLibvirtDocExample runs the worked example of docs/libvirt.md as it
// is written there, with the tlscreds under test, and checks that it
// prints the output the page shows, line by line, and exits 0.
func TestLibvirtDocExample(t *testing.T) {
	data, err := os.ReadFile("../../docs/libvirt.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	script := docBlock(t, doc, "<!-- example: libvirt -->")
	var b strings.Builder
	b.WriteString("exec sh -e example.sh\n")
	for _, line := range strings.Split(strings.TrimSpace(docBlock(t, doc, "<!-- output: libvirt -->")), "\n") {
		b.WriteString("stdout '^" + regexp.QuoteMeta(line) + "$'\n")
	}
	b.WriteString("-- example.sh --\n" + script)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "libvirt_doc.txtar"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{Dir: dir, RequireExplicitExec: true})
}
