package lint_test

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
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
//
// unique-ca gives every directory its own root (and intermediate);
// shared-ca is a fleet's tree, one root per key type and one intermediate
// under it shared by every directory, a unique leaf each. Beside each,
// floor is the naive floor's work on the same tree, in-process: the side
// by side ratio of dirs/s without process start or output.
func BenchmarkLintTree1000(b *testing.B) {
	const n = 1000
	for _, shared := range []bool{false, true} {
		name := "unique-ca"
		if shared {
			name = "shared-ca"
		}
		root := b.TempDir()
		writeBenchTree(b, root, n, shared)
		b.Run(name+"/lint", func(b *testing.B) { benchLintTree(b, root, n) })
		b.Run(name+"/floor", func(b *testing.B) { benchFloorTree(b, root, n) })
	}
}

func benchLintTree(b *testing.B, root string, n int) {
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

// benchFloorTree does what cmd/tlscreds-bench/floor does, on all cores:
// read ca-cert.pem and server-cert.pem, parse them, and verify each
// signature from the leaf up to a self-issued certificate, naively (every
// directory's CAs parsed and verified again).
func benchFloorTree(b *testing.B, root string, n int) {
	entries, err := os.ReadDir(root)
	if err != nil {
		b.Fatal(err)
	}
	if len(entries) != n {
		b.Fatalf("%d entries, want %d", len(entries), n)
	}
	for b.Loop() {
		dirs := make(chan string)
		errs := make(chan error, runtime.GOMAXPROCS(0))
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for d := range dirs {
					if err := floorVerifyDir(d); err != nil {
						errs <- err
						for range dirs {
						}
						return
					}
				}
			}()
		}
		for _, e := range entries {
			dirs <- filepath.Join(root, e.Name())
		}
		close(dirs)
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "dirs/s")
}

func floorVerifyDir(dir string) error {
	var files [2][]*x509.Certificate
	for i, name := range []string{"ca-cert.pem", "server-cert.pem"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		for {
			var blk *pem.Block
			if blk, data = pem.Decode(data); blk == nil {
				break
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", dir, name, err)
			}
			files[i] = append(files[i], c)
		}
	}
	cas, chain := files[0], files[1]
	pool := append(append([]*x509.Certificate{}, chain[1:]...), cas...)
	x := chain[0]
	for range len(pool) + 1 {
		if bytes.Equal(x.RawIssuer, x.RawSubject) {
			return nil
		}
		var issuer *x509.Certificate
		for _, c := range pool {
			if c != x && bytes.Equal(x.RawIssuer, c.RawSubject) {
				issuer = c
				break
			}
		}
		if issuer == nil {
			return fmt.Errorf("%s: no issuer for %q", dir, x.Subject)
		}
		if err := issuer.CheckSignature(x.SignatureAlgorithm, x.RawTBSCertificate, x.Signature); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		x = issuer
	}
	return fmt.Errorf("%s: issuer loop", dir)
}

// writeBenchTree writes n server directories below root. A few keys per
// type and role are shared (RSA key generation would dominate). Every
// certificate is distinct, unless shared: then every directory of a key
// type has the same root and intermediate (a fleet's tree).
func writeBenchTree(b *testing.B, root string, n int, shared bool) {
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
	fleet := map[fixtures.KeyType][2]*fixtures.Cert{}
	if shared {
		for _, kt := range kts {
			ca, err := benchGen.Root(fixtures.Spec{Key: keys[kt][0], CommonName: "fleet " + string(kt) + " CA"})
			if err != nil {
				b.Fatal(err)
			}
			inter, err := benchGen.Intermediate(ca, fixtures.Spec{Key: keys[kt][1], CommonName: "fleet " + string(kt) + " intermediate CA"})
			if err != nil {
				b.Fatal(err)
			}
			fleet[kt] = [2]*fixtures.Cert{ca, inter}
		}
	}
	write := func(i int) error {
		kt := kts[i%len(kts)]
		name := fmt.Sprintf("dir-%04d", i)
		ca, inter := fleet[kt][0], fleet[kt][1]
		var err error
		if !shared {
			if ca, err = benchGen.Root(fixtures.Spec{Key: keys[kt][0], CommonName: name + " CA"}); err != nil {
				return err
			}
		}
		d := fixtures.Dir{CA: []*x509.Certificate{ca.Cert}}
		issuer := ca
		if i%4 == 3 {
			if !shared {
				if inter, err = benchGen.Intermediate(ca, fixtures.Spec{Key: keys[kt][1], CommonName: name + " intermediate CA"}); err != nil {
					return err
				}
			}
			issuer = inter
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
