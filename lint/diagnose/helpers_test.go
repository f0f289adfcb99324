package diagnose

import (
	"context"
	"crypto/tls"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// writeDir writes a credential directory below t.TempDir().
func writeDir(t *testing.T, d fixtures.Dir) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "creds")
	if _, err := d.Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadObject loads a credential directory as an object of endpoint ep.
func loadObject(t *testing.T, id, dir string, ep creds.Endpoint, extra string) *creds.Source {
	t.Helper()
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=" + id + ",endpoint=" + string(ep) + ",dir=" + dir + extra)
	if err != nil {
		t.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// clientOptions are probe options acting as the client object in dir.
func clientOptions(t *testing.T, dir string) ProbeOptions {
	t.Helper()
	var o ProbeOptions
	if err := o.UseObject(loadObject(t, "cli", dir, creds.EndpointClient, "").Current()); err != nil {
		t.Fatal(err)
	}
	o.Timeout = 5 * time.Second
	return o
}

// probe runs a probe and its diagnosis, logging both.
func probe(t *testing.T, addr string, o ProbeOptions) (Report, []lint.Finding) {
	t.Helper()
	r := Probe(context.Background(), addr, o)
	fs := Diagnose(r)
	var b strings.Builder
	_ = WriteReportTable(&b, r, fs)
	t.Logf("probe %s:\n%s", addr, b.String())
	return r, fs
}

func ruleIDs(fs []lint.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// wantCauses fails unless the error findings are exactly want, in order
// (warnings and infos are not compared).
func wantCauses(t *testing.T, fs []lint.Finding, want ...string) {
	t.Helper()
	var got []string
	for _, f := range fs {
		if f.Severity == lint.Error {
			got = append(got, f.Rule)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("causes %v, want %v", got, want)
		for _, f := range fs {
			t.Logf("  %s %s: %s", f.Severity, f.Rule, f.Message)
		}
	}
}

// wantMessage fails unless the finding of rule id contains every part.
// headlineCase is a text and the cause explain must put first, with
// also (when set) among the causes it lists.
type headlineCase struct{ text, first, also string }

// checkHeadlines explains each case's text and checks its headline.
func checkHeadlines(t *testing.T, cases []headlineCase) {
	t.Helper()
	for _, tt := range cases {
		h := Headline(Explain(tt.text))
		if len(h) == 0 || h[0] != tt.first || tt.also != "" && !slices.Contains(h, tt.also) {
			t.Errorf("explain(%q) = %v, want %s first and %q among them", tt.text, h, tt.first, tt.also)
		}
	}
}

func wantMessage(t *testing.T, fs []lint.Finding, id string, parts ...string) {
	t.Helper()
	for _, f := range fs {
		if f.Rule != id {
			continue
		}
		for _, p := range parts {
			if !strings.Contains(f.Message, p) {
				t.Errorf("%s message lacks %q:\n%s", id, p, f.Message)
			}
		}
		return
	}
	t.Errorf("no %s finding in %v", id, ruleIDs(fs))
}

// pki generates a PKI valid now (external peers use the real clock) and
// writes its server and client directories.
func pki(t *testing.T, o fixtures.PKIOptions) (p *fixtures.PKI, srv, cli string) {
	t.Helper()
	p, err := fixtures.New(time.Now()).PKI(o)
	if err != nil {
		t.Fatal(err)
	}
	return p, writeDir(t, p.ServerDir()), writeDir(t, p.ClientDir(0))
}

// writeFile writes data below t.TempDir() and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// listen starts a TCP listener on 127.0.0.1 that hands each connection to
// serve, and stops when the test ends.
func listen(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// tlsServer serves cfg on 127.0.0.1: it completes the handshake, then
// answers "hello\n" and waits for the client to close.
func tlsServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		_, _ = tc.Write([]byte("hello\n"))
		_, _ = tc.Read(make([]byte, 1))
		_ = tc.Close()
	})
}

// serverConfig is the factory-built config of a server directory.
func serverConfig(t *testing.T, dir string, o creds.ServerOptions) *tls.Config {
	t.Helper()
	cfg, err := creds.ServerConfig(loadObject(t, "srv", dir, creds.EndpointServer, ""), o)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// serverKeyPair loads the server identity of a credential directory
// written by pki (server-cert.pem and server-key.pem).
func serverKeyPair(t *testing.T, dir string) tls.Certificate {
	t.Helper()
	kp, err := tls.LoadX509KeyPair(filepath.Join(dir, "server-cert.pem"), filepath.Join(dir, "server-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// starttlsPKI is what the STARTTLS probes' in-process servers serve: a
// config with the server of one test PKI (cliDir its client directory,
// whose CA trusts it) and one with the server of another PKI, which
// that client does not trust.
func starttlsPKI(t *testing.T) (cfg, otherCA *tls.Config, cliDir string) {
	t.Helper()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	_, otherDir, _ := pki(t, fixtures.PKIOptions{})
	return &tls.Config{Certificates: []tls.Certificate{serverKeyPair(t, srvDir)}},
		&tls.Config{Certificates: []tls.Certificate{serverKeyPair(t, otherDir)}}, cliDir
}
