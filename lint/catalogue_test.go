package lint

import (
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"sort"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
)

// TestEveryRuleFiresOnItsBrokenSet is the contract between the rule
// registry and the broken-set catalogue: every rule has a set, and the
// rule fires on it at the severity its profile gives it.
func TestEveryRuleFiresOnItsBrokenSet(t *testing.T) {
	sets := map[string]fixtures.Broken{}
	for _, b := range fixtures.BrokenSets() {
		sets[b.Rule] = b
	}
	for _, r := range Rules() {
		switch r.reportedBy {
		case "CheckManifest":
			continue // cross-object rules: manifest_test.go has a manifest per rule
		case "ExpiredWaivers":
			continue // the configuration file's rule: config_test.go tests it
		}
		if _, ok := sets[r.ID]; !ok {
			t.Errorf("rule %s has no broken set in fixtures.BrokenSets", r.ID)
		}
	}
	for _, b := range fixtures.BrokenSets() {
		t.Run(b.Rule, func(t *testing.T) {
			r, ok := Lookup(b.Rule)
			if !ok {
				t.Fatalf("broken set for unknown rule %s", b.Rule)
			}
			dir := filepath.Join(t.TempDir(), "set")
			if err := b.Write(gen, dir); err != nil {
				t.Fatal(err)
			}
			prof, _, _ := ParseProfile(b.Profile)
			o := Options{Profile: prof, Hosts: b.Hosts, WarnWithin: b.WarnWithin, Now: fixtures.TestClock, Libvirt: ParseLibvirtSettings(b.LibvirtSettings)}
			if b.AsUser != "" {
				u, err := access.LookupUser("/", b.AsUser)
				if err != nil {
					t.Fatal(err)
				}
				o.AsUser = &u
			}
			fs := lintBroken(t, b, dir, o)
			want := r.SeverityIn(prof)
			for _, f := range fs {
				if f.Rule == b.Rule && f.Severity >= want {
					if f.Message == "" || f.Fix == "" || f.Object != "tls0" {
						t.Errorf("finding lacks message, fix or object: %+v", f)
					}
					return
				}
			}
			t.Errorf("rule %s (%s in profile %s) did not fire on its set (%s); findings: %v", b.Rule, want, prof, b.Description, summary(fs))
		})
	}
}

func TestGoodSetsHaveNoFindings(t *testing.T) {
	names := make([]string, 0)
	good := fixtures.GoodSets()
	for n := range good {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "set")
			if err := good[name](gen, dir); err != nil {
				t.Fatal(err)
			}
			endpoint := "server"
			if strings.HasPrefix(name, "client") {
				endpoint = "client"
			}
			for _, prof := range Profiles {
				fs := lintPath(t, dir, endpoint, Options{Profile: prof, Hosts: []string{"localhost"}})
				if Worst(fs) >= Warning {
					t.Errorf("profile %s: %v", prof, summary(fs))
				}
			}
		})
	}
}

func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Severity.String()+" "+f.Rule+": "+f.Message)
	}
	return out
}

// lintBroken lints a broken set through its own object spec (its kind and
// password), as `tlscreds lint --object` would.
func lintBroken(t *testing.T, b fixtures.Broken, dir string, o Options) []Finding {
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
	return Check(Target{Spec: specs.Objects[0], Password: pw}, o).Findings
}
