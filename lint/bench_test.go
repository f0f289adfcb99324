package lint_test

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

var benchGen = fixtures.New(fixtures.TestClock)

// BenchmarkLintOneDir lints one QEMU server directory per key type, as
// `tlscreds lint DIR` does without the process start and the report:
// detect the layout, read and parse the files, run every rule.
func BenchmarkLintOneDir(b *testing.B) {
	for _, kt := range []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048} {
		b.Run(string(kt), func(b *testing.B) {
			p, err := benchGen.PKI(fixtures.PKIOptions{KeyType: kt})
			if err != nil {
				b.Fatal(err)
			}
			dir := b.TempDir()
			if _, err := p.ServerDir().Write(dir, layout.QEMU, true); err != nil {
				b.Fatal(err)
			}
			o := lint.Options{Now: fixtures.TestClock}
			for b.Loop() {
				t, err := lint.DirTarget("dir1", dir, "")
				if err != nil {
					b.Fatal(err)
				}
				if r := lint.Check(t, o); r.Status == "error" {
					b.Fatalf("the benchmark directory has errors: %+v", r.Findings)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "dirs/s")
		})
	}
}

// BenchmarkLintTree1000 lints a tree of 1,000 server directories (ECDSA
// P-256 and RSA-2048 alternating, every fourth with an intermediate CA)
// as `tlscreds lint -r` does, on all cores, discarding the results. This
// is the benchmark to profile when the harness (cmd/tlscreds-bench) shows
// lint far from its floor:
//
//	go test -run '^$' -bench LintTree1000 -cpuprofile cpu.out ./lint
//	go tool pprof -top lint.test cpu.out
func BenchmarkLintTree1000(b *testing.B) {
	const n = 1000
	root := b.TempDir()
	writeBenchTree(b, root, n)
	o := lint.Options{Now: fixtures.TestClock}
	for b.Loop() {
		targets := make(chan lint.Target)
		walkErr := make(chan error, 1)
		go func() {
			defer close(targets)
			walkErr <- lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil })
		}()
		got := 0
		err := lint.CheckAll(targets, o, func(r lint.Result) error {
			got++
			if r.Status == "error" {
				return fmt.Errorf("%s: %+v", r.Path, r.Findings)
			}
			return nil
		})
		if err == nil {
			err = <-walkErr
		}
		if err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("linted %d dirs, want %d", got, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "dirs/s")
}

// writeBenchTree writes n server directories below root. A few keys per
// type and role are shared (RSA key generation would dominate), while
// every certificate is distinct.
func writeBenchTree(b *testing.B, root string, n int) {
	b.Helper()
	kts := []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048}
	keys := map[fixtures.KeyType][3]crypto.Signer{}
	for _, kt := range kts {
		var ks [3]crypto.Signer
		for i := range ks {
			k, err := fixtures.NewKey(kt)
			if err != nil {
				b.Fatal(err)
			}
			ks[i] = k
		}
		keys[kt] = ks
	}
	write := func(i int) error {
		kt := kts[i%len(kts)]
		name := fmt.Sprintf("dir-%04d", i)
		ca, err := benchGen.Root(fixtures.Spec{Key: keys[kt][0], CommonName: name + " CA"})
		if err != nil {
			return err
		}
		d := fixtures.Dir{CA: []*x509.Certificate{ca.Cert}}
		issuer := ca
		if i%4 == 3 {
			if issuer, err = benchGen.Intermediate(ca, fixtures.Spec{Key: keys[kt][1], CommonName: name + " intermediate CA"}); err != nil {
				return err
			}
			d.CA = append(d.CA, issuer.Cert)
		}
		if d.Server, err = benchGen.Server(issuer, fixtures.Spec{Key: keys[kt][2],
			DNSNames: []string{name + ".bench.example"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}); err != nil {
			return err
		}
		_, err = d.Write(filepath.Join(root, name), layout.QEMU, true)
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	const workers = 4
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				errs[i] = write(i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}
