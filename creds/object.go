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
}

// Identity is a certificate chain with its private key.
type Identity struct {
	CertFile, KeyFile string
	// Chain is the certificate file's content: the leaf, then the
	// intermediates the file holds.
	Chain   []*x509.Certificate
	Key     crypto.Signer
	KeyInfo privkey.Info
	// TLS is the identity ready for crypto/tls, with Leaf set.
	TLS tls.Certificate
}

// Leaf is the identity's end-entity certificate.
func (id *Identity) Leaf() *x509.Certificate { return id.Chain[0] }

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

func newIdentity(certFile, keyFile string, chain []*x509.Certificate, key crypto.Signer, info privkey.Info) *Identity {
	raw := make([][]byte, len(chain))
	for i, c := range chain {
		raw[i] = c.Raw
	}
	return &Identity{
		CertFile: certFile, KeyFile: keyFile, Chain: chain, Key: key, KeyInfo: info,
		TLS: tls.Certificate{Certificate: raw, PrivateKey: key, Leaf: chain[0]},
	}
}
