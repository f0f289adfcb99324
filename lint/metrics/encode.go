package metrics

import (
	"bytes"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Content types of the two encodings (what client_golang's expfmt
// announces for them).
const (
	ContentTypeText        = "text/plain; version=0.0.4; charset=utf-8"
	ContentTypeOpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8"
)

// Exposition is a snapshot rendered once in both formats Prometheus
// reads.
type Exposition struct {
	Text        []byte // text format 0.0.4
	OpenMetrics []byte // OpenMetrics 1.0.0, served by content negotiation
}

// Render encodes a snapshot's families in both formats, in one pass.
func Render(s *Snapshot) (*Exposition, error) {
	text, om := Encode(s.Families())
	return &Exposition{Text: text, OpenMetrics: om}, nil
}

// Encode writes families in the Prometheus text format 0.0.4 and in
// OpenMetrics 1.0.0, byte for byte what client_golang's expfmt encoders
// write for the same metrics (lint/metrics/promcollector's tests compare
// them), without a client_golang metric, label pair or registry per
// series: that costs about 40 allocations per series, which for the ~40
// series of a credential directory made rendering twice the cost of
// linting it (docs/performance.md). Label values that are not valid
// UTF-8 (a file name can be anything) are written with U+FFFD in place
// of the invalid bytes, which client_golang would refuse.
func Encode(fams []Family) (text, om []byte) {
	var t, o bytes.Buffer
	EncodeTo(fams, &t, &o)
	return t.Bytes(), o.Bytes()
}

// EncodeTo is [Encode] writing to text and om as it goes (the exporter
// gzips them on the fly, so the plain text of a large fleet, some 6 MB
// per 1,000 directories, is never held whole). It returns the first
// write error.
func EncodeTo(fams []Family, text, om io.Writer) error {
	// Lines are built in line and written to both: the OpenMetrics line
	// has the same name and labels (a counter's sample is named
	// NAME_total in both), only the number differs.
	var line []byte
	var err error
	write := func(w io.Writer, b []byte) {
		if err == nil {
			_, err = w.Write(b)
		}
	}
	for _, f := range fams {
		if len(f.Series) == 0 {
			continue
		}
		omName := f.Name
		if f.Type == Counter {
			omName = strings.TrimSuffix(f.Name, "_total")
		}
		typ := " gauge\n"
		if f.Type == Counter {
			typ = " counter\n"
		}
		line = append(append(append(line[:0], "# HELP "...), f.Name...), ' ')
		line = escape(line, f.Help, false)
		line = append(append(append(line, "\n# TYPE "...), f.Name...), typ...)
		write(text, line)
		if f.Type == Counter && omName == f.Name {
			typ = " unknown\n" // as expfmt: an OpenMetrics counter's samples end in _total
		}
		line = append(append(append(line[:0], "# HELP "...), omName...), ' ')
		line = escape(line, f.Help, true)
		line = append(append(append(line, "\n# TYPE "...), omName...), typ...)
		write(om, line)
		for _, s := range f.Series {
			line = append(line[:0], f.Name...)
			for i, l := range f.Labels {
				if i == 0 {
					line = append(line, '{')
				} else {
					line = append(line, ',')
				}
				line = append(append(line, l...), '=', '"')
				line = escape(line, s.Values[i], true)
				line = append(line, '"')
			}
			if len(f.Labels) > 0 {
				line = append(line, '}')
			}
			n := len(line)
			line = append(appendTextFloat(append(line, ' '), s.Value), '\n')
			write(text, line)
			line = append(appendOpenMetricsFloat(append(line[:n], ' '), s.Value), '\n')
			write(om, line)
		}
	}
	write(om, []byte("# EOF\n"))
	return err
}

// escape writes v with backslash, newline and (in label values and
// OpenMetrics help) double quote escaped, as expfmt does.
func escape(b []byte, v string, quote bool) []byte {
	plain := true
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= utf8.RuneSelf || c == '\\' || c == '\n' || c == '"' {
			plain = false
			break
		}
	}
	if plain {
		return append(b, v...)
	}
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '"' && quote:
			b = append(b, '\\', '"')
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendTextFloat(b []byte, f float64) []byte {
	switch {
	case f == 1:
		return append(b, '1')
	case f == 0:
		return append(b, '0')
	case f == -1:
		return append(b, "-1"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func appendOpenMetricsFloat(b []byte, f float64) []byte {
	switch {
	case f == 1:
		return append(b, "1.0"...)
	case f == 0:
		return append(b, "0.0"...)
	case f == -1:
		return append(b, "-1.0"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if !bytes.ContainsAny(b[start:], "e.") {
		b = append(b, '.', '0')
	}
	return b
}

// WantsOpenMetrics reads a scrape's Accept header as client_golang's
// content negotiation does: OpenMetrics when the most preferred media
// type it offers is application/openmetrics-text (Prometheus 2.42 asks
// for it first), the text format otherwise.
func WantsOpenMetrics(h http.Header) bool {
	best, om := -1.0, false
	for _, part := range strings.Split(strings.Join(h.Values("Accept"), ","), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		if q <= best || q <= 0 {
			continue
		}
		switch mt {
		case "application/openmetrics-text":
			if v := params["version"]; v == "" || v == "1.0.0" || v == "0.0.1" {
				best, om = q, true
			}
		case "text/plain", "application/vnd.google.protobuf", "*/*", "text/*":
			best, om = q, false
		}
	}
	return om
}
