package lint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// githubSARIFRequirements are the properties GitHub's "SARIF support for
// code scanning" lists as required, or reads when present, each with the
// values it accepts
// (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
// A path's * stands for every element of an array; a required property
// must be present in every element.
var githubSARIFRequirements = []struct {
	path     string
	required bool
	check    func(any) error
}{
	// sarifLog object
	{"$schema", true, isString},
	{"version", true, equals("2.1.0")},
	{"runs", true, isArray},
	// run object
	{"runs.*.tool.driver", true, isObject},
	{"runs.*.results", true, isArray},
	{"runs.*.automationDetails.id", true, matches(`^[^/]+(/[^/]+)*/$`)}, // "category/": no run id
	// toolComponent object
	{"runs.*.tool.driver.name", true, equals("tlscreds")},
	{"runs.*.tool.driver.version", true, isString},
	{"runs.*.tool.driver.semanticVersion", true, matches(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)},
	{"runs.*.tool.driver.rules", true, isArray},
	// reportingDescriptor object
	{"runs.*.tool.driver.rules.*.id", true, isString},
	{"runs.*.tool.driver.rules.*.name", true, isString},
	{"runs.*.tool.driver.rules.*.shortDescription.text", true, nonEmpty},
	{"runs.*.tool.driver.rules.*.fullDescription.text", true, nonEmpty},
	{"runs.*.tool.driver.rules.*.defaultConfiguration.level", true, oneOf("note", "warning", "error")},
	{"runs.*.tool.driver.rules.*.help.text", true, isString},
	{"runs.*.tool.driver.rules.*.help.markdown", true, nonEmpty},
	{"runs.*.tool.driver.rules.*.helpUri", true, matches(`^https://github\.com/tlscreds/tlscreds/blob/main/docs/rules\.md#[a-z0-9-]+$`)},
	{"runs.*.tool.driver.rules.*.properties.tags", true, hasElement("security")}, // security-severity counts only then
	{"runs.*.tool.driver.rules.*.properties.precision", true, oneOf("very-high", "high", "medium", "low")},
	{"runs.*.tool.driver.rules.*.properties.problem\x00severity", true, oneOf("error", "warning", "recommendation")},
	{"runs.*.tool.driver.rules.*.properties.security-severity", true, securityScore},
	// result object
	{"runs.*.results.*.ruleId", true, isString},
	{"runs.*.results.*.ruleIndex", true, isNumber},
	{"runs.*.results.*.level", true, oneOf("note", "warning", "error")},
	{"runs.*.results.*.message.text", true, nonEmpty},
	{"runs.*.results.*.locations", true, arrayLen(1, 10)},
	{"runs.*.results.*.partialFingerprints.primaryLocationLineHash", true, matches(`^[0-9a-f]{16}:1$`)},
	{"runs.*.results.*.suppressions.*.kind", false, oneOf("inSource", "external")},
	{"runs.*.results.*.suppressions.*.status", false, equals("accepted")},
	// location and physicalLocation objects
	{"runs.*.results.*.locations.*.physicalLocation.artifactLocation.uri", true, relativeFile},
	{"runs.*.results.*.locations.*.physicalLocation.region.startLine", true, positive},
}

// TestSARIFMeetsGitHubRequirements lints every broken set of the
// catalogue, as CI would from the root of a repository holding them, with
// one finding waived, and checks each property of the list above.
func TestSARIFMeetsGitHubRequirements(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	results := catalogueResults(t, "sets")
	results[0] = Waive(results[0], []*Waiver{{Rule: results[0].Findings[0].Rule, Path: "sets/**", Reason: "test",
		Expires: "2099-01-01", Source: ".tlscreds.yaml:3", base: wd, expires: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)}}, fixtures.TestClock)
	out, _ := writeSARIF(t, results)
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, req := range githubSARIFRequirements {
		values, missing := jsonPath(doc, strings.Split(req.path, "."), "")
		name := strings.ReplaceAll(req.path, "\x00", ".")
		if req.required {
			for _, m := range missing {
				t.Errorf("%s: missing at %s", name, m)
			}
			if len(values) == 0 && len(missing) == 0 {
				t.Errorf("%s: nowhere in the log", name)
			}
		}
		for at, v := range values {
			if err := req.check(v); err != nil {
				t.Errorf("%s at %s: %v", name, at, err)
			}
		}
	}
	// The waived finding is listed, suppressed, not dropped.
	if !strings.Contains(string(out), `"suppressions": [`) {
		t.Error("no result carries suppressions")
	}
}

// TestSARIFFingerprintsStable: the same findings linted on two machines
// (other absolute paths), at other times (other messages) and with the
// certificates reissued (other serial numbers) have the same fingerprints;
// another rule, object, file or role has another.
func TestSARIFFingerprintsStable(t *testing.T) {
	fingerprints := func(results []Result) []string {
		_, log := writeSARIF(t, results)
		var fps []string
		for _, r := range log.Runs[0].Results {
			fps = append(fps, r.PartialFingerprints["primaryLocationLineHash"])
		}
		return fps
	}
	var runs [][]string
	for i, clock := range []time.Time{fixtures.TestClock, fixtures.TestClock.Add(50 * time.Hour)} {
		t.Chdir(t.TempDir())
		g := fixtures.New(clock)
		var results []Result
		for _, b := range fixtures.BrokenSets() {
			if b.Rule != "cert-expired" && b.Rule != "cert-expiring-soon" && b.Rule != "identity-unpaired" {
				continue
			}
			dir := filepath.Join("repo", b.Rule)
			if err := b.Write(g, dir); err != nil {
				t.Fatal(err)
			}
			results = append(results, checkBroken(t, b, dir, clock.Add(time.Duration(i)*time.Hour)))
		}
		runs = append(runs, fingerprints(results))
	}
	if len(runs[0]) == 0 || !slices.Equal(runs[0], runs[1]) {
		t.Errorf("fingerprints differ between runs:\n%v\n%v", runs[0], runs[1])
	}
	base := fingerprint("cert-expired", "repo/x", "repo/x/server-cert.pem", "cert")
	for _, other := range []string{
		fingerprint("cert-expiring-soon", "repo/x", "repo/x/server-cert.pem", "cert"),
		fingerprint("cert-expired", "repo/y", "repo/x/server-cert.pem", "cert"),
		fingerprint("cert-expired", "repo/x", "repo/x/ca-cert.pem", "cert"),
		fingerprint("cert-expired", "repo/x", "repo/x/server-cert.pem", "ca"),
	} {
		if other == base {
			t.Error("a fingerprint ignores one of rule, object, file and role")
		}
	}
}

// catalogueResults writes every broken set below dir (relative to the
// working directory) and lints each as lint does.
func catalogueResults(t *testing.T, dir string) []Result {
	t.Helper()
	var results []Result
	for _, b := range fixtures.BrokenSets() {
		d := filepath.Join(dir, b.Rule+"-"+b.Profile+"-"+b.Endpoint)
		if err := b.Write(gen, d); err != nil {
			t.Fatal(err)
		}
		results = append(results, checkBroken(t, b, d, fixtures.TestClock))
	}
	return results
}

func checkBroken(t *testing.T, b fixtures.Broken, dir string, now time.Time) Result {
	t.Helper()
	var specs creds.Specs
	if sec := b.SecretSpec(); sec != "" {
		if err := specs.Add(sec); err != nil {
			t.Fatal(err)
		}
	}
	if err := specs.Add(b.ObjectSpec(dir)); err != nil {
		t.Fatal(err)
	}
	pw, err := specs.Password(specs.Objects[0])
	if err != nil {
		t.Fatal(err)
	}
	prof, _, _ := ParseProfile(b.Profile)
	return Check(Target{Spec: specs.Objects[0], Password: pw, Identity: dir},
		Options{Profile: prof, Hosts: b.Hosts, WarnWithin: b.WarnWithin, Now: now})
}

// jsonPath returns the values at path below v, keyed by where they are,
// and where a property on the path is missing. A "\x00" in a name stands
// for a dot that belongs to it ("problem.severity").
func jsonPath(v any, path []string, at string) (map[string]any, []string) {
	if len(path) == 0 {
		return map[string]any{at: v}, nil
	}
	name := strings.ReplaceAll(path[0], "\x00", ".")
	values, missing := map[string]any{}, []string(nil)
	merge := func(vs map[string]any, ms []string) {
		for k, x := range vs {
			values[k] = x
		}
		missing = append(missing, ms...)
	}
	if name == "*" {
		arr, ok := v.([]any)
		if !ok {
			return nil, []string{at + " (not an array)"}
		}
		for i, x := range arr {
			merge(jsonPath(x, path[1:], at+"["+strconv.Itoa(i)+"]"))
		}
		return values, missing
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, []string{at + " (not an object)"}
	}
	x, ok := obj[name]
	if !ok {
		return nil, []string{at + "." + name}
	}
	merge(jsonPath(x, path[1:], at+"."+name))
	return values, missing
}

func isString(v any) error {
	if _, ok := v.(string); !ok {
		return fmt.Errorf("%v is not a string", v)
	}
	return nil
}

func nonEmpty(v any) error {
	if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
		return fmt.Errorf("%v is not a non-empty string", v)
	}
	return nil
}

func isArray(v any) error {
	if _, ok := v.([]any); !ok {
		return fmt.Errorf("%v is not an array", v)
	}
	return nil
}

func isObject(v any) error {
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("%v is not an object", v)
	}
	return nil
}

func isNumber(v any) error {
	if _, ok := v.(float64); !ok {
		return fmt.Errorf("%v is not a number", v)
	}
	return nil
}

func positive(v any) error {
	if n, ok := v.(float64); !ok || n < 1 || n != float64(int(n)) {
		return fmt.Errorf("%v is not a positive integer", v)
	}
	return nil
}

func arrayLen(lo, hi int) func(any) error {
	return func(v any) error {
		if a, ok := v.([]any); !ok || len(a) < lo || len(a) > hi {
			return fmt.Errorf("%v: want an array of %d to %d", v, lo, hi)
		}
		return nil
	}
}

func equals(want string) func(any) error {
	return func(v any) error {
		if v != want {
			return fmt.Errorf("%v, want %q", v, want)
		}
		return nil
	}
}

func oneOf(want ...string) func(any) error {
	return func(v any) error {
		if s, ok := v.(string); !ok || !slices.Contains(want, s) {
			return fmt.Errorf("%v, want one of %q", v, want)
		}
		return nil
	}
}

func matches(re string) func(any) error {
	r := regexp.MustCompile(re)
	return func(v any) error {
		if s, ok := v.(string); !ok || !r.MatchString(s) {
			return fmt.Errorf("%v does not match %s", v, re)
		}
		return nil
	}
}

func hasElement(want string) func(any) error {
	return func(v any) error {
		a, _ := v.([]any)
		if !slices.Contains(a, any(want)) {
			return fmt.Errorf("%v lacks %q", v, want)
		}
		return nil
	}
}

// securityScore: a string holding a number over 0.0 and at most 10.0.
func securityScore(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%v is not a string", v)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 10 {
		return fmt.Errorf("%q is not a score in (0, 10]", s)
	}
	return nil
}

// relativeFile: a URI relative to the repository root, of a file (code
// scanning cannot compute or show a location in a directory), unless it is
// the directory of an object that has no file at all.
func relativeFile(v any) error {
	s, ok := v.(string)
	if !ok || s == "" || strings.Contains(s, "://") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "..") {
		return fmt.Errorf("%v is not a relative URI", v)
	}
	info, err := os.Stat(filepath.FromSlash(s))
	if err != nil {
		return err
	}
	if info.IsDir() {
		entries, _ := os.ReadDir(s)
		for _, e := range entries {
			if e.Type().IsRegular() {
				return fmt.Errorf("%v is a directory that holds files: point at one", v)
			}
		}
	}
	return nil
}
