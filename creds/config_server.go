package creds

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ClientAuth is how a server config treats client certificates.
type ClientAuth int

const (
	// ClientAuthFromObject follows the object's verify-peer: on requires
	// a client certificate, off requests one (see [ServerConfig]).
	ClientAuthFromObject ClientAuth = iota
	// ClientAuthNone does not ask for a client certificate.
	ClientAuthNone
	// ClientAuthRequest asks for a client certificate and accepts a
	// client without one; a certificate that is sent must verify.
	ClientAuthRequest
	// ClientAuthRequire refuses clients without a valid certificate.
	ClientAuthRequire
)

func (a ClientAuth) String() string {
	switch a {
	case ClientAuthFromObject:
		return "from-object"
	case ClientAuthNone:
		return "none"
	case ClientAuthRequest:
		return "request"
	case ClientAuthRequire:
		return "require"
	}
	return fmt.Sprintf("ClientAuth(%d)", int(a))
}

// ServerOptions are one server endpoint's policy over a credential object.
type ServerOptions struct {
	// Base is cloned for every config built and never modified (nil: an
	// empty config). The factory owns Certificates, GetCertificate,
	// GetConfigForClient, ClientAuth and ClientCAs, and, when the object
	// sets priority=, MinVersion, MaxVersion, CipherSuites and
	// CurvePreferences. A VerifyConnection in Base still runs, after the
	// revocation check and before Authorize.
	Base *tls.Config
	// ClientAuth overrides the object's verify-peer.
	ClientAuth ClientAuth
	// Time is the clock for verifying client certificates (nil: the
	// current time). Tests set it to fixtures.TestClock.
	Time func() time.Time
	// Authorize, when set, runs on every connection, resumed ones
	// included, after the certificate checks; its error fails the
	// handshake and the client sees alert bad_certificate. It sees the
	// verified chains in ConnectionState.VerifiedChains (none when the
	// client sent no certificate and ClientAuth allows that).
	Authorize func(tls.ConnectionState) error

	// SNI lists further sources the endpoint serves, each chosen by the
	// server name a client sends; src stays the default, served to
	// clients that send no name or a name nothing else claims. An entry
	// for src itself only adds explicit names. See [ServerConfig].
	SNI []SNI
	// StrictSNI refuses a client whose server name no source claims, or
	// that sends none, with alert unrecognized_name instead of serving
	// the default. It applies with or without SNI entries.
	StrictSNI bool

	// Pins, when set, require the client's certificate to match one of
	// them (see [ParsePin]), on every connection, resumed ones included.
	// An empty set refuses every client. A client without a certificate
	// is refused, whatever ClientAuth says; ClientAuthNone with pins is
	// an error.
	Pins *PinSet
	// PinsOnly authenticates clients by the pins alone: any certificate
	// is requested (tls.RequireAnyClientCert), no CA list is sent, and
	// the object's CA and CRL are not consulted. Without PinsOnly a
	// client must pass the CA check and match a pin.
	PinsOnly bool
}

// ServerConfig returns a server config over the object src holds, for a
// long-lived listener: every handshake uses the snapshot current at that
// moment, so a [Source.Reload] reaches connections accepted afterwards
// without a new config. The config for a snapshot is built once and kept
// until the snapshot changes.
//
// The object must be a tls-creds-x509 with endpoint=server (else an error
// wrapping [ErrWrongEndpoint] or [ErrUnsupportedKind]). Its priority=
// string is mapped with [ParsePriority], and a string that cannot be
// mapped is an error.
//
// Every identity of the object goes into Certificates, and crypto/tls
// picks the first one the client supports (by SNI and key type), as GnuTLS
// does for QEMU's numbered identities.
//
// Client certificates, with [ClientAuthFromObject]:
//   - verify-peer=on: a client certificate signed by the object's CA is
//     required (tls.RequireAndVerifyClientCert).
//   - verify-peer=off: a client certificate is requested, and a client
//     without one is accepted (tls.VerifyClientCertIfGiven). QEMU, which
//     also always requests one (GNUTLS_CERT_REQUEST), then checks nothing;
//     this config is stricter: a certificate that is sent must chain to
//     the object's CA and must not be revoked.
//
// When the object has a CRL (ca-crl.pem), every verified client chain is
// checked against it on every connection, resumed ones included; a
// revoked certificate fails the handshake with an error wrapping
// [ErrRevoked].
//
// With o.SNI or o.StrictSNI, the certificate is chosen per handshake by
// the client's server name (lower-cased, without a trailing dot): an
// explicit name of an SNI entry, then a DNS SAN of a source's certificates
// (src's first, then the entries' in order; IP SANs never, as SNI carries
// no addresses), each tried exactly and then as a one-label wildcard
// ("*.example.com" for "x.example.com"), then src, or, with StrictSNI, no
// certificate at all: the client gets alert unrecognized_name. The choice
// costs a map lookup whatever the number of sources. Client certificates
// are verified against src's CA (and CRL) whichever certificate is
// served.
//
// Pins (o.Pins, o.PinsOnly) are checked in VerifyConnection after the
// CRL, so they hold on resumed connections too; a failure wraps
// [ErrNotPinned].
func ServerConfig(src *Source, o ServerOptions) (*tls.Config, error) {
	sp := src.Spec()
	if err := checkUsable(sp, EndpointServer); err != nil {
		return nil, err
	}
	tmpl, err := baseConfig(sp, o.Base, o.Time)
	if err != nil {
		return nil, err
	}
	b := &serverBuilder{
		tmpl:       tmpl,
		clientAuth: o.ClientAuth.tls(sp.VerifyPeer),
		authorize:  o.Authorize,
		pins:       o.Pins,
		pinsOnly:   o.PinsOnly,
	}
	switch {
	case o.PinsOnly && o.Pins == nil:
		return nil, fmt.Errorf("creds: object %s: PinsOnly without Pins would accept any client certificate", sp.ID)
	case o.PinsOnly:
		b.clientAuth = tls.RequireAnyClientCert
	case o.Pins != nil && b.clientAuth == tls.NoClientCert:
		return nil, fmt.Errorf("creds: object %s: client pins need a client certificate, and ClientAuthNone asks for none", sp.ID)
	}
	if len(o.SNI) > 0 || o.StrictSNI {
		if b.sni, err = newSNISelector(src, o.SNI, o.StrictSNI); err != nil {
			return nil, err
		}
	}
	outer := tmpl.Clone()
	// The outer config only routes to the inner one; it carries
	// ClientAuth for callers who inspect it.
	outer.ClientAuth = b.clientAuth
	outer.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return b.config(src.Current()), nil
	}
	return outer, nil
}

func (a ClientAuth) tls(verifyPeer bool) tls.ClientAuthType {
	switch a {
	case ClientAuthNone:
		return tls.NoClientCert
	case ClientAuthRequest:
		return tls.VerifyClientCertIfGiven
	case ClientAuthRequire:
		return tls.RequireAndVerifyClientCert
	}
	if verifyPeer {
		return tls.RequireAndVerifyClientCert
	}
	return tls.VerifyClientCertIfGiven
}

// serverBuilder makes the config of each snapshot and caches the last one.
type serverBuilder struct {
	tmpl       *tls.Config // Base with priority and Time applied; never modified
	clientAuth tls.ClientAuthType
	authorize  func(tls.ConnectionState) error
	sni        *sniSelector // nil: serve the object's identities
	pins       *PinSet
	pinsOnly   bool
	cache      atomic.Pointer[serverSnapshotConfig]
}

type serverSnapshotConfig struct {
	obj *Object
	cfg *tls.Config
}

// config returns the config for obj, building it on the first handshake
// after a reload. Two handshakes racing on a new snapshot may both build
// it; either result is correct.
func (b *serverBuilder) config(obj *Object) *tls.Config {
	if c := b.cache.Load(); c != nil && c.obj == obj {
		return c.cfg
	}
	cfg := b.build(obj)
	b.cache.Store(&serverSnapshotConfig{obj: obj, cfg: cfg})
	return cfg
}

func (b *serverBuilder) build(obj *Object) *tls.Config {
	// Session tickets stay valid across snapshots: crypto/tls encrypts
	// them with the outer config's keys, and on resumption re-checks the
	// client's chain against the current ClientCAs.
	cfg := b.tmpl.Clone()
	cfg.GetConfigForClient = nil
	cfg.GetCertificate = nil
	if b.sni != nil {
		// crypto/tls consults GetCertificate only when Certificates is empty
		// or the client sent a name; keep it empty so it always decides.
		cfg.Certificates = nil
		cfg.GetCertificate = b.sni.certificate
	} else {
		cfg.Certificates = make([]tls.Certificate, len(obj.Identities))
		for i, id := range obj.Identities {
			cfg.Certificates[i] = id.TLS
		}
	}
	cfg.ClientAuth = b.clientAuth
	cfg.ClientCAs = nil
	if b.clientAuth != tls.NoClientCert && !b.pinsOnly {
		// No CA list for pins only: it would mislead clients into
		// picking a certificate by issuer.
		cfg.ClientCAs = obj.CAPool
	}
	rv := newRevocation(obj)
	if b.clientAuth == tls.NoClientCert || b.pinsOnly {
		rv = nil
	}
	baseVerify, authorize, pins, now := cfg.VerifyConnection, b.authorize, b.pins, cfg.Time
	if rv == nil && baseVerify == nil && authorize == nil && pins == nil {
		cfg.VerifyConnection = nil
		return cfg
	}
	// VerifyConnection, not VerifyPeerCertificate: crypto/tls skips
	// VerifyPeerCertificate on resumed connections, so a client revoked
	// after its first connection could resume its session unchecked.
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if rv != nil {
			t := time.Now()
			if now != nil {
				t = now()
			}
			if err := rv.check(cs.VerifiedChains, t); err != nil {
				return err
			}
		}
		if pins != nil {
			if err := pins.Pins().check(cs); err != nil {
				return fmt.Errorf("creds: object %s: client certificate refused: %w", obj.ID(), err)
			}
		}
		if baseVerify != nil {
			if err := baseVerify(cs); err != nil {
				return err
			}
		}
		if authorize != nil {
			return authorize(cs)
		}
		return nil
	}
	return cfg
}

// ServerConfig is [ServerConfig] over the registry's object id.
func (r *Registry) ServerConfig(id string, o ServerOptions) (*tls.Config, error) {
	src, err := r.Get(id)
	if err != nil {
		return nil, err
	}
	return ServerConfig(src, o)
}

// baseConfig clones base and applies what the object and the options
// impose on every config made from it.
func baseConfig(sp *Spec, base *tls.Config, now func() time.Time) (*tls.Config, error) {
	cfg := &tls.Config{}
	if base != nil {
		cfg = base.Clone()
	}
	if sp.IsSet("priority") {
		p, err := ParsePriority(sp.Priority)
		if err != nil {
			return nil, fmt.Errorf("creds: object %s: %w", sp.ID, err)
		}
		p.Apply(cfg)
	}
	if now != nil {
		cfg.Time = now
	}
	return cfg, nil
}

// Errors for errors.Is on the factories' errors.
var (
	// ErrWrongEndpoint: a server config over an endpoint=client object,
	// or the reverse. The error is an *[EndpointError].
	ErrWrongEndpoint = errors.New("wrong endpoint")
	// ErrUnsupportedKind: a config over a tls-creds-anon or
	// tls-creds-psk object. The error is an *[UnsupportedError].
	ErrUnsupportedKind = errors.New("credentials type not supported by crypto/tls")
)

// EndpointError reports an object whose endpoint= does not match the
// config asked for.
type EndpointError struct {
	ID   string
	Want Endpoint // what the factory needs
	Have Endpoint // the object's endpoint
}

func (e *EndpointError) Error() string {
	// QEMU's own text (qemu:crypto/tlscreds.c qcrypto_tls_creds_check_endpoint).
	return fmt.Sprintf("creds: object %s has endpoint=%s, a %s config needs endpoint=%s (QEMU: \"Expected TLS credentials for a %s endpoint\")",
		e.ID, e.Have, e.Want, e.Want, e.Want)
}

// Is makes errors.Is(err, ErrWrongEndpoint) true.
func (e *EndpointError) Is(target error) bool { return target == ErrWrongEndpoint }

// UnsupportedError reports a tls-creds-anon or tls-creds-psk object, which
// loads but cannot make a Go TLS endpoint.
type UnsupportedError struct {
	ID   string
	Kind Kind
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("creds: object %s is a %s: Go's crypto/tls has no anonymous, DHE or external-PSK cipher suites, "+
		"so no Go TLS endpoint can use it; use a tls-creds-x509 object instead (`tlscreds gen pki --out DIR` makes one for the server and one for the client)",
		e.ID, e.Kind)
}

// Is makes errors.Is(err, ErrUnsupportedKind) true.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupportedKind }

// checkUsable refuses objects a want-side Go endpoint cannot use.
func checkUsable(sp *Spec, want Endpoint) error {
	if sp.Kind != KindX509 {
		return &UnsupportedError{ID: sp.ID, Kind: sp.Kind}
	}
	if sp.Endpoint != want {
		return &EndpointError{ID: sp.ID, Want: want, Have: sp.Endpoint}
	}
	return nil
}
