package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings; higher is worse.
type Severity int

// Severities.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// MarshalText renders the severity by name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Subject is what a rule looks at.
type Subject string

// Subjects.
const (
	SubjectCA     Subject = "ca"
	SubjectServer Subject = "server"
	SubjectClient Subject = "client"
	SubjectLeaf   Subject = "leaf" // server or client, decided by the endpoint
	SubjectKey    Subject = "key"
	SubjectCRL    Subject = "crl"
	SubjectFile   Subject = "file"
	SubjectObject Subject = "object"
)

// Finding is one problem found in one object: the same model is used by
// lint, pair and diagnose, and rendered by every reporter.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Subject  Subject  `json:"subject"`
	Object   string   `json:"object"`
	File     string   `json:"file,omitempty"`
	// Line is the line of File the finding is about (a manifest entry);
	// 0 when it is about the whole file.
	Line int `json:"line,omitempty"`
	// Role is what File is for in the object: ca, cert, key, crl, ...
	// ("object" for a finding about the object as a whole).
	Role     string `json:"role,omitempty"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
	Citation string `json:"citation,omitempty"`
	// Consumer is the exact message QEMU or libvirt gives for this
	// problem, so that searching for it finds the rule.
	Consumer string `json:"consumer_message,omitempty"`
	// CaughtBy lists the lint rules that catch, before deployment, the
	// problem a handshake finding (lint/diagnose) reports; Citation names
	// them for people.
	CaughtBy []string `json:"-"`
	// Waiver is the configuration file's waiver of this finding, nil when
	// it is not waived. A waived finding counts towards no threshold.
	Waiver *Waiver `json:"waived,omitempty"`
	// step is the place of Consumer's check in the consumer's loader
	// (loaderStep), 0 when unknown: it picks Result.ConsumerFirst.
	step int
}

// Worst returns the highest severity among findings that are not waived
// (0 when none).
func Worst(fs []Finding) Severity {
	var w Severity
	for _, f := range fs {
		if f.Severity > w && f.Waiver == nil {
			w = f.Severity
		}
	}
	return w
}

// CompareFindings orders findings as every report lists them: worst
// severity first, then by file, then by rule ID. It is the one order of
// findings in tlscreds.
func CompareFindings(a, b Finding) int {
	if a.Severity != b.Severity {
		return cmp.Compare(b.Severity, a.Severity)
	}
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	return strings.Compare(a.Rule, b.Rule)
}

// sortFindings orders fs by [CompareFindings], keeping the order of equal
// findings.
func sortFindings(fs []Finding) { slices.SortStableFunc(fs, CompareFindings) }
