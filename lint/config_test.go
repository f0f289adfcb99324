package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, dir, text string) string {
	t.Helper()
	p := filepath.Join(dir, ConfigName)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"profile: qemu9\n", "profile: unknown profile"},
		{"fail-on: fatal\n", `fail-on: unknown severity "fatal"`},
		{"failon: error\n", "line 1: field failon not found"},
		{"waivers:\n  - rule: cert-expired\n    path: a/**\n    expires: 2030-01-01\n", ".tlscreds.yaml:2: waiver of cert-expired without a reason: key"},
		{"waivers:\n  - rule: cert-expired\n    path: a/**\n    reason: r\n", "without expires: (YYYY-MM-DD)"},
		{"waivers:\n  - rule: cert-expird\n    path: a\n    reason: r\n    expires: 2030-01-01\n", `unknown rule "cert-expird"`},
		{"waivers:\n  - rule: cert-expired\n    path: a\n    reason: r\n    expires: 1 May 2030\n", `expires "1 May 2030": want a date YYYY-MM-DD`},
		{"waivers:\n  - rule: cert-expired\n    path: /etc/pki\n    reason: r\n    expires: 2030-01-01\n", "give a glob relative to"},
		{"waivers:\n  - rule: cert-expired\n    path: a/[\n    reason: r\n    expires: 2030-01-01\n", "syntax error in pattern"},
	} {
		p := writeConfig(t, t.TempDir(), tt.text)
		_, err := LoadConfig(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), p) {
			t.Errorf("%q: error %v, want %q after the file name", tt.text, err, tt.want)
		}
	}
	if c, err := LoadConfig(writeConfig(t, t.TempDir(), "")); err != nil || c.Profile != "" {
		t.Errorf("empty file: %+v, %v", c, err)
	}
}

func TestFindConfigUpward(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	os.MkdirAll(deep, 0o755)
	if p, err := FindConfig(deep); err != nil || p != "" {
		t.Fatalf("no file: %q, %v", p, err)
	}
	want := writeConfig(t, root, "profile: libvirt\n")
	if p, err := FindConfig(deep); err != nil || p != want {
		t.Errorf("FindConfig = %q, %v; want %q", p, err, want)
	}
	nearer := writeConfig(t, filepath.Join(root, "a"), "profile: qemu\n")
	if p, _ := FindConfig(deep); p != nearer {
		t.Errorf("FindConfig = %q; want the nearest, %q", p, nearer)
	}
}

func TestWaive(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	cfg, err := LoadConfig(writeConfig(t, root, `profile: qemu
waivers:
  - rule: cert-expiring-soon
    path: deploy/**/legacy
    reason: replaced in March
    expires: 2030-03-31
  - rule: key-permissions
    path: deploy/*/server-key.pem
    reason: the group is the service's
    expires: 2020-01-01
`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 3, 31, 23, 0, 0, 0, time.UTC) // the last day of the first waiver
	res := NewResult("deploy/x/legacy", "deploy/x/legacy", "server", ProfileQEMU, []Finding{
		{Rule: "cert-expiring-soon", Severity: Warning, File: "deploy/x/legacy/server-cert.pem"},
		{Rule: "cert-expiring-soon", Severity: Warning, File: "deploy/x/other/server-cert.pem"},
		{Rule: "key-permissions", Severity: Warning, File: "deploy/x/server-key.pem"},
		{Rule: "cert-expired", Severity: Error, File: "deploy/x/legacy/server-cert.pem"},
	})
	got := Waive(res, cfg.Waivers, now)
	waived := []bool{true, false, false, false} // the second waiver has expired
	for i, f := range got.Findings {
		if (f.Waiver != nil) != waived[i] {
			t.Errorf("finding %d (%s on %s): waived %v, want %v", i, f.Rule, f.File, f.Waiver != nil, waived[i])
		}
	}
	if got := Waive(res, cfg.Waivers, now.Add(2*time.Hour)); got.Findings[0].Waiver != nil {
		t.Error("a waiver still holds the day after its expiry")
	}
	only := NewResult("deploy/x/legacy", "deploy/x/legacy", "server", ProfileQEMU, []Finding{{Rule: "cert-expiring-soon", Severity: Warning, File: "deploy/x/legacy/server-cert.pem"}})
	if w := Waive(only, cfg.Waivers, now); w.Status != "ok" || Worst(w.Findings) != 0 {
		t.Errorf("a result whose findings are all waived: status %q, worst %v", w.Status, Worst(w.Findings))
	}
	exp := ExpiredWaivers(cfg.Path, cfg.Waivers, ProfileQEMU, now)
	if len(exp.Findings) != 1 || exp.Findings[0].Rule != "waiver-expired" || exp.Findings[0].Line != 7 ||
		!strings.Contains(exp.Findings[0].Message, "key-permissions on deploy/*/server-key.pem expired on 2020-01-01") {
		t.Errorf("expired waivers: %+v", exp.Findings)
	}
}
