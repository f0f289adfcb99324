package diagnose

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// slapd starts Debian's OpenLDAP server on 127.0.0.1 with the server
// credential directory srvDir (none: no TLS configured), serving url
// ("ldap" or "ldaps") with TLSVerifyClient verify.
func slapd(t *testing.T, srvDir, scheme, verify string) string {
	t.Helper()
	dir := t.TempDir()
	conf := "include /etc/ldap/schema/core.schema\npidfile " + filepath.Join(dir, "slapd.pid") + "\n"
	if srvDir != "" {
		conf += "TLSCertificateFile " + filepath.Join(srvDir, "server-cert.pem") + "\n" +
			"TLSCertificateKeyFile " + filepath.Join(srvDir, "server-key.pem") + "\n" +
			"TLSCACertificateFile " + filepath.Join(srvDir, "ca-cert.pem") + "\n" +
			"TLSVerifyClient " + verify + "\n"
	}
	f := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(f, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(peer.FreePort(t))
	// -d 0: in the foreground, so the test owns the process.
	return peer.Start(t, addr, "slapd", "-f", f, "-h", scheme+"://"+addr+"/", "-d", "0").Addr
}

// TestSlapd probes a real OpenLDAP server with --starttls ldap (StartTLS,
// then "Who am I?") and over ldaps://.
func TestSlapd(t *testing.T) {
	t.Parallel()
	peer.Require(t, "slapd")
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	ldap := func(t *testing.T, startTLS string) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = startTLS, "localhost"
		return o
	}
	t.Run("starttls", func(t *testing.T) {
		r, fs := probe(t, slapd(t, srvDir, "ldap", "allow"), ldap(t, StartTLSLDAP))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
		if !strings.Contains(r.ReadNote, "LDAP over TLS works") {
			t.Errorf("read note %q", r.ReadNote)
		}
	})
	t.Run("no-tls-configured", func(t *testing.T) {
		_, fs := probe(t, slapd(t, "", "ldap", ""), ldap(t, StartTLSLDAP))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "unsupported extended operation")
	})
	t.Run("ldaps-without-starttls", func(t *testing.T) {
		// StartTLS against a port that speaks TLS from the first byte.
		_, fs := probe(t, slapd(t, srvDir, "ldaps", "allow"), ldap(t, StartTLSLDAP))
		wantCauses(t, fs, "handshake-plaintext-to-tls")
	})
	t.Run("ldaps-client-cert-demanded", func(t *testing.T) {
		o := ldap(t, "")
		o.Certificate = nil
		_, fs := probe(t, slapd(t, srvDir, "ldaps", "demand"), o)
		wantCauses(t, fs, "handshake-client-cert-required")
	})
}
