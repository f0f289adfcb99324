package diagnose

import (
	"slices"
	"strings"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
)

// finding reports the cause id about subject. rules, when given, replace
// the cause's lint rules in the citation: the ones that fit this instance
// ("" alone: none does).
func finding(id string, sev lint.Severity, subject lint.Subject, object, file, msg string, rules ...string) lint.Finding {
	c := cause.Get(id)
	if len(rules) == 0 {
		rules = c.Lint
	}
	rules = slices.DeleteFunc(slices.Clone(rules), func(r string) bool { return r == "" })
	if len(rules) == 0 {
		rules = nil
	}
	return lint.Finding{
		Rule: c.ID, Severity: sev, Subject: subject, Object: object, File: file,
		Message: msg, Fix: c.Fix, Citation: lintCitation(rules), CaughtBy: rules,
	}
}

// lintCitation names the lint rules that would have caught a problem.
func lintCitation(rules []string) string {
	if len(rules) == 0 {
		return ""
	}
	return "lint: " + strings.Join(rules, ", ")
}
