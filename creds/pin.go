package creds

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// PinKind is what a [Pin] hashes.
type PinKind int

const (
	// PinCert is the SHA-256 of the whole certificate (its DER), the
	// thumbprint `openssl x509 -noout -fingerprint -sha256` prints. It
	// changes with every reissue.
	PinCert PinKind = iota + 1
	// PinSPKI is the SHA-256 of the certificate's SubjectPublicKeyInfo.
	// It survives a reissue with the same key.
	PinSPKI
)

func (k PinKind) String() string {
	switch k {
	case PinCert:
		return "certificate"
	case PinSPKI:
		return "public key"
	}
	return fmt.Sprintf("PinKind(%d)", int(k))
}

// Pin is a SHA-256 hash of a peer certificate or of its public key.
type Pin struct {
	Kind PinKind
	Hash [sha256.Size]byte
}

// ErrNotPinned is wrapped by the error a pin check returns when the peer's
// certificate matches none of the pins; the peer sees alert
// bad_certificate.
var ErrNotPinned = cause.New(cause.NotPinned, "peer certificate matches no pin")

// ErrBadPin is wrapped by the errors of [ParsePin].
var ErrBadPin = errors.New("invalid pin")

// ParsePin reads a pin in one of these forms (the kind is not case
// sensitive, nor is the hex):
//
//	sha256:AB:CD:...                  certificate thumbprint: hex, colons allowed
//	sha256 Fingerprint=AB:CD:...      the same, as `openssl x509 -noout -fingerprint -sha256` prints it
//	spki-sha256:HEX                   public key (SPKI), hex
//	pin-sha256:BASE64                 public key (SPKI), base64: certtool's "Public Key PIN", HPKP
//
// `tlscreds fingerprint` prints all three. Beware: certtool's "Public Key
// ID" is also written sha256:HEX but hashes the public key; write it as
// spki-sha256:HEX.
func ParsePin(s string) (Pin, error) {
	in := strings.TrimSpace(s)
	kind, val, ok := strings.Cut(in, ":")
	if fp, found := cutPrefixFold(in, "sha256 fingerprint="); found {
		kind, val, ok = "sha256", fp, true
	}
	if !ok {
		return Pin{}, fmt.Errorf("%w %q: want sha256:HEX (certificate), spki-sha256:HEX or pin-sha256:BASE64 (public key)", ErrBadPin, s)
	}
	var p Pin
	switch strings.ToLower(kind) {
	case "sha256":
		p.Kind = PinCert
	case "spki-sha256":
		p.Kind = PinSPKI
	case "pin-sha256":
		raw, err := base64.StdEncoding.DecodeString(strings.Trim(val, `"`))
		if err != nil || len(raw) != sha256.Size {
			return Pin{}, fmt.Errorf("%w %q: want %d bytes in base64 after pin-sha256: (44 characters ending in '=')", ErrBadPin, s, sha256.Size)
		}
		p.Kind = PinSPKI
		copy(p.Hash[:], raw)
		return p, nil
	default:
		return Pin{}, fmt.Errorf("%w %q: unknown kind %q (want sha256, spki-sha256 or pin-sha256)", ErrBadPin, s, kind)
	}
	raw, err := hex.DecodeString(strings.ReplaceAll(val, ":", ""))
	if err != nil || len(raw) != sha256.Size {
		return Pin{}, fmt.Errorf("%w %q: want %d hex bytes after %s: (colons between bytes allowed)", ErrBadPin, s, sha256.Size, kind)
	}
	copy(p.Hash[:], raw)
	return p, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// CertPin returns the pin of kind k for c.
func CertPin(c *x509.Certificate, k PinKind) Pin {
	if k == PinSPKI {
		return Pin{Kind: k, Hash: sha256.Sum256(c.RawSubjectPublicKeyInfo)}
	}
	return Pin{Kind: PinCert, Hash: sha256.Sum256(c.Raw)}
}

// String renders the pin as [ParsePin] reads it: sha256:HEX or
// spki-sha256:HEX, lower-case hex without colons.
func (p Pin) String() string {
	if p.Kind == PinSPKI {
		return "spki-sha256:" + hex.EncodeToString(p.Hash[:])
	}
	return "sha256:" + hex.EncodeToString(p.Hash[:])
}

// Matches reports whether c is the pinned certificate or has the pinned
// public key. The comparison takes the same time whatever the hashes.
func (p Pin) Matches(c *x509.Certificate) bool {
	h := CertPin(c, p.Kind).Hash
	return subtle.ConstantTimeCompare(h[:], p.Hash[:]) == 1
}

// Pins is a list of pins; a certificate matching any of them is pinned.
// Several pins let a peer's certificate be rotated: pin the next one
// before it is deployed and drop the old one after.
type Pins []Pin

// ParsePins parses every pin (see [ParsePin]); the error joins every
// failure.
func ParsePins(ss ...string) (Pins, error) {
	var (
		pins Pins
		errs []error
	)
	for _, s := range ss {
		p, err := ParsePin(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pins = append(pins, p)
	}
	return pins, errors.Join(errs...)
}

// Match reports whether c matches any pin. Every pin is compared, so the
// time taken does not tell which one matched.
func (ps Pins) Match(c *x509.Certificate) bool {
	if c == nil {
		return false
	}
	cert, spki := sha256.Sum256(c.Raw), sha256.Sum256(c.RawSubjectPublicKeyInfo)
	match := 0
	for _, p := range ps {
		h := cert
		if p.Kind == PinSPKI {
			h = spki
		}
		match |= subtle.ConstantTimeCompare(h[:], p.Hash[:])
	}
	return match == 1
}

// Verify checks the peer's leaf certificate of a connection (resumed ones
// included: crypto/tls restores the peer certificates of a session)
// against the pins. It fails, wrapping [ErrNotPinned], when the peer sent
// no certificate or its certificate matches no pin; an empty list
// matches nothing.
func (ps Pins) Verify(cs tls.ConnectionState) error {
	if err := ps.check(cs); err != nil {
		return fmt.Errorf("creds: %w", err)
	}
	return nil
}

// check is Verify without the package prefix, for callers that name the
// object.
func (ps Pins) check(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return fmt.Errorf("%w: the peer sent no certificate", ErrNotPinned)
	}
	leaf := cs.PeerCertificates[0]
	if ps.Match(leaf) {
		return nil
	}
	return fmt.Errorf("%w: %q (%s, %s) is not among the %d pinned",
		ErrNotPinned, dnOrHex(leaf.RawSubject), CertPin(leaf, PinCert), CertPin(leaf, PinSPKI), len(ps))
}

// PinSet holds the pins of an endpoint and lets them change while the
// endpoint runs: the next handshake, resumed ones included, checks the
// new pins. It is safe for concurrent use.
type PinSet struct {
	pins atomic.Pointer[Pins]
}

// NewPinSet returns a set holding pins.
func NewPinSet(pins ...Pin) *PinSet {
	s := &PinSet{}
	s.Set(pins)
	return s
}

// Pins returns the current pins; the caller must not modify them.
func (s *PinSet) Pins() Pins {
	if p := s.pins.Load(); p != nil {
		return *p
	}
	return nil
}

// Set replaces the pins.
func (s *PinSet) Set(pins Pins) {
	cp := append(Pins(nil), pins...)
	s.pins.Store(&cp)
}

// Verify is [Pins.Verify] with the current pins.
func (s *PinSet) Verify(cs tls.ConnectionState) error { return s.Pins().Verify(cs) }
