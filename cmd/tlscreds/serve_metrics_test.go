package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestServeMetrics is serve's metrics rendering: a client without a
// certificate fails its handshake, a rotation reloads, and /metrics
// counts both, in a form promtool accepts.
func TestServeMetrics(t *testing.T) {
	g := fixtures.New(time.Now())
	p1, _ := g.PKI(fixtures.PKIOptions{})
	p2, _ := g.PKI(fixtures.PKIOptions{})
	dir := filepath.Join(t.TempDir(), "server")
	if _, err := p1.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lines, done := servedLines(ctx, "--creds", dir, "--listen", "127.0.0.1:0",
		"--metrics-listen", "127.0.0.1:0", "--reload-interval", "50ms")
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
	addr := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(expect(`^tlscreds serve: listening on 127\.0\.0\.1:\d+`))
	murl := regexp.MustCompile(`http://\S+`).FindString(expect(`^tlscreds serve: metrics on http://127\.0\.0\.1:\d+/metrics`))

	roots := x509.NewCertPool()
	roots.AddCert(p1.Root.Cert)
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err == nil {
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = conn.Read(make([]byte, 10))
		conn.Close()
	}
	if err == nil {
		t.Fatal("a client without a certificate was served")
	}
	fail := expect(`client-cert-\S+|no-client-cert|\bfail`)
	if _, err := p2.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	expect(`reloaded serve \(poll\): generation 2 in service`)

	resp, err := http.Get(murl)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Fatal("promtool not found: install Debian's prometheus package (make deps)")
	}
	cmd := exec.Command("promtool", "check", "metrics")
	cmd.Stdin = strings.NewReader(string(body))
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	text := string(body)
	if !regexp.MustCompile(`(?m)^tlscreds_reload_total\{object="serve",result="ok"\} 1$`).MatchString(text) {
		t.Errorf("no reload counted:\n%s", grepLines(text, "tlscreds_reload"))
	}
	if !regexp.MustCompile(`(?m)^tlscreds_handshake_failures_total\{cause="[a-z0-9-]+"\} 1$`).MatchString(text) {
		t.Errorf("no handshake failure counted (log: %s):\n%s", fail, grepLines(text, "tlscreds_handshake"))
	}
	m := regexp.MustCompile(`(?m)^tlscreds_object_cert_not_after_timestamp_seconds\{object="serve"\} (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no served expiry:\n%s", grepLines(text, "not_after"))
	}
	if v, err := strconv.ParseFloat(m[1], 64); err != nil || int64(v) != p2.Server.Cert.NotAfter.Unix() {
		t.Errorf("served expiry %s, want the rotated certificate's %d", m[1], p2.Server.Cert.NotAfter.Unix())
	}
	cancel()
	<-done
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
