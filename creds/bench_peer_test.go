package creds_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// The client process of BenchmarkServerHandshake: the test binary run
// again with these variables set (see TestMain).
const (
	envPeerAddr  = "TLSCREDS_BENCH_PEER_ADDR"  // the server's 127.0.0.1 address
	envPeerDir   = "TLSCREDS_BENCH_PEER_DIR"   // the benchmark PKI (server/, client/)
	envPeerNames = "TLSCREDS_BENCH_PEER_NAMES" // "" for localhost, else N: host00000.example ...
)

// peerClientLimit bounds the client process whatever happens to its
// server: it stops when the server stops accepting, and after this long.
const peerClientLimit = 10 * time.Minute

func TestMain(m *testing.M) {
	if addr := os.Getenv(envPeerAddr); addr != "" {
		if err := runPeerClient(addr, os.Getenv(envPeerDir), os.Getenv(envPeerNames)); err != nil {
			fmt.Fprintln(os.Stderr, "bench client:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runPeerClient makes full handshakes with the server at addr, one
// connection at a time, until the server stops accepting. With names =
// N it cycles through the SNI names of sniEntries and verifies the chain
// for localhost, as BenchmarkHandshake's SNI clients do.
func runPeerClient(addr, dir, names string) error {
	client := filepath.Join(dir, "client")
	cert, err := tls.LoadX509KeyPair(filepath.Join(client, "client-cert.pem"), filepath.Join(client, "client-key.pem"))
	if err != nil {
		return err
	}
	pool, err := loadPool(filepath.Join(dir, "server", "ca-cert.pem"))
	if err != nil {
		return err
	}
	base := &tls.Config{
		Certificates: []tls.Certificate{cert}, RootCAs: pool, ServerName: "localhost",
		MinVersion: tls.VersionTLS13, Time: benchClock,
	}
	n := 0
	if names != "" {
		if n, err = strconv.Atoi(names); err != nil || n < 1 {
			return fmt.Errorf("%s=%q: want a count", envPeerNames, names)
		}
		base.InsecureSkipVerify, base.VerifyConnection = true, verifyFor("localhost", pool)
	}
	deadline := time.Now().Add(peerClientLimit)
	for i := 0; time.Now().Before(deadline); i++ {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return nil // the server is done
		}
		cfg := base
		if n > 0 {
			cfg = base.Clone()
			cfg.ServerName = fmt.Sprintf("host%05d.example", i%n)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		tc := tls.Client(conn, cfg)
		err = tc.Handshake()
		conn.Close()
		if err != nil && i > 0 {
			// The server closes its listener and the connection it
			// did not finish when the benchmark ends.
			return nil
		}
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("still running after %v", peerClientLimit)
}

// BenchmarkServerHandshake measures what BenchmarkHandshake does, with
// the client in another process, over TCP on 127.0.0.1: only the
// server's work, and only its allocations, happen in the measured
// process, as in a real server. In one process the collector also pays
// for the clients' allocations (about half of each handshake's), which
// makes each cycle's marking of 10,000 loaded objects twice as frequent
// as it would be in a server. See docs/performance.md.
func BenchmarkServerHandshake(b *testing.B) {
	dir := benchPKI(b)
	server := filepath.Join(dir, "server")
	caPool := benchPool(b, filepath.Join(server, "ca-cert.pem"))
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,verify-peer=on,dir=" + server)
	if err != nil {
		b.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	base := &tls.Config{SessionTicketsDisabled: true, MinVersion: tls.VersionTLS13}
	factory, err := creds.ServerConfig(src, creds.ServerOptions{Base: base, Time: benchClock})
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
	// The two configs hold the same memory, so they can share a process:
	// served in turn, a handshake each, they see the same moments of the
	// machine, which separate runs of a second each do not.
	b.Run("factory+static", func(b *testing.B) {
		serveBench(b, dir, "", benchOrder([]namedConfig{{"factory", factory}, {"static", static}})...)
	})
	// 10,000 loaded objects load the collector for everything in their
	// process, so the SNI cases run separately.
	for _, n := range benchOrder([]int{1, 10000}) {
		b.Run(fmt.Sprintf("sni-objects=%d", n), func(b *testing.B) {
			srcs := benchSources(b, server, n)
			sni, _ := sniEntries(srcs)
			cfg, err := creds.ServerConfig(srcs[0], creds.ServerOptions{Base: base, Time: benchClock, SNI: sni, StrictSNI: true})
			if err != nil {
				b.Fatal(err)
			}
			serveBench(b, dir, strconv.Itoa(n), namedConfig{"sni", cfg})
		})
	}
}

type namedConfig struct {
	name string
	cfg  *tls.Config
}

// serveBench serves full handshakes to a client process started for the
// purpose (names as runPeerClient takes them) and reports handshakes/s.
// With several configs it serves them in turn, a handshake each, and also
// reports each one's mean time per handshake as NAME-µs/handshake (accept
// and handshake, timed around each).
func serveBench(b *testing.B, dir, names string, cfgs ...namedConfig) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envPeerAddr+"="+ln.Addr().String(), envPeerDir+"="+dir, envPeerNames+"="+names)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		ln.Close()
		select {
		case err := <-done:
			if err != nil {
				b.Errorf("client process: %v", err)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			b.Error("client process did not stop")
		}
	}()
	serve := func(cfg *tls.Config) error {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		return tls.Server(conn, cfg).Handshake()
	}
	// A handshake with each before timing: the client process has
	// started and both sides have warmed up.
	for _, c := range cfgs {
		if err := serve(c.cfg); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
	}
	runtime.GC()
	spent := make([]time.Duration, len(cfgs))
	served := make([]int, len(cfgs))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(cfgs)
		start := time.Now()
		if err := serve(cfgs[k].cfg); err != nil {
			b.Fatalf("%s: %v", cfgs[k].name, err)
		}
		spent[k] += time.Since(start)
		served[k]++
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
	if len(cfgs) > 1 {
		for k, c := range cfgs {
			if served[k] > 0 {
				b.ReportMetric(float64(spent[k].Microseconds())/float64(served[k]), c.name+"-µs/handshake")
			}
		}
	}
}

func loadPool(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s: no certificates", file)
	}
	return pool, nil
}
