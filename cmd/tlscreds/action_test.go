package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the checkout the tests run in (cmd/tlscreds/../..).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Uses  string            `yaml:"uses"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

type actionFile struct {
	Inputs map[string]struct {
		Default  string `yaml:"default"`
		Required bool   `yaml:"required"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

// TestGitHubAction runs the steps of action.yml as the runner would (bash
// with -e -o pipefail, GITHUB_PATH and GITHUB_OUTPUT files, the inputs'
// expressions replaced) with version set to this checkout: over clean
// directories the job passes and the SARIF is ready for upload-sarif; over
// a broken set the lint step records 1 and the last step fails the job.
func TestGitHubAction(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using %q, want composite", a.Runs.Using)
	}
	work := t.TempDir()
	for _, args := range [][]string{{"gen", "pki", "--out", filepath.Join(work, "pki")},
		{"gen", "broken", "--out", filepath.Join(work, "broken"), "identity-unpaired"}} {
		var out bytes.Buffer
		if code := run(append([]string{"tlscreds"}, args...), &out, &out); code != 0 {
			t.Fatalf("%v: %s", args, out.String())
		}
	}
	gobin := filepath.Join(t.TempDir(), "bin")
	for _, tc := range []struct {
		args       string
		status     string
		jobFails   bool
		sarifRules []string
	}{
		{"pki/server pki/client", "0", false, nil},
		{"pki/server broken", "1", true, []string{"identity-unpaired"}},
	} {
		t.Run(tc.status, func(t *testing.T) {
			inputs := map[string]string{}
			for name, in := range a.Inputs {
				inputs[name] = in.Default
			}
			inputs["version"] = root
			inputs["args"] = tc.args
			inputs["sarif-file"] = "out.sarif"
			outputs := map[string]map[string]string{}
			ghPath := filepath.Join(t.TempDir(), "path")
			jobFailed := false
			for _, st := range a.Runs.Steps {
				if !actionIf(t, st.If, inputs, outputs) {
					continue
				}
				if st.Uses != "" {
					if st.Uses != "github/codeql-action/upload-sarif@v4" {
						t.Fatalf("step %q uses %s: the test knows only upload-sarif@v4", st.Name, st.Uses)
					}
					sarif := filepath.Join(work, expand(t, st.With["sarif_file"], inputs, outputs))
					checkSARIFFile(t, sarif, tc.sarifRules)
					if cat := expand(t, st.With["category"], inputs, outputs); cat != "tlscreds" {
						t.Errorf("category %q", cat)
					}
					continue
				}
				if st.Shell != "bash" {
					t.Fatalf("step %q: shell %q, want bash", st.Name, st.Shell)
				}
				ghOut := filepath.Join(t.TempDir(), "output")
				os.WriteFile(ghOut, nil, 0o644)
				cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(t, st.Run, inputs, outputs))
				cmd.Dir = work
				path := os.Getenv("PATH")
				if b, err := os.ReadFile(ghPath); err == nil {
					for _, p := range strings.Fields(string(b)) {
						path = p + ":" + path
					}
				}
				cmd.Env = append(os.Environ(), "GITHUB_PATH="+ghPath, "GITHUB_OUTPUT="+ghOut, "GOBIN="+gobin, "PATH="+path, "GOFLAGS=-mod=mod")
				for k, v := range st.Env {
					cmd.Env = append(cmd.Env, k+"="+expand(t, v, inputs, outputs))
				}
				out, err := cmd.CombinedOutput()
				if st.ID != "" {
					outputs[st.ID] = map[string]string{}
					b, _ := os.ReadFile(ghOut)
					for _, l := range strings.Split(string(b), "\n") {
						if k, v, ok := strings.Cut(l, "="); ok {
							outputs[st.ID][k] = v
						}
					}
				}
				if err != nil {
					jobFailed = true
					t.Logf("step %q failed (%v):\n%s", st.Name, err, out)
					break
				}
				if st.ID == "lint" && !strings.Contains(string(out), "objects checked") {
					t.Errorf("the lint step printed no table:\n%s", out)
				}
			}
			if got := outputs["lint"]["status"]; got != tc.status {
				t.Errorf("lint status %q, want %q", got, tc.status)
			}
			if jobFailed != tc.jobFails {
				t.Errorf("job failed: %v, want %v", jobFailed, tc.jobFails)
			}
		})
	}
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// expand replaces the ${{ inputs.X }} and ${{ steps.ID.outputs.Y }}
// expressions of a step; any other expression fails the test.
func expand(t *testing.T, s string, inputs map[string]string, outputs map[string]map[string]string) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		return value(t, exprRE.FindStringSubmatch(m)[1], inputs, outputs)
	})
}

func value(t *testing.T, ref string, inputs map[string]string, outputs map[string]map[string]string) string {
	if name, ok := strings.CutPrefix(ref, "inputs."); ok {
		v, ok := inputs[name]
		if !ok {
			t.Fatalf("action.yml refers to an undeclared input %q", name)
		}
		return v
	}
	if p := strings.Split(ref, "."); len(p) == 4 && p[0] == "steps" && p[2] == "outputs" {
		return outputs[p[1]][p[3]]
	}
	t.Fatalf("action.yml: expression %q is not one the test evaluates", ref)
	return ""
}

// actionIf evaluates a step's if: conditions joined by &&, each
// REF == 'literal'.
func actionIf(t *testing.T, cond string, inputs map[string]string, outputs map[string]map[string]string) bool {
	if cond == "" {
		return true
	}
	for _, c := range strings.Split(cond, "&&") {
		ref, lit, ok := strings.Cut(strings.TrimSpace(c), "==")
		lit = strings.TrimSpace(lit)
		if !ok || len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
			t.Fatalf("action.yml: condition %q is not one the test evaluates", c)
		}
		if value(t, strings.TrimSpace(ref), inputs, outputs) != lit[1:len(lit)-1] {
			return false
		}
	}
	return true
}

func checkSARIFFile(t *testing.T, path string, rules []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the SARIF for upload-sarif: %v", err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Results []struct{ RuleID string }
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("%s is not a SARIF 2.1.0 log (%v)", path, err)
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		got = append(got, r.RuleID)
	}
	if strings.Join(got, ",") != strings.Join(rules, ",") {
		t.Errorf("SARIF results %v, want %v", got, rules)
	}
}

// TestPreCommitHook runs the hook of .pre-commit-hooks.yaml with the real
// pre-commit, installed from a copy of this checkout (tracked and new
// files) as pre-commit installs a golang hook, over a repository holding a
// generated PKI: it passes, and fails once a key is removed.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatal("pre-commit is not installed: apt-get install pre-commit (make deps does)")
	}
	root := repoRoot(t)
	// The checkout as it is now, committed in a repository of its own.
	src := filepath.Join(t.TempDir(), "tlscreds")
	files, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, f := range strings.Split(strings.TrimSpace(string(files)), "\n") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755)
		if err := os.WriteFile(filepath.Join(src, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=test@example.com", "-c", "user.name=test"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(src, "init", "-q")
	git(src, "add", "-A")
	git(src, "commit", "-qm", "checkout")
	rev := git(src, "rev-parse", "HEAD")

	repo := filepath.Join(t.TempDir(), "repo")
	var out bytes.Buffer
	if code := run([]string{"tlscreds", "gen", "pki", "--out", filepath.Join(repo, "tls")}, &out, &out); code != 0 {
		t.Fatal(out.String())
	}
	config := "repos:\n  - repo: " + src + "\n    rev: " + rev + "\n    hooks:\n      - id: tlscreds-lint\n"
	os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644)
	git(repo, "init", "-q")
	git(repo, "add", "-A")
	home := t.TempDir()
	gomodcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	preCommit := func() (int, string) {
		cmd := exec.Command("pre-commit", "run", "--all-files")
		cmd.Dir = repo
		// A private PRE_COMMIT_HOME; the module cache is shared, so the
		// hook's go install downloads nothing already there.
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+home, "GOMODCACHE="+strings.TrimSpace(string(gomodcache)))
		timer := time.AfterFunc(10*time.Minute, func() { cmd.Process.Kill() })
		defer timer.Stop()
		b, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(b)
		} else if err != nil {
			t.Fatalf("pre-commit: %v\n%s", err, b)
		}
		return 0, string(b)
	}
	if code, out := preCommit(); code != 0 || !regexp.MustCompile(`tlscreds lint\.+Passed`).MatchString(out) {
		t.Fatalf("pre-commit over a good PKI: exit %d\n%s", code, out)
	}
	os.Remove(filepath.Join(repo, "tls", "server", "server-key.pem"))
	git(repo, "add", "-A")
	code, hookOut := preCommit()
	if code != 1 || !strings.Contains(hookOut, "identity-unpaired") || !regexp.MustCompile(`tlscreds lint\.+Failed`).MatchString(hookOut) {
		t.Errorf("pre-commit without the server key: exit %d, want 1 with identity-unpaired\n%s", code, hookOut)
	}
}
