package creds_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// sniFleet is n server sources over the same three files (one CA, one
// leaf, one key), each served under its own explicit name
// hN.example.test: loading 10,000 objects then costs no key generation
// or signing. Which source served a handshake shows by the pointer of the
// certificate, each source's own snapshot.
type sniFleet struct {
	p       *fixtures.PKI
	sources []*creds.Source
	entries []creds.SNI
}

var (
	fleetMu    sync.Mutex
	fleetCache = map[int]*sniFleet{}
)

func loadFleet(tb testing.TB, n int) *sniFleet {
	tb.Helper()
	fleetMu.Lock()
	defer fleetMu.Unlock()
	if f, ok := fleetCache[n]; ok {
		return f
	}
	p := labPKI(tb, fixtures.PKIOptions{Names: []string{"shared.example.test"}})
	// The fleet outlives the test that made it (benchmarks share it);
	// its sources need their files only to reload, which they never do.
	dir, err := os.MkdirTemp("", "tlscreds-sni-fleet")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	files, err := (fixtures.Dir{CA: p.CABundle(), Server: p.Server}).Files(layout.QEMU)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := fixtures.WriteFiles(dir, files, false); err != nil {
		tb.Fatal(err)
	}
	ca, cert, key := filepath.Join(dir, "ca-cert.pem"), filepath.Join(dir, "server-cert.pem"), filepath.Join(dir, "server-key.pem")
	f := &sniFleet{p: p, sources: make([]*creds.Source, n), entries: make([]creds.SNI, n)}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				sp, _, err := creds.ParseSpec(fmt.Sprintf("tls-creds-x509,id=o%d,endpoint=server,ca=%s,cert=%s,key=%s", i, ca, cert, key))
				if err == nil {
					f.sources[i], err = creds.NewSource(sp, creds.LoadOptions{Now: labClock})
				}
				if err != nil {
					errs <- err
					return
				}
				f.entries[i] = creds.SNI{Source: f.sources[i], Names: []string{fmt.Sprintf("h%d.example.test", i)}}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatal(err)
	}
	fleetCache[n] = f
	return f
}

// sniServer is a server object in its own directory whose certificate has
// the given DNS names.
func sniServer(t testing.TB, g *fixtures.Generator, ca *fixtures.Cert, id string, names ...string) (*creds.Source, string) {
	t.Helper()
	leaf, err := g.Server(ca, fixtures.Spec{DNSNames: names})
	if err != nil {
		t.Fatal(err)
	}
	dir := labWriteDir(t, fixtures.Dir{CA: []*x509.Certificate{ca.Cert}, Server: leaf})
	return labSource(t, "tls-creds-x509,id="+id+",endpoint=server,dir="+dir), dir
}

// served returns the certificate the config chooses for a ClientHello
// naming name, without a handshake.
func served(t testing.TB, cfg *tls.Config, name string) *tls.Certificate {
	t.Helper()
	hello := &tls.ClientHelloInfo{ServerName: name}
	inner, err := cfg.GetConfigForClient(hello)
	if err != nil {
		t.Fatal(err)
	}
	if len(inner.Certificates) > 0 {
		t.Fatal("the config with SNI has Certificates: crypto/tls would skip GetCertificate for clients without SNI")
	}
	cert, err := inner.GetCertificate(hello)
	if err != nil {
		t.Fatalf("GetCertificate(%q): %v", name, err)
	}
	return cert
}

func identityOf(src *creds.Source) *tls.Certificate { return &src.Current().Identities[0].TLS }

func TestSNISelection(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	fleet := loadFleet(t, 10000)
	ca := fleet.p.Root
	def, _ := sniServer(t, g, ca, "def", "default.example.test")
	wild, _ := sniServer(t, g, ca, "wild", "*.apps.example.test", "apps.example.test")
	exact, _ := sniServer(t, g, ca, "exact", "a.example.test", "x.apps.example.test")
	// Names claimed twice: the earlier source wins. A source listed twice
	// keeps its first place, and its names merge.
	late, _ := sniServer(t, g, ca, "late", "a.example.test", "late.example.test")
	entries := append([]creds.SNI{{Source: wild}, {Source: exact}, {Source: def, Names: []string{"alias.example.test"}}}, fleet.entries...)
	entries = append(entries, creds.SNI{Source: late}, creds.SNI{Source: wild, Names: []string{"h7.example.test"}})

	cases := []struct {
		name   string
		want   *creds.Source // nil: no certificate (strict only)
		strict *creds.Source
	}{
		{"h0.example.test", fleet.sources[0], fleet.sources[0]},
		{"h9999.example.test", fleet.sources[9999], fleet.sources[9999]},
		{"H4242.Example.TEST.", fleet.sources[4242], fleet.sources[4242]}, // case and trailing dot
		{"h7.example.test", wild, wild},                                   // wild is listed before fleet member 7
		{"alias.example.test", def, def},                                  // explicit name for the default
		{"a.example.test", exact, exact},                                  // SAN: earlier source wins
		{"late.example.test", late, late},
		{"x.apps.example.test", exact, exact}, // exact beats wildcard
		{"y.apps.example.test", wild, wild},   // one-label wildcard
		{"apps.example.test", wild, wild},
		{"z.y.apps.example.test", def, nil},                         // a wildcard covers one label only
		{"shared.example.test", fleet.sources[0], fleet.sources[0]}, // every fleet certificate's SAN: the first claims it
		{"default.example.test", def, def},
		{"", def, nil},
		{"unknown.test", def, nil},
		{"10.0.0.1", def, nil},
	}
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			cfg := labServerConfig(t, def, creds.ServerOptions{SNI: entries, StrictSNI: strict})
			for _, c := range cases {
				want := c.want
				if strict {
					want = c.strict
				}
				got := served(t, cfg, c.name)
				switch {
				case want == nil && got != nil:
					t.Errorf("%q: served %q, want no certificate", c.name, servedLeaf(t, got).DNSNames)
				case want != nil && got != identityOf(want):
					t.Errorf("%q: served %v, want object %s's", c.name, servedLeaf(t, got).DNSNames, want.ID())
				}
			}
		})
	}
}

// TestSNIHandshake checks the choice over real handshakes: the client
// verifies the certificate it gets for its name, and a strict server
// refuses an unknown name with alert unrecognized_name.
func TestSNIHandshake(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{})
	def := labSource(t, "tls-creds-x509,id=def,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	wild, _ := sniServer(t, g, p.Root, "wild", "*.apps.example.test")
	cli := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+labWriteDir(t, p.ClientDir(0)))
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			srv := labServe(t, labServerConfig(t, def, creds.ServerOptions{SNI: []creds.SNI{{Source: wild}}, StrictSNI: strict}))
			st, sres, cerr := labRoundTrip(t, srv, labClientConfig(t, cli, "web.apps.example.test", creds.ClientOptions{}))
			if cerr != nil || sres.Err != nil {
				t.Fatalf("wildcard name: client: %v; server: %v", cerr, sres.Err)
			}
			if got := st.PeerCertificates[0].DNSNames; len(got) != 1 || got[0] != "*.apps.example.test" {
				t.Errorf("wildcard name: served %v", got)
			}
			st, sres, cerr = labRoundTrip(t, srv, labClientConfig(t, cli, "localhost", creds.ClientOptions{}))
			if strict {
				// localhost is the default's SAN, so strict serves it too.
				if cerr != nil || labPeerCN(st) != "localhost" {
					t.Errorf("default's own name: client %v, CN %q", cerr, labPeerCN(st))
				}
			} else if cerr != nil || sres.Err != nil {
				t.Fatalf("default: client: %v; server: %v", cerr, sres.Err)
			}
			_, sres, cerr = labRoundTrip(t, srv, labClientConfig(t, cli, "nope.example.test", creds.ClientOptions{}))
			if !strict {
				// The default is served and the client refuses its name.
				if cerr == nil || !strings.Contains(cerr.Error(), "nope.example.test") {
					t.Errorf("unknown name, default served: client error %v", cerr)
				}
				return
			}
			if cerr == nil || !strings.Contains(cerr.Error(), "unrecognized name") {
				t.Errorf("strict, unknown name: client error %v, want alert unrecognized name", cerr)
			}
			if sres.Err == nil || !strings.Contains(sres.Err.Error(), "no certificates configured") {
				t.Errorf("strict, unknown name: server error %v", sres.Err)
			}
		})
	}
}

// TestSNIFollowsReload rewrites an SNI source with a certificate for
// other names: a name the source served before is noticed at once, a
// name it gains within sniRecheck (a second).
func TestSNIFollowsReload(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{})
	def := labSource(t, "tls-creds-x509,id=def,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	b, dir := sniServer(t, g, p.Root, "b", "old.example.test")
	cfg := labServerConfig(t, def, creds.ServerOptions{SNI: []creds.SNI{{Source: b}}})
	if served(t, cfg, "old.example.test") != identityOf(b) || served(t, cfg, "new.example.test") != identityOf(def) {
		t.Fatal("before the reload: wrong choice")
	}
	leaf, err := g.Server(p.Root, fixtures.Spec{DNSNames: []string{"new.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	labRewrite(t, dir, fixtures.Dir{CA: p.CABundle(), Server: leaf})
	if changed, err := b.Reload(); !changed || err != nil {
		t.Fatalf("Reload: %v %v", changed, err)
	}
	if got := served(t, cfg, "old.example.test"); got != identityOf(def) {
		t.Errorf("old name after the reload: served %v, want the default", servedLeaf(t, got).DNSNames)
	}
	// The lookup of the old name rebuilt the table, so the new name is
	// found at once here; a miss alone would wait for the re-check.
	if got := served(t, cfg, "new.example.test"); got != identityOf(b) {
		t.Errorf("new name after the reload: served %v, want b's", servedLeaf(t, got).DNSNames)
	}

	leaf2, err := g.Server(p.Root, fixtures.Spec{DNSNames: []string{"new.example.test", "newer.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	labRewrite(t, dir, fixtures.Dir{CA: p.CABundle(), Server: leaf2})
	if changed, err := b.Reload(); !changed || err != nil {
		t.Fatalf("Reload: %v %v", changed, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for served(t, cfg, "newer.example.test") != identityOf(b) {
		if time.Now().After(deadline) {
			t.Fatal("a name the reload added was never served")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSNIConfigErrors(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	def := labSource(t, "tls-creds-x509,id=def,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	cli := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+labWriteDir(t, p.ClientDir(0)))
	for _, c := range []struct {
		sni  []creds.SNI
		want string
	}{
		{[]creds.SNI{{Source: cli}}, "endpoint=client"},
		{[]creds.SNI{{}}, "no source"},
		{[]creds.SNI{{Source: def, Names: []string{"."}}}, "empty server name"},
	} {
		_, err := creds.ServerConfig(def, creds.ServerOptions{SNI: c.sni})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.sni, err, c.want)
		}
	}
}

// BenchmarkSNISelect measures the per-handshake choice (GetConfigForClient
// and GetCertificate) with 1 and 10,000 objects: the cost must not grow
// with the number of objects.
func BenchmarkSNISelect(b *testing.B) {
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			fleet := loadFleet(b, n)
			cfg, err := creds.ServerConfig(fleet.sources[0], creds.ServerOptions{SNI: fleet.entries, Time: labClock})
			if err != nil {
				b.Fatal(err)
			}
			hello := &tls.ClientHelloInfo{ServerName: fmt.Sprintf("h%d.example.test", n/2)}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				inner, _ := cfg.GetConfigForClient(hello)
				if c, _ := inner.GetCertificate(hello); c == nil {
					b.Fatal("no certificate")
				}
			}
		})
	}
}
