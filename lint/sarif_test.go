package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The test's own view of SARIF 2.1.0: what GitHub code scanning requires
// or reads, declared independently of the writer's types so that a
// misspelt JSON tag fails here.
type testSARIF struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				InformationURI string `json:"informationUri"`
				Version        string `json:"version"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags            []string `json:"tags"`
						ProblemSeverity string   `json:"problem.severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func writeSARIF(t *testing.T, results []Result) ([]byte, testSARIF) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, results, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log testSARIF
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes(), log
}

// sampleResults are findings as lint reports them, for two objects, one
// of them clean, with a relative file, an absolute one inside the working
// directory, and a finding without a file.
func sampleResults(wd string) []Result {
	for _, f := range []string{"server-cert.pem", "server-key.pem"} {
		os.MkdirAll(filepath.Join(wd, "pki", "server"), 0o755)
		os.WriteFile(filepath.Join(wd, "pki", "server", f), []byte("-----BEGIN X-----\n"), 0o644)
	}
	return []Result{
		withSource(NewResult("pki/server", "pki/server", "server", ProfileQEMU, []Finding{
			{Rule: "identity-unpaired", Severity: Error, Subject: SubjectFile, Object: "pki/server", File: "pki/server/server-cert.pem", Role: "cert",
				Message: "server-cert.pem has no key", Fix: "add the missing half of the pair, or remove the lone file"},
			{Rule: "key-permissions", Severity: Info, Subject: SubjectKey, Object: "pki/server", File: filepath.Join(wd, "pki", "server", "server-key.pem"), Role: "key",
				Message: "server-key.pem has mode 0640: readable by its group", Fix: "chmod 0600 KEY"},
			{Rule: "server-no-san", Severity: Warning, Subject: SubjectServer, Object: "pki/server",
				Message: "the server certificate has no subjectAltName"},
		}), "pki/server/server-cert.pem"),
		NewResult("pki/client", "pki/client", "client", ProfileQEMU, nil),
	}
}

func withSource(r Result, source string) Result {
	r.Source = source
	return r
}

func TestSARIFStructure(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	_, log := writeSARIF(t, sampleResults(wd))

	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || log.Version != "2.1.0" {
		t.Errorf("$schema %q, version %q", log.Schema, log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "tlscreds" || d.Version != "1.2.3" || d.InformationURI != "https://github.com/tlscreds/tlscreds" {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}

	rules := Rules()
	if len(d.Rules) != len(rules) {
		t.Fatalf("%d rules in the driver, %d in the registry", len(d.Rules), len(rules))
	}
	levels := map[Severity]string{Error: "error", Warning: "warning", Info: "note"}
	problem := map[Severity]string{Error: "error", Warning: "warning", Info: "recommendation"}
	for i, sr := range d.Rules {
		r := rules[i]
		if sr.ID != r.ID {
			t.Fatalf("rule %d is %q, registry has %q", i, sr.ID, r.ID)
		}
		if !regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`).MatchString(sr.Name) {
			t.Errorf("%s: name %q is not CamelCase", r.ID, sr.Name)
		}
		if sr.ShortDescription.Text != r.Summary || !strings.HasPrefix(sr.FullDescription.Text, sentence(r.Summary)) {
			t.Errorf("%s: descriptions %q / %q", r.ID, sr.ShortDescription.Text, sr.FullDescription.Text)
		}
		for _, msg := range []string{r.QEMU, r.Libvirt} {
			if !strings.Contains(sr.FullDescription.Text, msg) {
				t.Errorf("%s: fullDescription lacks the consumer message %q", r.ID, msg)
			}
		}
		if sr.Help.Text != r.Fix || !strings.Contains(sr.Help.Markdown, "**Fix:**") {
			t.Errorf("%s: help %q / %q", r.ID, sr.Help.Text, sr.Help.Markdown)
		}
		if want := "https://github.com/tlscreds/tlscreds/blob/main/docs/rules.md#" + r.ID; sr.HelpURI != want {
			t.Errorf("%s: helpUri %q, want %q", r.ID, sr.HelpURI, want)
		}
		sev := r.SeverityIn(ProfileQEMU)
		if sr.DefaultConfiguration.Level != levels[sev] || sr.Properties.ProblemSeverity != problem[sev] {
			t.Errorf("%s: level %q, problem.severity %q for %s", r.ID, sr.DefaultConfiguration.Level, sr.Properties.ProblemSeverity, sev)
		}
		if len(sr.Properties.Tags) == 0 {
			t.Errorf("%s: no tags", r.ID)
		}
	}

	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	// The finding about the whole object points at its certificate.
	wantURI := []string{"pki/server/server-cert.pem", "pki/server/server-key.pem", "pki/server/server-cert.pem"}
	wantLevel := []string{"error", "note", "warning"}
	fps := map[string]bool{}
	for i, res := range run.Results {
		if res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex does not point at %s", i, res.RuleID)
		}
		if res.Level != wantLevel[i] {
			t.Errorf("result %d: level %q, want %q", i, res.Level, wantLevel[i])
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != wantURI[i] || loc.Region.StartLine != 1 {
			t.Errorf("result %d: uri %q line %d, want %q line 1", i, loc.ArtifactLocation.URI, loc.Region.StartLine, wantURI[i])
		}
		fp := res.PartialFingerprints["tlscredsFinding/v2"]
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(fp) || fps[fp] {
			t.Errorf("result %d: fingerprint %q missing, malformed or repeated", i, fp)
		}
		if got := res.PartialFingerprints["primaryLocationLineHash"]; got != fp[:16]+":1" {
			t.Errorf("result %d: primaryLocationLineHash %q, want %q", i, got, fp[:16]+":1")
		}
		fps[fp] = true
	}
	if got, want := run.Results[0].Message.Text, "server-cert.pem has no key. Fix: add the missing half of the pair, or remove the lone file"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got := run.Results[2].Message.Text; strings.Contains(got, "Fix:") {
		t.Errorf("message %q: a finding without a fix got one", got)
	}
}

// TestSARIFResultGolden pins one result as written, byte for byte: the
// SARIF carries no timestamps or absolute paths, so it is reproducible.
func TestSARIFResultGolden(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	results := sampleResults(wd)[:1]
	results[0].Findings = results[0].Findings[:1]
	out, _ := writeSARIF(t, results)
	again, _ := writeSARIF(t, results)
	if !bytes.Equal(out, again) {
		t.Error("two writes of the same results differ")
	}
	var raw struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	idx := -1
	for i, r := range Rules() {
		if r.ID == "identity-unpaired" {
			idx = i
		}
	}
	var got bytes.Buffer
	if err := json.Indent(&got, raw.Runs[0].Results[0], "", "  "); err != nil {
		t.Fatal(err)
	}
	want := `{
  "ruleId": "identity-unpaired",
  "ruleIndex": ` + strconv.Itoa(idx) + `,
  "level": "error",
  "message": {
    "text": "server-cert.pem has no key. Fix: add the missing half of the pair, or remove the lone file"
  },
  "locations": [
    {
      "physicalLocation": {
        "artifactLocation": {
          "uri": "pki/server/server-cert.pem"
        },
        "region": {
          "startLine": 1
        }
      }
    }
  ],
  "partialFingerprints": {
    "primaryLocationLineHash": "0a98755656e452bd:1",
    "tlscredsFinding/v2": "0a98755656e452bd1c188ae3605ae270d9ed58e868e434217dc2ba24af1c26e0"
  },
  "properties": {
    "object": "pki/server",
    "subject": "file",
    "role": "cert",
    "profile": "qemu"
  }
}`
	if got.String() != want {
		t.Errorf("result:\n%s\nwant:\n%s", got.String(), want)
	}
}

// TestSARIFEmpty: no findings is still a valid log, with an empty results
// array (not null), which code scanning takes as "all alerts fixed".
func TestSARIFEmpty(t *testing.T) {
	for _, results := range [][]Result{nil, {NewResult("dir1", "pki/client", "client", ProfileLibvirt, nil)}} {
		out, log := writeSARIF(t, results)
		if len(log.Runs) != 1 || log.Runs[0].Results == nil || len(log.Runs[0].Results) != 0 {
			t.Errorf("runs %+v", log.Runs)
		}
		if !bytes.Contains(out, []byte(`"results": []`)) {
			t.Errorf("results is not an empty array:\n%s", out)
		}
		if len(log.Runs[0].Tool.Driver.Rules) != len(Rules()) {
			t.Error("an empty run does not describe the rules")
		}
	}
}

// TestSARIFProfileLevels: rule levels follow the profile of the results.
func TestSARIFProfileLevels(t *testing.T) {
	r, ok := Lookup("key-permissions")
	if !ok {
		t.Skip("key-permissions is not registered")
	}
	for _, p := range Profiles {
		_, log := writeSARIF(t, []Result{NewResult("dir1", "pki/server", "server", p, nil)})
		for _, sr := range log.Runs[0].Tool.Driver.Rules {
			if sr.ID == r.ID && sr.DefaultConfiguration.Level != sarifLevel(r.SeverityIn(p)) {
				t.Errorf("%s: level %q in profile %s, want %q", r.ID, sr.DefaultConfiguration.Level, p, sarifLevel(r.SeverityIn(p)))
			}
		}
	}
}

// TestSARIFUnregisteredRule: a finding whose rule is not in the registry
// (the runner's object-unreadable) still points at a rule descriptor.
func TestSARIFUnregisteredRule(t *testing.T) {
	_, log := writeSARIF(t, []Result{NewResult("dir1", "nowhere", "server", ProfileQEMU, []Finding{
		{Rule: "object-unknown-test", Severity: Error, Subject: SubjectObject, Object: "dir1", File: "nowhere", Message: "nowhere: no such file or directory", Fix: "check the path"},
		{Rule: "object-unknown-test", Severity: Error, Subject: SubjectObject, Object: "dir1", File: "nowhere/x", Message: "again", Fix: "check the path"},
	})})
	d := log.Runs[0].Tool.Driver
	if len(d.Rules) != len(Rules())+1 {
		t.Fatalf("%d rules, want the registry's %d and one more", len(d.Rules), len(Rules()))
	}
	for _, res := range log.Runs[0].Results {
		if res.RuleIndex == nil || *res.RuleIndex != len(Rules()) {
			t.Errorf("ruleIndex %v, want %d", res.RuleIndex, len(Rules()))
		}
	}
	sr := d.Rules[len(d.Rules)-1]
	if sr.ID != "object-unknown-test" || sr.Name != "ObjectUnknownTest" || sr.DefaultConfiguration.Level != "error" || sr.Help.Text != "check the path" || sr.HelpURI != "" {
		t.Errorf("descriptor %+v", sr)
	}
}

func TestArtifactURI(t *testing.T) {
	base := filepath.FromSlash("/work/repo")
	for _, tc := range []struct{ path, want string }{
		{"pki/server/server-cert.pem", "pki/server/server-cert.pem"},
		{"./pki//server/../server/ca-cert.pem", "pki/server/ca-cert.pem"},
		{filepath.FromSlash("/work/repo/pki/ca-cert.pem"), "pki/ca-cert.pem"},
		{filepath.FromSlash("/etc/pki/qemu/ca-cert.pem"), "file:///etc/pki/qemu/ca-cert.pem"},
		{"../other/ca-cert.pem", "file:///work/other/ca-cert.pem"},
		{"my pki/ca-cert.pem", "my%20pki/ca-cert.pem"},
		{"a:b/ca-cert.pem", "./a:b/ca-cert.pem"},
		{"", "."},
	} {
		if got := artifactURI(tc.path, base); got != tc.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	if got := artifactURI("pki/ca-cert.pem", ""); got != "pki/ca-cert.pem" {
		t.Errorf("without a working directory: %q", got)
	}
}

func TestCamelCase(t *testing.T) {
	for id, want := range map[string]string{
		"cert-expired":       "CertExpired",
		"ca-not-ca":          "CANotCA",
		"server-no-san":      "ServerNoSAN",
		"leaf-eku-wrong-x":   "LeafEKUWrongX",
		"file-der":           "FileDER",
		"key-rsa-too-small":  "KeyRSATooSmall",
		"identity-unpaired":  "IdentityUnpaired",
		"dh-params-weak":     "DHParamsWeak",
		"crl-wrong-issuer":   "CRLWrongIssuer",
		"x--double-dash-end": "XDoubleDashEnd",
	} {
		if got := camelCase(id); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", id, got, want)
		}
	}
}
