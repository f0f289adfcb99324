package lint

import (
	"crypto/x509"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

var (
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
				c.certQuote(qBCIsCA, ref)
			}
		}),
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
		ID: "leaf-outlives-ca", Severity: Warning, Subject: SubjectLeaf,
		Summary:  "the leaf stays valid after a CA on its chain expires",
		Citation: "RFC 5280 6.1.3 (every certificate on the path must be valid)",
		Fix:      "renew the CA before it expires, or reissue the leaf to end before the CA",
		check: func(c *Context, r *Rule) {
			for _, id := range c.identities() {
				chain := c.identityChain(id)
				leaf := chain[0]
				for _, ca := range append(chain[1:], c.pathCAs(chain)...) {
					if leaf.NotAfter.After(ca.NotAfter) {
						c.add(r, id.Cert.Path, "%s is valid until %s but its CA %s expires on %s", cn(leaf), leaf.NotAfter.UTC().Format(time.DateOnly), cn(ca), ca.NotAfter.UTC().Format(time.DateOnly))
						break
					}
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "leaf-self-signed", Severity: Error, Subject: SubjectLeaf,
		Summary:  "the server or client certificate is self-signed (its issuer is itself)",
		Citation: "QEMU check_authority_chain (a self-issued leaf is checked as a CA)",
		QEMU:     "The certificate %s basic constraints do not show a CA",
		Fix:      "issue the leaf from a CA (tlscreds gen pki) and put that CA in the CA file",
		check: func(c *Context, r *Rule) {
			for _, id := range c.identities() {
				if leaf := id.Cert.Certs[0]; creds.SelfIssued(leaf) && !leaf.IsCA {
					c.add(r, id.Cert.Path, "%s is self-issued: QEMU treats it as its own CA and refuses it", cn(leaf))
					c.quote(qBCNotCA, qv{path: c.caPath()}) // checked as a CA, named by the CA file
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "leaf-revoked", Severity: Warning, Subject: SubjectLeaf,
		Summary:  "the object's own certificate is listed as revoked in its CRL",
		Citation: "RFC 5280 5.3",
		Fix:      "issue a new certificate; peers that check this CRL refuse the revoked one",
		check: forCRL(func(c *Context, r *Rule, f *creds.File) {
			for _, id := range c.identities() {
				leaf := id.Cert.Certs[0]
				for _, e := range f.CRL.RevokedCertificateEntries {
					if e.SerialNumber.Cmp(leaf.SerialNumber) == 0 && string(f.CRL.RawIssuer) == string(leaf.RawIssuer) {
						c.add(r, id.Cert.Path, "%s (serial %x) is revoked by %s", cn(leaf), leaf.SerialNumber, filepath.Base(f.Path))
					}
				}
			}
		}),
	})
	_ = register(&Rule{
		ID: "leaf-wildcard-invalid", Severity: Warning, Subject: SubjectServer,
		Summary:  "a DNS SAN uses a wildcard that no client matches (not the whole leftmost label, or fewer than three labels)",
		Citation: "RFC 6125 6.4.3; GnuTLS check_hostname2",
		Fix:      "use *.example.com style wildcards (whole leftmost label, at least three labels), or list the names",
		check: func(c *Context, r *Rule) {
			if !c.Server() {
				return
			}
			for _, id := range c.identities() {
				for _, n := range id.Cert.Certs[0].DNSNames {
					if !strings.Contains(n, "*") {
						continue
					}
					labels := strings.Split(n, ".")
					if labels[0] != "*" || strings.Contains(strings.Join(labels[1:], "."), "*") || len(labels) < 3 {
						c.add(r, id.Cert.Path, "the SAN %q is not a usable wildcard", n)
					}
				}
			}
		},
	})
)

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
			c.certQuote(qKUDigitalSig, ref)
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
		c.certQuote(qKUKeyEnc, ref)
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
		c.certQuote(qEKU, ref)
	}
}
