package diagnose_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint/diagnose"
)

func ExampleExplain() {
	for _, e := range diagnose.Explain("error:0A00045C:SSL routines::tlsv13 alert certificate required") {
		fmt.Println(e.Source, e.Alert.Number, e.Alert.Name, e.Causes)
	}
	// Output:
	// OpenSSL 116 certificate_required [handshake-client-cert-required handshake-client-cert-rejected]
}

// A client object without a certificate, against a server that requires
// one (verify-peer=on, QEMU's default).
func ExamplePair() {
	dir, _ := os.MkdirTemp("", "pair")
	defer os.RemoveAll(dir)
	p, _ := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	_, _ = p.ServerDir().Write(filepath.Join(dir, "server"), layout.QEMU, false)
	_, _ = fixtures.Dir{CA: p.CABundle()}.Write(filepath.Join(dir, "client"), layout.QEMU, false)

	load := func(spec string) *creds.Source {
		sp, _, _ := creds.ParseSpec(spec)
		src, err := creds.NewSource(sp, creds.LoadOptions{})
		if err != nil {
			panic(err)
		}
		return src
	}
	srv := load("tls-creds-x509,id=srv,endpoint=server,dir=" + filepath.Join(dir, "server"))
	cli := load("tls-creds-x509,id=cli,endpoint=client,dir=" + filepath.Join(dir, "client"))
	clock := func() time.Time { return fixtures.TestClock }
	for _, r := range diagnose.Pair(srv, cli, "localhost", diagnose.PairOptions{Time: clock}) {
		fmt.Println(r.Version, r.OK, r.Findings[0].Rule, r.Findings[0].Subject)
	}
	// Output:
	// TLS 1.2 false handshake-client-cert-required client
	// TLS 1.3 false handshake-client-cert-required client
}

func ExampleProbe() {
	// A port nobody listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()

	r := diagnose.Probe(context.Background(), addr, diagnose.ProbeOptions{Timeout: 5 * time.Second})
	for _, f := range diagnose.Diagnose(r) {
		fmt.Println(r.Stage, f.Rule, f.Severity)
	}
	// Output:
	// connect handshake-refused error
}

// The trust matrix of a manifest: a server endpoint and two clients, one
// whose CA the server does not know.
func ExamplePairMatrix() {
	dir, _ := os.MkdirTemp("", "matrix")
	defer os.RemoveAll(dir)
	g := fixtures.New(fixtures.TestClock)
	p, _ := g.PKI(fixtures.PKIOptions{})
	other, _ := g.PKI(fixtures.PKIOptions{})
	_, _ = p.ServerDir().Write(filepath.Join(dir, "server"), layout.QEMU, false)
	_, _ = p.ClientDir(0).Write(filepath.Join(dir, "alice"), layout.QEMU, false)
	_, _ = other.ClientDir(0).Write(filepath.Join(dir, "mallory"), layout.QEMU, false)
	path := filepath.Join(dir, "manifest.yaml")
	_ = os.WriteFile(path, []byte(`objects:
  - {id: srv, endpoint: server, dir: server}
  - {id: a, endpoint: client, dir: alice}
  - {id: m, endpoint: client, dir: mallory}
endpoints:
  - {name: nbd, role: server, objects: [srv], hosts: [localhost]}
  - {name: alice, role: client, objects: [a], server: nbd}
  - {name: mallory, role: client, objects: [m], server: nbd}
`), 0o644)

	m, err := manifest.Load(path)
	if err != nil {
		panic(err)
	}
	pm, err := diagnose.NewPairMatrix(m, diagnose.PairOptions{Time: func() time.Time { return fixtures.TestClock }})
	if err != nil {
		panic(err)
	}
	err = pm.Run(func(i, j int, e diagnose.PairEdge) error {
		verdict := "ok"
		if !e.OK {
			verdict = "FAIL " + e.Cause
		}
		fmt.Println(pm.Clients[i], "→", pm.Servers[j], verdict)
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// alice → nbd ok
	// mallory → nbd FAIL handshake-unknown-ca
}
