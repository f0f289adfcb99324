package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestNewResultStatus(t *testing.T) {
	for _, tc := range []struct {
		fs   []Finding
		want string
	}{
		{nil, "ok"},
		{[]Finding{{Severity: Info}}, "ok"},
		{[]Finding{{Severity: Info}, {Severity: Warning}}, "warning"},
		{[]Finding{{Severity: Warning}, {Severity: Error}}, "error"},
	} {
		r := NewResult("dir1", "pki/server", "server", ProfileQEMU, tc.fs)
		if r.Status != tc.want {
			t.Errorf("%v: status %q, want %q", tc.fs, r.Status, tc.want)
		}
		if r.Findings == nil {
			t.Error("findings is nil: JSON would say null, the schema says an array")
		}
	}
}

// fullResult has every field set, so that omitempty hides nothing.
func fullResult() Result {
	r := NewResult("tls0", "/etc/pki/qemu", "server", ProfileQEMU, []Finding{{
		Rule: "identity-unpaired", Severity: Error, Subject: SubjectFile, Object: "tls0", File: "/etc/pki/qemu/server-cert.pem",
		Message: "server-cert.pem has no key", Fix: "add the missing half of the pair", Citation: "QEMU 10.2 identity pairing",
		Consumer: "Cert '%s' without corresponding key '%s'",
	}})
	r.Note = "qemu layout, server endpoint"
	return r
}

// jsonKeys lists the object keys anywhere in a JSON document.
func jsonKeys(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				seen[k] = true
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestJSONDocumented: every key the JSON reports emit is documented in
// docs/json-schema.md, so a new field cannot ship undocumented.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/json-schema.md")
	if err != nil {
		t.Fatal(err)
	}
	var lintOut, rulesOut bytes.Buffer
	if err := WriteJSON(&lintOut, []Result{fullResult()}); err != nil {
		t.Fatal(err)
	}
	if err := WriteRulesJSON(&rulesOut); err != nil {
		t.Fatal(err)
	}
	for _, out := range []*bytes.Buffer{&lintOut, &rulesOut} {
		for _, k := range jsonKeys(t, out.Bytes()) {
			if !bytes.Contains(doc, []byte("`"+k+"`")) {
				t.Errorf("JSON key %q is not documented in docs/json-schema.md", k)
			}
		}
	}
	for _, s := range []string{JSONSchema, RulesSchema} {
		if !bytes.Contains(doc, []byte(s)) {
			t.Errorf("docs/json-schema.md does not name %s", s)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, []Result{fullResult(), NewResult("tls1", "pki/client", "client", ProfileQEMU, nil)}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema  string `json:"schema"`
		Results []struct {
			Object, Path, Endpoint, Profile, Status string
			Findings                                []map[string]string
		} `json:"results"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Schema != "tlscreds.lint/v1" || len(got.Results) != 2 {
		t.Fatalf("schema %q, %d results", got.Schema, len(got.Results))
	}
	r := got.Results[0]
	if r.Object != "tls0" || r.Path != "/etc/pki/qemu" || r.Endpoint != "server" || r.Profile != "qemu" || r.Status != "error" {
		t.Errorf("result %+v", r)
	}
	f := r.Findings[0]
	if f["severity"] != "error" || f["rule"] != "identity-unpaired" || f["consumer_message"] != "Cert '%s' without corresponding key '%s'" {
		t.Errorf("finding %v", f)
	}
	if !strings.Contains(buf.String(), `"findings": []`) {
		t.Error("a clean object's findings are not an empty array")
	}
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, []Result{fullResult(), NewResult("tls1", "pki/client", "client", ProfileQEMU, nil)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"/etc/pki/qemu (tls0, server endpoint, profile qemu): error",
		"pki/client (tls1, client endpoint, profile qemu): ok",
		"| error    | identity-unpaired | server-cert.pem |",
		"2 objects checked: 1 error, 0 warnings, 0 info",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteRulesJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRulesJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema string `json:"schema"`
		Rules  []struct {
			ID       string            `json:"id"`
			Severity map[string]string `json:"severity"`
			Summary  string            `json:"summary"`
			Fix      string            `json:"fix"`
			HelpURI  string            `json:"help_uri"`
		} `json:"rules"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	rules := Rules()
	if got.Schema != RulesSchema || len(got.Rules) != len(rules) {
		t.Fatalf("schema %q, %d rules, want %d", got.Schema, len(got.Rules), len(rules))
	}
	for i, r := range rules {
		g := got.Rules[i]
		if g.ID != r.ID || g.Summary != r.Summary || g.Fix != r.Fix || !strings.HasSuffix(g.HelpURI, "docs/rules.md#"+r.ID) {
			t.Errorf("rule %d: %+v", i, g)
		}
		for _, p := range Profiles {
			if g.Severity[string(p)] != r.SeverityIn(p).String() {
				t.Errorf("%s: severity in %s is %q, want %s", r.ID, p, g.Severity[string(p)], r.SeverityIn(p))
			}
		}
	}
}

func TestWriteRulesTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRulesTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, r := range Rules() {
		if !strings.Contains(out, "| "+r.ID+" ") || !strings.Contains(out, "\n"+r.ID+"\n") {
			t.Errorf("%s is not listed in the table and the details", r.ID)
		}
		for _, field := range []string{r.QEMU, r.Libvirt, r.Fix} {
			// Long fields are printed on one line in the details.
			if field != "" && !strings.Contains(out, field) {
				t.Errorf("%s: %q is missing", r.ID, field)
			}
		}
	}
	if !strings.Contains(out, "| RULE ") || !strings.Contains(out, "QEMU-7.2.22-DEBIAN12") {
		t.Errorf("no header:\n%s", out[:200])
	}
}
