package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscreds/tlscreds/fixtures"
)

// The OASIS SARIF 2.1.0 schema (errata 01), the one GitHub code scanning
// validates uploads against. It is not checked in: the Go module proxy
// serves a module that carries a copy as test data, and the test checks
// the copy's id before trusting it.
const (
	sarifSchemaModule = "github.com/securego/gosec/v2@v2.30.0"
	sarifSchemaFile   = "report/sarif/testdata/sarif-schema-2.1.0.json"
	sarifSchemaID     = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

// Every SARIF log lint writes is valid against the official schema: the
// sample results, an empty run, and the results of linting every broken
// set of the catalogue (every rule's finding, every profile's levels).
func TestSARIFValidatesAgainstOASISSchema(t *testing.T) {
	schema := oasisSARIFSchema(t)

	var catalogue []Result
	for _, b := range fixtures.BrokenSets() {
		dir := filepath.Join(t.TempDir(), "set")
		if err := b.Write(gen, dir); err != nil {
			t.Fatal(err)
		}
		prof, _, _ := ParseProfile(b.Profile)
		fs := lintBroken(t, b, dir, Options{Profile: prof, Hosts: b.Hosts, WarnWithin: b.WarnWithin, Now: fixtures.TestClock})
		catalogue = append(catalogue, NewResult("tls0", dir, b.Endpoint, prof, fs))
	}
	wd := t.TempDir()
	t.Chdir(wd)
	logs := map[string][]Result{
		"sample":    sampleResults(wd),
		"empty":     nil,
		"catalogue": catalogue,
	}
	for name, results := range logs {
		t.Run(name, func(t *testing.T) {
			out, _ := writeSARIF(t, results)
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("the SARIF log does not validate against the OASIS schema:\n%v", err)
			}
		})
	}
}

// oasisSARIFSchema fetches the schema through the Go module proxy (go mod
// download; the test fails, never skips, when it cannot) and compiles it
// with format assertions on.
func oasisSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", sarifSchemaModule)
	cmd.Dir = t.TempDir() // outside this module: nothing is added to go.mod
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s (the OASIS SARIF schema comes from it): %v\n%s", sarifSchemaModule, err, out)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download %s: no directory in %s", sarifSchemaModule, out)
	}
	data, err := os.ReadFile(filepath.Join(mod.Dir, sarifSchemaFile))
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.ID != sarifSchemaID {
		t.Fatalf("%s in %s is not the OASIS schema (id %q, want %q)", sarifSchemaFile, sarifSchemaModule, head.ID, sarifSchemaID)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatalf("compiling the OASIS SARIF schema: %v", err)
	}
	return schema
}
