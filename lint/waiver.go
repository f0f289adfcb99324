package lint

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A Waiver accepts the findings of one rule on the files a path glob
// matches, for a reason and until a date. Waived findings stay in every
// report, marked (JSON "waived", SARIF suppressions), and no longer count
// towards --fail-on; once the waiver expires they count again and the
// waiver itself is reported ([RuleWaiverExpired]).
type Waiver struct {
	Rule string `json:"rule"`
	// Path is a slash-separated glob relative to the configuration
	// file's directory: * and ? within a name, ** for any number of
	// directories. It matches a finding's file or any directory above it.
	Path    string `json:"path"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"` // YYYY-MM-DD, the last day it holds
	// Source is where the waiver is written: FILE:LINE.
	Source string `json:"source"`

	base    string    // absolute directory Path is relative to
	file    string    // the configuration file
	line    int       // the waiver's line in it
	expires time.Time // the first instant it no longer holds
}

// Justification is the waiver as one line: its reason, expiry and source.
func (w *Waiver) Justification() string {
	return fmt.Sprintf("%s (waived until %s in %s)", w.Reason, w.Expires, w.Source)
}

// Expired reports whether the waiver no longer holds at now.
func (w *Waiver) Expired(now time.Time) bool { return !now.Before(w.expires) }

// matches reports whether w waives rule on file (a path as reported).
func (w *Waiver) matches(rule, file string) bool {
	if rule != w.Rule || file == "" {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(w.base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	p := filepath.ToSlash(rel)
	for {
		if globMatch(w.Path, p) {
			return true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// globMatch matches a slash-separated path against a glob whose **
// segments match any number of directories.
func globMatch(glob, p string) bool {
	return matchSegments(strings.Split(path.Clean(glob), "/"), strings.Split(p, "/"))
}

func matchSegments(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegments(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, err := path.Match(g[0], p[0]); err != nil || !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}

// Waive marks the findings of r that a live waiver covers and returns
// the result with its status recomputed. A whole-object finding is matched
// by the object's path.
func Waive(r Result, ws []*Waiver, now time.Time) Result {
	if len(ws) == 0 {
		return r
	}
	r.Findings = slices.Clone(r.Findings) // the caller's findings stay as they were
	changed := false
	for i := range r.Findings {
		f := &r.Findings[i]
		file := f.File
		if file == "" {
			file = r.Path
		}
		for _, w := range ws {
			if !w.Expired(now) && w.matches(f.Rule, file) {
				f.Waiver = w
				changed = true
				break
			}
		}
	}
	if changed {
		r.Status = status(r.Findings)
	}
	return r
}

// ExpiredWaivers is the result for the configuration file: one
// waiver-expired finding per expired waiver, in file order; ok when none.
func ExpiredWaivers(config string, ws []*Waiver, p Profile, now time.Time) Result {
	var fs []Finding
	r := RuleWaiverExpired
	for _, w := range ws {
		if !w.Expired(now) {
			continue
		}
		fs = append(fs, Finding{
			Rule: r.ID, Severity: r.SeverityIn(p), Subject: r.Subject, Object: config, File: config, Line: w.line,
			Role: "config", Message: fmt.Sprintf("the waiver of %s on %s expired on %s (%s): its findings count again",
				w.Rule, w.Path, w.Expires, w.Reason),
			Fix: r.Fix, Citation: r.Citation,
		})
	}
	res := NewResult(config, config, "", p, fs)
	res.Source = config
	return res
}
