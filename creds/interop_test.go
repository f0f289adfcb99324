package creds_test

import (
	"crypto/tls"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// These tests drive OpenSSL and GnuTLS against the factories, with a PKI
// valid now (external tools use the real clock) in the QEMU layout.

// interopPKI writes out/server and out/client (client certificate "client").
func interopPKI(t *testing.T) (srvDir, cliDir string) {
	t.Helper()
	p, err := fixtures.New(time.Now()).PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := p.Write(out, fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, "server"), filepath.Join(out, "client")
}

// interopServer is a factory-built server on 127.0.0.1 that reports each
// connection's handshake outcome, then answers "hello\n" and waits for
// the peer to close.
func interopServer(t *testing.T, srvDir string) *labServer {
	t.Helper()
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=srv,endpoint=server,dir=" + srvDir)
	if err != nil {
		t.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := creds.ServerConfig(src, creds.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &labServer{Addr: ln.Addr().String(), results: make(chan labResult, 16)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				tc := tls.Server(c, cfg)
				var r labResult
				if r.Err = tc.Handshake(); r.Err == nil {
					r.State = tc.ConnectionState()
				}
				s.results <- r
				if r.Err == nil {
					_, _ = tc.Write([]byte("hello\n"))
					_, _ = io.Copy(io.Discard, tc)
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return s
}

func TestInteropServerOpenSSLClient(t *testing.T) {
	peer.Require(t, "openssl")
	srvDir, cliDir := interopPKI(t)
	srv := interopServer(t, srvDir)
	for _, version := range []string{"-tls1_2", "-tls1_3"} {
		t.Run(version, func(t *testing.T) {
			base := []string{"s_client", "-connect", srv.Addr, version, "-servername", "localhost",
				"-CAfile", filepath.Join(cliDir, "ca-cert.pem"), "-verify_hostname", "localhost", "-verify_return_error"}

			withCert := append(base[:len(base):len(base)],
				"-cert", filepath.Join(cliDir, "client-cert.pem"), "-key", filepath.Join(cliDir, "client-key.pem"))
			r := peer.Run(t, 20*time.Second, []byte("ping\n"), "openssl", withCert...)
			sres := srv.next(t)
			if sres.Err != nil || labPeerCN(sres.State) != "client" {
				t.Errorf("with a client certificate: server: %v (client CN %q); s_client exit %d:\n%s",
					sres.Err, labPeerCN(sres.State), r.Code, r.Output)
			}
			if !strings.Contains(r.Output, "Verify return code: 0 (ok)") {
				t.Errorf("s_client did not verify our server:\n%s", r.Output)
			}

			// -ign_eof: read on after stdin ends, so that s_client sees a
			// TLS 1.3 server's alert, which comes after its handshake.
			r = peer.Run(t, 20*time.Second, []byte("ping\n"), "openssl", append(base[:len(base):len(base)], "-ign_eof")...)
			sres = srv.next(t)
			if sres.Err == nil || !strings.Contains(sres.Err.Error(), "tls: client didn't provide a certificate") {
				t.Errorf("without a client certificate: server: %v; s_client exit %d:\n%s", sres.Err, r.Code, r.Output)
			}
			wantAlert := map[string]string{"-tls1_2": "alert handshake failure", "-tls1_3": "alert certificate required"}[version]
			if !strings.Contains(r.Output, wantAlert) {
				t.Errorf("s_client output lacks %q:\n%s", wantAlert, r.Output)
			}
		})
	}
}

func TestInteropServerGnuTLSClient(t *testing.T) {
	peer.Require(t, "gnutls-cli")
	srvDir, cliDir := interopPKI(t)
	srv := interopServer(t, srvDir)
	_, port, _ := net.SplitHostPort(srv.Addr)
	base := []string{"-p", port, "--x509cafile", filepath.Join(cliDir, "ca-cert.pem"),
		"--verify-hostname", "localhost", "--sni-hostname", "localhost"}

	for _, prio := range []string{"NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL:-VERS-ALL:+VERS-TLS1.3"} {
		t.Run(prio[strings.LastIndexByte(prio, '+')+1:], func(t *testing.T) {
			args := append(base[:len(base):len(base)], "--priority", prio,
				"--x509certfile", filepath.Join(cliDir, "client-cert.pem"),
				"--x509keyfile", filepath.Join(cliDir, "client-key.pem"), "127.0.0.1")
			r := peer.Run(t, 20*time.Second, []byte("ping\n"), "gnutls-cli", args...)
			sres := srv.next(t)
			if sres.Err != nil || labPeerCN(sres.State) != "client" {
				t.Errorf("with a client certificate: server: %v (client CN %q); gnutls-cli exit %d:\n%s",
					sres.Err, labPeerCN(sres.State), r.Code, r.Output)
			}
			if !strings.Contains(r.Output, "Handshake was completed") || !strings.Contains(r.Output, "The certificate is trusted") {
				t.Errorf("gnutls-cli did not complete a verified handshake:\n%s", r.Output)
			}

			args = append(base[:len(base):len(base)], "--priority", prio, "127.0.0.1")
			r = peer.Run(t, 20*time.Second, []byte("ping\n"), "gnutls-cli", args...)
			sres = srv.next(t)
			if sres.Err == nil || !strings.Contains(sres.Err.Error(), "tls: client didn't provide a certificate") {
				t.Errorf("without a client certificate: server: %v; gnutls-cli exit %d:\n%s", sres.Err, r.Code, r.Output)
			}
			if r.Code == 0 {
				t.Errorf("gnutls-cli exited 0 although the server refused it:\n%s", r.Output)
			}
		})
	}
}

func TestInteropClientOpenSSLServer(t *testing.T) {
	peer.Require(t, "openssl")
	srvDir, cliDir := interopPKI(t)
	s := peer.OpenSSLServer(t,
		"-cert", filepath.Join(srvDir, "server-cert.pem"), "-key", filepath.Join(srvDir, "server-key.pem"),
		"-cert_chain", filepath.Join(srvDir, "server-cert.pem"),
		"-CAfile", filepath.Join(srvDir, "ca-cert.pem"), "-Verify", "1", "-verify_return_error", "-www")

	get := func(cfg *tls.Config) (string, error) {
		c, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
		if err != nil {
			return "", err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(20 * time.Second))
		tc := tls.Client(c, cfg)
		if _, err := tc.Write([]byte("GET / HTTP/1.0\r\n\r\n")); err != nil {
			return "", err
		}
		body, err := io.ReadAll(tc)
		return string(body), err
	}
	clientCfg := func(dir string) *tls.Config {
		sp, _, err := creds.ParseSpec("tls-creds-x509,id=cli,endpoint=client,dir=" + dir)
		if err != nil {
			t.Fatal(err)
		}
		src, err := creds.NewSource(sp, creds.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := creds.ClientConfig(src, "localhost", creds.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}

	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cfg := clientCfg(cliDir)
		cfg.MinVersion, cfg.MaxVersion = version, version
		body, err := get(cfg)
		if err != nil || !strings.Contains(body, "HTTP/1.0 200 ok") {
			t.Errorf("%s: %v\n%s\ns_server:\n%s", labVersion(version), err, body, s.Output())
		}
	}
	waitForOutput(t, s, "CN = client")

	// The same directory without the client certificate: s_server -Verify
	// refuses the client.
	bare := t.TempDir()
	ca, err := os.ReadFile(filepath.Join(cliDir, "ca-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bare, "ca-cert.pem"), ca, 0o644); err != nil {
		t.Fatal(err)
	}
	body, err := get(clientCfg(bare))
	if err == nil {
		t.Errorf("s_server -Verify 1 served a client without a certificate:\n%s", body)
	} else if !strings.Contains(err.Error(), "certificate required") && !strings.Contains(err.Error(), "handshake failure") {
		t.Errorf("client without a certificate: %v", err)
	}
	waitForOutput(t, s, "peer did not return a certificate")
}

func waitForOutput(t *testing.T, s *peer.Server, want string) {
	t.Helper()
	for range 50 {
		if strings.Contains(s.Output(), want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("s_server output lacks %q:\n%s", want, s.Output())
}
