package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Exposition is a snapshot rendered once in both formats Prometheus
// reads.
type Exposition struct {
	Text        []byte // text format 0.0.4
	OpenMetrics []byte // OpenMetrics 1.0.0, served by content negotiation
}

// Render encodes a snapshot's families in both formats.
func Render(s *Snapshot) (*Exposition, error) {
	var t, o bytes.Buffer
	if err := EncodeTo(s.Families(), &t, &o); err != nil {
		return nil, err
	}
	return &Exposition{Text: t.Bytes(), OpenMetrics: o.Bytes()}, nil
}

// Encode writes families in the Prometheus text format 0.0.4 and in
// OpenMetrics 1.0.0. The bytes are those of the Prometheus client
// library's encoders (github.com/prometheus/common/expfmt, which
// client_golang's promhttp and WriteToTextfile use) for the same
// families as a client_golang registry gathers them: the tests hold the
// two byte for byte equal (TestEncodeIsExpfmts, FuzzEncode). This
// package writes them itself so that no tlscreds command links
// expfmt, client_model and protobuf, whose package initialisation ran
// in every command (docs/performance.md).
func Encode(fams []Family) (text, om []byte, err error) {
	var t, o bytes.Buffer
	err = EncodeTo(fams, &t, &o)
	return t.Bytes(), o.Bytes(), err
}

// EncodeTo is [Encode] writing to text and om (either may be nil) one
// family at a time, in chunks of some 32 KiB: the plain text is never
// held whole (the exporter gzips on the fly; at 10,000 directories the
// text is some 60 MB per format).
func EncodeTo(fams []Family, text, om io.Writer) error {
	var encs []*encoder
	if text != nil {
		encs = append(encs, &encoder{w: text})
	}
	if om != nil {
		encs = append(encs, &encoder{w: om, om: true})
	}
	for _, e := range encs {
		if err := e.all(fams); err != nil {
			return err
		}
	}
	return nil
}

// encoder writes families in one format to w, through a buffer flushed
// when it passes flushAt.
type encoder struct {
	w   io.Writer
	om  bool // OpenMetrics 1.0.0, else the text format 0.0.4
	buf []byte
}

const flushAt = 32 << 10

// all writes every family of fams with series (expfmt refuses a family
// without any, which client_golang's Gather never yields) and, in
// OpenMetrics, the closing # EOF line.
func (e *encoder) all(fams []Family) error {
	if e.buf == nil {
		e.buf = make([]byte, 0, flushAt+4096)
	}
	for i := range fams {
		if err := e.family(&fams[i]); err != nil {
			return err
		}
	}
	if e.om {
		e.buf = append(e.buf, "# EOF\n"...)
	}
	return e.flush()
}

func (e *encoder) flush() error {
	if len(e.buf) == 0 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

var errNoName = errors.New("metrics: a family has no name")

// family appends one family's HELP, TYPE and sample lines, as expfmt's
// MetricFamilyToText and MetricFamilyToOpenMetrics write a gauge or a
// counter with no timestamps, exemplars or created lines.
func (e *encoder) family(f *Family) error {
	if len(f.Series) == 0 {
		return nil
	}
	if f.Name == "" {
		return errNoName
	}
	// OpenMetrics names a counter family without its _total suffix
	// (which its samples keep); a counter whose name lacks it is of type
	// unknown there.
	meta, typ := f.Name, " gauge\n"
	if f.Type == Counter {
		typ = " counter\n"
		if e.om {
			if m, ok := strings.CutSuffix(f.Name, "_total"); ok {
				meta = m
			} else {
				typ = " unknown\n"
			}
		}
	}
	b := append(e.buf, "# HELP "...)
	b = appendName(b, meta)
	b = append(b, ' ')
	b = appendEscaped(b, f.Help, e.om) // the text format leaves quotes in HELP as they are
	b = append(b, "\n# TYPE "...)
	b = appendName(b, meta)
	b = append(b, typ...)
	// What comes before each series' label values: the name, then '{'
	// or ','; a name that is not a legacy metric name is quoted inside
	// the braces.
	var head []byte
	quoted := !legacyName(f.Name)
	if quoted {
		head = appendName(append(head, '{'), f.Name)
	} else {
		head = append(head, f.Name...)
	}
	for i := range f.Series {
		s := &f.Series[i]
		if len(s.Values) != len(f.Labels) {
			e.buf = b
			return fmt.Errorf("metrics: a series of %s has %d label values for %d labels", f.Name, len(s.Values), len(f.Labels))
		}
		b = append(b, head...)
		sep := byte('{')
		if quoted {
			sep = ','
		}
		for j, l := range f.Labels {
			b = append(b, sep)
			sep = ','
			b = appendName(b, l)
			b = append(b, '=', '"')
			b = appendLabelValue(b, s.Values[j])
			b = append(b, '"')
		}
		if quoted || len(f.Labels) > 0 {
			b = append(b, '}')
		}
		b = append(b, ' ')
		b = appendFloat(b, s.Value, e.om)
		b = append(b, '\n')
		if len(b) >= flushAt {
			e.buf = b
			if err := e.flush(); err != nil {
				return err
			}
			b = e.buf
		}
	}
	e.buf = b
	return nil
}

// legacyName is expfmt's test for a name written bare (model's legacy
// validation of a metric name, which it applies to label names too):
// [a-zA-Z_:][a-zA-Z0-9_:]*.
func legacyName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':' || '0' <= c && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}

// appendName appends a metric or label name: bare when it is a legacy
// name, else quoted and escaped.
func appendName(b []byte, s string) []byte {
	if legacyName(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	b = appendEscaped(b, s, true)
	return append(b, '"')
}

// appendLabelValue appends a label value, with U+FFFD in place of
// bytes that are not UTF-8 (a file name can be anything, and the
// exposition is UTF-8; client_golang refuses such a label value).
func appendLabelValue(b []byte, v string) []byte {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	return appendEscaped(b, v, true)
}

// appendEscaped appends s with a backslash escaping each backslash, a
// newline as \n and, when quote is set, each double quote.
func appendEscaped(b []byte, s string, quote bool) []byte {
	for {
		i := 0
		for ; i < len(s); i++ {
			if c := s[i]; c == '\\' || c == '\n' || c == '"' && quote {
				break
			}
		}
		b = append(b, s[:i]...)
		if i == len(s) {
			return b
		}
		switch s[i] {
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, '\\', s[i])
		}
		s = s[i+1:]
	}
}

// appendFloat appends a sample value as expfmt does: the shortest 'g'
// form, 0, 1 and -1 (and -0 as 0) written out, NaN, +Inf and -Inf; in
// OpenMetrics a number with neither '.' nor 'e' gets ".0".
func appendFloat(b []byte, f float64, om bool) []byte {
	switch {
	case f == 1:
		b = append(b, '1')
	case f == 0:
		b = append(b, '0')
	case f == -1:
		b = append(b, '-', '1')
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	default:
		n := len(b)
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
		if !om || bytes.ContainsAny(b[n:], "e.") {
			return b
		}
	}
	if om {
		b = append(b, '.', '0')
	}
	return b
}

// The Content-Types the exporter answers with: expfmt's Format strings,
// to which expfmt's negotiation appends the name escaping scheme.
const (
	ctText  = "text/plain; version=0.0.4; charset=utf-8"
	ctOM100 = "application/openmetrics-text; version=1.0.0; charset=utf-8"
	ctOM001 = "application/openmetrics-text; version=0.0.1; charset=utf-8"
)

// servedFormats are the encodings the exporter renders, in its order of
// preference when a scrape accepts several: OpenMetrics (Prometheus asks
// for it first) and the text format, with the version parameter each
// must match. Protobuf is not rendered: a scraper that asks for it alone
// is answered in the text format.
var servedFormats = []struct {
	typ, subType, version, contentType string
	format                             int
}{
	{"application", "openmetrics-text", "1.0.0", ctOM100, fmtOM},
	{"application", "openmetrics-text", "0.0.1", ctOM001, fmtOM},
	{"text", "plain", "0.0.4", ctText, fmtText},
}

// negotiate picks the format of a scrape as expfmt's NegotiateAccept
// (what client_golang's promhttp calls) does with servedFormats, and
// returns its Content-Type, byte for byte the one expfmt gives
// (TestNegotiateIsExpfmts), and which of the exporter's renderings
// (fmtText, fmtOM) it is:
//
//   - the Accept header's clauses are taken in goautoneg's order (by q,
//     then concrete types before wildcards; q=0 does not refuse);
//   - the first clause matching a served format picks it: its type and
//     subtype equal or "*", and its version parameter equal, a missing
//     one meaning 0.0.1 for OpenMetrics and 0.0.4 for text/plain (so
//     "*/*" alone matches none);
//   - no match: the text format;
//   - the Content-Type ends with "; escaping=" and the escaping
//     parameter of the last clause up to the matching one that has a
//     known one (allow-utf-8, underscores, dots, values), by default
//     underscores (model.NameEscapingScheme). Our names need no
//     escaping in any scheme.
func negotiate(h http.Header) (contentType string, format int) {
	escaping := "underscores"
	for _, ac := range parseAccept(h.Get("Accept")) {
		switch p := ac.params["escaping"]; p {
		case "allow-utf-8", "underscores", "dots", "values":
			escaping = p
		}
		for _, f := range servedFormats {
			if ac.matches(f.typ, f.subType, f.version) {
				return f.contentType + "; escaping=" + escaping, f.format
			}
		}
	}
	return ctText + "; escaping=" + escaping, fmtText
}
