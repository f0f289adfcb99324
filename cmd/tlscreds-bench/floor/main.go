// Command floor is the lower bound tlscreds lint is measured against: it
// walks a tree of QEMU credential directories and, on all cores, only
// reads ca-cert.pem and server-cert.pem, parses the certificates and
// verifies each signature from the leaf up to the self-issued root. It
// parses no private key and checks nothing else, so no linter that checks
// signatures can be faster.
//
// Usage: floor TREE. It prints how many directories verified and exits 1
// when any did not.
package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: floor TREE")
		return 2
	}
	dirs := make(chan string, 64)
	var walkErr error
	go func() {
		defer close(dirs)
		walkErr = filepath.WalkDir(args[1], func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				dirs <- path
			}
			return nil
		})
	}()
	var verified, failed atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range dirs {
				switch err := verifyDir(dir); {
				case errors.Is(err, fs.ErrNotExist):
					// not a credential directory
				case err != nil:
					failed.Add(1)
					fmt.Fprintf(stderr, "floor: %s: %v\n", dir, err)
				default:
					verified.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if walkErr != nil {
		fmt.Fprintf(stderr, "floor: %v\n", walkErr)
		return 2
	}
	fmt.Fprintf(stdout, "%d dirs verified, %d failed\n", verified.Load(), failed.Load())
	if failed.Load() > 0 {
		return 1
	}
	return 0
}

// verifyDir checks that server-cert.pem chains to a self-issued
// certificate through itself and ca-cert.pem, every signature verifying.
func verifyDir(dir string) error {
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca-cert.pem"))
	if err != nil {
		return err
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, "server-cert.pem"))
	if err != nil {
		return err
	}
	cas, err := parsePEM(caPEM)
	if err != nil {
		return fmt.Errorf("ca-cert.pem: %w", err)
	}
	chain, err := parsePEM(certPEM)
	if err != nil {
		return fmt.Errorf("server-cert.pem: %w", err)
	}
	if len(chain) == 0 || len(cas) == 0 {
		return errors.New("no certificate")
	}
	pool := append(append([]*x509.Certificate{}, chain[1:]...), cas...)
	x := chain[0]
	for range len(pool) + 1 {
		if bytes.Equal(x.RawIssuer, x.RawSubject) {
			return nil
		}
		issuer := findIssuer(x, pool)
		if issuer == nil {
			return fmt.Errorf("no issuer for %q", x.Subject)
		}
		if err := issuer.CheckSignature(x.SignatureAlgorithm, x.RawTBSCertificate, x.Signature); err != nil {
			return fmt.Errorf("signature of %q: %w", x.Subject, err)
		}
		x = issuer
	}
	return errors.New("issuer loop")
}

func findIssuer(x *x509.Certificate, pool []*x509.Certificate) *x509.Certificate {
	for _, c := range pool {
		if c != x && bytes.Equal(x.RawIssuer, c.RawSubject) {
			return c
		}
	}
	return nil
}

func parsePEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return certs, nil
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
}
