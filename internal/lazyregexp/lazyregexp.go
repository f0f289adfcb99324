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
	"os"
	"regexp"
	"strings"
	"sync"
)

// Regexp is a regular expression compiled on first use. It is safe for
// concurrent use.
type Regexp struct {
	expr string
	once sync.Once
	rx   *regexp.Regexp
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
	r.once.Do(func() { r.rx = regexp.MustCompile(r.expr) })
	return r.rx
}

// The methods are regexp.Regexp's.

func (r *Regexp) MatchString(s string) bool                { return r.re().MatchString(s) }
func (r *Regexp) FindStringSubmatch(s string) []string     { return r.re().FindStringSubmatch(s) }
func (r *Regexp) FindSubmatch(b []byte) [][]byte           { return r.re().FindSubmatch(b) }
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.re().ReplaceAllLiteralString(src, repl)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}
