package diagnose

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

// TestProbeByAddressSNIDefault: a server that picks its certificate by
// SNI sends its default certificate (db.example only) to a client that
// connects by address (no SNI); the right one, for localhost and
// 127.0.0.1, only to SNI localhost. Probed by address, diagnose asks
// again with the name 127.0.0.1 resolves to (localhost, /etc/hosts) and
// names the SNI dependence first, not just the name mismatch. A server
// with one certificate gives the plain mismatch.
func TestProbeByAddressSNIDefault(t *testing.T) {
	t.Parallel()
	if names, err := net.DefaultResolver.LookupAddr(t.Context(), "127.0.0.1"); err != nil || len(names) == 0 {
		t.Fatalf("127.0.0.1 does not resolve back to a name here (%v, %v): /etc/hosts needs its localhost line", names, err)
	}
	p, _, cliDir := pki(t, fixtures.PKIOptions{})
	g := fixtures.New(time.Now())
	other, err := g.Server(p.Root, fixtures.Spec{CommonName: "db.example", DNSNames: []string{"db.example"}, IPAddresses: []net.IP{}})
	if err != nil {
		t.Fatal(err)
	}
	pair := func(c *fixtures.Cert) tls.Certificate {
		return tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key}
	}
	right, dflt := pair(p.Server), pair(other)
	byName := tlsServer(t, &tls.Config{GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if strings.EqualFold(h.ServerName, "localhost") {
			return &right, nil
		}
		return &dflt, nil
	}})
	single := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{dflt}})

	o := clientOptions(t, cliDir)
	o.ServerName = "127.0.0.1"
	_, fs := probe(t, byName, o)
	wantCauses(t, fs, "handshake-sni-dependent", "handshake-name-mismatch")
	wantMessage(t, fs, "handshake-sni-dependent", `with SNI "localhost"`, "connected by address 127.0.0.1")

	_, fs = probe(t, single, o)
	wantCauses(t, fs, "handshake-name-mismatch")
}
