package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestPBES1KeysInspectAndServe: a server key in each PBES1 scheme GnuTLS
// (so QEMU) decrypts is read by `tlscreds inspect` and served by
// `tlscreds serve` (a real handshake over loopback); a scheme GnuTLS
// refuses is a load error naming the file and the scheme.
func TestPBES1KeysInspectAndServe(t *testing.T) {
	g := fixtures.New(time.Now())
	p, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	secret := "secret,id=sec0,data=pbes1-pass"
	for _, scheme := range privkey.PBES1Schemes() {
		t.Run(scheme, func(t *testing.T) {
			key, err := p.Server.KeyPEMPBES1(scheme, []byte("pbes1-pass"))
			if err != nil {
				t.Fatal(err)
			}
			d := p.ServerDir()
			d.Extra = []fixtures.File{{Name: "server-key.pem", Data: key, Mode: 0o600}}
			dir := filepath.Join(t.TempDir(), "server")
			if _, err := d.Write(dir, layout.QEMU, true); err != nil {
				t.Fatal(err)
			}
			object := "tls-creds-x509,id=tls0,endpoint=server,dir=" + dir + ",passwordid=sec0"
			var out, errb bytes.Buffer
			code := run([]string{"tlscreds", "inspect", "--object", secret, "--object", object}, &out, &errb)
			if code != 0 {
				t.Fatalf("inspect exit %d: %s%s", code, out.String(), errb.String())
			}
			enc := regexp.MustCompile(`\| Encrypted +\| yes, PBES1 ` + scheme + ` +\|`)
			if !enc.Match(out.Bytes()) {
				t.Errorf("inspect does not name the scheme:\n%s", out.String())
			}
			if !privkey.PBES1Decrypted(scheme) {
				want := "PBES1 " + scheme + " is not supported"
				if !strings.Contains(out.String(), filepath.Join(dir, "server-key.pem")) || !strings.Contains(out.String(), want) {
					t.Errorf("inspect of a key GnuTLS refuses does not name the file and %q:\n%s", want, out.String())
				}
				return
			}
			if !regexp.MustCompile(`\| Loads +\| yes +\|`).Match(out.Bytes()) || !strings.Contains(out.String(), "| Key ") {
				t.Errorf("inspect does not load the key:\n%s", out.String())
			}

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			lines, _ := servedLines(ctx, "--object", secret, "--object", object, "--listen", "127.0.0.1:0")
			var addr string
			for l := range lines {
				if a := regexp.MustCompile(`^tlscreds serve: listening on (127\.0\.0\.1:\d+)`).FindStringSubmatch(l); a != nil {
					addr = a[1]
					break
				}
			}
			if addr == "" {
				t.Fatal("serve did not listen")
			}
			roots := x509.NewCertPool()
			roots.AddCert(p.Root.Cert)
			c := p.Clients[0]
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost",
				Certificates: []tls.Certificate{{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key}}})
			if err != nil {
				t.Fatalf("handshake with serve over a %s key: %v", scheme, err)
			}
			defer conn.Close()
			if got := conn.ConnectionState().PeerCertificates[0]; !got.Equal(p.Server.Cert) {
				t.Errorf("served %q, want the server certificate", got.Subject)
			}
		})
	}
}
