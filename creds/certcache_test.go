package creds

import (
	"crypto/x509"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestSharedCAParsedOnce reads two directories holding the same CA
// bundle and chain: their CA certificates (from the CA file and from the
// certificate file's chain) are the same parsed certificates, and the
// leaves, which a fleet never shares, are parsed anew each time.
func TestSharedCAParsedOnce(t *testing.T) {
	p := testPKI(t) // root, intermediate, server
	d := p.ServerDir()
	a, b := writeDir(t, d, layout.QEMU), writeDir(t, d, layout.QEMU)
	read := func(dir string) *Material {
		m, err := ReadWith(mustSpec(t, "tls-creds-x509,id=o,endpoint=server,dir="+dir), nil, ReadOptions{PublicKeysOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ma, mb := read(a), read(b)
	caA, caB := ma.FileOf(RoleCA).Certs, mb.FileOf(RoleCA).Certs
	if len(caA) != 2 || len(caB) != 2 {
		t.Fatalf("CA files hold %d and %d certificates, want 2", len(caA), len(caB))
	}
	for i := range caA {
		if caA[i] != caB[i] {
			t.Errorf("CA certificate %d parsed twice", i)
		}
	}
	if &caA[0] == &caB[0] {
		t.Error("the two materials share one slice; each must have its own")
	}
	chainA, chainB := ma.FileOf(RoleCert).Certs, mb.FileOf(RoleCert).Certs
	if len(chainA) < 2 || chainA[0] == chainB[0] {
		t.Errorf("leaves: %d certificates, shared leaf %v", len(chainA), chainA[0] == chainB[0])
	}
	if chainA[1] != chainB[1] || chainA[1] != caA[1] {
		t.Error("the intermediate in the certificate file is not the one parsed from the CA file")
	}
}

// TestCertCacheBounded parses more distinct CA certificates than the
// cache holds: it never holds more than its bound.
func TestCertCacheBounded(t *testing.T) {
	setMax := func(n int) (old int) {
		certCache.Lock()
		defer certCache.Unlock()
		old, certCacheMaxEntries = certCacheMaxEntries, n
		return old
	}
	defer setMax(setMax(16))
	g := fixtures.New(fixtures.TestClock)
	key, err := fixtures.NewKey(fixtures.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	root, err := g.Root(fixtures.Spec{Key: key, CommonName: "root"})
	if err != nil {
		t.Fatal(err)
	}
	var first *x509.Certificate
	for i := range 16 + 10 {
		in, err := g.Intermediate(root, fixtures.Spec{Key: key, CommonName: "intermediate"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseCert(in.Cert.Raw)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = c
		}
		certCache.Lock()
		n := len(certCache.m)
		certCache.Unlock()
		if n > 16 {
			t.Fatalf("the cache holds %d certificates, more than 16", n)
		}
	}
	if again, _ := parseCert(first.Raw); again == first {
		t.Error("the first certificate is still cached after the cache filled up")
	}
}
