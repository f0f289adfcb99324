package creds

import (
	"crypto/sha256"
	"crypto/x509"
	"runtime"
	"sync"
	"weak"
)

// caBundle is a parsed CA file and its pool. Both are immutable once
// made, so objects whose CA files hold the same bytes share one: a server
// with thousands of SNI objects under one CA holds one parsed bundle, not
// thousands (which the garbage collector would mark on every cycle).
type caBundle struct {
	certs []*x509.Certificate
	pool  *x509.CertPool
}

var (
	bundlesMu sync.Mutex
	bundles   = map[[32]byte]weak.Pointer[caBundle]{}
)

// sharedCABundle returns the bundle for a CA file's content, made from
// certs (already parsed from data) when no live object shares it yet.
// Entries go away with the last object that uses them.
func sharedCABundle(data []byte, certs []*x509.Certificate) *caBundle {
	key := sha256.Sum256(data)
	bundlesMu.Lock()
	defer bundlesMu.Unlock()
	if b := bundles[key].Value(); b != nil {
		return b
	}
	b := &caBundle{certs: certs, pool: x509.NewCertPool()}
	for _, c := range certs {
		b.pool.AddCert(c)
	}
	bundles[key] = weak.Make(b)
	runtime.AddCleanup(b, func(k [32]byte) {
		bundlesMu.Lock()
		if bundles[k].Value() == nil {
			delete(bundles, k)
		}
		bundlesMu.Unlock()
	}, key)
	return b
}
