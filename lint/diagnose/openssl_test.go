package diagnose

import (
	"crypto/tls"
	"crypto/x509"
	"path/filepath"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// TestOpenSSLServer probes `openssl s_server` configured to fail in one
// way each, and checks that the diagnosis names that way. OpenSSL checks
// certificates against the real clock, so the PKI is made for now (and,
// for the expired case, for a clock in the past).
func TestOpenSSLServer(t *testing.T) {
	peer.Require(t, "openssl")
	t.Parallel()
	now := time.Now()
	g := fixtures.New(now)
	p, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	_, _, otherCli := pki(t, fixtures.PKIOptions{})
	// A chain through an intermediate: the server's directory also holds
	// leaf.pem, its certificate alone; the client trusts only the root but
	// has the intermediate in its own chain (client-cert.pem).
	ip, err := g.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	interSrv := writeDir(t, ip.ServerDir())
	if _, err := fixtures.WriteFiles(interSrv, []fixtures.File{{Name: "leaf.pem", Data: ip.Server.CertPEM()}}, true); err != nil {
		t.Fatal(err)
	}
	interCli := writeDir(t, fixtures.Dir{CA: []*x509.Certificate{ip.Root.Cert}, Client: ip.Clients[0]})

	// files writes a server certificate (chain as given) and its key.
	files := func(t *testing.T, key *fixtures.Cert, chain ...*x509.Certificate) []string {
		t.Helper()
		k, err := key.KeyPEM(privkey.PKCS8, nil)
		if err != nil {
			t.Fatal(err)
		}
		return []string{"-cert", writeFile(t, "cert.pem", fixtures.EncodeCerts(chain...)), "-key", writeFile(t, "key.pem", k)}
	}
	leaf := func(t *testing.T, issuer *fixtures.Cert, s fixtures.Spec) *fixtures.Cert {
		t.Helper()
		c, err := g.Server(issuer, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	good := []string{"-cert", filepath.Join(srvDir, "server-cert.pem"), "-key", filepath.Join(srvDir, "server-key.pem")}
	clientCA := []string{"-CAfile", filepath.Join(srvDir, "ca-cert.pem"), "-Verify", "1", "-verify_return_error"}

	type tc struct {
		name   string
		args   func(t *testing.T) []string
		opts   func(t *testing.T, o *ProbeOptions)
		causes []string
		parts  []string // in the first cause's message
		// retried: the first handshake fails and diagnose's second one,
		// without what failed (ALPN), succeeds
		retried bool
	}
	cases := []tc{
		{name: "ok", args: func(*testing.T) []string { return good }},
		{name: "ok-mtls", args: func(*testing.T) []string { return append(good, clientCA...) }},
		// Every generated PKI names its root "tlscreds test CA": the client
		// of another PKI holds a CA of the right name with the wrong key.
		{name: "wrong-ca-same-name", args: func(*testing.T) []string { return good },
			opts:   func(t *testing.T, o *ProbeOptions) { *o = clientOptions(t, otherCli) },
			causes: []string{"handshake-unknown-ca"}, parts: []string{`names "tlscreds test CA" as its issuer`, "with another key"}},
		{name: "unknown-ca", args: func(t *testing.T) []string {
			root, err := g.Root(fixtures.Spec{CommonName: "some other CA"})
			if err != nil {
				t.Fatal(err)
			}
			l := leaf(t, root, fixtures.Spec{DNSNames: []string{"localhost"}})
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-unknown-ca"}, parts: []string{`issued by "some other CA"`, `neither sent by the server nor in the client's CA file`, `it holds "tlscreds test CA"`}},
		{name: "expired", args: func(t *testing.T) []string {
			past := fixtures.New(now.Add(-2 * fixtures.Year))
			l, err := past.Server(p.Root, fixtures.Spec{DNSNames: []string{"localhost"}})
			if err != nil {
				t.Fatal(err)
			}
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-expired"}, parts: []string{"expired on", "days later"}},
		{name: "hostname-mismatch", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"other.example"}})
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-name-mismatch"}, parts: []string{`not valid for "localhost"`, `DNS names "other.example"`}},
		{name: "ip-not-covered", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}})
			return files(t, l, l.Cert)
		}, opts: func(t *testing.T, o *ProbeOptions) { o.ServerName = "127.0.0.1" },
			causes: []string{"handshake-name-mismatch"}, parts: []string{"matches only IP address SANs", "--servername localhost"}},
		{name: "cn-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{CommonName: "localhost"})
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-cn-only"}, parts: []string{"no subjectAltName", "it is the name the client connects to"}},
		{name: "server-eku-client-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, ExtKeyUsage: &fixtures.ExtKeyUsage{Usages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}})
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-server-eku"}, parts: []string{"clientAuth, without serverAuth"}},
		{name: "client-cert-required-tls13", args: func(*testing.T) []string { return append(good, clientCA...) },
			opts:   func(t *testing.T, o *ProbeOptions) { o.Certificate = nil },
			causes: []string{"handshake-client-cert-required"}, parts: []string{"alert 116 certificate_required", "first read"}},
		{name: "client-cert-required-tls12", args: func(*testing.T) []string { return append(append(good, clientCA...), "-tls1_2") },
			opts:   func(t *testing.T, o *ProbeOptions) { o.Certificate = nil },
			causes: []string{"handshake-client-cert-required"}, parts: []string{"alert 40 handshake_failure", "TLS 1.2"}},
		{name: "client-cert-other-ca", args: func(*testing.T) []string { return append(good, clientCA...) },
			opts: func(t *testing.T, o *ProbeOptions) {
				mine := clientOptions(t, cliDir)
				theirs := clientOptions(t, otherCli)
				mine.Certificate, mine.CertFile = theirs.Certificate, theirs.CertFile
				*o = mine
			},
			causes: []string{"handshake-client-cert-rejected"}, parts: []string{"alert 48 unknown_ca", "holds another CA of the same name"}},
		{name: "client-cert-unlisted-ca", args: func(*testing.T) []string { return append(good, clientCA...) },
			opts: func(t *testing.T, o *ProbeOptions) {
				root, err := g.Root(fixtures.Spec{CommonName: "client CA elsewhere"})
				if err != nil {
					t.Fatal(err)
				}
				c, err := g.Client(root, fixtures.Spec{})
				if err != nil {
					t.Fatal(err)
				}
				o.Certificate = &tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
			},
			causes: []string{"handshake-client-cert-rejected"}, parts: []string{`issued by "client CA elsewhere", which is not among the CAs the server accepts`}},
		{name: "client-cert-server-eku", args: func(*testing.T) []string { return append(good, clientCA...) },
			opts: func(t *testing.T, o *ProbeOptions) {
				c, err := g.Client(p.Root, fixtures.Spec{ExtKeyUsage: &fixtures.ExtKeyUsage{Usages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}})
				if err != nil {
					t.Fatal(err)
				}
				o.Certificate = &tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
			},
			causes: []string{"handshake-client-cert-rejected"}, parts: []string{"lacks clientAuth"}},
		{name: "client-cert-expired", args: func(*testing.T) []string { return append(good, clientCA...) },
			opts: func(t *testing.T, o *ProbeOptions) {
				c, err := fixtures.New(now.Add(-2*fixtures.Year)).Client(p.Root, fixtures.Spec{})
				if err != nil {
					t.Fatal(err)
				}
				o.Certificate = &tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
			},
			causes: []string{"handshake-expired"}, parts: []string{"certificate_expired", "it expired on"}},
		{name: "tls12-only-vs-min13", args: func(*testing.T) []string { return append(good, "-tls1_2") },
			opts:   func(t *testing.T, o *ProbeOptions) { o.MinVersion = tls.VersionTLS13 },
			causes: []string{"handshake-version"}, parts: []string{"protocol_version", "the server chose TLS 1.2"}},
		{name: "static-rsa-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, KeyType: fixtures.RSA2048})
			return append(files(t, l, l.Cert), "-cipher", "AES128-SHA", "-tls1_2")
		}, causes: []string{"handshake-no-shared-cipher"}, parts: []string{"alert 40 handshake_failure", "the server accepted static-RSA (it chose TLS_RSA_WITH_AES_128_CBC_SHA)", "static-RSA key exchange", "its certificate is RSA 2048"}},
		{name: "dhe-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, KeyType: fixtures.RSA2048})
			return append(files(t, l, l.Cert), "-cipher", "DHE-RSA-AES128-GCM-SHA256", "-tls1_2")
		}, causes: []string{"handshake-no-shared-cipher"}, parts: []string{"the server accepted DHE-RSA (it chose TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)", "ECDHE-RSA: alert 40", "finite-field DHE key exchange, which crypto/tls does not implement", "its certificate is RSA 2048"}},
		// Suites crypto/tls cannot offer, found by diagnose's own
		// ClientHellos.
		{name: "ccm-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}})
			return append(files(t, l, l.Cert), "-cipher", "ECDHE-ECDSA-AES128-CCM", "-tls1_2")
		}, causes: []string{"handshake-no-shared-cipher"}, parts: []string{"the server accepted ECDHE-ECDSA (it chose TLS_ECDHE_ECDSA_WITH_AES_128_CCM)", "AES-CCM, which crypto/tls does not implement", "its certificate is ECDSA P-256"}},
		{name: "aria-only", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, KeyType: fixtures.RSA2048})
			return append(files(t, l, l.Cert), "-cipher", "ECDHE-ARIA128-GCM-SHA256", "-tls1_2")
		}, causes: []string{"handshake-no-shared-cipher"}, parts: []string{"it chose TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", "(ARIA or Camellia) crypto/tls does not implement"}},
		// A cipher list for the other key type: nothing is accepted, and
		// the wire does not say which certificate the server holds.
		{name: "ecdsa-suites-rsa-cert", args: func(t *testing.T) []string {
			l := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, KeyType: fixtures.RSA2048})
			return append(files(t, l, l.Cert), "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-tls1_2")
		}, causes: []string{"handshake-no-shared-cipher"}, parts: []string{"the server refused every one", "ECDHE-ECDSA: alert 40 handshake_failure", "static-RSA: alert 40", "the server's suite set is unknown", "only ECDHE-ECDSA suites with an RSA certificate"}},
		{name: "alpn-mismatch", args: func(*testing.T) []string { return append(good, "-alpn", "x-server-only") },
			opts:   func(t *testing.T, o *ProbeOptions) { o.ALPN = []string{"x-client"} },
			causes: []string{"handshake-alpn"}, parts: []string{"no_application_protocol", "supports none", `"x-client"`, "without ALPN"}, retried: true},
		{name: "missing-intermediate", args: func(t *testing.T) []string {
			// The server sends its leaf alone; the client trusts only the
			// root but holds the intermediate in its own chain.
			return []string{"-cert", filepath.Join(interSrv, "leaf.pem"), "-key", filepath.Join(interSrv, "server-key.pem")}
		}, opts: func(t *testing.T, o *ProbeOptions) { *o = clientOptions(t, interCli) },
			causes: []string{"handshake-missing-intermediate"}, parts: []string{`issued by the intermediate CA "tlscreds test intermediate CA"`, "reaches a CA in"}},
		{name: "self-signed", args: func(t *testing.T) []string {
			l, err := g.Issue(nil, fixtures.RoleServer, fixtures.Spec{DNSNames: []string{"localhost"}})
			if err != nil {
				t.Fatal(err)
			}
			return files(t, l, l.Cert)
		}, causes: []string{"handshake-self-signed"}, parts: []string{"is self-signed"}},
		{name: "sni-dependent", args: func(t *testing.T) []string {
			// For SNI "localhost" the server has a certificate for another
			// name; its default certificate is the right one.
			wrong := leaf(t, p.Root, fixtures.Spec{DNSNames: []string{"vhost.example"}})
			w := files(t, wrong, wrong.Cert)
			return append(good, "-servername", "localhost", "-cert2", w[1], "-key2", w[3])
		}, causes: []string{"handshake-name-mismatch", "handshake-sni-dependent"}, parts: []string{`"vhost.example"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := peer.OpenSSLServer(t, append(c.args(t), "-www")...)
			o := clientOptions(t, cliDir)
			o.ServerName = "localhost"
			if c.opts != nil {
				c.opts(t, &o)
				if o.ServerName == "" {
					o.ServerName = "localhost"
				}
			}
			if len(c.causes) > 0 {
				// A TLS 1.3 server refuses a client certificate after the
				// client's Finished: on a loaded machine its alert can take
				// longer than the default 500 ms first read (seen in CI).
				// A failing case ends at the alert, so waiting longer costs
				// nothing when the server is quick.
				o.ReadWait = 5 * time.Second
			}
			r, fs := probe(t, s.Addr, o)
			if len(c.causes) == 0 {
				if !r.OK {
					t.Errorf("probe failed at %s: %s", r.Stage, r.Error)
				}
				wantCauses(t, fs)
				return
			}
			if r.OK != c.retried {
				t.Errorf("probe OK = %v, want %v (%v)", r.OK, c.retried, c.causes)
			}
			wantCauses(t, fs, c.causes...)
			wantMessage(t, fs, c.causes[0], c.parts...)
		})
	}
}
