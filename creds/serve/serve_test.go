package serve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// lab is a running server over a generated PKI, recording its events.
type lab struct {
	pki    *fixtures.PKI
	addr   string
	mu     sync.Mutex
	events []Event
	gen    *fixtures.Generator
}

func (l *lab) last(t *testing.T) Event {
	t.Helper()
	for i := 0; i < 100; i++ {
		l.mu.Lock()
		n := len(l.events)
		var ev Event
		if n > 0 {
			ev = l.events[n-1]
		}
		l.mu.Unlock()
		if n > 0 {
			return ev
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no event logged")
	return Event{}
}

func (l *lab) reset() {
	l.mu.Lock()
	l.events = nil
	l.mu.Unlock()
}

func startLab(t *testing.T, g *fixtures.Generator, spec string, o Options, so creds.ServerOptions) *lab {
	t.Helper()
	p, err := g.PKI(fixtures.PKIOptions{Clients: []string{"alice", "mallory"}})
	if err != nil {
		t.Fatal(err)
	}
	crl, err := g.CRL(p.Root, fixtures.CRLSpec{Revoked: []*big.Int{p.Clients[1].Cert.SerialNumber}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "server")
	d := p.ServerDir()
	d.CRL = crl
	if _, err := d.Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=srv,endpoint=server,dir=" + dir + spec)
	if err != nil {
		t.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := creds.ServerConfig(src, so)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &lab{pki: p, addr: ln.Addr().String(), gen: g}
	o.Config = cfg
	o.Log = func(ev Event) { l.mu.Lock(); l.events = append(l.events, ev); l.mu.Unlock() }
	s := New(ln, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after cancel")
		}
	})
	return l
}

// dial runs a client handshake plus one read, as a user's client would.
func (l *lab) dial(t *testing.T, cfg *tls.Config) error {
	t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", l.addr, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Read(make([]byte, 64))
	return err
}

func (l *lab) clientConfig(c *fixtures.Cert) *tls.Config {
	roots := x509.NewCertPool()
	roots.AddCert(l.pki.Root.Cert)
	cfg := &tls.Config{RootCAs: roots, ServerName: "localhost", Time: func() time.Time { return l.gen.Now() }}
	if c != nil {
		cert := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }
	}
	return cfg
}

func TestServerExplainsEachFailure(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	now := func() time.Time { return fixtures.TestClock }
	l := startLab(t, g, "", Options{HandshakeTimeout: 500 * time.Millisecond}, creds.ServerOptions{Time: now})
	otherRoot, _ := g.Root(fixtures.Spec{CommonName: "stranger CA"})
	stranger, _ := g.Client(otherRoot, fixtures.Spec{CommonName: "stranger"})
	expired, _ := g.Client(l.pki.Root, fixtures.Spec{CommonName: "old", NotBefore: fixtures.TestClock.Add(-48 * time.Hour), NotAfter: fixtures.TestClock.Add(-time.Hour)})
	wrongEKU, _ := g.Client(l.pki.Root, fixtures.Spec{CommonName: "server-only", ExtKeyUsage: &fixtures.ExtKeyUsage{Usages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}})
	tests := []struct {
		name  string
		run   func() error
		cause string
		want  string
	}{
		{"no client certificate", func() error { return l.dial(t, l.clientConfig(nil)) }, cause.ClientCertRequired, "sent no certificate"},
		{"other CA", func() error { return l.dial(t, l.clientConfig(stranger)) }, cause.UnknownCA, `issued by "O=tlscreds test PKI,CN=stranger CA"`},
		{"revoked", func() error { return l.dial(t, l.clientConfig(l.pki.Clients[1])) }, cause.Revoked, "mallory"},
		{"expired", func() error { return l.dial(t, l.clientConfig(expired)) }, cause.Expired, "old"},
		{"wrong EKU", func() error { return l.dial(t, l.clientConfig(wrongEKU)) }, cause.ClientCertRejected, "clientAuth"},
		{"client distrusts server", func() error {
			cfg := l.clientConfig(l.pki.Clients[0])
			cfg.RootCAs = x509.NewCertPool()
			cfg.RootCAs.AddCert(otherRoot.Cert)
			return l.dial(t, cfg)
		}, cause.Alert, "rejected the server's certificate"},
		{"version", func() error {
			cfg := l.clientConfig(l.pki.Clients[0])
			cfg.MaxVersion = tls.VersionTLS11
			cfg.MinVersion = tls.VersionTLS10
			return l.dial(t, cfg)
		}, cause.Version, "no common TLS version"},
		{"plain text", func() error {
			c, err := net.Dial("tcp", l.addr)
			if err != nil {
				return err
			}
			defer c.Close()
			c.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
			c.SetDeadline(time.Now().Add(2 * time.Second))
			c.Read(make([]byte, 10))
			return nil
		}, cause.PlaintextToTLS, `"GET /"`},
		{"silent client", func() error {
			c, err := net.Dial("tcp", l.addr)
			if err != nil {
				return err
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(3 * time.Second))
			c.Read(make([]byte, 10))
			return nil
		}, cause.Timeout, "did not finish in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l.reset()
			_ = tt.run()
			ev := l.last(t)
			if ev.OK || ev.Cause != tt.cause || !strings.Contains(ev.Message, tt.want) {
				t.Errorf("event = ok %v cause %q message %q (err %v), want cause %q with %q", ev.OK, ev.Cause, ev.Message, ev.Err, tt.cause, tt.want)
			}
		})
	}
	t.Run("good client", func(t *testing.T) {
		l.reset()
		if err := l.dial(t, l.clientConfig(l.pki.Clients[0])); err != nil {
			t.Fatalf("good client: %v", err)
		}
		ev := l.last(t)
		if !ev.OK || ev.Client != `"O=tlscreds test PKI,CN=alice"` || ev.Version != tls.VersionTLS13 {
			t.Errorf("event = %+v", ev)
		}
	})
}

func TestEchoAndConcurrency(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	l := startLab(t, g, ",verify-peer=off", Options{Echo: true, MaxConns: 4}, creds.ServerOptions{Time: func() time.Time { return fixtures.TestClock }})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := tls.Dial("tcp", l.addr, l.clientConfig(nil))
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			msg := []byte(strings.Repeat("x", i+1))
			c.Write(msg)
			buf := make([]byte, len(msg))
			if _, err := c.Read(buf); err != nil || string(buf) != string(msg) {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("echo client: %v", err)
	}
}
