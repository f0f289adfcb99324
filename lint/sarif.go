package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), restricted to what GitHub code scanning reads:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// SARIFFingerprint is the partialFingerprints key of each result: code
	// scanning matches results across runs by it. Bump the version when
	// its input changes, or every alert is closed and opened again.
	SARIFFingerprint = "tlscredsFinding/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 sarifMessage       `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Object  string  `json:"object"`
	Subject Subject `json:"subject"`
	Profile Profile `json:"profile"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// WriteSARIF renders results as a SARIF 2.1.0 log with one run, for
// GitHub code scanning and other SARIF viewers. Every rule of the
// registry is described, with its level in the profile of the results,
// and so is any rule a finding names that the registry lacks.
// File paths become URIs relative to the working directory when they are
// inside it (code scanning resolves them from the repository root, where
// CI runs), absolute file:// URIs otherwise. Findings point at line 1:
// they concern a file, not a line.
func WriteSARIF(w io.Writer, results []Result, toolVersion string) error {
	base, err := os.Getwd()
	if err != nil {
		base = ""
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(newSARIF(results, toolVersion, base))
}

type sarifReporter struct {
	w       io.Writer
	version string
	kept    []Result
	profile Profile
}

// NewSARIFReporter collects results and writes the SARIF log on Close.
// It keeps only results with findings (SARIF lists findings, not clean
// objects), so its memory grows with the findings, not with the tree.
func NewSARIFReporter(w io.Writer, toolVersion string) Reporter {
	return &sarifReporter{w: w, version: toolVersion}
}

func (s *sarifReporter) Add(r Result) error {
	if s.profile == "" {
		s.profile = r.Profile
	}
	if len(r.Findings) > 0 {
		s.kept = append(s.kept, r)
	}
	return nil
}

func (s *sarifReporter) Close() error {
	if len(s.kept) == 0 && s.profile != "" {
		// No findings: still describe the rules in the profile linted.
		s.kept = []Result{{Profile: s.profile}}
	}
	return WriteSARIF(s.w, s.kept, s.version)
}

func newSARIF(results []Result, toolVersion, base string) sarifLog {
	profile := ProfileQEMU
	for _, r := range results {
		if r.Profile != "" {
			profile = r.Profile
			break
		}
	}
	rules := Rules()
	index := make(map[string]int, len(rules))
	driver := sarifDriver{Name: "tlscreds", InformationURI: projectURI, Version: toolVersion, Rules: make([]sarifRule, len(rules))}
	for i, r := range rules {
		index[r.ID] = i
		driver.Rules[i] = newSARIFRule(r, profile)
	}
	out := []sarifResult{}
	for _, res := range results {
		for _, f := range res.Findings {
			path := f.File
			if path == "" {
				path = res.Path
			}
			uri := artifactURI(path, base)
			text := f.Message
			if f.Fix != "" {
				if !strings.HasSuffix(text, ".") {
					text += "."
				}
				text += " Fix: " + f.Fix
			}
			sr := sarifResult{
				RuleID:  f.Rule,
				Level:   sarifLevel(f.Severity),
				Message: sarifMessage{Text: text},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: sarifArtifactLocation{URI: uri},
					Region:           sarifRegion{StartLine: 1},
				}}},
				PartialFingerprints: map[string]string{SARIFFingerprint: fingerprint(f.Rule, uri, f.Message)},
				Properties:          sarifResultProps{Object: f.Object, Subject: f.Subject, Profile: res.Profile},
			}
			i, ok := index[f.Rule]
			if !ok {
				// Not in the registry (an object-level finding, say):
				// describe it from the finding, so every result has a rule.
				i = len(driver.Rules)
				index[f.Rule] = i
				driver.Rules = append(driver.Rules, unregisteredSARIFRule(f))
			}
			sr.RuleIndex = i
			out = append(out, sr)
		}
	}
	return sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: out}},
	}
}

func newSARIFRule(r *Rule, p Profile) sarifRule {
	full := sarifMessage{Text: sentence(r.Summary), Markdown: MarkdownText(sentence(r.Summary))}
	for _, m := range []struct{ who, msg string }{{"QEMU", r.QEMU}, {"libvirt", r.Libvirt}} {
		if m.msg != "" {
			full.Text += " " + m.who + " reports: " + m.msg
			full.Markdown += " " + m.who + " reports: " + codeSpan(m.msg)
		}
	}
	sev := r.SeverityIn(p)
	return sarifRule{
		ID:                   r.ID,
		Name:                 camelCase(r.ID),
		ShortDescription:     sarifMessage{Text: r.Summary},
		FullDescription:      full,
		Help:                 sarifMessage{Text: r.Fix, Markdown: ruleMarkdown(r) + "\n[Rule reference](" + HelpURI(r.ID) + ")\n"},
		HelpURI:              HelpURI(r.ID),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		Properties:           sarifRuleProps{Tags: []string{"tls", string(r.Subject)}, ProblemSeverity: problemSeverity(sev)},
	}
}

func unregisteredSARIFRule(f Finding) sarifRule {
	return sarifRule{
		ID:                   f.Rule,
		Name:                 camelCase(f.Rule),
		ShortDescription:     sarifMessage{Text: f.Rule},
		FullDescription:      sarifMessage{Text: f.Rule},
		Help:                 sarifMessage{Text: f.Fix},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(f.Severity)},
		Properties:           sarifRuleProps{Tags: []string{"tls", string(f.Subject)}, ProblemSeverity: problemSeverity(f.Severity)},
	}
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// problemSeverity is GitHub's "problem.severity" rule property.
func problemSeverity(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "recommendation"
}

// acronyms are ID words spelled in capitals in rule names.
var acronyms = map[string]string{"ca": "CA", "crl": "CRL", "der": "DER", "dh": "DH", "eku": "EKU", "pem": "PEM", "rsa": "RSA", "san": "SAN", "tls": "TLS"}

// camelCase turns a rule ID into a SARIF rule name:
// "ca-not-ca" becomes "CANotCA".
func camelCase(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		if a, ok := acronyms[w]; ok {
			b.WriteString(a)
		} else if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// artifactURI turns a file path into a SARIF artifact URI: relative to
// base with forward slashes when the file is inside base, an absolute
// file:// URI when it is not (or when base is unknown and the path is
// absolute).
func artifactURI(path, base string) string {
	if path == "" {
		path = "."
	}
	abs := path
	if !filepath.IsAbs(abs) && base != "" {
		abs = filepath.Join(base, path)
	}
	if base != "" {
		rel, err := filepath.Rel(base, abs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return (&url.URL{Path: filepath.ToSlash(rel)}).String()
		}
	}
	if filepath.IsAbs(abs) {
		p := filepath.ToSlash(abs)
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // Windows: file:///C:/dir
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(filepath.Clean(path))}).String()
}

// fingerprint identifies a finding across runs: the same rule, file and
// message make the same alert.
func fingerprint(rule, uri, message string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + uri + "\x00" + message))
	return hex.EncodeToString(h[:])
}
