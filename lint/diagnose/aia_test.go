package diagnose

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestProbeMissingIntermediateFetched: a server that sends only its own
// certificate, issued by an intermediate whose caIssuers URL serves it.
// diagnose fetches the intermediate, sees it chain to the client's CA,
// and names the missing intermediate (not an unknown CA); when the URL
// serves a CA that does not chain to the client's CA, it is an unknown
// CA; when the URL fails, the certificate still says it has an
// intermediate issuer.
func TestProbeMissingIntermediateFetched(t *testing.T) {
	t.Parallel()
	g := fixtures.New(time.Now())
	root, err := g.Root(fixtures.Spec{CommonName: "fetch root"})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := g.Root(fixtures.Spec{CommonName: "fetch stranger"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var served sync.Map // path -> []byte
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := served.Load(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b.([]byte))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	for _, tt := range []struct {
		name, path string
		parent     *fixtures.Cert
		pem        bool
		want       string
		parts      []string
	}{
		{name: "chains to the client's CA", path: "/inter.der", parent: root, want: cause.MissingIntermediate,
			parts: []string{"fetched from the certificate's caIssuers URL " + base + "/inter.der", "chains to a CA in the client's CA file", "must send it"}},
		{name: "PEM", path: "/inter.pem", parent: root, pem: true, want: cause.MissingIntermediate,
			parts: []string{"chains to a CA"}},
		{name: "chains elsewhere", path: "/other.der", parent: stranger, want: cause.UnknownCA,
			parts: []string{"does not chain to a CA in the client's CA file"}},
		{name: "fetch fails", path: "/missing.der", parent: root, want: cause.MissingIntermediate,
			parts: []string{"fetching it failed", "404 Not Found"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inter, err := g.Intermediate(tt.parent, fixtures.Spec{CommonName: "fetch intermediate " + tt.name})
			if err != nil {
				t.Fatal(err)
			}
			if tt.path != "/missing.der" {
				b := inter.Cert.Raw
				if tt.pem {
					b = inter.CertPEM()
				}
				served.Store(tt.path, b)
			}
			leaf, err := g.Server(inter, fixtures.Spec{CommonName: "localhost", DNSNames: []string{"localhost"},
				ExtraExtensions: []pkix.Extension{aiaExtension(t, base+tt.path)}})
			if err != nil {
				t.Fatal(err)
			}
			cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Cert.Raw}, PrivateKey: leaf.Key}}}
			addr := tlsServer(t, cfg)
			o := ProbeOptions{ServerName: "localhost", CA: []*x509.Certificate{root.Cert}, CAFile: "ca.pem", Timeout: 10 * time.Second}
			r, fs := probe(t, addr, o)
			if r.IssuerFetch == nil || r.IssuerFetch.URL != base+tt.path {
				t.Fatalf("no fetch of %s recorded: %+v", base+tt.path, r.IssuerFetch)
			}
			wantCauses(t, fs, tt.want)
			wantMessage(t, fs, tt.want, tt.parts...)
		})
	}
}

// aiaExtension is an Authority Information Access extension with one
// caIssuers URL (RFC 5280 section 4.2.2.1).
func aiaExtension(t *testing.T, url string) pkix.Extension {
	t.Helper()
	type accessDescription struct {
		Method   asn1.ObjectIdentifier
		Location asn1.RawValue
	}
	b, err := asn1.Marshal([]accessDescription{{
		Method:   asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 2},
		Location: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(url)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://") {
		t.Fatal("not an http URL")
	}
	return pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}, Value: b}
}
