package metrics

import (
	"sort"
	"strconv"
	"strings"
)

// acceptClause is one media range of an Accept header.
type acceptClause struct {
	typ, subType string
	q            float64
	params       map[string]string
}

// parseAccept parses an Accept header as github.com/munnerz/goautoneg's
// ParseAccept does, which expfmt's negotiation uses: clauses split at
// every ',' and ';' (no quoted strings), spaces (not tabs) trimmed, a
// clause with nothing after its '/' dropped unless it is "*", one with
// something after a second '/' dropped (so "a/b/" is a/b), likewise a
// parameter with nothing after its '=' or something after a second '='
// (so "q==" is q=""), q parsed as a 32-bit float (a q that does not
// parse is 0, one too large +Inf), then sorted by [acceptOrder] with
// sort.Sort, whose result for clauses that order does not rank is the
// sort algorithm's: it is called the same way here.
func parseAccept(header string) []acceptClause {
	out := make(acceptOrder, 0, strings.Count(header, ",")+1)
	trim := func(s string) string { return strings.Trim(s, " ") }
	for part := range strings.SplitSeq(header, ",") {
		if part == "" {
			continue
		}
		part = trim(part)
		a := acceptClause{q: 1}
		media, rest, hasParams := strings.Cut(part, ";")
		t, sub, ok := strings.Cut(media, "/")
		a.typ = trim(t)
		switch {
		case !ok || sub == "":
			if a.typ != "*" {
				continue
			}
			a.subType = "*"
		default:
			sub, extra, _ := strings.Cut(sub, "/")
			if extra != "" {
				continue
			}
			a.subType = trim(sub)
		}
		if !hasParams || rest == "" {
			out = append(out, a)
			continue
		}
		a.params = map[string]string{}
		for p := range strings.SplitSeq(rest, ";") {
			k, after, _ := strings.Cut(p, "=")
			v, extra, _ := strings.Cut(after, "=")
			if after == "" || extra != "" {
				continue
			}
			if k = trim(k); k == "q" {
				a.q, _ = strconv.ParseFloat(v, 32)
			} else {
				a.params[k] = trim(v)
			}
		}
		out = append(out, a)
	}
	sort.Sort(out)
	return out
}

// acceptOrder is goautoneg's order: a higher q first, then a concrete
// type or subtype before a wildcard (not a strict weak order: sort.Sort
// gives the same result as goautoneg only because it is the same sort).
type acceptOrder []acceptClause

func (s acceptOrder) Len() int      { return len(s) }
func (s acceptOrder) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s acceptOrder) Less(i, j int) bool {
	a, b := s[i], s[j]
	return a.q > b.q || a.typ != "*" && b.typ == "*" || a.subType != "*" && b.subType == "*"
}

// matches says whether a clause accepts the format of type typ/subType
// at version, as expfmt's matchFormat does (charset is not compared).
func (a acceptClause) matches(typ, subType, version string) bool {
	if a.typ != "*" && a.typ != typ || a.subType != "*" && a.subType != subType {
		return false
	}
	v := a.params["version"]
	if v == "" && a.typ == "application" && a.subType == "openmetrics-text" {
		v = "0.0.1"
	}
	if v == "" && a.typ == "text" && a.subType == "plain" {
		v = "0.0.4"
	}
	return v == version
}
