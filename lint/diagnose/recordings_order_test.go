package diagnose

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	rec "github.com/tlscreds/tlscreds/fixtures/recorder"
)

// TestReplayOrder: the live replay starts the scenarios the durations
// file does not list, then the listed ones slowest first; writing keeps
// the durations of scenarios a partial run did not time.
func TestReplayOrder(t *testing.T) {
	all := rec.Scenarios()
	if len(all) < 3 {
		t.Fatalf("%d scenarios", len(all))
	}
	a, b, c := all[0].Name, all[1].Name, all[2].Name
	path := filepath.Join(t.TempDir(), "times.txt")
	if err := writeReplayTimes(path, map[string]time.Duration{a: time.Second, b: 9 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := writeReplayTimes(path, map[string]time.Duration{c: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	got, err := slowestFirst(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) {
		t.Fatalf("%d names, want %d", len(got), len(all))
	}
	if tail := got[len(got)-3:]; !slices.Equal(tail, []string{b, c, a}) {
		t.Errorf("listed scenarios %v, want slowest first: %v", tail, []string{b, c, a})
	}
	if !slices.Contains(got[:len(got)-3], all[3].Name) {
		t.Errorf("an unlisted scenario does not come first: %v", got[:5])
	}
	if err := os.WriteFile(path, []byte("x\tslow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := slowestFirst(path); err == nil {
		t.Error("a malformed line was accepted")
	}
}
