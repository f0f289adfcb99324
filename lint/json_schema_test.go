package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscreds/tlscreds/fixtures"
)

// compileSchema compiles a JSON Schema published under docs/schema/.
func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join("..", "docs", "schema", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// TestLintJSONSchema: the JSON report of every broken set of the
// catalogue, with a waived finding and an expired waiver, validates
// against docs/schema/tlscreds.lint.v1.json.
func TestLintJSONSchema(t *testing.T) {
	schema := compileSchema(t, "tlscreds.lint.v1.json")
	wd := t.TempDir()
	t.Chdir(wd)
	results := catalogueResults(t, "sets")
	w := []*Waiver{{Rule: results[0].Findings[0].Rule, Path: "sets/**", Reason: "test", Expires: "2099-01-01",
		Source: ".tlscreds.yaml:3", base: wd, expires: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)},
		{Rule: "cert-expired", Path: "x", Reason: "old", Expires: "2000-01-01", Source: ".tlscreds.yaml:8", base: wd, line: 8}}
	results[0] = Waive(results[0], w, fixtures.TestClock)
	results = append(results, ExpiredWaivers(".tlscreds.yaml", w, ProfileQEMU, fixtures.TestClock))
	for name, rs := range map[string][]Result{"catalogue": results, "empty": nil} {
		var b bytes.Buffer
		if err := WriteJSON(&b, rs); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatalf("%s: not JSON: %v", name, err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: the report does not validate against docs/schema/tlscreds.lint.v1.json:\n%v", name, err)
		}
	}
}
