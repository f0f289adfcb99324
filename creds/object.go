package creds

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// Object is one loaded credential object: an immutable snapshot of its
// files, parsed and checked. Nothing in it is modified after [Load]
// returns it, so it may be shared by any number of goroutines.
type Object struct {
	Spec   *Spec
	Layout layout.Name
	// CA is the CA bundle in file order; CAPool holds the same
	// certificates for verification. Both are empty for anon and psk.
	CA     []*x509.Certificate
	CAPool *x509.CertPool
	CAFile string
	// CRL is the server's revocation list, nil when there is none.
	CRL     *x509.RevocationList
	CRLFile string
	// Identities are the object's certificates and keys, the base
	// identity first, then server-cert-0.pem ... in order.
	Identities []*Identity
	DH         *DHParams
	PSK        *PSKFile
	// Material summarises what the object was built from: its spec,
	// layout and content digest. The files themselves are not kept (a
	// server may hold thousands of objects); [Read] the spec again to see
	// them.
	Material *Material
	LoadedAt time.Time

	// inline holds what Material and Identities point to in the common
	// case of one identity, so that a loaded object is one allocation
	// instead of five: a server selecting among thousands of objects by
	// SNI has the collector mark every one of them on each cycle.
	inline struct {
		material   Material
		identities [1]*Identity
		identity   Identity
	}
}

// Identity is a certificate chain with its private key.
//
// An identity keeps its certificates as DER (in TLS.Certificate), not
// parsed: a parsed certificate is about 3 KiB in some 35 allocations, and
// a server selecting among thousands of objects by SNI would have the
// garbage collector mark all of them on every cycle. [Identity.Chain]
// parses them when asked. TLS.Leaf is set where crypto/tls would otherwise
// parse the leaf on every handshake: for client objects
// (CertificateRequestInfo.SupportsCertificate) and for server objects with
// more than one identity (ClientHelloInfo.SupportsCertificate).
type Identity struct {
	CertFile, KeyFile string
	Key               crypto.Signer
	KeyInfo           privkey.Info
	// TLS is the identity ready for crypto/tls: the certificate file's
	// content as DER (the leaf, then the intermediates the file holds) and
	// the key.
	TLS tls.Certificate
	// dnsNames are the leaf's DNS SANs, for SNI.
	dnsNames []string
	// chain backs TLS.Certificate for a leaf and one intermediate.
	chain [2][]byte
}

// Chain parses the certificate file's content: the leaf, then the
// intermediates the file holds. Each call parses anew (about 20 µs a
// certificate), so a caller that needs the chain repeatedly should keep
// it. The certificates parsed when the object loaded, and parsing is
// deterministic, so Chain returns all of them.
func (id *Identity) Chain() []*x509.Certificate {
	chain := make([]*x509.Certificate, 0, len(id.TLS.Certificate))
	for i, der := range id.TLS.Certificate {
		if i == 0 && id.TLS.Leaf != nil {
			chain = append(chain, id.TLS.Leaf)
			continue
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			break // not reached: these bytes parsed at load
		}
		chain = append(chain, c)
	}
	return chain
}

// Leaf is the identity's end-entity certificate (see [Identity.Chain]).
func (id *Identity) Leaf() *x509.Certificate {
	if id.TLS.Leaf != nil {
		return id.TLS.Leaf
	}
	c, err := x509.ParseCertificate(id.TLS.Certificate[0])
	if err != nil {
		return nil // not reached: these bytes parsed at load
	}
	return c
}

// DNSNames are the leaf's DNS subject alternative names.
func (id *Identity) DNSNames() []string { return id.dnsNames }

// Identity returns the base identity, or nil when the object has none (a
// client without a certificate, an anon or psk object).
func (o *Object) Identity() *Identity {
	if len(o.Identities) == 0 {
		return nil
	}
	return o.Identities[0]
}

// ID is the object's id.
func (o *Object) ID() string { return o.Spec.ID }

// newIdentity fills id, which must be zero, with a parsed chain;
// keepLeaf keeps the parsed leaf as TLS.Leaf (see [Identity]).
func newIdentity(id *Identity, certFile, keyFile string, chain []*x509.Certificate, key crypto.Signer, info privkey.Info, keepLeaf bool) {
	id.CertFile, id.KeyFile, id.Key, id.KeyInfo = certFile, keyFile, key, info
	raw := id.chain[:0]
	for _, c := range chain {
		raw = append(raw, c.Raw)
	}
	id.TLS = tls.Certificate{Certificate: raw[:len(raw):len(raw)], PrivateKey: key}
	id.dnsNames = chain[0].DNSNames
	if keepLeaf {
		id.TLS.Leaf = chain[0]
	}
}
