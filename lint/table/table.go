// Package table is the one table style of tlscreds' reports: ASCII rules
// (they survive logs and every console), headers as written, cells
// left-aligned, and a width that follows the output: a writer that knows
// its terminal's width ([Sized]) gets tables that fit it, long cells
// wrapped at word boundaries; any other writer (a pipe, a file) gets rows
// that are never wrapped, one line per row, for grep and diff.
//
// Cells must already be safe to print (lint.Printable): widths are
// computed on the escaped text, and colour, if any, comes last.
//
// # Layout
//
// Each cell is trimmed of surrounding white space and split at its
// newlines. With a width W, a line is wrapped at spaces into lines of at
// most W/n - 2 columns for a row of n cells (W - 2 when n > W), breaking
// where the lines come out most even (greedily for a line of more than a
// thousand words); a word longer than that stays whole. A column is as wide as its widest line plus a space either side.
// The continuation lines of a row that are blank in every cell are left
// out.
//
// This is the layout github.com/olekukonko/tablewriter v1.1.5 drew with
// the options tlscreds gave it, byte for byte (table_test.go renders the
// same tables with both); it is written here because that module's
// package initialisation alone cost more start-up time than a lint of one
// directory (docs/performance.md).
package table

import (
	"bufio"
	"io"
	"strings"
	"unicode"

	"github.com/clipperhouse/displaywidth"
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

// Fixed wraps a writer with a width, for tests and for callers that
// know the width themselves.
func Fixed(w io.Writer, width int) io.Writer { return fixed{w, width} }

type fixed struct {
	io.Writer
	width int
}

func (f fixed) TableWidth() int { return f.width }

// Table is a table being filled: set the header, append rows, then
// [Table.Render] writes it. A Table is not safe for concurrent use.
type Table struct {
	w      io.Writer
	width  int
	header []string
	rows   [][]string
}

// New returns a table on w in the house style, fitted to [Width](w).
func New(w io.Writer) *Table {
	return &Table{w: w, width: max(Width(w), 0)}
}

// Header sets the header row: a table without one starts with its rows.
func (t *Table) Header(cells ...string) { t.header = cells }

// Append adds a row. Rows may have fewer or more cells than the header;
// missing cells are drawn empty.
func (t *Table) Append(cells ...string) { t.rows = append(t.rows, cells) }

// Render writes the table, or nothing when it has neither a header nor
// rows. The error is the writer's.
func (t *Table) Render() error {
	if len(t.header) == 0 && len(t.rows) == 0 {
		return nil
	}
	// Each logical row becomes lines of cells (wrapped, split at
	// newlines); every line of a row has the row's number of cells.
	head := t.lines(t.header)
	body := make([][][]string, len(t.rows))
	cols := len(t.header)
	for i, r := range t.rows {
		body[i] = t.lines(r)
		cols = max(cols, len(r))
	}
	// A column's width counts a space either side of its widest line; a
	// column no row has a cell in is 1 wide.
	widths := make([]int, cols)
	measure := func(line []string) {
		for i, c := range line {
			widths[i] = max(widths[i], textWidth(c)+2)
		}
	}
	for _, l := range head {
		measure(l)
	}
	for _, r := range body {
		for _, l := range r {
			measure(l)
		}
	}
	for i, w := range widths {
		if w == 0 {
			widths[i] = 1
		}
	}

	out := bufio.NewWriter(t.w)
	rule := ruleLine(widths)
	out.WriteString(rule)
	for _, l := range head {
		writeLine(out, l, widths)
	}
	if len(head) > 0 && len(body) > 0 {
		out.WriteString(rule)
	}
	for _, r := range body {
		for j, l := range r {
			if j > 0 && blank(l) {
				continue
			}
			writeLine(out, l, widths)
		}
	}
	out.WriteString(rule)
	return out.Flush()
}

// lines trims, splits and (with a width) wraps each cell of a row, and
// lays the result out as lines of len(cells) cells each.
func (t *Table) lines(cells []string) [][]string {
	if len(cells) == 0 {
		return nil
	}
	limit := 0
	if t.width > 0 {
		// A share of the width per cell, or the whole width when the
		// cells outnumber the columns; less the cell's two spaces.
		share := t.width / len(cells)
		if share == 0 {
			share = t.width
		}
		limit = max(share-2, 0)
	}
	var out [][]string
	for i, c := range cells {
		c = strings.TrimSpace(c)
		c = strings.ReplaceAll(c, "\t", tabSpaces)
		var cl []string
		for _, l := range strings.Split(c, "\n") {
			if limit > 0 {
				cl = append(cl, wrap(l, limit)...)
			} else {
				cl = append(cl, l)
			}
		}
		for len(out) < len(cl) {
			out = append(out, make([]string, len(cells)))
		}
		for j, l := range cl {
			out[j][i] = l
		}
	}
	return out
}

// tabSpaces replaces a tab inside a cell (cells should hold none: see
// the package doc).
const tabSpaces = "        "

// blank reports whether every cell of a line is empty or white space.
func blank(line []string) bool {
	for _, c := range line {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ruleLine is a horizontal rule: "+----+---+\n".
func ruleLine(widths []int) string {
	var b strings.Builder
	b.WriteByte('+')
	for _, w := range widths {
		b.WriteString(strings.Repeat("-", w))
		b.WriteByte('+')
	}
	b.WriteByte('\n')
	return b.String()
}

// writeLine writes one line of cells, each left-aligned after a space
// and padded to its column's width; cells past the line's end are empty.
func writeLine(out *bufio.Writer, line []string, widths []int) {
	out.WriteByte('|')
	for i, w := range widths {
		c := ""
		if i < len(line) {
			c = line[i]
		}
		out.WriteByte(' ')
		out.WriteString(c)
		for range w - 1 - textWidth(c) {
			out.WriteByte(' ')
		}
		out.WriteByte('|')
	}
	out.WriteByte('\n')
}

// textWidth is the number of terminal columns s takes: the sum of its
// runes' widths (East Asian wide runes and emoji count 2, combining
// marks and controls 0), as tablewriter counted them.
func textWidth(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if b := s[i]; b >= 0x80 {
			for _, r := range s[i:] {
				n += displaywidth.Rune(r)
			}
			return n
		} else if b >= 0x20 && b != 0x7f {
			n++
		}
	}
	return n
}

// wrap breaks a line at white space into lines of at most limit
// columns, choosing the breaks that make the lines' lengths most even
// (the sum of the squares of their shortfalls, the last line free); a
// word wider than limit raises the limit to its width. Runs of white
// space become one space. That choice costs time in the square of the
// number of words, so a line of more than maxEvenWords words is filled
// greedily instead.
func wrap(s string, limit int) []string {
	if s == " " {
		return []string{" "}
	}
	words := strings.FieldsFunc(s, unicode.IsSpace)
	if len(words) == 0 {
		return []string{""}
	}
	n := len(words)
	lengths := make([]int, n)
	for i, w := range words {
		lengths[i] = textWidth(w)
		limit = max(limit, lengths[i])
	}
	if n > maxEvenWords {
		return fill(words, lengths, limit)
	}
	// cost[i] is the least raggedness of words[i:], whose first line
	// ends before words[next[i]].
	const overlong = 1e5
	next := make([]int, n)
	cost := make([]int, n)
	rest := lengths[n-1]
	for i := n - 1; i >= 0; i-- {
		if i < n-1 {
			rest += 1 + lengths[i]
		}
		if rest <= limit || i == n-1 {
			cost[i], next[i] = 0, n
			continue
		}
		cost[i] = 1<<31 - 1
		phrase := lengths[i]
		for j := i + 1; j < n; j++ {
			if j > i+1 {
				phrase += 1 + lengths[j-1]
			}
			d := limit - phrase
			c := d*d + cost[j]
			if phrase > limit {
				c += overlong
			}
			if c < cost[i] {
				cost[i], next[i] = c, j
			}
		}
	}
	var lines []string
	for i := 0; i < n; i = next[i] {
		lines = append(lines, strings.Join(words[i:next[i]], " "))
	}
	return lines
}

// maxEvenWords bounds the words of a line that [wrap] breaks evenly:
// about a million steps (a millisecond).
const maxEvenWords = 1000

// fill puts as many words on each line as fit in limit.
func fill(words []string, lengths []int, limit int) []string {
	var lines []string
	start, width := 0, lengths[0]
	for i := 1; i < len(words); i++ {
		if width+1+lengths[i] > limit {
			lines = append(lines, strings.Join(words[start:i], " "))
			start, width = i, lengths[i]
			continue
		}
		width += 1 + lengths[i]
	}
	return append(lines, strings.Join(words[start:], " "))
}
