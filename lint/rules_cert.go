package lint

import (
	"crypto/rsa"
	"path/filepath"

	"crypto/x509"
	"encoding/asn1"
	"fmt"
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
		ID: "ca-missing-basic-constraints", Severity: Error, Subject: SubjectCA,
		Summary:  "a CA certificate has no basicConstraints extension",
		Citation: "QEMU check_cert_basic_constraints; RFC 5280 4.2.1.9",
		QEMU:     "The certificate %s is missing basic constraints for a CA",
		Fix:      "reissue the CA with basicConstraints critical CA:TRUE",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			if present, _ := critical(ref.Cert, oidBasicCons); ref.IsCA && !present {
				c.add(r, ref.File, "the CA certificate %s has no basicConstraints extension", cn(ref.Cert))
			}
		}),
	})
	_ = register(&Rule{
		ID: "ca-not-ca", Severity: Error, Subject: SubjectCA,
		Summary:  "a certificate used as a CA has basicConstraints cA=FALSE",
		Citation: "QEMU check_cert_basic_constraints",
		QEMU:     "The certificate %s basic constraints do not show a CA",
		Fix:      "put the CA certificate (not a leaf) in the CA file, or reissue it with CA:TRUE",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			if present, _ := critical(ref.Cert, oidBasicCons); ref.IsCA && present && !ref.Cert.IsCA {
				c.add(r, ref.File, "%s is used as a CA but its basicConstraints say cA=FALSE", cn(ref.Cert))
			}
		}),
	})
	_ = register(&Rule{
		ID: "leaf-is-ca", Severity: Error, Subject: SubjectLeaf,
		Summary:  "the server or client certificate claims to be a CA",
		Citation: "QEMU check_cert_basic_constraints",
		QEMU:     "The certificate %s basic constraints show a CA, but we need one for a server",
		Libvirt:  "The certificate %s basic constraints show a CA, but we need one for a %s",
		Fix:      "reissue the leaf with basicConstraints CA:FALSE",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			if !ref.IsCA && ref.Cert.IsCA {
				c.add(r, ref.File, "the %s certificate %s has basicConstraints cA=TRUE", c.roleWord(), cn(ref.Cert))
			}
		}),
	})
	_ = register(&Rule{
		ID: "ca-key-usage-no-cert-sign", Severity: Error, Subject: SubjectCA,
		Summary:  "a CA's keyUsage lacks keyCertSign (GnuTLS rejects the chain even when the extension is not critical)",
		Citation: "QEMU check_cert_key_usage; GnuTLS verify (QEMU test badca1); RFC 5280 4.2.1.3",
		QEMU:     "Certificate %s usage does not permit certificate signing",
		Libvirt:  "Our own certificate %s failed validation against %s: The certificate is not trusted.",
		Fix:      "reissue the CA with keyUsage keyCertSign, cRLSign",
		check:    checkCAKeyUsage,
	})
	_ = register(&Rule{
		ID: "leaf-key-usage-no-digital-signature", Severity: Error, Subject: SubjectLeaf,
		Summary:  "the leaf's keyUsage lacks digitalSignature (fatal when the extension is critical)",
		Citation: "QEMU check_cert_key_usage",
		QEMU:     "Certificate %s usage does not permit digital signature",
		Fix:      "reissue the leaf with keyUsage digitalSignature",
		check:    checkLeafKeyUsage,
	})
	_ = register(&Rule{
		ID: "leaf-key-usage-no-key-encipherment", Severity: Info, Subject: SubjectLeaf,
		Profiles: map[Profile]Severity{ProfileQEMU1010: Error, ProfileQEMU1000: Error, ProfileQEMULegacy: Warning, ProfileLibvirt: Error},
		Summary:  "a critical keyUsage lacks keyEncipherment, which QEMU 10.1.0, 10.0.0-10.0.6 and earlier upstream releases and libvirt 9.0 require whatever the key type (measured)",
		Citation: "QEMU commit 3995fc238e (in 10.2, the 10.1 stable updates, 10.0.7; backported to Debian 12's 7.2+dfsg-7+deb12u18, measured) / RFC 8813; libvirt 9.0 virNetTLSContextCheckCertKeyUsage (ECDSA and Ed25519 leaves refused too, measured)",
		QEMU:     "Certificate %s usage does not permit key encipherment",
		Fix:      "make keyUsage non-critical (libvirt then only logs a warning), or add keyEncipherment to it; or upgrade QEMU to 10.2, a 10.1 stable update or 10.0.7",
		check:    checkLeafKeyEncipherment,
	})
	_ = register(&Rule{
		ID: "leaf-eku-wrong-purpose", Severity: Error, Subject: SubjectLeaf,
		Summary:  "the leaf's extKeyUsage does not allow its endpoint (fatal when critical; Go and OpenSSL refuse it either way)",
		Citation: "QEMU check_cert_key_purpose; RFC 5280 4.2.1.12",
		QEMU:     "Certificate %s purpose does not allow use with a TLS server",
		Libvirt:  "Certificate %s purpose does not allow use for with a TLS %s",
		Fix:      "reissue the leaf with extendedKeyUsage serverAuth (server) or clientAuth (client)",
		check:    checkEKU,
	})
	_ = register(&Rule{
		ID: "key-rsa-too-small", Severity: Warning, Subject: SubjectKey, Class: ClassPeersRefuse,
		// Every proven QEMU build (GnuTLS 3.7.9's default policy) loads a
		// 1024-bit RSA leaf and CA, and so does libvirt 9.0 (measured);
		// OpenSSL 3 at its default security level 2, browsers and Go's
		// verifier refuse them.
		Summary:  "an RSA key in scope is shorter than 2048 bits: QEMU and libvirt (GnuTLS 3.7.9) load it, OpenSSL 3 peers (security level 2) and browsers refuse it",
		Citation: "CA/B Baseline Requirements 6.1.5; Go refuses RSA under 1024 bits since 1.24",
		Fix:      "reissue with rsa-3072 or an ECDSA key (tlscreds gen --key ecdsa-p256)",
		check:    checkRSASize,
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
			case !expired && !c.Now.After(x.NotAfter) && c.Now.Before(x.NotBefore):
				c.add(r, ref.File, "the %s certificate %s is not valid until %s (in %s)", word, cn(x), x.NotBefore.UTC().Format(time.RFC3339), days(x.NotBefore.Sub(c.Now)))
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

func checkCAKeyUsage(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		if present, crit := critical(ref.Cert, oidKeyUsage); ref.IsCA && present && ref.Cert.KeyUsage&x509.KeyUsageCertSign == 0 {
			c.add(r, ref.File, "the CA certificate %s has keyUsage without keyCertSign", cn(ref.Cert))
			if crit && c.libvirt() {
				// libvirt's own CA check stops first when the extension is critical
				c.results[len(c.results)-1].Consumer = r.QEMU
			}
		}
	}
}

func checkLeafKeyUsage(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		x := ref.Cert
		present, crit := critical(x, oidKeyUsage)
		if ref.IsCA || !present {
			continue
		}
		if x.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
			sev := r.SeverityIn(c.Opts.Profile)
			how := "critical"
			if !crit {
				sev, how = Warning, "not critical, so QEMU ignores it, but TLS peers refuse the key for signing"
			}
			c.addSev(r, sev, ref.File, "the %s certificate %s has keyUsage without digitalSignature (%s)", c.roleWord(), cn(x), how)
		}
	}
}

// checkLeafKeyEncipherment: legacy QEMU checks keyEncipherment after
// digitalSignature, so it reports only leaves that have the latter.
func checkLeafKeyEncipherment(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		x := ref.Cert
		_, crit := critical(x, oidKeyUsage)
		if ref.IsCA || !crit || x.KeyUsage&x509.KeyUsageDigitalSignature == 0 || x.KeyUsage&x509.KeyUsageKeyEncipherment != 0 {
			continue
		}
		c.add(r, ref.File, "the %s certificate %s has a critical keyUsage without keyEncipherment; QEMU 10.1.0, 10.0.0-10.0.6, older upstream releases and libvirt 9.0 refuse it whatever the key type; QEMU 10.2, the 10.1 stable updates, 10.0.7 and Debian 12's 7.2.22 accept it", c.roleWord(), cn(x))
	}
}

// forScope adapts a per-certificate check to a rule check.
func forScope(f func(*Context, *Rule, certRef)) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, ref := range c.scope() {
			f(c, r, ref)
		}
	}
}

func checkEKU(c *Context, r *Rule) {
	want := x509.ExtKeyUsageServerAuth
	if !c.Server() {
		want = x509.ExtKeyUsageClientAuth
	}
	for _, ref := range c.scope() {
		x := ref.Cert
		present, crit := critical(x, oidExtKeyUsage)
		if ref.IsCA || !present {
			continue
		}
		ok, consumerOK := false, false
		for _, u := range x.ExtKeyUsage {
			if u == want || u == x509.ExtKeyUsageAny {
				ok = true
			}
		}
		if c.libvirt() {
			consumerOK = libvirtEKUAllows(x, want)
		} else {
			consumerOK = ok
		}
		if ok && consumerOK {
			continue
		}
		sev := r.SeverityIn(c.Opts.Profile)
		note := "critical"
		switch {
		case !crit:
			sev, note = Warning, "not critical, so QEMU ignores it (libvirt logs a warning), but Go and OpenSSL peers refuse the certificate"
		case consumerOK:
			sev, note = Warning, "critical; libvirt 9.0 counts a purpose it does not know for both roles and loads it, but QEMU, Go and OpenSSL refuse it"
		case ok:
			note = "critical, and libvirt 9.0 counts anyExtendedKeyUsage for neither role (QEMU, Go and OpenSSL accept it)"
		}
		c.addSev(r, sev, ref.File, "the %s certificate %s has extendedKeyUsage without %s (%s)", c.roleWord(), cn(x), map[bool]string{true: "serverAuth", false: "clientAuth"}[c.Server()], note)
	}
}

func checkRSASize(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		if pub, ok := ref.Cert.PublicKey.(*rsa.PublicKey); ok && pub.N.BitLen() < 2048 {
			c.add(r, ref.File, "%s has a %d-bit RSA key: OpenSSL 3 peers (security level 2) and browsers refuse it", cn(ref.Cert), pub.N.BitLen())
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
