package diagnose

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestProbeALPNChosenNotOffered probes a TLS 1.2 server that selects an
// application protocol the client never offered, as Botan's tls_server
// does with every ALPN offer (round 24): a proxy in front of a Go server
// that speaks only "echo/0.1" rewrites the client's "http/1.1" offer
// into it (the same length), so the ServerHello names a protocol the
// client did not offer and crypto/tls stops there. diagnose probes again
// without ALPN and reports what that handshake finds first, then the
// ALPN answer.
func TestProbeALPNChosenNotOffered(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	backend := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{serverKeyPair(t, srvDir)}, MaxVersion: tls.VersionTLS12, NextProtos: []string{"echo/0.1"}})
	addr := listen(t, func(c net.Conn) {
		b, err := net.Dial("tcp", backend)
		if err != nil {
			return
		}
		defer b.Close()
		go func() { _, _ = io.Copy(c, b) }()
		buf := make([]byte, 64<<10)
		for first := true; ; first = false {
			n, err := c.Read(buf)
			chunk := buf[:n]
			if first {
				chunk = bytes.Replace(chunk, []byte("http/1.1"), []byte("echo/0.1"), 1)
			}
			if _, werr := b.Write(chunk); werr != nil || err != nil {
				return
			}
		}
	})
	alpnRetried(t, addr, cliDir, func(r Report) string { return r.ALPNRefused }, "unadvertised ALPN protocol", `"http/1.1"`, "without ALPN")
}

// TestProbeALPNNoneSupported probes a server that supports none of the
// protocols offered and says so with a no_application_protocol alert, as
// Knot Resolver does to any ALPN list without "dot" (round 42; crypto/tls
// servers do the same): diagnose probes again without ALPN and reports
// what that handshake finds first, then the ALPN answer.
func TestProbeALPNNoneSupported(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	addr := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{serverKeyPair(t, srvDir)}, NextProtos: []string{"dot"}})
	alpnRetried(t, addr, cliDir, func(r Report) string { return r.ALPNNone }, "no application protocol", `"http/1.1"`, "supports none", "without ALPN")
}

// alpnRetried probes addr offering http/1.1 with a good and with an
// expired certificate (the clock 30 years on): the first handshake's
// ALPN error, as field reads it from the report, contains wantErr; the
// second handshake, without ALPN, finds the expired certificate first;
// the ALPN finding comes last and its message holds parts.
func alpnRetried(t *testing.T, addr, cliDir string, field func(Report) string, wantErr string, parts ...string) {
	t.Helper()
	for _, c := range []struct {
		name  string
		clock time.Time
		want  []string
	}{
		{"good certificate", time.Now(), []string{cause.ALPN}},
		{"expired certificate", time.Now().Add(30 * fixtures.Year), []string{cause.Expired, cause.ALPN}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := clientOptions(t, cliDir)
			o.ALPN, o.Time = []string{"http/1.1"}, func() time.Time { return c.clock }
			r, fs := probe(t, addr, o)
			if got := field(r); !strings.Contains(got, wantErr) {
				t.Errorf("the first handshake's ALPN error is %q, want %q in it", got, wantErr)
			}
			wantCauses(t, fs, c.want...)
			wantMessage(t, fs, cause.ALPN, parts...)
		})
	}
}
