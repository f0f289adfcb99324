package diagnose

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
	"github.com/tlscreds/tlscreds/lint"
)

// TestProbeNetwork covers failures before any TLS: a port nobody listens
// on, a name that does not resolve, and peers that are not TLS servers.
func TestProbeNetwork(t *testing.T) {
	t.Parallel()
	httpAddr := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().String()
	}
	// readHello reads the ClientHello record, so that the peer hangs up
	// mid-handshake, and with nothing unread (Linux answers a close with
	// unread data with a reset).
	readHello := func(c net.Conn) {
		h := make([]byte, 5)
		if _, err := io.ReadFull(c, h); err == nil {
			_, _ = io.CopyN(io.Discard, c, int64(h[3])<<8|int64(h[4]))
		}
	}
	cases := []struct {
		name   string
		addr   func(t *testing.T) string
		o      ProbeOptions
		causes []string
		parts  []string
	}{
		{name: "refused", addr: func(t *testing.T) string { return "127.0.0.1:" + strconv.Itoa(peer.FreePort(t)) },
			causes: []string{"handshake-refused"}, parts: []string{"nothing listens on 127.0.0.1:", "refused"}},
		{name: "dns", addr: func(*testing.T) string { return "nonexistent.invalid:443" },
			causes: []string{"handshake-dns"}, parts: []string{`"nonexistent.invalid" does not resolve`}},
		{name: "plain-tcp", addr: func(t *testing.T) string {
			return listen(t, func(c net.Conn) { readHello(c); _, _ = io.WriteString(c, "hello from a plain service\r\n") })
		}, causes: []string{"handshake-not-tls"}, parts: []string{`"hello from a plain service\r\n"`, "a plain-text protocol"}},
		{name: "http", addr: httpAddr,
			causes: []string{"handshake-not-tls"}, parts: []string{"HTTP/1.1 400 Bad Request", "an HTTP server", "use http://"}},
		{name: "nbd-without-starttls", addr: func(t *testing.T) string {
			return listen(t, func(c net.Conn) { _, _ = io.WriteString(c, "NBDMAGICIHAVEOPT\x00\x03") })
		}, causes: []string{"handshake-not-tls"}, parts: []string{"an NBD server", "--starttls nbd"}},
		{name: "eof-mid-handshake", addr: func(t *testing.T) string {
			return listen(t, func(c net.Conn) { readHello(c) })
		}, causes: []string{"handshake-reset"}, parts: []string{"closed the connection right after the ClientHello"}},
		{name: "reset-mid-handshake", addr: func(t *testing.T) string {
			return listen(t, func(c net.Conn) {
				readHello(c)
				_ = c.(*net.TCPConn).SetLinger(0) // close with RST
			})
		}, causes: []string{"handshake-reset"}, parts: []string{"reset the connection right after the ClientHello"}},
		{name: "silent", addr: func(t *testing.T) string {
			return listen(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
		}, o: ProbeOptions{Timeout: time.Second},
			causes: []string{"handshake-not-tls"}, parts: []string{"did not answer the ClientHello within 1s", "--starttls"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			o := c.o
			if o.Timeout == 0 {
				o.Timeout = 5 * time.Second
			}
			r, fs := probe(t, c.addr(t), o)
			if r.OK {
				t.Fatal("probe succeeded")
			}
			wantCauses(t, fs, c.causes...)
			wantMessage(t, fs, c.causes[0], c.parts...)
		})
	}
}

// TestProbeGoServer covers what a Go TLS server with factory-built or
// deliberately odd configs makes the probe see.
func TestProbeGoServer(t *testing.T) {
	t.Parallel()
	now := time.Now()
	g := fixtures.New(now)
	p, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	cert := func(t *testing.T, c *fixtures.Cert) tls.Certificate {
		t.Helper()
		return tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
	}
	leaf := func(t *testing.T, issuer *fixtures.Cert, s fixtures.Spec) *fixtures.Cert {
		t.Helper()
		if s.DNSNames == nil {
			s.DNSNames = []string{"localhost"}
		}
		c, err := g.Server(issuer, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ip, err := g.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	interCli := writeDir(t, ip.ClientDir(0)) // ca-cert.pem: root and intermediate
	rsaRoot, err := g.Root(fixtures.Spec{KeyType: fixtures.RSA2048})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		addr     func(t *testing.T) string
		cli      string
		opts     func(o *ProbeOptions)
		ok       bool
		causes   []string // errors
		warnings []string
		infos    []string // the Info findings, when set
		parts    []string
	}{
		{name: "factory-mtls", addr: func(t *testing.T) string { return tlsServer(t, serverConfig(t, srvDir, creds.ServerOptions{})) }, ok: true},
		{name: "factory-mtls-tls12", addr: func(t *testing.T) string { return tlsServer(t, serverConfig(t, srvDir, creds.ServerOptions{})) },
			opts: func(o *ProbeOptions) { o.MaxVersion = tls.VersionTLS12 }, ok: true},
		{name: "truncated", addr: func(t *testing.T) string {
			cfg := &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}}
			return listen(t, func(c net.Conn) {
				tc := tls.Server(c, cfg)
				if tc.Handshake() == nil {
					c.Close() // the TCP connection, without close_notify
				}
			})
		}, causes: []string{"handshake-truncated"}, parts: []string{"without close_notify"}},
		{name: "closed-after-handshake-without-client-cert", addr: func(t *testing.T) string {
			// What QEMU with verify-peer=on does: request a certificate,
			// finish the handshake, check, hang up.
			cfg := &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}, ClientAuth: tls.RequestClientCert}
			return listen(t, func(c net.Conn) {
				tc := tls.Server(c, cfg)
				if tc.Handshake() == nil && len(tc.ConnectionState().PeerCertificates) == 0 {
					c.Close()
				}
			})
		}, opts: func(o *ProbeOptions) { o.Certificate = nil },
			causes: []string{"handshake-client-cert-required"}, parts: []string{"Verify failed: No certificate was found."}},
		{name: "client-cert-requested-not-required", addr: func(t *testing.T) string {
			// Dovecot and MariaDB: ask, go on without one, refuse the
			// login after the handshake.
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}, ClientAuth: tls.RequestClientCert})
		}, opts: func(o *ProbeOptions) { o.Certificate = nil }, ok: true,
			infos: []string{"handshake-client-cert-required"}, parts: []string{"accepted the handshake without one", "refuse the login"}},
		{name: "client-cert-required-bad-certificate", addr: func(t *testing.T) string {
			// Caddy 2.6 (Go 1.19) answers a missing required certificate
			// with bad_certificate; a Go 1.26 server sends it when its
			// VerifyPeerCertificate refuses, here the empty chain.
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}, ClientAuth: tls.RequestClientCert,
				VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
					if len(raw) == 0 {
						return errors.New("tls: client didn't provide a certificate")
					}
					return nil
				}})
		}, opts: func(o *ProbeOptions) { o.Certificate = nil },
			causes: []string{"handshake-client-cert-required"}, parts: []string{"alert 42 bad_certificate", "did not have"}},
		{name: "server-key-of-another-certificate", addr: func(t *testing.T) string {
			// What Tomcat's JSSE connector serves: a key that is not its
			// certificate's, never checked as it loads (round 21).
			other := leaf(t, p.Root, fixtures.Spec{})
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{p.Server.Cert.Raw}, PrivateKey: other.Key}}})
		}, causes: []string{"handshake-load-failed"}, parts: []string{"signs with a key that is not its certificate's"}},
		{name: "client-cert-requested-and-sent", addr: func(t *testing.T) string {
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}, ClientAuth: tls.RequestClientCert})
		}, ok: true, infos: []string{}},
		{name: "sha1-signature", addr: func(t *testing.T) string {
			l := leaf(t, rsaRoot, fixtures.Spec{SignatureAlgorithm: x509.SHA1WithRSA})
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, l)}})
		}, opts: func(o *ProbeOptions) { o.CA, o.CAFile = []*x509.Certificate{rsaRoot.Cert}, "" },
			causes: []string{"handshake-weak"}, parts: []string{"SHA1-RSA"}},
		{name: "rsa-1024", addr: func(t *testing.T) string {
			k, err := rsa.GenerateKey(rand.Reader, 1024)
			if err != nil {
				t.Fatal(err)
			}
			l := leaf(t, p.Root, fixtures.Spec{Key: k})
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, l)}})
		}, ok: true, causes: []string{"handshake-weak"}, parts: []string{"RSA key of 1024 bits", "OpenSSL 3 at its default security level 2"}},
		{name: "intermediate-only-in-ca-file", addr: func(t *testing.T) string {
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, ip.Server)}})
		}, cli: interCli, ok: true, warnings: []string{"handshake-missing-intermediate"}, parts: []string{"does not send the intermediate CA", "only because"}},
		{name: "not-yet-valid-skew", addr: func(t *testing.T) string {
			l := leaf(t, p.Root, fixtures.Spec{NotBefore: now.Add(2 * time.Hour), NotAfter: now.Add(fixtures.Year)})
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, l)}})
		}, causes: []string{"handshake-not-yet-valid"}, parts: []string{"valid only from", "clock skew"}},
		{name: "unrecognized-name", addr: func(t *testing.T) string {
			return tlsServer(t, &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, nil }})
		}, causes: []string{"handshake-unrecognized-name"}, parts: []string{"alert 112", `"localhost"`}},
		{name: "internal-error", addr: func(t *testing.T) string {
			return tlsServer(t, &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, errors.New("HSM offline") }})
		}, causes: []string{"handshake-server-error"}, parts: []string{"alert 80 internal_error"}},
		{name: "verify-peer-off", addr: func(t *testing.T) string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"elsewhere.example"}})
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, l)}})
		}, opts: func(o *ProbeOptions) { o.NoVerify = true }, ok: true, warnings: []string{"handshake-name-mismatch"}, parts: []string{"verify-peer=off"}},
		{name: "alpn-ignored", addr: func(t *testing.T) string {
			return tlsServer(t, &tls.Config{Certificates: []tls.Certificate{cert(t, p.Server)}})
		}, opts: func(o *ProbeOptions) { o.ALPN = []string{"nbd"} }, ok: true, warnings: []string{"handshake-alpn"}, parts: []string{"ignored ALPN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := c.addr(t)
			o := clientOptions(t, cliDir)
			if c.cli != "" {
				o = clientOptions(t, c.cli)
			}
			o.ServerName = "localhost"
			if c.opts != nil {
				c.opts(&o)
			}
			r, fs := probe(t, addr, o)
			if r.OK != c.ok {
				t.Errorf("probe OK = %v, want %v (stage %s: %s)", r.OK, c.ok, r.Stage, r.Error)
			}
			wantCauses(t, fs, c.causes...)
			var warned []string
			for _, f := range fs {
				if f.Severity == lint.Warning {
					warned = append(warned, f.Rule)
				}
			}
			if len(c.warnings) > 0 && (len(warned) != len(c.warnings) || warned[0] != c.warnings[0]) {
				t.Errorf("warnings %v, want %v", warned, c.warnings)
			}
			if c.infos != nil {
				var infos []string
				for _, f := range fs {
					if f.Severity == lint.Info {
						infos = append(infos, f.Rule)
					}
				}
				if !slices.Equal(infos, c.infos) && (len(infos) > 0 || len(c.infos) > 0) {
					t.Errorf("info findings %v, want %v", infos, c.infos)
				}
			}
			if id := slices.Concat(c.causes, c.warnings, c.infos); len(id) > 0 {
				wantMessage(t, fs, id[0], c.parts...)
			}
		})
	}
}
