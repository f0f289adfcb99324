package main

import (
	"io"
	"strings"

	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/table"
)

// writeTable renders rows under header in the house style (lint/table):
// fitted to a terminal, one line per row elsewhere. Cells go through
// [cell].
func writeTable(w io.Writer, header []string, rows [][]string) error {
	t := table.New(w)
	t.Header(header...)
	for _, r := range rows {
		t.Append(cells(r)...)
	}
	return t.Render()
}

// field is one row of a two-column name/value table; the value may span
// several lines.
type field struct {
	name  string
	lines []string
}

// kv is a one-line field.
func kv(name, value string) field { return field{name, []string{value}} }

// writeFields renders fields as a table without a header, indented by
// indent spaces. Fields without a value are left out.
func writeFields(w io.Writer, indent int, fields []field) error {
	var b strings.Builder
	t := table.New(&b)
	for _, f := range fields {
		if strings.Join(f.lines, "") == "" {
			continue
		}
		t.Append(cell(f.name), strings.Join(cells(f.lines), "\n"))
	}
	if err := t.Render(); err != nil {
		return err
	}
	return writeIndented(w, indent, b.String())
}

// writeIndented writes text with every non-empty line indented.
func writeIndented(w io.Writer, indent int, text string) error {
	pad := strings.Repeat(" ", indent)
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(line) == "" {
			if _, err := io.WriteString(w, line); err != nil {
				return err
			}
			continue
		}
		if _, err := io.WriteString(w, pad+line); err != nil {
			return err
		}
	}
	return nil
}

func cells(row []string) []string {
	out := make([]string, len(row))
	for i, s := range row {
		out[i] = cell(s)
	}
	return out
}

// cell makes text from certificates and file names safe to print (see
// [lint.Printable]).
func cell(s string) string { return lint.Printable(s) }
