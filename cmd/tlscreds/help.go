package main

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
)

// helpWidth is the widest line --help prints (narrower on a narrower
// terminal).
const helpWidth = 100

// helpWrap is the width help is wrapped to before a narrower terminal
// narrows it (a test sets it wider to see the text unwrapped).
var helpWrap = helpWidth

func init() {
	defaultPrinter := cli.HelpPrinterCustom
	cli.HelpPrinterCustom = func(w io.Writer, templ string, data any, funcs map[string]any) {
		var b bytes.Buffer
		defaultPrinter(&b, templ, data, funcs)
		width := helpWrap
		if tw := terminalWidth(w); tw > 0 && tw < width {
			width = tw
		}
		io.WriteString(w, wrapHelp(b.String(), width))
	}
}

// wrapHelp wraps the lines of a help text longer than width at spaces.
// A line with a column gap (a flag and its description, an exit status
// and its meaning) continues under the text after the gap. Prose that was
// written hard-wrapped (lines that run to about the margin, continued at
// the same indent or 3 deeper) is one paragraph: when any of its lines
// is too wide, the paragraph is filled again, so that no word is left
// alone on a line of its own. A single line too wide continues 3 deeper.
func wrapHelp(text string, width int) string {
	lines := strings.Split(text, "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if i > 0 {
			out.WriteString("\n")
		}
		if col := gapColumn(line, width); col > 0 {
			if utf8.RuneCountInString(line) <= width {
				out.WriteString(line)
			} else {
				out.WriteString(fill(line[:col], strings.Fields(line[col:]), col, width))
			}
			continue
		}
		// A paragraph: this line and the ones that continue it.
		lead := indentOf(line)
		j, wide, cont := i+1, utf8.RuneCountInString(line) > width, -1
		for j < len(lines) && continues(lines[j-1], lines[j], lead, width) {
			if cont < 0 {
				cont = indentOf(lines[j])
			}
			wide = wide || utf8.RuneCountInString(lines[j]) > width
			j++
		}
		if !wide {
			out.WriteString(strings.Join(lines[i:j], "\n"))
			i = j - 1
			continue
		}
		if cont < 0 {
			cont = lead + 3
		}
		var words []string
		for _, l := range lines[i:j] {
			words = append(words, strings.Fields(l)...)
		}
		out.WriteString(fill(line[:lead], words, cont, width))
		i = j - 1
	}
	return out.String()
}

// gapColumn is where the text after a line's first gap of two or more
// spaces starts (the description column of a flag list), or 0 when the
// line has none in its first two thirds.
func gapColumn(line string, width int) int {
	lead := indentOf(line)
	i := strings.Index(line[lead:], "  ")
	if i < 0 {
		return 0
	}
	j := lead + i
	for j < len(line) && line[j] == ' ' {
		j++
	}
	if j >= width*2/3 || j >= len(line) {
		return 0
	}
	return j
}

// continues says next goes on the paragraph whose last line is prev: prev
// ran to about the margin, and next is prose at the paragraph's indent or
// 3 deeper, not the start of a list item or a command line.
func continues(prev, next string, lead, width int) bool {
	if strings.TrimSpace(next) == "" || utf8.RuneCountInString(prev) < width*3/4 || gapColumn(next, width) > 0 {
		return false
	}
	if in := indentOf(next); in != lead && in != lead+3 {
		return false
	}
	t := strings.TrimLeft(next, " ")
	for _, p := range []string{"- ", "* ", "$ ", "#"} {
		if strings.HasPrefix(t, p) {
			return false
		}
	}
	return true
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// fill writes head, then words separated by spaces, breaking before a
// word that would pass width; the lines after the first start at column
// indent. A last line of a single word takes the word before it along.
func fill(head string, words []string, indent, width int) string {
	var lines [][]string
	col := utf8.RuneCountInString(head)
	for k, word := range words {
		n := utf8.RuneCountInString(word)
		switch {
		case k == 0:
			lines = append(lines, nil)
		case col+1+n > width:
			lines = append(lines, nil)
			col = indent
		default:
			col++
		}
		lines[len(lines)-1] = append(lines[len(lines)-1], word)
		col += n
	}
	if k := len(lines) - 1; k > 0 && len(lines[k]) == 1 && len(lines[k-1]) > 2 {
		moved := lines[k-1][len(lines[k-1])-1]
		if indent+len(moved)+1+len(lines[k][0]) <= width {
			lines[k] = append([]string{moved}, lines[k]...)
			lines[k-1] = lines[k-1][:len(lines[k-1])-1]
		}
	}
	var out strings.Builder
	out.WriteString(head)
	pad := strings.Repeat(" ", indent)
	for k, l := range lines {
		if k > 0 {
			out.WriteString("\n" + pad)
		}
		out.WriteString(strings.Join(l, " "))
	}
	return out.String()
}
