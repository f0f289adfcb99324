package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Result is the lint verdict for one object.
type Result struct {
	Object   string    `json:"object"`
	Path     string    `json:"path"`
	Endpoint string    `json:"endpoint"`
	Profile  Profile   `json:"profile"`
	Status   string    `json:"status"` // "ok", "warning" or "error": the worst finding
	Note     string    `json:"note,omitempty"`
	Findings []Finding `json:"findings"`
}

// NewResult summarises findings for one object.
func NewResult(object, path, endpoint string, p Profile, fs []Finding) Result {
	status := "ok"
	if w := Worst(fs); w >= Warning {
		status = w.String()
	}
	if fs == nil {
		fs = []Finding{}
	}
	return Result{Object: object, Path: path, Endpoint: endpoint, Profile: p, Status: status, Findings: fs}
}

// JSONSchema names the version of the JSON report.
const JSONSchema = "tlscreds.lint/v1"

// WriteJSON renders results as the documented JSON report.
func WriteJSON(w io.Writer, results []Result) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(struct {
		Schema  string   `json:"schema"`
		Results []Result `json:"results"`
	}{JSONSchema, results})
}

// WriteTable renders results as one table per object and a summary line.
func WriteTable(w io.Writer, results []Result) error {
	var nErr, nWarn, nInfo int
	for _, r := range results {
		fmt.Fprintf(w, "%s (%s, %s endpoint, profile %s): %s\n", r.Path, r.Object, r.Endpoint, r.Profile, r.Status)
		if len(r.Findings) == 0 {
			fmt.Fprintln(w)
			continue
		}
		t := tablewriter.NewTable(w,
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithRowAlignment(tw.AlignLeft),
			tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
			// Long messages and fixes wrap instead of running off a terminal.
			tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithColumnWidths(tw.NewMapper[int, int]().Set(3, 60).Set(4, 44)),
		)
		t.Header("SEVERITY", "RULE", "FILE", "MESSAGE", "FIX")
		for _, f := range r.Findings {
			switch f.Severity {
			case Error:
				nErr++
			case Warning:
				nWarn++
			default:
				nInfo++
			}
			file := f.File
			if i := strings.LastIndex(file, "/"); i >= 0 {
				file = file[i+1:]
			}
			if err := t.Append(f.Severity.String(), f.Rule, file, f.Message, f.Fix); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintf(w, "%s checked: %s, %s, %s\n", plural(len(results), "object"), plural(nErr, "error"), plural(nWarn, "warning"), plural(nInfo, "info"))
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
	Subject  Subject              `json:"subject"`
	Summary  string               `json:"summary"`
	Citation string               `json:"citation,omitempty"`
	QEMU     string               `json:"qemu_message,omitempty"`
	Libvirt  string               `json:"libvirt_message,omitempty"`
	Fix      string               `json:"fix"`
	HelpURI  string               `json:"help_uri"`
}

// Describe returns r's metadata for reporters.
func (r *Rule) Describe() RuleInfo {
	sev := make(map[Profile]Severity, len(Profiles))
	for _, p := range Profiles {
		sev[p] = r.SeverityIn(p)
	}
	return RuleInfo{
		ID: r.ID, Severity: sev, Subject: r.Subject, Summary: r.Summary, Citation: r.Citation,
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
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithColumnWidths(tw.NewMapper[int, int]().Set(len(Profiles)+2, 60)),
	)
	header := []string{"RULE"}
	for _, p := range Profiles {
		header = append(header, strings.ToUpper(string(p)))
	}
	t.Header(append(header, "SUBJECT", "SUMMARY"))
	for _, r := range rules {
		row := []string{r.ID}
		for _, p := range Profiles {
			row = append(row, r.SeverityIn(p).String())
		}
		if err := t.Append(append(row, string(r.Subject), r.Summary)); err != nil {
			return err
		}
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
