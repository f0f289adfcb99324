package lint

import (
	"bytes"
	"flag"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const rulesDoc = "../docs/rules.md"

// -update rewrites docs/rules.md. Other test files of the package may
// define the same flag; whichever comes first wins (package variables are
// initialised before init functions run).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite generated files (docs/rules.md)")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestRulesDoc keeps docs/rules.md in step with the rule registry.
func TestRulesDoc(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRulesMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	if updating() {
		if err := os.WriteFile(rulesDoc, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatalf("%v\nGenerate it: %s", err, RulesDocCommand)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("docs/rules.md is out of date with the rule registry (%s).\nRegenerate it from the repository root:\n\t%s\nor: go test ./lint -run TestRulesDoc -update",
			firstDiff(string(got), buf.String()), RulesDocCommand)
	}
}

// firstDiff names the first line where have and want differ.
func firstDiff(have, want string) string {
	h, w := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(h) || i < len(w); i++ {
		var hl, wl string
		if i < len(h) {
			hl = h[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if hl != wl {
			return "line " + strconv.Itoa(i+1) + ": have " + short(hl) + ", want " + short(wl)
		}
	}
	return "no line differs"
}

func short(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return strconv.Quote(s)
}

var regexpKebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestRulesMarkdownContent checks what users rely on in docs/rules.md:
// a section per rule whose anchor is its ID, the consumer messages
// verbatim in code spans, and every field.
func TestRulesMarkdownContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRulesMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	if !strings.HasPrefix(doc, "# ") {
		t.Error("no title")
	}
	for _, r := range Rules() {
		if !regexpKebab.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case, so it is not its own Markdown anchor", r.ID)
		}
		if r.Summary == "" || r.Fix == "" || r.Citation == "" {
			t.Errorf("%s: summary, fix and citation are all documented; one is empty", r.ID)
		}
		i := strings.Index(doc, "\n## "+r.ID+"\n")
		if i < 0 {
			t.Errorf("no section for %s", r.ID)
			continue
		}
		section := doc[i+1:]
		if j := strings.Index(section[3:], "\n## "); j >= 0 {
			section = section[:j+3]
		}
		if !strings.Contains(doc, "| ["+r.ID+"](#"+r.ID+") |") {
			t.Errorf("%s is not in the summary table", r.ID)
		}
		for _, want := range []string{"**Severity:**", "**Subject:**", "**Fix:**"} {
			if !strings.Contains(section, want) {
				t.Errorf("%s: section lacks %s", r.ID, want)
			}
		}
		for _, msg := range []string{r.QEMU, r.Libvirt} {
			if msg != "" && !strings.Contains(section, codeSpan(msg)) {
				t.Errorf("%s: section lacks the message %s", r.ID, codeSpan(msg))
			}
		}
		for _, p := range Profiles {
			if !strings.Contains(section, r.SeverityIn(p).String()+" in "+string(p)) {
				t.Errorf("%s: section lacks the severity in %s", r.ID, p)
			}
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for _, tc := range []struct {
		f        func(string) string
		in, want string
	}{
		{codeSpan, "Cert '%s' has no issuer", "`Cert '%s' has no issuer`"},
		{codeSpan, "run `ls` now", "`` run `ls` now ``"},
		{MarkdownCell, "a|b\nc", `a\|b<br>c`},
		{MarkdownText, "use *.example.com, <= 10.1", `use \*.example.com, \<= 10.1`},
		{MarkdownText, "compare `openssl x509`", "compare `openssl x509`"},
		{sentence, "the key is missing", "The key is missing."},
		{sentence, "done.", "Done."},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}
