package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestServeLogsAndReloads runs `tlscreds serve` in-process: it logs each
// connection, reloads changed files, keeps the old certificate when the
// new files are broken, and stops when its context ends.
func TestServeLogsAndReloads(t *testing.T) {
	g := fixtures.New(time.Now())
	p1, _ := g.PKI(fixtures.PKIOptions{})
	p2, _ := g.PKI(fixtures.PKIOptions{})
	dir := filepath.Join(t.TempDir(), "server")
	if _, err := p1.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lines, done := servedLines(ctx, "--creds", dir, "--listen", "127.0.0.1:0", "--reload-interval", "50ms")
	expect := func(re string) string {
		t.Helper()
		rx := regexp.MustCompile(re)
		timeout := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("output ended before %q", re)
				}
				if rx.MatchString(l) {
					return l
				}
			case <-timeout:
				t.Fatalf("no line matching %q", re)
			}
		}
	}
	first := expect(`^tlscreds serve: listening on 127\.0\.0\.1:\d+`)
	addr := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(first)
	dial := func(p *fixtures.PKI) (*x509.Certificate, error) {
		roots := x509.NewCertPool()
		roots.AddCert(p.Root.Cert)
		c := p.Clients[0]
		cert := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key}
		conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{cert}})
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Read(make([]byte, 100)); err != nil {
			return nil, err
		}
		return conn.ConnectionState().PeerCertificates[0], nil
	}
	if _, err := dial(p1); err != nil {
		t.Fatal(err)
	}
	expect(`ok TLS 1\.3 TLS_\w+ sni "localhost" object serve, client "O=tlscreds test PKI,CN=client"`)

	if _, err := p2.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	expect(`reloaded serve \(poll\): generation 2 in service`)
	served, err := dial(p2)
	if err != nil || !served.Equal(p2.Server.Cert) {
		t.Fatalf("after reload: %v; new certificate served: %v", err, served != nil && served.Equal(p2.Server.Cert))
	}

	if err := os.WriteFile(filepath.Join(dir, "server-key.pem"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	expect(`reload of serve \(poll\) refused, generation 2 stays in service: .*server-key\.pem`)
	if served, err := dial(p2); err != nil || !served.Equal(p2.Server.Cert) {
		t.Fatalf("after a bad rotation the old certificate must stay: %v", err)
	}
	cancel()
	expect(`^tlscreds serve: stopped$`)
	if err := <-done; err != nil && !strings.Contains(err.Error(), "context") {
		t.Errorf("serve returned %v", err)
	}
}

// TestServeManifest serves a manifest endpoint: SNI picks the object by
// name, and the endpoint's authz refuses a client its rules deny.
func TestServeManifest(t *testing.T) {
	g := fixtures.New(time.Now())
	p, _ := g.PKI(fixtures.PKIOptions{Clients: []string{"alice", "bob"}})
	other, _ := g.Server(p.Root, fixtures.Spec{DNSNames: []string{"other.test"}})
	dir := t.TempDir()
	if _, err := p.ServerDir().Write(filepath.Join(dir, "a"), layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	if _, err := (fixtures.Dir{CA: p.CABundle(), Server: other}).Write(filepath.Join(dir, "b"), layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	mf := filepath.Join(dir, "m.yaml")
	os.WriteFile(mf, []byte(`objects:
  - {id: a, endpoint: server, dir: a}
  - {id: b, endpoint: server, dir: b}
endpoints:
  - name: web
    role: server
    objects: [a, b]
    authz: {policy: deny, rules: [{match: "O=tlscreds test PKI,CN=alice", policy: allow}]}
`), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lines, _ := servedLines(ctx, "--manifest", mf, "--endpoint", "web", "--listen", "127.0.0.1:0")
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("serve output ended")
			}
			return l
		case <-time.After(10 * time.Second):
			t.Fatal("no output from serve")
		}
		return ""
	}
	// nextHandshake skips the lines that say how a connection ended.
	nextHandshake := func() string {
		for {
			if l := next(); !strings.Contains(l, " closed ") {
				return l
			}
		}
	}
	first := next()
	if !strings.Contains(first, "endpoint web of "+mf) {
		t.Fatalf("first line %q", first)
	}
	addr := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(first)
	dial := func(sni string, client int) (*x509.Certificate, error) {
		roots := x509.NewCertPool()
		roots.AddCert(p.Root.Cert)
		c := p.Clients[client]
		cert := tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key}
		conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: sni, Certificates: []tls.Certificate{cert}})
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Read(make([]byte, 100)); err != nil {
			return nil, err
		}
		return conn.ConnectionState().PeerCertificates[0], nil
	}
	for sni, want := range map[string]*x509.Certificate{"localhost": p.Server.Cert, "other.test": other.Cert} {
		got, err := dial(sni, 0)
		if err != nil || !got.Equal(want) {
			t.Errorf("SNI %s: %v, served the right certificate: %v", sni, err, got != nil && got.Equal(want))
		}
		if l := nextHandshake(); !strings.Contains(l, `ok TLS 1.3`) || !strings.Contains(l, "CN=alice") || !strings.Contains(l, fmt.Sprintf("sni %q object ", sni)) {
			t.Errorf("log line %q", l)
		}
	}
	if _, err := dial("localhost", 1); err == nil {
		t.Error("bob was let in despite the authz rules")
	}
	if l := nextHandshake(); !strings.Contains(l, "FAILED handshake-authz-denied TLS 1.3 sni \"localhost\": TLS x509 authz check for O=tlscreds test PKI,CN=bob is denied") {
		t.Errorf("log line %q", l)
	}
}

// servedLines runs `tlscreds serve ARGS...` in-process until ctx ends and
// returns its output lines as they come, and the command's result.
func servedLines(ctx context.Context, args ...string) (<-chan string, <-chan error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(pw, io.Discard).RunContext(ctx, append([]string{"tlscreds", "serve"}, args...))
		pw.Close()
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines, done
}
