package metrics

import (
	"os/exec"
	"testing"
)

// TestShippedAlertRules runs the real promtool over the alert rules
// docs/fleet.md ships: they load, and their unit tests (recorded series,
// which alerts fire when) pass.
func TestShippedAlertRules(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Fatal("promtool not found: install Debian's prometheus package (apt-get install -y prometheus, or make deps)")
	}
	for _, args := range [][]string{
		{"check", "rules", "tlscreds-alerts.yml"},
		{"test", "rules", "tlscreds-alerts.test.yml"},
	} {
		cmd := exec.Command("promtool", args...)
		cmd.Dir = "../../docs/fleet"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
