package diagnose

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
)

// pgServer speaks PostgreSQL's side of the SSLRequest as postgres 15
// does (the live recordings of round 10 run the real server): it reads
// the 8-byte request and answers 'S' and a TLS handshake with cfg, or 'N'
// when cfg is nil; after the handshake it reads the StartupMessage and
// answers with answer (an ErrorResponse or an authentication request).
// The user the StartupMessage named is sent on users.
func pgServer(t *testing.T, cfg *tls.Config, answer []byte, users chan<- string) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		req := make([]byte, 8)
		if _, err := io.ReadFull(c, req); err != nil || binary.BigEndian.Uint32(req[4:]) != 80877103 {
			return
		}
		if cfg == nil {
			_, _ = c.Write([]byte("N"))
			return
		}
		_, _ = c.Write([]byte("S"))
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		var l [4]byte
		if _, err := io.ReadFull(tc, l[:]); err != nil {
			return
		}
		body := make([]byte, binary.BigEndian.Uint32(l[:])-4)
		if _, err := io.ReadFull(tc, body); err != nil {
			return
		}
		if _, rest, ok := bytes.Cut(body, []byte("user\x00")); ok {
			u, _, _ := bytes.Cut(rest, []byte{0})
			select {
			case users <- string(u):
			default:
			}
		}
		_, _ = tc.Write(answer)
		_ = tc.Close()
	})
}

func pgErrorResponse(msg string) []byte {
	body := []byte("SFATAL\x00VFATAL\x00C28000\x00M" + msg + "\x00\x00")
	return append(binary.BigEndian.AppendUint32([]byte{'E'}, uint32(len(body)+4)), body...)
}

// TestProbePostgres: diagnose --starttls postgres reads the server's
// refusal after the handshake in its own words, names the user it asked
// for (the client certificate's common name), and says when the server
// has no TLS at all.
func TestProbePostgres(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	// postgres with ssl_ca_file asks for a client certificate but does
	// not require one in the handshake: pg_hba.conf decides after it.
	kp := serverKeyPair(t, srvDir)
	cas, err := os.ReadFile(filepath.Join(srvDir, "ca-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cas)
	cfg := &tls.Config{Certificates: []tls.Certificate{kp}, ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven}
	scram := []byte("R\x00\x00\x00\x08\x00\x00\x00\x0a")
	pg := func(t *testing.T) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = StartTLSPostgres, "localhost"
		return o
	}

	t.Run("ok", func(t *testing.T) {
		users := make(chan string, 1)
		r, fs := probe(t, pgServer(t, cfg, scram, users), pg(t))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
		if u := <-users; u != "client" {
			t.Errorf("StartupMessage for user %q, want the client certificate's common name", u)
		}
	})
	t.Run("client-cert-required", func(t *testing.T) {
		o := pg(t)
		o.Certificate = nil
		_, fs := probe(t, pgServer(t, cfg, pgErrorResponse("connection requires a valid client certificate"), nil), o)
		wantCauses(t, fs, "handshake-client-cert-required")
		wantMessage(t, fs, "handshake-client-cert-required", `user "postgres"`, "connection requires a valid client certificate")
	})
	t.Run("cn-is-not-the-user", func(t *testing.T) {
		_, fs := probe(t, pgServer(t, cfg, pgErrorResponse(`certificate authentication failed for user "client"`), nil), pg(t))
		wantCauses(t, fs, "handshake-authz-denied")
	})
	t.Run("not-tls", func(t *testing.T) {
		// No pg_hba.conf line for this user: PostgreSQL's access
		// rules, not TLS.
		_, fs := probe(t, pgServer(t, cfg, pgErrorResponse(`no pg_hba.conf entry for host "127.0.0.1", user "client", database "client", SSL encryption`), nil), pg(t))
		wantCauses(t, fs)
		wantMessage(t, fs, "handshake-unexplained", "not a TLS failure")
	})
	t.Run("ssl-off", func(t *testing.T) {
		_, fs := probe(t, pgServer(t, nil, nil, nil), pg(t))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "PostgreSQL", "ssl = off")
	})
	t.Run("tls-port", func(t *testing.T) {
		// A port that speaks TLS directly: the preamble's failure and
		// the direct handshake's success say so.
		_, fs := probe(t, tlsServer(t, cfg), pg(t))
		wantCauses(t, fs, "handshake-plaintext-to-tls")
	})
}
