package creds

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// ErrRevoked is wrapped by the error a server config returns when a
// client's certificate, or a CA certificate in its chain, is listed in the
// object's CRL. The client sees alert bad_certificate.
var ErrRevoked = cause.New(cause.Revoked, "certificate revoked")

// revocation checks verified chains against an object's CRL (ca-crl.pem).
// crypto/tls never consults CRLs, so server configs run it in
// VerifyConnection. As in QEMU, only servers load and use the CRL.
//
// A certificate is revoked when its issuer name equals the CRL's issuer
// (and, when both carry an authority key identifier, the identifiers
// match) and its serial number is listed. The CRL's signature is not
// checked here: the file is trusted as ca-cert.pem is.
type revocation struct {
	id      string
	file    string
	crl     *x509.RevocationList
	revoked map[string]time.Time // serial (hex) → revocation time
}

// newRevocation returns the checker for obj, or nil when it has no CRL.
func newRevocation(obj *Object) *revocation {
	if obj.CRL == nil {
		return nil
	}
	rv := &revocation{id: obj.ID(), file: obj.CRLFile, crl: obj.CRL, revoked: map[string]time.Time{}}
	for _, e := range obj.CRL.RevokedCertificateEntries {
		if e.SerialNumber != nil {
			rv.revoked[e.SerialNumber.Text(16)] = e.RevocationTime
		}
	}
	return rv
}

// check returns an error wrapping [ErrRevoked] when any certificate of the
// chains, other than each chain's root, is revoked. now only words the
// error: a CRL whose nextUpdate has passed still applies, because an old
// list of revoked certificates is better than none (lint reports it).
func (rv *revocation) check(chains [][]*x509.Certificate, now time.Time) error {
	for _, chain := range chains {
		for i, cert := range chain[:max(len(chain)-1, 0)] {
			if !rv.covers(cert) {
				continue
			}
			at, ok := rv.revoked[cert.SerialNumber.Text(16)]
			if !ok {
				continue
			}
			what := "client certificate"
			if i > 0 {
				what = "CA certificate in the client's chain"
			}
			stale := ""
			if next := rv.crl.NextUpdate; !next.IsZero() && now.After(next) {
				stale = fmt.Sprintf("; the CRL was due for an update at %s but still applies", next.UTC().Format(time.RFC3339))
			}
			return fmt.Errorf("creds: object %s: %w: %s %q (serial %X) is listed in %s, revoked at %s%s",
				rv.id, ErrRevoked, what, cert.Subject.String(), cert.SerialNumber,
				rv.file, at.UTC().Format(time.RFC3339), stale)
		}
	}
	return nil
}

// covers reports whether the CRL is the one of cert's issuer.
func (rv *revocation) covers(cert *x509.Certificate) bool {
	if !bytes.Equal(cert.RawIssuer, rv.crl.RawIssuer) {
		return false
	}
	aki := rv.crl.AuthorityKeyId
	return len(aki) == 0 || len(cert.AuthorityKeyId) == 0 || bytes.Equal(aki, cert.AuthorityKeyId)
}
