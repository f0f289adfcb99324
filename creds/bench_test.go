package creds_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// benchPKIOnce generates the benchmarks' PKI once per process, so that
// sources cached across -count runs and the clients of later runs trust
// the same CA.
var benchPKIOnce = sync.OnceValues(func() (*fixtures.PKI, error) {
	return fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{KeyType: fixtures.ECDSAP256})
})

// benchPKI writes the ECDSA P-256 test PKI (server for localhost, one
// client) below a new directory and returns it.
func benchPKI(b testing.TB) string {
	b.Helper()
	p, err := benchPKIOnce()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchClock() time.Time { return fixtures.TestClock }

// BenchmarkHandshake measures full TLS 1.3 handshakes (mutual, ECDSA
// P-256, session tickets off, over net.Pipe), one at a time:
//
//   - factory and static: the factory's server config against a
//     hand-built static config serving the same certificate with the same
//     client-certificate policy, to the same client (target: factory >=
//     0.98 x static in handshakes/s);
//   - sni-objects=1 and sni-objects=10000: a factory config selecting by
//     SNI among 1 or 10,000 objects, each claiming one name; the clients
//     cycle through the names (target: 10,000 >= 0.95 x 1).
//
// See docs/performance.md.
func BenchmarkHandshake(b *testing.B) {
	dir := benchPKI(b)
	server, client := filepath.Join(dir, "server"), filepath.Join(dir, "client")
	caPool := benchPool(b, filepath.Join(server, "ca-cert.pem"))

	clientCert, err := tls.LoadX509KeyPair(filepath.Join(client, "client-cert.pem"), filepath.Join(client, "client-key.pem"))
	if err != nil {
		b.Fatal(err)
	}
	clientCfg := &tls.Config{
		Certificates: []tls.Certificate{clientCert}, RootCAs: caPool, ServerName: "localhost",
		MinVersion: tls.VersionTLS13, Time: benchClock,
	}

	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,verify-peer=on,dir=" + server)
	if err != nil {
		b.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	factory, err := creds.ServerConfig(src, creds.ServerOptions{
		Base: &tls.Config{SessionTicketsDisabled: true, MinVersion: tls.VersionTLS13},
		Time: benchClock,
	})
	if err != nil {
		b.Fatal(err)
	}

	serverCert, err := tls.LoadX509KeyPair(filepath.Join(server, "server-cert.pem"), filepath.Join(server, "server-key.pem"))
	if err != nil {
		b.Fatal(err)
	}
	static := &tls.Config{
		Certificates: []tls.Certificate{serverCert},
		ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: caPool,
		SessionTicketsDisabled: true, MinVersion: tls.VersionTLS13, Time: benchClock,
	}

	for _, bc := range benchOrder([]struct {
		name string
		cfg  *tls.Config
	}{{"factory", factory}, {"static", static}}) {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := handshake(bc.cfg, clientCfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
		})
	}

	for _, n := range benchOrder([]int{1, 10000}) {
		b.Run(fmt.Sprintf("sni-objects=%d", n), func(b *testing.B) {
			srcs := benchSources(b, server, n)
			sni, names := sniEntries(srcs)
			cfg, err := creds.ServerConfig(srcs[0], creds.ServerOptions{
				Base: &tls.Config{SessionTicketsDisabled: true, MinVersion: tls.VersionTLS13},
				Time: benchClock, SNI: sni, StrictSNI: true,
			})
			if err != nil {
				b.Fatal(err)
			}
			// Every object serves the same certificate (for localhost):
			// the clients send the object's name and verify the chain for
			// localhost, the same work as the client above. The client
			// config is made per handshake in both cases, so that only
			// the server's objects differ between 1 and 10,000 (10,000
			// client configs kept alive would load the collector too).
			verify := verifyFor("localhost", caPool)
			// Loading the objects leaves garbage whose collection would
			// otherwise land in the timed loop: what is measured is
			// serving with the objects loaded, not loading them.
			runtime.GC()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				client := clientCfg.Clone()
				client.ServerName, client.InsecureSkipVerify, client.VerifyConnection = names[i], true, verify
				if err := handshake(cfg, client); err != nil {
					b.Fatal(err)
				}
				if i++; i == n {
					i = 0
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
		})
	}
}

// sniEntries gives every source one name, host00000.example ...
func sniEntries(srcs []*creds.Source) ([]creds.SNI, []string) {
	sni := make([]creds.SNI, len(srcs))
	names := make([]string, len(srcs))
	for i, src := range srcs {
		names[i] = fmt.Sprintf("host%05d.example", i)
		sni[i] = creds.SNI{Source: src, Names: []string{names[i]}}
	}
	return sni, names
}

// verifyFor verifies the server's chain for host, whatever name the
// client sent.
func verifyFor(host string, roots *x509.CertPool) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{
			DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: benchClock(),
		})
		return err
	}
}

// handshake runs one full handshake over net.Pipe. The raw pipe ends are
// closed, not the TLS connections: close_notify on a synchronous pipe
// would wait for a reader.
func handshake(server, client *tls.Config) error {
	sc, cc := net.Pipe()
	defer sc.Close()
	defer cc.Close()
	serr := make(chan error, 1)
	go func() { serr <- tls.Server(sc, server).Handshake() }()
	cerr := tls.Client(cc, client).Handshake()
	if cerr != nil {
		sc.Close()
		<-serr
		return fmt.Errorf("client: %w", cerr)
	}
	if err := <-serr; err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

func benchPool(b *testing.B, file string) *x509.CertPool {
	b.Helper()
	pool, err := loadPool(file)
	if err != nil {
		b.Fatal(err)
	}
	return pool
}

// BenchmarkGetConfigForClient measures the selection alone, the
// per-handshake work of a factory-built server config that selects by SNI
// among n objects: its GetConfigForClient (the current snapshot's config)
// and that config's GetCertificate (the SNI lookup). Every object claims
// one name and the ClientHellos cycle through the names, so with 10,000
// objects each lookup touches memory the previous ones did not: the
// difference from one object is cache misses, not work (the lookup is a
// map lookup either way). With -benchmem it shows the path allocates
// nothing.
func BenchmarkGetConfigForClient(b *testing.B) {
	dir := filepath.Join(benchPKI(b), "server")
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			srcs := benchSources(b, dir, n)
			sni, names := sniEntries(srcs)
			hellos := make([]*tls.ClientHelloInfo, n)
			for i, name := range names {
				hellos[i] = &tls.ClientHelloInfo{ServerName: name, SupportedVersions: []uint16{tls.VersionTLS13}}
			}
			cfg, err := creds.ServerConfig(srcs[0], creds.ServerOptions{Time: benchClock, SNI: sni, StrictSNI: true})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				hello := hellos[i]
				if i++; i == n {
					i = 0
				}
				inner, err := cfg.GetConfigForClient(hello)
				if err != nil {
					b.Fatal(err)
				}
				if c, err := inner.GetCertificate(hello); err != nil || c == nil {
					b.Fatalf("%s: no certificate (%v)", hello.ServerName, err)
				}
			}
		})
	}
}

// benchSources loads n objects from dir, ids tls0 ... Each sub-benchmark
// loads its own and lets them go, so that objects one loaded are not
// live while another runs.
func benchSources(b *testing.B, dir string, n int) []*creds.Source {
	b.Helper()
	srcs := make([]*creds.Source, n)
	for i := range srcs {
		sp, _, err := creds.ParseSpec(fmt.Sprintf("tls-creds-x509,id=tls%d,endpoint=server,dir=%s", i, dir))
		if err != nil {
			b.Fatal(err)
		}
		if srcs[i], err = creds.NewSource(sp, creds.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	return srcs
}

// envBenchReverse, set to 1, runs the sub-benchmarks that are compared
// with each other in reverse order. cmd/tlscreds-bench alternates it
// between runs, so that whatever favours the first or the second of a
// pair in a process (warm-up, the previous one's garbage) falls on both
// sides equally.
const envBenchReverse = "TLSCREDS_BENCH_REVERSE"

func benchOrder[T any](pair []T) []T {
	if os.Getenv(envBenchReverse) == "1" {
		pair = slices.Clone(pair)
		slices.Reverse(pair)
	}
	return pair
}
