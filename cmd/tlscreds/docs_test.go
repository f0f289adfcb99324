package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

var exampleMarker = regexp.MustCompile(`<!-- example: ([a-z0-9-]+) -->`)

// docExamples lists the worked examples of the docs pages: each fenced
// block after a marker <!-- example: NAME -->, by page and name.
func docExamples(t *testing.T) map[string][]string {
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("docs pages: %v (found %d)", err, len(pages))
	}
	out := map[string][]string{}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range exampleMarker.FindAllStringSubmatch(string(data), -1) {
			out[p] = append(out[p], m[1])
		}
	}
	return out
}

// outputPattern turns a line of a documented output into a regular
// expression for the whole line: "..." stands for any text (dates,
// fingerprints), everything else is literal.
func outputPattern(line string) string {
	parts := strings.Split(line, "...")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return "(?m)^" + strings.Join(parts, ".*") + "$"
}

// TestDocExamples runs every worked example of docs/*.md as it is
// written there (a ```sh block after <!-- example: NAME -->), with the
// tlscreds under test on PATH, in a fresh directory where paths under
// /tmp/ are placed in the test's work directory. It must exit 0; when the
// page also has <!-- output: NAME -->, every line of that block must be a
// line of the example's standard output ("..." matching any text).
func TestDocExamples(t *testing.T) {
	examples := docExamples(t)
	// The pages that must keep a run example: a marker lost in an edit
	// fails here rather than silently running nothing.
	for _, want := range []string{"libvirt.md", "json-schema.md", "gen.md"} {
		if len(examples["../../docs/"+want]) == 0 {
			t.Errorf("docs/%s has no <!-- example: NAME --> block", want)
		}
	}
	dir := t.TempDir()
	var names []string
	for page, list := range examples {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(data)
		for _, name := range list {
			script := docBlock(t, doc, "<!-- example: "+name+" -->")
			script = strings.ReplaceAll(script, "/tmp/", "$WORK/tmp/")
			var b strings.Builder
			b.WriteString("# " + filepath.Base(page) + ": " + name + "\nmkdir tmp\nexec sh -e example.sh\n")
			if strings.Contains(doc, "<!-- output: "+name+" -->") {
				for _, line := range strings.Split(strings.TrimSpace(docBlock(t, doc, "<!-- output: "+name+" -->")), "\n") {
					line = strings.ReplaceAll(line, "/tmp/", ".../tmp/") // under $WORK
					b.WriteString("stdout '" + strings.ReplaceAll(outputPattern(line), "'", "''") + "'\n")
				}
			}
			b.WriteString("-- example.sh --\n" + script)
			file := strings.TrimSuffix(filepath.Base(page), ".md") + "-" + name
			if slices.Contains(names, file) {
				t.Fatalf("docs/%s: example %q is named twice", filepath.Base(page), name)
			}
			names = append(names, file)
			if err := os.WriteFile(filepath.Join(dir, file+".txtar"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	testscript.Run(t, testscript.Params{Dir: dir, RequireExplicitExec: true})
}
