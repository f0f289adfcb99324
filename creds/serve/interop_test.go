package serve

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// TestRealClientsAgainstServe drives the server with openssl s_client,
// gnutls-cli and curl, and checks the cause the server logs for each.
func TestRealClientsAgainstServe(t *testing.T) {
	peer.Require(t, "openssl", "gnutls-cli", "curl")
	g := fixtures.New(time.Now())
	l := startLab(t, g, "", Options{HandshakeTimeout: 3 * time.Second}, creds.ServerOptions{})
	cli := filepath.Join(t.TempDir(), "client")
	if _, err := l.pki.ClientDir(0).Write(cli, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	otherRoot, _ := g.Root(fixtures.Spec{CommonName: "stranger CA"})
	stranger, _ := g.Client(otherRoot, fixtures.Spec{CommonName: "stranger"})
	strangerDir := filepath.Join(t.TempDir(), "stranger")
	if _, err := (fixtures.Dir{CA: l.pki.CABundle(), Client: stranger}).Write(strangerDir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	port := l.addr[strings.LastIndex(l.addr, ":")+1:]
	ca, cert, key := filepath.Join(cli, "ca-cert.pem"), filepath.Join(cli, "client-cert.pem"), filepath.Join(cli, "client-key.pem")
	tests := []struct {
		name  string
		cmd   []string
		ok    bool
		cause string
	}{
		{"openssl with certificate", []string{"openssl", "s_client", "-connect", l.addr, "-CAfile", ca, "-cert", cert, "-key", key, "-brief"}, true, ""},
		{"openssl without certificate", []string{"openssl", "s_client", "-connect", l.addr, "-CAfile", ca, "-brief"}, false, cause.ClientCertRequired},
		{"openssl with a stranger's certificate", []string{"openssl", "s_client", "-connect", l.addr, "-CAfile", ca,
			"-cert", filepath.Join(strangerDir, "client-cert.pem"), "-key", filepath.Join(strangerDir, "client-key.pem"), "-brief"}, false, cause.UnknownCA},
		{"openssl TLS 1.1", []string{"openssl", "s_client", "-connect", l.addr, "-CAfile", ca, "-tls1_1", "-brief"}, false, cause.Version},
		{"gnutls-cli with certificate", []string{"gnutls-cli", "-p", port, "--x509cafile", ca, "--x509certfile", cert, "--x509keyfile", key, "localhost"}, true, ""},
		{"gnutls-cli without certificate", []string{"gnutls-cli", "-p", port, "--x509cafile", ca, "localhost"}, false, cause.ClientCertRequired},
		{"curl with certificate", []string{"curl", "-sS", "--max-time", "5", "--http0.9", "--cacert", ca, "--cert", cert, "--key", key, "https://localhost:" + port + "/"}, true, ""},
		{"curl without certificate", []string{"curl", "-sS", "--max-time", "5", "--cacert", ca, "https://localhost:" + port + "/"}, false, cause.ClientCertRequired},
		// A client that refuses the server's certificate (here its name)
		// aborts before sending its own: gnutls-cli with an alert serve
		// reads, an OpenSSL client in TLS 1.3 with one it cannot decrypt
		// ("local error: tls: bad record MAC"), never a failure of its
		// own certificate.
		{"openssl refusing the server's certificate", []string{"openssl", "s_client", "-connect", l.addr, "-CAfile", ca, "-cert", cert, "-key", key,
			"-verify_hostname", "wrong.example", "-verify_return_error", "-brief"}, false, cause.Alert},
		{"gnutls-cli refusing the server's certificate", []string{"gnutls-cli", "-p", port, "--x509cafile", ca, "--x509certfile", cert, "--x509keyfile", key,
			"--verify-hostname", "wrong.example", "localhost"}, false, cause.Alert},
		{"curl over plain http", []string{"curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + port + "/"}, false, cause.PlaintextToTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l.reset()
			r := peer.Run(t, 15*time.Second, []byte{}, tt.cmd[0], tt.cmd[1:]...)
			ev := l.last(t)
			if ev.OK != tt.ok || ev.Cause != tt.cause {
				t.Errorf("server logged ok=%v cause %q (%s); want ok=%v cause %q\nclient (exit %d):\n%s", ev.OK, ev.Cause, ev.Message, tt.ok, tt.cause, r.Code, r.Output)
			}
		})
	}
}

// TestSTimeNewCompletesHandshakes: `openssl s_time -new` completes each
// handshake and hangs up at once, before reading the TLS 1.3 session
// tickets crypto/tls sends after the client's Finished when it asked for
// a client certificate. Those are completed handshakes followed by a
// reset, never handshake failures.
func TestSTimeNewCompletesHandshakes(t *testing.T) {
	peer.Require(t, "openssl")
	g := fixtures.New(time.Now())
	l := startLab(t, g, "", Options{HandshakeTimeout: 3 * time.Second}, creds.ServerOptions{})
	cli := filepath.Join(t.TempDir(), "client")
	if _, err := l.pki.ClientDir(0).Write(cli, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	r := peer.Run(t, 20*time.Second, []byte{}, "openssl", "s_time", "-connect", l.addr, "-new", "-time", "1",
		"-cert", filepath.Join(cli, "client-cert.pem"), "-key", filepath.Join(cli, "client-key.pem"))
	if r.Code != 0 {
		t.Fatalf("s_time (exit %d):\n%s", r.Code, r.Output)
	}
	time.Sleep(300 * time.Millisecond)
	l.mu.Lock()
	defer l.mu.Unlock()
	var ok, failed, closed int
	for _, ev := range l.events {
		switch {
		case ev.Kind == KindClose:
			closed++
		case ev.OK:
			ok++
		default:
			failed++
			if failed < 3 {
				t.Errorf("s_time connection logged as a failure: %s (%v)", ev.LogLine(), ev.Err)
			}
		}
	}
	if ok < 5 || failed > 0 || closed < ok-1 {
		t.Errorf("s_time -new: %d handshakes ok, %d failed, %d closes logged\ns_time: %s", ok, failed, closed, r.Output)
	}
}
