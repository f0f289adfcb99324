package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// SARIF 2.1.0 (OASIS), restricted to what GitHub code scanning reads:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// SARIFFingerprint is tlscreds' own partialFingerprints key. Code
	// scanning ignores it and matches alerts by primaryLocationLineHash,
	// which tlscreds sets to the same value (see [fingerprint]). Bump the
	// version when its input changes, or every alert is closed and opened
	// again.
	SARIFFingerprint = "tlscredsFinding/v2"
	// primaryLocationLineHash is the key code scanning matches results
	// across runs by. Its upload action computes it from the text around
	// the result's line when it is absent; every PEM file starts with the
	// same line, so tlscreds sets it itself.
	primaryLocationLineHash = "primaryLocationLineHash"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool              `json:"tool"`
	AutomationDetails sarifAutomationDetails `json:"automationDetails"`
	Results           []sarifResult          `json:"results"`
}

// sarifAutomationDetails.ID is "category/": code scanning keeps the alerts
// of each category apart (upload-sarif's category input overrides it).
type sarifAutomationDetails struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string `json:"name"`
	InformationURI string `json:"informationUri"`
	Version        string `json:"version,omitempty"`
	// SemanticVersion is Version as SemVer 2.0, which code scanning reads
	// to tell tool versions apart.
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	Rules           []sarifRule `json:"rules"`
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

// sarifRuleProps are the rule properties code scanning reads: the
// "security" tag makes it use security-severity (a CVSS-like score as a
// string: over 9 critical, 7 to 8.9 high, 4 to 6.9 medium, under 4 low)
// instead of the level; precision ranks alerts.
type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	ProblemSeverity  string   `json:"problem.severity"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

// sarifSuppression marks a result waived in the configuration file:
// code scanning closes (dismisses) an alert whose suppression is accepted.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type sarifResultProps struct {
	Object  string  `json:"object"`
	Subject Subject `json:"subject"`
	Role    string  `json:"role,omitempty"`
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
// CI runs), absolute file:// URIs otherwise. A finding about a file points
// at its line 1 (at its line for a manifest entry); a finding about a whole
// object points at the file that defines it (its certificate, or its
// manifest entry). Waived findings are listed with an accepted suppression.
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
	driver := sarifDriver{Name: "tlscreds", InformationURI: projectURI, Version: toolVersion,
		SemanticVersion: semanticVersion(toolVersion), Rules: make([]sarifRule, len(rules))}
	for i, r := range rules {
		index[r.ID] = i
		driver.Rules[i] = newSARIFRule(r, profile)
	}
	out := []sarifResult{}
	for _, res := range results {
		for _, f := range res.Findings {
			file, line, role := f.File, f.Line, f.Role
			if file == "" || file == res.Path {
				// About the object as a whole: its defining file.
				file, line, role = res.Source, res.SourceLine, RoleObject
				if file == "" {
					file = res.Path
				}
			}
			if line < 1 {
				line = 1
			}
			uri := artifactURI(file, base)
			at := uri
			if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) && res.Source != "" {
				// A missing file (ca-cert.pem is missing): code scanning
				// cannot show it, so the alert is shown on the object's
				// defining file, and tracked by the missing file's name.
				at, line = artifactURI(res.Source, base), 1
			}
			text := f.Message
			if f.Fix != "" {
				if !strings.HasSuffix(text, ".") {
					text += "."
				}
				text += " Fix: " + f.Fix
			}
			fp := fingerprint(f.Rule, objectIdentity(f.Object, res.Path, base), uri, role)
			sr := sarifResult{
				RuleID:  f.Rule,
				Level:   sarifLevel(f.Severity),
				Message: sarifMessage{Text: text},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
					ArtifactLocation: sarifArtifactLocation{URI: at},
					Region:           sarifRegion{StartLine: line},
				}}},
				PartialFingerprints: map[string]string{SARIFFingerprint: fp, primaryLocationLineHash: fp[:16] + ":1"},
				Properties:          sarifResultProps{Object: f.Object, Subject: f.Subject, Role: role, Profile: res.Profile},
			}
			if f.Waiver != nil {
				sr.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Waiver.Justification()}}
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
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver},
			AutomationDetails: sarifAutomationDetails{ID: "tlscreds/" + string(profile) + "/"},
			Results:           out}},
	}
}

// objectIdentity is an object's identity for fingerprints: its id, or,
// when the object is named by its path, that path relative to base (so the
// same directory has the same identity on every machine).
func objectIdentity(object, path, base string) string {
	if object == path || filepath.Clean(object) == filepath.Clean(path) {
		return artifactURI(path, base)
	}
	return object
}

// semanticVersion is a tool version as SemVer 2.0: v1.2.3 is 1.2.3, a
// development build (dev-0123abcd) is 0.0.0-dev.0123abcd.
func semanticVersion(v string) string {
	if v == "" {
		return ""
	}
	if s := strings.TrimPrefix(v, "v"); semverRE.MatchString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteRune('.')
		}
	}
	return "0.0.0-" + strings.ReplaceAll(strings.Trim(b.String(), "."), "-", ".")
}

var semverRE = lazyregexp.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

func newSARIFRule(r *Rule, p Profile) sarifRule {
	full := sarifMessage{Text: sentence(r.Summary), Markdown: MarkdownText(sentence(r.Summary))}
	for _, m := range []struct{ who, msg string }{{"QEMU", r.QEMU}, {"libvirt", r.Libvirt}} {
		if m.msg != "" {
			full.Text += " " + m.who + " reports: " + m.msg
			full.Markdown += " " + m.who + " reports: " + codeSpan(m.msg)
		}
	}
	sev := r.SeverityIn(p)
	precision := "high"
	if r.QEMU != "" || r.Libvirt != "" {
		// The consumer's own message: the differential tests prove the
		// rule against the real program.
		precision = "very-high"
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 camelCase(r.ID),
		ShortDescription:     sarifMessage{Text: r.Summary},
		FullDescription:      full,
		Help:                 sarifMessage{Text: r.Fix, Markdown: ruleMarkdown(r) + "\n[Rule reference](" + HelpURI(r.ID) + ")\n"},
		HelpURI:              HelpURI(r.ID),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		Properties: sarifRuleProps{Tags: []string{"security", "tls", string(r.Subject)}, Precision: precision,
			ProblemSeverity: problemSeverity(sev), SecuritySeverity: securitySeverity(sev)},
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
		Properties: sarifRuleProps{Tags: []string{"security", "tls", string(f.Subject)}, Precision: "high",
			ProblemSeverity: problemSeverity(f.Severity), SecuritySeverity: securitySeverity(f.Severity)},
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

// securitySeverity is GitHub's "security-severity" rule property for a
// severity: an error (the consumer refuses the credentials, or every
// session fails) is high, a warning medium, information low.
func securitySeverity(s Severity) string {
	switch s {
	case Error:
		return "7.5"
	case Warning:
		return "5.0"
	}
	return "2.0"
}

// acronyms are ID words spelled in capitals in rule names.
var acronyms = sync.OnceValue(func() map[string]string {
	return map[string]string{"ca": "CA", "crl": "CRL", "der": "DER", "dh": "DH", "eku": "EKU", "pem": "PEM", "rsa": "RSA", "san": "SAN", "tls": "TLS"}
})

// camelCase turns a rule ID into a SARIF rule name:
// "ca-not-ca" becomes "CANotCA".
func camelCase(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		if a, ok := acronyms()[w]; ok {
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

// fingerprint identifies a finding across runs and machines: the rule,
// the object's identity, the file (relative to the repository) and the
// file's role in the object. Nothing that changes from run to run goes in:
// no message (it holds times such as "expired 1h0m0s ago"), no serial
// number (a reissued certificate with the same problem is the same alert),
// no absolute path.
func fingerprint(rule, object, uri, role string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + object + "\x00" + uri + "\x00" + role))
	return hex.EncodeToString(h[:])
}
