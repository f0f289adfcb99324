package lint

import (
	"path/filepath"

	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

var (
	oidKeyUsage    = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidBasicCons   = asn1.ObjectIdentifier{2, 5, 29, 19}
)

// critical reports whether x has the extension and whether it is critical.
func critical(x *x509.Certificate, oid asn1.ObjectIdentifier) (present, crit bool) {
	for _, e := range x.Extensions {
		if e.Id.Equal(oid) {
			return true, e.Critical
		}
	}
	return false, false
}

var (
	_ = register(&Rule{
		ID: "cert-expired", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate in scope has expired",
		Citation: "QEMU check_cert_times; RFC 5280 4.1.2.5",
		QEMU:     "The server certificate %s has expired",
		Libvirt:  "The %s certificate %s has expired",
		Fix:      "issue a new certificate (tlscreds gen cert) and replace the file; QEMU reads files only at object creation or reload",
		check:    checkTimes(true),
	})
	_ = register(&Rule{
		ID: "cert-not-yet-valid", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate in scope is not valid yet (or the clock is wrong)",
		Citation: "QEMU check_cert_times",
		QEMU:     "The server certificate %s is not yet active",
		Libvirt:  "The %s certificate %s is not yet active",
		Fix:      "check the machine's clock (embedded boards often start in 1970), or reissue with an earlier notBefore",
		check:    checkTimes(false),
	})
	_ = register(&Rule{
		ID: "cert-expiring-soon", Severity: Warning, Subject: SubjectFile,
		Summary:  "a certificate on the chain, or the CRL, expires within the --warn-within threshold",
		Citation: "operational practice (certigo, step needs-renewal)",
		Fix:      "renew it before it expires: tlscreds gen cert (a certificate) or tlscreds gen crl (a CRL), or your CA's renewal",
		check:    checkExpiring,
	})
	_ = register(&Rule{
		ID: "cert-weak-signature", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate is signed with MD5 or SHA-1, which Go and GnuTLS (hence QEMU, measured with 7.2) refuse",
		Citation: "Go crypto/x509 (x509sha1 removed in 1.24); GnuTLS INSECURE_ALGORITHM",
		QEMU:     "Our own certificate %s failed validation against %s: The certificate uses an insecure algorithm",
		Fix:      "reissue the certificate with a SHA-256 signature",
		check:    checkWeakSignature,
	})
)

func (c *Context) roleOf(ref certRef) string {
	if ref.IsCA {
		return "CA"
	}
	return c.roleWord()
}

func checkTimes(expired bool) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, ref := range c.scope() {
			x, word := ref.Cert, c.roleOf(ref)
			switch {
			case expired && c.Now.After(x.NotAfter):
				c.add(r, ref.File, "the %s certificate %s expired on %s (%s ago)", word, cn(x), x.NotAfter.UTC().Format(time.DateOnly), days(c.Now.Sub(x.NotAfter)))
				c.certQuote(qExpired, ref)
			case !expired && !c.Now.After(x.NotAfter) && c.Now.Before(x.NotBefore):
				c.add(r, ref.File, "the %s certificate %s is not valid until %s (in %s)", word, cn(x), x.NotBefore.UTC().Format(time.RFC3339), days(x.NotBefore.Sub(c.Now)))
				c.certQuote(qNotActive, ref)
			}
		}
	}
}

func days(d time.Duration) string {
	if d < 48*time.Hour {
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

func checkExpiring(c *Context, r *Rule) {
	if c.Opts.WarnWithin == 0 && c.Opts.WarnShare == 0 {
		return
	}
	for _, ref := range c.scope() {
		x := ref.Cert
		left := x.NotAfter.Sub(c.Now)
		if left < 0 || c.Now.Before(x.NotBefore) {
			continue
		}
		life := x.NotAfter.Sub(x.NotBefore)
		if c.soon(left, life) {
			c.add(r, ref.File, "the %s certificate %s expires on %s, in %s", c.roleOf(ref), cn(x), x.NotAfter.UTC().Format(time.DateOnly), days(left))
		}
	}
	for _, f := range c.M.FilesOf(creds.RoleCRL) {
		if f.CRL == nil || f.CRL.NextUpdate.IsZero() {
			continue
		}
		left := f.CRL.NextUpdate.Sub(c.Now)
		if left >= 0 && c.soon(left, f.CRL.NextUpdate.Sub(f.CRL.ThisUpdate)) {
			c.add(r, f.Path, "the CRL must be renewed by %s, in %s", f.CRL.NextUpdate.UTC().Format(time.DateOnly), days(left))
			c.results[len(c.results)-1].Fix = "issue a new CRL before then, revoking the same certificates: tlscreds gen crl --ca CA_DIR --revoke ... --out " +
				filepath.Base(f.Path) + ", or your CA's CRL job"
		}
	}
}

// soon reports whether a validity with left remaining of life is within
// the --warn-within threshold (a duration or a share of the lifetime).
func (c *Context) soon(left, life time.Duration) bool {
	return (c.Opts.WarnWithin > 0 && left <= c.Opts.WarnWithin) || (c.Opts.WarnShare > 0 && float64(left) <= c.Opts.WarnShare*float64(life))
}

// forScope adapts a per-certificate check to a rule check.
func forScope(f func(*Context, *Rule, certRef)) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, ref := range c.scope() {
			f(c, r, ref)
		}
	}
}

func checkWeakSignature(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		switch ref.Cert.SignatureAlgorithm {
		case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
			if creds.SelfIssued(ref.Cert) && ref.IsCA {
				continue // a root's self-signature is not verified
			}
			c.add(r, ref.File, "%s is signed with %v", cn(ref.Cert), ref.Cert.SignatureAlgorithm)
			c.verifyQuote(c.identityOf(ref), reasonInsecure)
		}
	}
}

var _ = register(&Rule{
	ID: "cert-v1", Severity: Warning, Subject: SubjectFile,
	Summary:  "an X.509 version 1 certificate: no extensions, so no SANs, key usage or CA constraints",
	Citation: "RFC 5280 4.1.2.1",
	Fix:      "reissue as X.509 v3 with the extensions it needs (tlscreds gen cert)",
	check: forScope(func(c *Context, r *Rule, ref certRef) {
		if ref.Cert.Version == 1 {
			c.add(r, ref.File, "%s is an X.509 v1 certificate", cn(ref.Cert))
		}
	}),
})

// libvirtEKUAllows is libvirt 9.0's reading of a leaf's extendedKeyUsage
// (virNetTLSContextCheckCertKeyPurpose): serverAuth allows a server,
// clientAuth a client, any other purpose both, except
// anyExtendedKeyUsage, which allows neither (its loop tests STRNEQ
// against GNUTLS_KP_ANY; measured with a critical codeSigning-only and an
// anyExtendedKeyUsage-only leaf).
func libvirtEKUAllows(x *x509.Certificate, want x509.ExtKeyUsage) bool {
	if len(x.UnknownExtKeyUsage) > 0 {
		return true
	}
	for _, u := range x.ExtKeyUsage {
		switch u {
		case want:
			return true
		case x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageAny:
		default:
			return true
		}
	}
	return false
}

var (
	_ = register(&Rule{
		ID: "cert-unknown-critical-extension", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate has a critical extension that GnuTLS and Go do not understand, so they refuse it",
		Citation: "RFC 5280 4.2; GnuTLS verify (QEMU 7.2 refuses it, measured); Go crypto/x509 UnhandledCriticalExtension",
		QEMU:     "Our own certificate %s failed validation against %s: The certificate is not trusted",
		Libvirt:  "Our own certificate %s failed validation against %s: The certificate is not trusted.",
		Fix:      "reissue without the extension, or mark it non-critical",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			for _, oid := range ref.Cert.UnhandledCriticalExtensions {
				c.add(r, ref.File, "%s has an unknown critical extension %s", cn(ref.Cert), oid)
				c.verifyQuote(c.identityOf(ref), reasonNotTrusted)
			}
		}),
	})
	_ = register(&Rule{
		ID: "cert-serial-invalid", Severity: Warning, Subject: SubjectFile,
		Summary:  "a serial number is zero or longer than 20 octets",
		Citation: "RFC 5280 4.1.2.2",
		Fix:      "reissue with a positive serial of at most 20 octets (tlscreds gen uses 128 random bits)",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			s := ref.Cert.SerialNumber
			switch {
			case s.Sign() == 0:
				c.add(r, ref.File, "%s has serial number 0", cn(ref.Cert))
			case len(s.Bytes()) > 20:
				c.add(r, ref.File, "%s has a %d-octet serial number", cn(ref.Cert), len(s.Bytes()))
			}
		}),
	})
)

var _ = register(&Rule{
	ID: "cert-go-unparseable", Severity: Warning, Subject: SubjectFile, Class: ClassPeersRefuse,
	// Measured with fixtures.HostileSets through qemu-img 7.2, 10.0,
	// 10.1 and 10.2 (lint/qemudiff TestHostileDifferential).
	Summary:  "QEMU loads a certificate that Go peers cannot parse: a negative, empty or non-minimal serial, version 5, an impossible date (February 30), a non-ASCII dNSName or rfc822Name, an odd-length BMPString or invalid UTF-8 in a name; GnuTLS accepts them, Go's crypto/x509 (and so crypto/tls peers) refuses the certificate",
	Citation: "GnuTLS 3.7.9 (libtasn1) versus Go crypto/x509 parser.go; RFC 5280 4.1.2.2, 4.1.2.5, 4.2.1.6",
	Fix:      "reissue the certificate with a positive minimal serial, version 3, real dates and valid strings (tlscreds gen cert)",
	check:    checkGoUnparseable,
})

func checkGoUnparseable(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		if f.Present && f.Err == nil && len(f.GoRefuses) > 0 && c.fileRead(f) {
			c.add(r, f.Path, "%s: QEMU loads this; Go peers cannot parse it: %s", filepath.Base(f.Path), strings.Join(f.GoRefuses, "; "))
		}
	}
}
