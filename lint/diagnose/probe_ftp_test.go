package diagnose

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"
)

// ftpServer speaks the server's side of FTP's AUTH TLS (RFC 4217) as
// vsftpd 3.0.3 words it (the live recordings of round 16 run the real
// vsftpd): its greeting, 234 to AUTH TLS and a handshake with cfg, after
// which it waits for USER as vsftpd does. refuse, when set, is the
// answer to AUTH TLS instead (vsftpd without ssl_enable answers 530).
func ftpServer(t *testing.T, cfg *tls.Config, refuse string) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(c)
		_, _ = c.Write([]byte("220 (vsFTPd 3.0.3)\r\n"))
		if s, _ := br.ReadString('\n'); strings.TrimSpace(s) != "AUTH TLS" {
			_, _ = c.Write([]byte("530 Please login with USER and PASS.\r\n"))
			return
		}
		if refuse != "" {
			_, _ = c.Write([]byte(refuse))
			return
		}
		_, _ = c.Write([]byte("234 Proceed with negotiation.\r\n"))
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		_, _ = bufio.NewReader(tc).ReadString('\n')
		_ = tc.Close()
	})
}

// TestProbeFTP: diagnose --starttls ftp reads the greeting and sends
// AUTH TLS, and names a server without TLS, one whose TLS set-up failed,
// an implicit-TLS port, an FTP port reached with TLS at once, and the
// certificate checks as for any server.
func TestProbeFTP(t *testing.T) {
	t.Parallel()
	cfg, otherCA, cliDir := starttlsPKI(t)
	opts := func(t *testing.T, proto string) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = proto, "localhost"
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, ftpServer(t, cfg, ""), opts(t, StartTLSFTP))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
	})
	t.Run("no-tls", func(t *testing.T) {
		_, fs := probe(t, ftpServer(t, cfg, "530 Please login with USER and PASS.\r\n"), opts(t, StartTLSFTP))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", `refused AUTH TLS: 530 "Please login with USER and PASS."`, "ssl_enable=YES")
	})
	t.Run("431", func(t *testing.T) {
		_, fs := probe(t, ftpServer(t, cfg, "431 Unable to accept security mechanism\r\n"), opts(t, StartTLSFTP))
		wantCauses(t, fs, "handshake-load-failed")
	})
	t.Run("unknown-ca", func(t *testing.T) {
		_, fs := probe(t, ftpServer(t, otherCA, ""), opts(t, StartTLSFTP))
		wantCauses(t, fs, "handshake-unknown-ca")
	})
	t.Run("implicit-port", func(t *testing.T) {
		// ftps (990): the server waits for a ClientHello while the
		// client waits for a greeting; the direct handshake works.
		o := opts(t, StartTLSFTP)
		o.Timeout = time.Second
		_, fs := probe(t, tlsServer(t, cfg), o)
		wantCauses(t, fs, "handshake-plaintext-to-tls")
	})
	t.Run("direct-tls-to-ftp-port", func(t *testing.T) {
		// ftps:// to the AUTH TLS port: the greeting answers the
		// ClientHello, and diagnose names FTP.
		_, fs := probe(t, ftpServer(t, cfg, ""), opts(t, ""))
		wantCauses(t, fs, "handshake-not-tls")
		wantMessage(t, fs, "handshake-not-tls", "an FTP server's greeting", "--starttls ftp")
	})
}
