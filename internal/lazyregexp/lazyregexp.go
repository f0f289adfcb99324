// Package lazyregexp is a regexp.Regexp compiled on first use, for
// package-level patterns: Go runs every linked package's initialisation
// in every process, so a pattern compiled there costs each command that
// never uses it (docs/performance.md, "Start-up"). In test binaries the
// pattern is compiled at once, so that a bad one fails every test of its
// package, as regexp.MustCompile at package level would.
//
// It is the Go command's internal/lazyregexp idea, with the methods
// tlscreds uses.
package lazyregexp

import (
	"bytes"
	"os"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Regexp is a regular expression compiled on first use. It is safe for
// concurrent use.
type Regexp struct {
	expr string
	once sync.Once
	rx   *regexp.Regexp
	// lits, when the pattern matches case-sensitively, are literals one
	// of which every match contains (see Literals): a text without any
	// of them cannot match, which strings.Contains finds out far faster
	// than the regexp engine does for a wide alternation.
	lits []string
}

// New returns expr, to be compiled with regexp.MustCompile on first use.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr}
	if inTest {
		r.re()
	}
	return r
}

var inTest = len(os.Args) > 0 && strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test")

func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(func() {
		r.rx = regexp.MustCompile(r.expr)
		if lits, fold := Literals(r.expr); !fold {
			r.lits = lits
		}
	})
	return r.rx
}

// cannot reports that s lacks every literal a match needs.
func (r *Regexp) cannot(s string) bool {
	return r.lits != nil && !slices.ContainsFunc(r.lits, func(lit string) bool { return strings.Contains(s, lit) })
}

// The methods are regexp.Regexp's.

func (r *Regexp) MatchString(s string) bool {
	rx := r.re()
	return !r.cannot(s) && rx.MatchString(s)
}

func (r *Regexp) FindStringSubmatch(s string) []string {
	rx := r.re()
	if r.cannot(s) {
		return nil
	}
	return rx.FindStringSubmatch(s)
}

func (r *Regexp) FindSubmatch(b []byte) [][]byte {
	rx := r.re()
	if r.lits != nil && !slices.ContainsFunc(r.lits, func(lit string) bool { return bytes.Contains(b, []byte(lit)) }) {
		return nil
	}
	return rx.FindSubmatch(b)
}
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.re().ReplaceAllLiteralString(src, repl)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	rx := r.re()
	if r.cannot(s) {
		return nil
	}
	return rx.FindAllStringSubmatch(s, n)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}

// Literals returns strings one of which every match of expr contains, or
// nil when there are none (a pattern that can match without any
// literal, or a bad one). fold reports that some are matched ignoring
// case ((?i)): those are ASCII and in lower case, and hold only for a
// text compared in lower case, and only for an ASCII text (Unicode case
// folding pairs 'k' with the Kelvin sign).
func Literals(expr string) (lits []string, fold bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	const most = 64 // a longer set costs more than it saves
	// shortest is the length a set is judged by: its weakest member.
	shortest := func(set []string) int {
		n := -1
		for _, s := range set {
			if n < 0 || len(s) < n {
				n = len(s)
			}
		}
		return n
	}
	var must func(re *syntax.Regexp) ([]string, bool)
	must = func(re *syntax.Regexp) ([]string, bool) {
		switch re.Op {
		case syntax.OpLiteral:
			s := string(re.Rune)
			if re.Flags&syntax.FoldCase != 0 {
				if !isASCII(s) {
					return nil, false
				}
				return []string{strings.ToLower(s)}, true
			}
			if strings.ContainsRune(s, utf8.RuneError) {
				return nil, false // it also matches bytes that are not UTF-8
			}
			return []string{s}, false
		case syntax.OpCapture, syntax.OpPlus:
			return must(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				return must(re.Sub[0])
			}
		case syntax.OpConcat:
			var best []string
			var bestFold bool
			for _, sub := range re.Sub {
				if set, f := must(sub); set != nil && shortest(set) > shortest(best) {
					best, bestFold = set, f
				}
			}
			return best, bestFold
		case syntax.OpAlternate:
			var all []string
			var anyFold bool
			for _, sub := range re.Sub {
				set, f := must(sub)
				if set == nil || len(all)+len(set) > most {
					return nil, false
				}
				all, anyFold = append(all, set...), anyFold || f
			}
			return all, anyFold
		}
		return nil, false
	}
	return must(re.Simplify())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
