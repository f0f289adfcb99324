package lint

import (
	"encoding/json"
	"fmt"
	"github.com/tlscreds/tlscreds/lint/table"
	"io"
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
)

// Result is the lint verdict for one object.
type Result struct {
	Object   string  `json:"object"`
	Path     string  `json:"path"`
	Endpoint string  `json:"endpoint"`
	Profile  Profile `json:"profile"`
	Status   string  `json:"status"` // "ok", "warning" or "error": the worst finding not waived
	Note     string  `json:"note,omitempty"`
	// Source is the file that defines the object: its certificate, or
	// the manifest that declares it (SourceLine is its line there).
	// Findings about the object as a whole are reported there.
	Source     string    `json:"source,omitempty"`
	SourceLine int       `json:"source_line,omitempty"`
	Findings   []Finding `json:"findings"`
	// ConsumerFirst is the consumer_message of the error the consumer
	// meets first, and so the one line it prints before it stops (QEMU
	// stops at its first error): findings are listed in lint's one order
	// (CompareFindings), which is not the order of QEMU's loader. Empty
	// when no error quotes the consumer.
	ConsumerFirst string `json:"consumer_first_message,omitempty"`
	// Identity is the object's stable identity (docs/ci.md, fingerprints):
	// its explicit id, else its path relative to the root that was
	// walked, else the path as given. Never a position. Object, and each
	// finding's Object, are set to it.
	Identity string `json:"-"`
	// Material is what was read, when Options.KeepMaterial asked for it
	// (nil when the object could not be read at all).
	Material *creds.Material `json:"-"`
}

// NewResult summarises findings for one object.
func NewResult(object, path, endpoint string, p Profile, fs []Finding) Result {
	if fs == nil {
		fs = []Finding{}
	}
	return Result{Object: object, Path: path, Endpoint: endpoint, Profile: p, Status: status(fs), Findings: fs, ConsumerFirst: consumerFirst(fs)}
}

// status is "ok", "warning" or "error": the worst finding not waived.
func status(fs []Finding) string {
	if w := Worst(fs); w >= Warning {
		return w.String()
	}
	return "ok"
}

// JSONSchema names the version of the JSON report.
const JSONSchema = "tlscreds.lint/v1"

// WriteJSON renders results as the documented JSON report.
func WriteJSON(w io.Writer, results []Result) error { return writeAll(NewJSONReporter(w), results) }

// WriteTable renders results as one table per object and a summary line.
func WriteTable(w io.Writer, results []Result) error { return writeAll(NewTableReporter(w), results) }

func writeAll(r Reporter, results []Result) error {
	for _, res := range results {
		if err := r.Add(res); err != nil {
			return err
		}
	}
	return r.Close()
}

// A Reporter renders results one at a time as they arrive, so that a
// tree of any size is reported in constant memory. Close finishes the
// document; it must be called once, after the last Add.
type Reporter interface {
	Add(Result) error
	Close() error
}

// NewReporter returns the reporter for a --format: "table", "json" or
// "sarif".
func NewReporter(format string, w io.Writer, toolVersion string) (Reporter, error) {
	switch format {
	case "table":
		return NewTableReporter(w), nil
	case "json":
		return NewJSONReporter(w), nil
	case "sarif":
		return NewSARIFReporter(w, toolVersion), nil
	}
	return nil, fmt.Errorf("unknown format %q (want table, json or sarif)", format)
}

type jsonReporter struct {
	w io.Writer
	n int
}

// NewJSONReporter streams the JSON report: {"schema": ..., "results": [...]}.
func NewJSONReporter(w io.Writer) Reporter { return &jsonReporter{w: w} }

func (j *jsonReporter) Add(r Result) error {
	b, err := json.MarshalIndent(r, "    ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n    "
	if j.n == 0 {
		sep = fmt.Sprintf("{\n  \"schema\": %q,\n  \"results\": [\n    ", JSONSchema)
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, b)
	return err
}

func (j *jsonReporter) Close() error {
	if j.n == 0 {
		_, err := fmt.Fprintf(j.w, "{\n  \"schema\": %q,\n  \"results\": []\n}\n", JSONSchema)
		return err
	}
	_, err := io.WriteString(j.w, "\n  ]\n}\n")
	return err
}

type tableReporter struct {
	w                          io.Writer
	n, nErr, nWarn, nI, waived int
}

// NewTableReporter prints one table per object as results arrive, then a
// summary line on Close.
func NewTableReporter(w io.Writer) Reporter { return &tableReporter{w: w} }

func (t *tableReporter) Add(r Result) error {
	t.n++
	w := t.w
	var about []string
	if r.Object != r.Path {
		about = append(about, Printable(r.Object)) // an id=, or a manifest's object
	}
	if r.Endpoint != "" {
		about = append(about, r.Endpoint+" endpoint")
	}
	about = append(about, "profile "+string(r.Profile))
	fmt.Fprintf(w, "%s (%s): %s\n", Printable(r.Path), strings.Join(about, ", "), r.Status)
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintln(w)
		return err
	}
	// Fitted to a terminal, one line per row on a pipe (lint/table).
	tbl := table.New(w)
	tbl.Header("SEVERITY", "RULE", "FILE", "MESSAGE", "FIX")
	for _, f := range r.Findings {
		sev := f.Severity.String()
		switch {
		case f.Waiver != nil:
			t.waived++
			sev += " (waived)"
		case f.Severity == Error:
			t.nErr++
		case f.Severity == Warning:
			t.nWarn++
		default:
			t.nI++
		}
		file := f.File
		if i := strings.LastIndex(file, "/"); i >= 0 {
			file = file[i+1:]
		}
		fix := f.Fix
		if f.Waiver != nil {
			fix = "waived: " + f.Waiver.Justification()
		}
		if f.Line > 0 {
			file += ":" + strconv.Itoa(f.Line)
		}
		tbl.Append(sev, f.Rule, Printable(file), Printable(f.Message), Printable(fix))
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

func (t *tableReporter) Close() error {
	waived := ""
	if t.waived > 0 {
		waived = fmt.Sprintf(" (%d waived)", t.waived)
	}
	_, err := fmt.Fprintf(t.w, "%s checked: %s, %s, %s%s\n", plural(t.n, "object"), plural(t.nErr, "error"), plural(t.nWarn, "warning"), plural(t.nI, "info"), waived)
	return err
}

// RulesSchema names the version of the JSON rule listing.
const RulesSchema = "tlscreds.rules/v1"

// RuleInfo is a rule as `tlscreds rules --format json` prints it.
type RuleInfo struct {
	ID string `json:"id"`
	// Severity is the rule's severity in each profile. A few rules report
	// lower when the consumer would accept the input (an extension that is
	// not critical, a key readable by its group only).
	Severity map[Profile]Severity `json:"severity"`
	// Class is the kind of problem in the default profile (refused,
	// session-fails, peers-refuse, tool, hygiene).
	Class    Class   `json:"class"`
	Subject  Subject `json:"subject"`
	Summary  string  `json:"summary"`
	Citation string  `json:"citation,omitempty"`
	QEMU     string  `json:"qemu_message,omitempty"`
	Libvirt  string  `json:"libvirt_message,omitempty"`
	Fix      string  `json:"fix"`
	HelpURI  string  `json:"help_uri"`
}

// Describe returns r's metadata for reporters.
func (r *Rule) Describe() RuleInfo {
	sev := make(map[Profile]Severity, len(Profiles)+len(Aliases))
	for _, p := range append(append([]Profile{}, Profiles...), Aliases...) {
		sev[p] = r.SeverityIn(p)
	}
	return RuleInfo{
		ID: r.ID, Severity: sev, Class: r.ClassOf(ProfileQEMU), Subject: r.Subject, Summary: r.Summary, Citation: r.Citation,
		QEMU: r.QEMU, Libvirt: r.Libvirt, Fix: r.Fix, HelpURI: HelpURI(r.ID),
	}
}

// HelpURI is the address of a rule's section in docs/rules.md.
func HelpURI(ruleID string) string { return rulesDocURI + "#" + ruleID }

const (
	projectURI  = "https://github.com/tlscreds/tlscreds"
	rulesDocURI = projectURI + "/blob/main/docs/rules.md"
)

// WriteRulesJSON lists every rule as JSON ([RulesSchema]).
func WriteRulesJSON(w io.Writer) error {
	rules := Rules()
	infos := make([]RuleInfo, len(rules))
	for i, r := range rules {
		infos[i] = r.Describe()
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(struct {
		Schema string     `json:"schema"`
		Rules  []RuleInfo `json:"rules"`
	}{RulesSchema, infos})
}

// WriteRulesTable lists every rule for a terminal: a table of IDs,
// severities per profile and summaries, then each rule's citation,
// consumer messages and fix.
func WriteRulesTable(w io.Writer) error {
	rules := Rules()
	t := table.New(w)
	header := []string{"RULE"}
	for _, p := range Profiles {
		header = append(header, strings.ToUpper(string(p)))
	}
	t.Header(append(header, "SUBJECT", "SUMMARY")...)
	for _, r := range rules {
		row := []string{r.ID}
		for _, p := range Profiles {
			row = append(row, r.SeverityIn(p).String())
		}
		t.Append(append(row, string(r.Subject), r.Summary)...)
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, r := range rules {
		fmt.Fprintf(w, "\n%s\n", r.ID)
		for _, kv := range [][2]string{{"citation", r.Citation}, {"QEMU", r.QEMU}, {"libvirt", r.Libvirt}, {"fix", r.Fix}} {
			if kv[1] != "" {
				fmt.Fprintf(w, "  %-9s %s\n", kv[0]+":", kv[1])
			}
		}
	}
	_, err := fmt.Fprintf(w, "\n%s; details: %s\n", plural(len(rules), "rule"), rulesDocURI)
	return err
}
