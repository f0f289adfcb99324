package diagnose

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// TestGnuTLSServer probes gnutls-serv, the TLS stack QEMU and libvirt
// use. gnutls-serv cannot be told to bind to loopback, so it runs in a
// network namespace whose only interface is loopback, and the probe runs
// there too: the test binary itself, in its helper mode (see TestMain).
func TestGnuTLSServer(t *testing.T) {
	peer.Require(t, "gnutls-serv")
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	_, _, otherCli := pki(t, fixtures.PKIOptions{})
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	probe := func(name, env string) string {
		return fmt.Sprintf("echo '== %s'; env %s=127.0.0.1:5556 SERVERNAME=localhost %s timeout 30 %s\n", name, helperEnv, env, self)
	}
	script := fmt.Sprintf(`
gnutls-serv --port 5556 --echo --require-client-cert --verify-client-cert \
  --x509cafile %[1]s/ca-cert.pem --x509certfile %[1]s/server-cert.pem --x509keyfile %[1]s/server-key.pem >/dev/null 2>&1 &
gnutls-serv --port 5557 --echo --priority NORMAL:-VERS-TLS1.3:-CIPHER-ALL:+AES-128-CCM \
  --x509certfile %[1]s/server-cert.pem --x509keyfile %[1]s/server-key.pem >/dev/null 2>&1 &
gnutls-serv --port 5558 --echo --require-client-cert --verify-client-cert --priority NORMAL:-VERS-TLS1.3 \
  --x509cafile %[1]s/ca-cert.pem --x509certfile %[1]s/server-cert.pem --x509keyfile %[1]s/server-key.pem >/dev/null 2>&1 &
for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/5556) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5557) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5558) 2>/dev/null && break; sleep 0.1; done
`, srvDir) +
		probe("ok", "CREDS="+cliDir) +
		probe("no-client-cert", "CREDS="+cliDir+" NOCERT=1") +
		probe("other-ca", "CREDS="+otherCli) +
		// Only AES-CCM, which crypto/tls does not implement: diagnose's
		// own ClientHellos find it.
		strings.ReplaceAll(probe("ccm-only", "CREDS="+cliDir), "127.0.0.1:5556", "127.0.0.1:5557") +
		// TLS 1.2 only, a client certificate required: GnuTLS answers
		// the client's empty Certificate with decode_error.
		strings.ReplaceAll(probe("no-client-cert-tls12", "CREDS="+cliDir+" NOCERT=1"), "127.0.0.1:5556", "127.0.0.1:5558") +
		"kill %1 %2 %3\n"
	r := peer.InNetNS(t, 90*time.Second, script)
	t.Logf("netns output (exit %d):\n%s", r.Code, r.Output)
	want := map[string]struct {
		ok     bool
		causes []string
		parts  []string
	}{
		"ok":                   {true, nil, nil},
		"no-client-cert":       {false, []string{"handshake-client-cert-required"}, nil},
		"other-ca":             {false, []string{"handshake-unknown-ca"}, nil},
		"no-client-cert-tls12": {false, []string{"handshake-client-cert-required"}, []string{"decode_error"}},
		"ccm-only":             {false, []string{"handshake-no-shared-cipher"}, []string{"TLS 1.2 ECDHE-ECDSA only: accepted: TLS_ECDHE_ECDSA_WITH_AES_128_CCM, certificate ECDSA", "AES-CCM, which crypto/tls does not implement"}},
	}
	cause := regexp.MustCompile(`(?m)^cause: error (\S+)$`)
	parts := strings.Split(r.Output, "== ")[1:]
	if len(parts) != len(want) {
		t.Fatalf("got %d probe outputs, want %d", len(parts), len(want))
	}
	for _, part := range parts {
		name, out, _ := strings.Cut(part, "\n")
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected probe %q", name)
			continue
		}
		var got []string
		for _, m := range cause.FindAllStringSubmatch(out, -1) {
			got = append(got, m[1])
		}
		if !strings.Contains(out, fmt.Sprintf("ok: %v", w.ok)) || strings.Join(got, ",") != strings.Join(w.causes, ",") {
			t.Errorf("%s: causes %v (want %v), want ok: %v:\n%s", name, got, w.causes, w.ok, out)
		}
		for _, p := range w.parts {
			if !strings.Contains(strings.Join(strings.Fields(out), " "), p) {
				t.Errorf("%s: the report lacks %q:\n%s", name, p, out)
			}
		}
	}
}
