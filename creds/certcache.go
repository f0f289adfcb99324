package creds

import (
	"crypto/x509"
	"slices"
	"sync"
)

// A fleet's credential directories share their CAs: a tree of 10,000
// directories under one root and a few intermediates holds the same CA
// certificates 10,000 times. parseCert parses each distinct CA
// certificate once per process and hands out the same
// *x509.Certificate (which crypto/x509 and crypto/tls never modify), so
// a linter also verifies a signature between two such certificates once
// (see lint's signature check) and a server with thousands of objects
// holds one copy. Leaves are not kept: they are unique, and keeping them
// would make memory grow with the number of directories.
//
// The cache is bounded: when it holds certCacheMaxBytes of DER or
// certCacheMaxEntries certificates it is emptied and starts again, so a
// tree with a unique CA per directory costs a map lookup per certificate
// and no memory that grows with the tree.
var (
	certCacheMaxEntries = 256 // a variable for the tests
	certCacheMaxBytes   = 1 << 20
)

var certCache struct {
	sync.Mutex
	m     map[string]*x509.Certificate
	bytes int
}

// parseCert is x509.ParseCertificate, returning the same certificate
// for the same DER when it is a CA certificate.
func parseCert(der []byte) (*x509.Certificate, error) {
	certCache.Lock()
	c, ok := certCache.m[string(der)]
	certCache.Unlock()
	if ok {
		return c, nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil || !c.IsCA {
		return c, err
	}
	certCache.Lock()
	defer certCache.Unlock()
	if prev, ok := certCache.m[string(der)]; ok {
		return prev, nil // parsed meanwhile by another goroutine
	}
	if certCache.m == nil || len(certCache.m) >= certCacheMaxEntries || certCache.bytes+len(der) > certCacheMaxBytes {
		certCache.m, certCache.bytes = map[string]*x509.Certificate{}, 0
	}
	certCache.m[string(der)] = c
	certCache.bytes += len(der)
	return c, nil
}

// bundleCache maps the bytes of CA files made only of CA certificates to
// their parse, so an identical CA bundle costs one PEM decoding per
// process; bounded as certCache is.
const (
	bundleCacheMaxEntries = 128
	bundleCacheMaxBytes   = 1 << 20
)

var bundleCache struct {
	sync.Mutex
	m     map[string]parsedBundle
	bytes int
}

type parsedBundle struct {
	certs []*x509.Certificate
	notes []string
}

// parseCABundle is parseCertBundle for a CA file. The slice returned is
// the caller's own; the certificates are shared.
func parseCABundle(data []byte) ([]*x509.Certificate, []string, error) {
	bundleCache.Lock()
	b, ok := bundleCache.m[string(data)]
	bundleCache.Unlock()
	if ok {
		return slices.Clone(b.certs), slices.Clone(b.notes), nil
	}
	certs, notes, err := parseCertBundle(data)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range certs {
		if !c.IsCA {
			return certs, notes, nil
		}
	}
	bundleCache.Lock()
	defer bundleCache.Unlock()
	if bundleCache.m == nil || len(bundleCache.m) >= bundleCacheMaxEntries || bundleCache.bytes+len(data) > bundleCacheMaxBytes {
		bundleCache.m, bundleCache.bytes = map[string]parsedBundle{}, 0
	}
	bundleCache.m[string(data)] = parsedBundle{slices.Clone(certs), slices.Clone(notes)}
	bundleCache.bytes += len(data)
	return certs, notes, nil
}
