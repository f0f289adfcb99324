package main

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

// TestDiagnoseClientKeyMismatch: a client directory whose key belongs to
// another certificate (or a certificate without its key) is the diagnosis (exit 1, handshake-load-failed,
// key-mismatch, the files named), not a usage error; the server is still
// probed with the directory's CA, and no key material is printed.
func TestDiagnoseClientKeyMismatch(t *testing.T) {
	p, err := fixtures.New(time.Now()).PKI(fixtures.PKIOptions{Clients: []string{"client", "other"}})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if _, err := p.Write(root, fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(root, "client-client")
	key, err := os.ReadFile(filepath.Join(root, "client-other", "client-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cli, "client-key.pem"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(p.Root.Cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{p.Server.Cert.Raw}, PrivateKey: p.Server.Key}},
		ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: pool,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				_ = c.(*tls.Conn).Handshake()
			}(c)
		}
	}()
	r := runCLI(t, nil, "diagnose", "--creds", cli, "--servername", "localhost", "--timeout", "5s", ln.Addr().String())
	assertSafeOutput(t, "diagnose", r)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d:\n%s", r.code, exitFailed, r.all())
	}
	for _, want := range []string{"handshake-load-failed", "key-mismatch", "client-key.pem", "client-cert.pem", "the probe went on without one", "the handshake with"} {
		if !strings.Contains(r.all(), want) {
			t.Errorf("output lacks %q:\n%s", want, r.all())
		}
	}
	if strings.Contains(r.all(), "verified     no") {
		t.Errorf("the server's chain should verify against the directory's CA:\n%s", r.all())
	}

	// A certificate without its key reads the same way.
	if err := os.Remove(filepath.Join(cli, "client-key.pem")); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "diagnose", "--creds", cli, "--servername", "localhost", "--timeout", "5s", ln.Addr().String())
	assertSafeOutput(t, "diagnose", r)
	if r.code != exitFailed || !strings.Contains(r.all(), "handshake-load-failed") || !strings.Contains(r.all(), "identity-unpaired") {
		t.Errorf("a certificate without its key: exit %d, want %d with handshake-load-failed and identity-unpaired:\n%s", r.code, exitFailed, r.all())
	}
}
