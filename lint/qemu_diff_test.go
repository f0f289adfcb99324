package lint

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// divergences are the broken sets where `lint --profile qemu-legacy` and
// Debian 12's QEMU 7.2 are meant to disagree, each with the reason.
var divergences = map[string]string{}

// TestDifferentialAgainstQEMU runs QEMU's own loader (qemu-img, QEMU 7.2
// in Debian 12: legacy semantics) over every broken and good set and
// asserts that lint in the qemu-legacy profile passes exactly when QEMU
// accepts the directory.
func TestDifferentialAgainstQEMU(t *testing.T) {
	peer.Require(t, "qemu-img")
	g := fixtures.New(time.Now()) // QEMU checks validity against the real clock
	type set struct {
		name   string
		broken fixtures.Broken // Rule, Endpoint, Kind, Password
		write  func(dir string) error
	}
	var sets []set
	for _, b := range fixtures.BrokenSets() {
		b := b
		if b.Layout != "" {
			continue // a tlscreds extension (layout=): QEMU cannot parse the spec
		}
		sets = append(sets, set{b.Rule, b, func(dir string) error { return b.Write(g, dir) }})
	}
	good := fixtures.GoodSets()
	var names []string
	for n := range good {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		n := n
		ep := "server"
		if strings.HasPrefix(n, "client") {
			ep = "client"
		}
		sets = append(sets, set{"good/" + n, fixtures.Broken{Endpoint: ep}, func(dir string) error { return good[n](g, dir) }})
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "set")
			if err := s.write(dir); err != nil {
				t.Fatal(err)
			}
			objects := []string{s.broken.ObjectSpec(dir)}
			if s.broken.Kind == "" {
				objects[0] += ",verify-peer=yes"
			}
			if sec := s.broken.SecretSpec(); sec != "" {
				objects = append([]string{sec}, objects...)
			}
			qemuOK, qemuMsg := peer.QEMULoadObjects(t, objects...)
			fs := lintBroken(t, s.broken, dir, Options{Profile: ProfileQEMULegacy, Now: time.Now()})
			lintOK := Worst(fs) < Error
			if reason, ok := divergences[s.name]; ok {
				if lintOK == qemuOK {
					t.Errorf("listed as a divergence (%s) but lint and QEMU agree (ok=%v): remove it from the list", reason, qemuOK)
				}
				return
			}
			if lintOK != qemuOK {
				t.Errorf("QEMU ok=%v (%s), lint qemu-legacy ok=%v: %v", qemuOK, qemuMsg, lintOK, summary(fs))
			}
		})
	}
}
