package table_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/table"
)

// The table package replaced github.com/olekukonko/tablewriter v1.1.5,
// which is only a test dependency now (the binary does not link it). These
// tests render the same tables with both and compare the bytes.

// tablewriterNew is the removed table.New: tablewriter with the house
// options.
func tablewriterNew(w io.Writer) *tablewriter.Table {
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
	}
	if n := table.Width(w); n > 0 {
		opts = append(opts, tablewriter.WithMaxWidth(n), tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithHeaderAutoWrap(tw.WrapNormal))
	} else {
		opts = append(opts, tablewriter.WithRowAutoWrap(tw.WrapNone), tablewriter.WithHeaderAutoWrap(tw.WrapNone))
	}
	return tablewriter.NewTable(w, opts...)
}

// tablewriter guesses East Asian widths from the locale and the tab width
// from the working directory (4 beside a go.mod); the table package
// counts ambiguous runes narrow and a tab as 8 spaces, as tablewriter
// does in an ordinary terminal.
func init() {
	twwidth.SetOptions(twwidth.Options{})
	twwidth.TabWidth()
	twwidth.SetTabWidth(8)
}

type sample struct {
	width  int // 0: a pipe
	header []string
	rows   [][]string
}

func (s sample) String() string {
	return fmt.Sprintf("width %d, header %q, rows %q", s.width, s.header, s.rows)
}

func renderBoth(t testing.TB, s sample) (ours, theirs string) {
	t.Helper()
	var a, b bytes.Buffer
	var wa, wb io.Writer = &a, &b
	if s.width > 0 {
		wa, wb = table.Fixed(&a, s.width), table.Fixed(&b, s.width)
	}
	nt := table.New(wa)
	ot := tablewriterNew(wb)
	if s.header != nil {
		nt.Header(s.header...)
		ot.Header(s.header)
	}
	for _, r := range s.rows {
		nt.Append(r...)
		if err := ot.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := nt.Render(); err != nil {
		t.Fatal(err)
	}
	if err := ot.Render(); err != nil {
		t.Fatal(err)
	}
	return a.String(), b.String()
}

func check(t testing.TB, s sample) {
	t.Helper()
	if ours, theirs := renderBoth(t, s); ours != theirs {
		t.Fatalf("%v:\ntable:\n%s\ntablewriter:\n%s", s, ours, theirs)
	}
}

// words the random tables are made of: file names, rule IDs, long tokens
// (a path, a fingerprint), wide CJK runes, emoji, combining marks,
// ambiguous-width and zero-width runes, escapes as lint.Printable writes
// them.
var words = []string{
	"a", "ok", "error", "warning", "server-cert.pem", "ca-cert.pem", "identity-unpaired",
	"the", "consumer", "refuses", "directory", "as", "a", "whole", "FAIL", "*",
	"/var/lib/libvirt/qemu/tls/very/deep/path/to/server-key.pem",
	"SHA256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	"証明書", "鍵", "サーバー証明書の期限", "🔒", "👍🏽", "Cafe\u0301", "naïve", "Ωmega",
	"±", "§", "«quoted»", "x\u200by", `\x00`, `\u202e`, "(waived)", "--fail-on",
	"2026-12-05T11:17:44Z", "CN=tlscreds test CA,O=Example", "0", "",
}

func randomCell(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return ""
	}
	var b strings.Builder
	n := r.IntN(12)
	if r.IntN(6) == 0 {
		n = r.IntN(60)
	}
	for i := range n {
		if i > 0 {
			switch r.IntN(20) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString("  ")
			case 2:
				b.WriteString("\n\n")
			case 3:
				b.WriteString("\n \n")
			case 4:
				b.WriteString("\t")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	s := b.String()
	switch r.IntN(10) {
	case 0:
		s = "  " + s
	case 1:
		s += " \n"
	}
	return s
}

func randomSample(r *rand.Rand) sample {
	var s sample
	switch r.IntN(4) {
	case 0:
	case 1:
		s.width = []int{20, 40, 60, 79, 80, 100, 120, 132, 200}[r.IntN(9)]
	default:
		s.width = 1 + r.IntN(160)
	}
	cols := 1 + r.IntN(7)
	if r.IntN(10) == 0 {
		cols = 10 + r.IntN(90) // the pair matrix: more cells than columns
	}
	if r.IntN(5) != 0 {
		s.header = make([]string, cols)
		for i := range s.header {
			s.header[i] = strings.ToUpper(randomCell(r))
		}
	}
	for range r.IntN(6) {
		n := cols
		if r.IntN(8) == 0 {
			n = 1 + r.IntN(cols+2) // a short or long row
		}
		row := make([]string, n)
		for i := range row {
			row[i] = randomCell(r)
		}
		s.rows = append(s.rows, row)
	}
	return s
}

func TestSameAsTablewriter(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	for range 800 {
		check(t, randomSample(r))
	}
}

// The tables tlscreds prints, with their own text: the lint report and
// the rules table, at widths from a narrow terminal to a pipe.
func TestSameAsTablewriterOnReports(t *testing.T) {
	rules := lint.Rules()
	for _, width := range []int{0, 30, 60, 80, 100, 120, 160, 250} {
		header := []string{"RULE"}
		for _, p := range lint.Profiles {
			header = append(header, strings.ToUpper(string(p)))
		}
		s := sample{width: width, header: append(header, "SUBJECT", "SUMMARY")}
		for _, rule := range rules {
			row := []string{rule.ID}
			for _, p := range lint.Profiles {
				row = append(row, rule.SeverityIn(p).String())
			}
			s.rows = append(s.rows, append(row, string(rule.Subject), rule.Summary))
		}
		check(t, s)

		findings := sample{width: width, header: []string{"SEVERITY", "RULE", "FILE", "MESSAGE", "FIX"}}
		for _, rule := range rules {
			findings.rows = append(findings.rows, []string{"warning (waived)", rule.ID, "server-cert.pem:12",
				lint.Printable(rule.Summary + " " + rule.QEMU), lint.Printable(rule.Fix)})
		}
		check(t, findings)
	}
}

// FuzzSameAsTablewriter: records split by \x1e are rows (the first is
// the header), \x1f splits cells; the text is printable, as lint.Printable
// leaves it.
func FuzzSameAsTablewriter(f *testing.F) {
	f.Add(uint8(0), "SEVERITY\x1fRULE\x1eerror\x1fidentity-unpaired")
	f.Add(uint8(40), "A\x1fB\x1e  x  y\n\nz \x1fa very long cell that has to wrap somewhere")
	f.Add(uint8(12), "\x1e証明書 🔒 Cafe\u0301\x1f \n \n")
	f.Fuzz(func(t *testing.T, width uint8, data string) {
		if !utf8.ValidString(data) {
			return
		}
		for _, c := range data {
			if !unicode.IsPrint(c) && !strings.ContainsRune(" \n\t\x1e\x1f", c) {
				return
			}
		}
		recs := strings.Split(data, "\x1e")
		s := sample{width: int(width)}
		if recs[0] != "" {
			s.header = strings.Split(recs[0], "\x1f")
		}
		for _, rec := range recs[1:] {
			s.rows = append(s.rows, strings.Split(rec, "\x1f"))
		}
		check(t, s)
	})
}
