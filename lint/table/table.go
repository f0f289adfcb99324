// Package table is the one table style of tlscreds' reports: ASCII rules
// (they survive logs and every console), headers as written, cells
// left-aligned, and a width that follows the output: a writer that knows
// its terminal's width ([Sized]) gets tables that fit it, long cells
// wrapped at word boundaries; any other writer (a pipe, a file) gets rows
// that are never wrapped, one line per row, for grep and diff.
//
// Cells must already be safe to print (lint.Printable): widths are
// computed on the escaped text, and colour, if any, comes last.
package table

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Sized is an output that knows how wide it is: 0 means unlimited.
type Sized interface {
	TableWidth() int
}

// Width is the width tables written to w must fit: 0 for unlimited.
func Width(w io.Writer) int {
	if s, ok := w.(Sized); ok {
		return s.TableWidth()
	}
	return 0
}

// New returns a table on w in the house style, fitted to [Width](w).
func New(w io.Writer, opts ...tablewriter.Option) *tablewriter.Table {
	base := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
	}
	if n := Width(w); n > 0 {
		base = append(base, tablewriter.WithMaxWidth(n), tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithHeaderAutoWrap(tw.WrapNormal))
	} else {
		base = append(base, tablewriter.WithRowAutoWrap(tw.WrapNone), tablewriter.WithHeaderAutoWrap(tw.WrapNone))
	}
	return tablewriter.NewTable(w, append(base, opts...)...)
}

// Fixed wraps a writer with a width, for tests and for callers that
// know the width themselves.
func Fixed(w io.Writer, width int) io.Writer { return fixed{w, width} }

type fixed struct {
	io.Writer
	width int
}

func (f fixed) TableWidth() int { return f.width }
