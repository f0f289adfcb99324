package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// priorityFindings lints object spec (with {dir} for a good set's
// directory) and returns its priority-invalid findings.
func priorityFindings(t *testing.T, spec string, p Profile) []Finding {
	t.Helper()
	sp, _, err := creds.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	m, err := creds.Read(sp, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []Finding
	for _, f := range Run(m, Options{Profile: p, Now: fixtures.TestClock}) {
		if f.Rule == "priority-invalid" {
			out = append(out, f)
		}
	}
	return out
}

func TestPriorityInvalid(t *testing.T) {
	pki, err := gen.PKI(fixtures.PKIOptions{KeyType: fixtures.ECDSAP256})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := pki.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	pskDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(pskDir, "keys.psk"), []byte("qemu:00112233445566778899aabbccddeeff\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	x509 := "tls-creds-x509,id=t0,endpoint=server,dir=" + dir + ",priority="
	for _, c := range []struct {
		spec    string
		profile Profile
		want    string // "" for no finding
	}{
		{x509 + "NORMAL", ProfileQEMU1020, ""},
		{x509 + "LEGACY", ProfileQEMU72, ""},
		{x509 + "PERFORMANCE:+VERS-TLS1.0", ProfileQEMU72, ""},
		{x509 + "normal:%COMPAT", ProfileQEMU1020, ""},
		{x509 + "NORMAL:+BOGUS", ProfileQEMU1020, "Unable to set TLS session priority NORMAL:+BOGUS: The request is invalid."},
		{x509 + "NORMAL:+BOGUS", ProfileQEMU1010, "Cannot set default TLS session priority NORMAL:+BOGUS: The request is invalid."},
		{x509 + "NORMAL:+BOGUS", ProfileQEMU1000, "Cannot set default TLS session priority NORMAL:+BOGUS: The request is invalid."},
		{x509 + "NORMAL:+BOGUS", ProfileQEMU72, "Cannot set default TLS session priority NORMAL:+BOGUS: The request is invalid."},
		{x509 + "NONE", ProfileQEMU72, "Cannot set default TLS session priority NONE: No or insufficient priorities were set."},
		{x509 + "@QEMU,,SYSTEM", ProfileQEMU1020, "Unable to set TLS session priority @QEMU,SYSTEM: The request is invalid."},
		// TLS 1.3 alone without a group: gnutls_priority_init takes it,
		// gnutls_priority_set (every session) does not.
		{x509 + "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL", ProfileQEMU1020, "Unable to set TLS session priority NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL: No or insufficient priorities were set."},
		// QEMU appends the PSK key exchanges, which TLS 1.3 can use without a group.
		{"tls-creds-psk,id=p0,endpoint=server,dir=" + pskDir + ",priority=NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL", ProfileQEMU1020, ""},
		{"tls-creds-psk,id=p0,endpoint=server,dir=" + pskDir + ",priority=NONE", ProfileQEMU72,
			"Unable to set TLS session priority NONE:+ECDHE-PSK:+DHE-PSK:+PSK: No or insufficient priorities were set."},
		{"tls-creds-anon,id=a0,endpoint=server,priority=NORMAL::", ProfileQEMU1010,
			"Unable to set TLS session priority NORMAL:::+ANON-DH: The request is invalid."},
		// The libvirt profile judges tls_priority (libvirt-priority-invalid), not priority=.
		{x509 + "NONE", ProfileLibvirt, ""},
	} {
		fs := priorityFindings(t, c.spec, c.profile)
		switch {
		case c.want == "" && len(fs) > 0:
			t.Errorf("%s in %s: unexpected %+v", c.spec, c.profile, fs)
		case c.want != "" && len(fs) != 1:
			t.Errorf("%s in %s: %d priority-invalid findings, want 1", c.spec, c.profile, len(fs))
		case c.want != "":
			f := fs[0]
			if f.Consumer != c.want {
				t.Errorf("%s in %s: consumer_message %q, want %q", c.spec, c.profile, f.Consumer, c.want)
			}
			if cl := registry[f.Rule].ClassOf(c.profile); f.Severity != Error || cl != ClassSessionFails {
				t.Errorf("%s in %s: %v %s, want error session-fails", c.spec, c.profile, f.Severity, cl)
			}
			if !strings.Contains(f.Message, "every TLS session") {
				t.Errorf("message %q does not say what fails", f.Message)
			}
		}
	}
}
