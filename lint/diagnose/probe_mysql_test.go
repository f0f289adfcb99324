package diagnose

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

// mariadbGreeting is MariaDB 10.11's Initial Handshake packet; ssl says
// whether its capabilities offer TLS (CLIENT_SSL).
func mariadbGreeting(ssl bool) []byte {
	caps := "\xfe\xf7"
	if ssl {
		caps = "\xfe\xff"
	}
	p := "\x0a" + "5.5.5-10.11.14-MariaDB-0+deb12u2\x00" + "\x03\x00\x00\x00" + "abcdefgh" + "\x00" + caps +
		"\x2d" + "\x02\x00" + "\xff\x81" + "\x15" + "\x00\x00\x00\x00\x00\x00" + "\x1d\x00\x00\x00" + "ijklmnopqrst\x00" + "mysql_native_password\x00"
	return append([]byte{byte(len(p)), 0, 0, 0}, p...)
}

// mariadbServer speaks MariaDB's side up to TLS (the live recordings of
// round 14 run the real server): its greeting, the client's 36-byte
// SSLRequest, a handshake with cfg, then it waits for the client's
// handshake response.
func mariadbServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		_, _ = c.Write(mariadbGreeting(cfg != nil))
		if cfg == nil {
			_, _ = io.ReadAll(c)
			return
		}
		req := make([]byte, 36)
		if _, err := io.ReadFull(c, req); err != nil || req[3] != 1 || req[5]&0x08 == 0 {
			return
		}
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		_, _ = tc.Read(make([]byte, 1))
	})
}

// TestProbeMySQL: diagnose --starttls mysql reads the greeting, sends the
// SSLRequest and handshakes; it names a server without TLS, a port that
// speaks TLS directly, and a MySQL port probed with TLS directly.
func TestProbeMySQL(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	kp := serverKeyPair(t, srvDir)
	cfg := &tls.Config{Certificates: []tls.Certificate{kp}}
	opts := func(t *testing.T) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = StartTLSMySQL, "localhost"
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, mariadbServer(t, cfg), opts(t))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
	})
	t.Run("no-tls", func(t *testing.T) {
		_, fs := probe(t, mariadbServer(t, nil), opts(t))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "MySQL", "CLIENT_SSL", "10.11.14-MariaDB")
	})
	t.Run("tls-port", func(t *testing.T) {
		o := opts(t)
		o.Timeout = time.Second
		_, fs := probe(t, tlsServer(t, cfg), o)
		wantCauses(t, fs, "handshake-plaintext-to-tls")
	})
	t.Run("direct-tls-to-mysql-port", func(t *testing.T) {
		o := opts(t)
		o.StartTLS = ""
		_, fs := probe(t, mariadbServer(t, cfg), o)
		wantCauses(t, fs, "handshake-not-tls")
		wantMessage(t, fs, "handshake-not-tls", "MariaDB", "--starttls mysql")
	})
}
