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
