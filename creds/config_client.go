package creds

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// ClientOptions are one client endpoint's policy over a credential object.
type ClientOptions struct {
	// Base is cloned and never modified (nil: an empty config). The
	// factory owns ServerName, Certificates, GetClientCertificate,
	// RootCAs and InsecureSkipVerify, and, when the object sets
	// priority=, MinVersion, MaxVersion, CipherSuites and
	// CurvePreferences. A VerifyConnection in Base still runs, after the
	// server's certificate is verified and before Authorize.
	Base *tls.Config
	// Time is the clock for verifying the server's certificate (nil: the
	// current time). Tests set it to fixtures.TestClock.
	Time func() time.Time
	// Authorize, when set, runs on every connection, resumed ones
	// included, after the server's certificate is verified, with the
	// verified chains in ConnectionState.VerifiedChains; its error fails
	// the handshake.
	Authorize func(tls.ConnectionState) error
	// SessionCache enables session resumption (nil: Base's, usually
	// none). Give every client identity its own cache: a session made by
	// one identity resumes as that identity.
	SessionCache tls.ClientSessionCache

	// Pins, when set, require the server's certificate to match one of
	// them (see [ParsePin]) on every connection, resumed ones included,
	// in addition to the CA check of verify-peer=on. An empty set
	// refuses every server. A failure wraps [ErrNotPinned].
	Pins *PinSet
	// PinsOnly authenticates the server by the pins alone, even with
	// verify-peer=on: no CA or host name check, so serverName is only
	// sent as SNI. A pin names one certificate or key, which is as
	// strong as a CA check for that one server.
	PinsOnly bool
}

// ClientConfig returns a client config over the object src holds, for
// connections to serverName. Every handshake uses the snapshot current at
// that moment, for the client certificate and for the CA the server's
// certificate is verified against, so a [Source.Reload] reaches the next
// connection without a new config.
//
// The object must be a tls-creds-x509 with endpoint=client (else an error
// wrapping [ErrWrongEndpoint] or [ErrUnsupportedKind]). Its priority=
// string is mapped with [ParsePriority].
//
// With verify-peer=on (QEMU's default), the server's certificate must
// chain to the object's CA (ca-cert.pem) — not to the system roots — and
// be valid for serverName, which is then required. An IP address matches
// only an IP address SAN, never a DNS name or the common name (crypto/x509,
// like GnuTLS). An object without a CA trusts no server.
//
// The verification runs in VerifyConnection against the current snapshot,
// and the config therefore has InsecureSkipVerify set: crypto/tls's own
// check would use a RootCAs fixed when the config was built. The result is
// the same error crypto/tls returns (a *tls.CertificateVerificationError
// wrapping the x509 error), and it runs on resumed connections too.
//
// With verify-peer=off, THE SERVER IS NOT AUTHENTICATED: any certificate
// from anyone is accepted and serverName is only sent as SNI. That is what
// QEMU does for verify-peer=off (qemu:crypto/tlssession.c skips the
// check); it protects against passive eavesdroppers only.
//
// The client's certificate (client-cert.pem) is sent whenever the server
// asks for one, even when it was not issued by a CA the server lists:
// crypto/tls would otherwise withhold it and the server would report a
// missing certificate instead of the real problem. With several
// identities, the first the server supports is sent. A client without a
// certificate sends none.
//
// With o.Pins, the server's certificate must also match a pin; with
// o.PinsOnly (or verify-peer=off) the pins are the only check.
func ClientConfig(src *Source, serverName string, o ClientOptions) (*tls.Config, error) {
	sp := src.Spec()
	if err := checkUsable(sp, EndpointClient); err != nil {
		return nil, err
	}
	if o.PinsOnly && o.Pins == nil {
		return nil, fmt.Errorf("creds: object %s: PinsOnly without Pins would accept any server", sp.ID)
	}
	verifyPeer := sp.VerifyPeer && !o.PinsOnly
	if verifyPeer && serverName == "" {
		// QEMU's own text (qemu:crypto/tlssession.c).
		return nil, fmt.Errorf("creds: object %s has verify-peer=on, so the client needs the server's name to check its certificate (QEMU: \"No hostname for certificate validation\")", sp.ID)
	}
	cfg, err := baseConfig(sp, o.Base, o.Time)
	if err != nil {
		return nil, err
	}
	cfg.ServerName = serverName
	cfg.Certificates = nil
	cfg.GetClientCertificate = func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
		return clientCertificate(src.Current(), cri), nil
	}
	if o.SessionCache != nil {
		cfg.ClientSessionCache = o.SessionCache
	}
	cfg.RootCAs = nil
	cfg.InsecureSkipVerify = true // verification is in VerifyConnection; see the doc comment
	now, pins := cfg.Time, o.Pins
	baseVerify, authorize := cfg.VerifyConnection, o.Authorize
	if !verifyPeer && baseVerify == nil && authorize == nil && pins == nil {
		cfg.VerifyConnection = nil
		return cfg, nil
	}
	// VerifyConnection runs on resumed connections too, unlike
	// VerifyPeerCertificate.
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if verifyPeer {
			t := time.Now()
			if now != nil {
				t = now()
			}
			chains, err := VerifyServer(src.Current().CAPool, cs.PeerCertificates, serverName, t)
			if err != nil {
				return err
			}
			cs.VerifiedChains = chains
		}
		if pins != nil {
			if err := pins.Pins().check(cs); err != nil {
				return fmt.Errorf("creds: object %s: server certificate refused: %w", sp.ID, err)
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
	return cfg, nil
}

// ClientConfig is [ClientConfig] over the registry's object id.
func (r *Registry) ClientConfig(id, serverName string, o ClientOptions) (*tls.Config, error) {
	src, err := r.Get(id)
	if err != nil {
		return nil, err
	}
	return ClientConfig(src, serverName, o)
}

// clientCertificate picks the identity to send: the first one the server
// supports, else the first one, else none. Returning one the server will
// not accept lets the server say why.
func clientCertificate(obj *Object, cri *tls.CertificateRequestInfo) *tls.Certificate {
	if len(obj.Identities) == 0 {
		return &tls.Certificate{} // "send none" (crypto/tls doc)
	}
	for _, id := range obj.Identities {
		if cri.SupportsCertificate(&id.TLS) == nil {
			return &id.TLS
		}
	}
	return &obj.Identities[0].TLS
}

// VerifyServer is the check [ClientConfig] makes of a server's
// certificates with verify-peer=on: what crypto/tls does for a client
// without InsecureSkipVerify, with roots as the only trust anchors (the
// object's CAPool; nil means the system roots), certs[1:] as
// intermediates, serverName, now and the serverAuth key usage. The error
// is the one crypto/tls gives, a *tls.CertificateVerificationError
// wrapping the x509 error. lint/diagnose calls it to explain a failure
// with the verifier that refused.
func VerifyServer(roots *x509.CertPool, certs []*x509.Certificate, serverName string, now time.Time) ([][]*x509.Certificate, error) {
	if len(certs) == 0 {
		return nil, errors.New("creds: the server sent no certificate")
	}
	opts := x509.VerifyOptions{
		Roots:         roots,
		Intermediates: x509.NewCertPool(),
		DNSName:       serverName,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	chains, err := certs[0].Verify(opts)
	if err != nil {
		return nil, &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return chains, nil
}
