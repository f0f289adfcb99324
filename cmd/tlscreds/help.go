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

func init() {
	defaultPrinter := cli.HelpPrinterCustom
	cli.HelpPrinterCustom = func(w io.Writer, templ string, data any, funcs map[string]any) {
		var b bytes.Buffer
		defaultPrinter(&b, templ, data, funcs)
		width := helpWidth
		if tw := terminalWidth(w); tw > 0 && tw < width {
			width = tw
		}
		io.WriteString(w, wrapHelp(b.String(), width))
	}
}

// wrapHelp wraps the lines of a help text longer than width at spaces.
// A continuation lines up with the text after the line's widest gap (the
// description column of a flag list), else with the line's indent.
func wrapHelp(text string, width int) string {
	var out strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		nl := strings.HasSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\n")
		if utf8.RuneCountInString(line) <= width {
			out.WriteString(line)
		} else {
			out.WriteString(wrapHelpLine(line, width))
		}
		if nl {
			out.WriteString("\n")
		}
	}
	return out.String()
}

func wrapHelpLine(line string, width int) string {
	lead := len(line) - len(strings.TrimLeft(line, " "))
	indent := lead + 3
	if i := strings.Index(line[lead:], "  "); i >= 0 {
		j := lead + i
		for j < len(line) && line[j] == ' ' {
			j++
		}
		if j < width*2/3 {
			indent = j
		}
	}
	pad := strings.Repeat(" ", indent)
	var out strings.Builder
	col := 0
	// The first line keeps its own spacing up to where wrapping may start.
	head := line[:min(indent, len(line))]
	out.WriteString(head)
	col = utf8.RuneCountInString(head)
	first := true
	for _, word := range strings.Fields(line[len(head):]) {
		n := utf8.RuneCountInString(word)
		switch {
		case first:
			first = false
		case col+1+n > width:
			out.WriteString("\n" + pad)
			col = indent
		default:
			out.WriteString(" ")
			col++
		}
		out.WriteString(word)
		col += n
	}
	return out.String()
}
