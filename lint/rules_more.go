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
		ID: "cert-unknown-critical-extension", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate has a critical extension that GnuTLS and Go do not understand, so they refuse it",
		Citation: "RFC 5280 4.2; GnuTLS verify (QEMU 7.2 refuses it, measured); Go crypto/x509 UnhandledCriticalExtension",
		QEMU:     "Our own certificate %s failed validation against %s: The certificate is not trusted",
		Libvirt:  "Our own certificate %s failed validation against %s: The certificate is not trusted.",
		Fix:      "reissue without the extension, or mark it non-critical",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			for _, oid := range ref.Cert.UnhandledCriticalExtensions {
				c.add(r, ref.File, "%s has an unknown critical extension %s", cn(ref.Cert), oid)
			}
		}),
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
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "crl-expired", Severity: Warning, Subject: SubjectCRL,
		Summary:  "the CRL's nextUpdate has passed",
		Citation: "RFC 5280 5.1.2.5",
		Fix:      "publish a fresh CRL: tlscreds gen crl --ca CA --out ca-crl.pem (or your CA's CRL job)",
		check: forCRL(func(c *Context, r *Rule, f *creds.File) {
			if !f.CRL.NextUpdate.IsZero() && c.Now.After(f.CRL.NextUpdate) {
				c.add(r, f.Path, "the CRL's nextUpdate was %s (%s ago)", f.CRL.NextUpdate.UTC().Format(time.DateOnly), days(c.Now.Sub(f.CRL.NextUpdate)))
			}
		}),
	})
	_ = register(&Rule{
		ID: "crl-wrong-issuer", Severity: Warning, Subject: SubjectCRL,
		Summary:  "no CA in the CA file signed the CRL, so it revokes nothing",
		Citation: "GnuTLS drops CRLs it cannot verify against the trust list; RFC 5280 6.3.3",
		QEMU:     "Cannot load CRL '%s': %s",
		Fix:      "use the CRL published by the CA that issued the client certificates",
		check: forCRL(func(c *Context, r *Rule, f *creds.File) {
			ca := c.caFile()
			if ca == nil {
				return
			}
			for _, x := range ca.Certs {
				if f.CRL.CheckSignatureFrom(x) == nil {
					return
				}
			}
			c.add(r, f.Path, "the CRL issued by %q is not signed by any certificate in %s", f.CRL.Issuer.String(), filepath.Base(ca.Path))
		}),
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
		ID: "identity-missing-intermediate", Severity: Warning, Subject: SubjectLeaf,
		Summary:  "the identity file lacks an intermediate that only the CA file holds, so peers that trust the root alone fail",
		Citation: "RFC 8446 4.4.2 (send the chain); QEMU 10.2 identity chains",
		Fix:      "append the intermediate(s) to the certificate file, leaf first (cat leaf.pem intermediate.pem > server-cert.pem)",
		check: func(c *Context, r *Rule) {
			for _, id := range c.identities() {
				chain := id.Cert.Certs
				for _, x := range c.pathCAs(chain) {
					if !creds.SelfIssued(x) {
						c.add(r, id.Cert.Path, "%s is issued by the intermediate %s, which the file does not include", cn(chain[0]), cn(x))
						break
					}
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "ca-bundle-duplicate", Severity: Info, Subject: SubjectCA,
		Summary:  "the CA file holds the same certificate more than once",
		Citation: "hygiene",
		Fix:      "remove the duplicate block from the CA file",
		check: func(c *Context, r *Rule) {
			ca := c.caFile()
			if ca == nil {
				return
			}
			seen := map[string]bool{}
			for _, x := range ca.Certs {
				if seen[string(x.Raw)] {
					c.add(r, ca.Path, "%s appears more than once", cn(x))
				}
				seen[string(x.Raw)] = true
			}
		},
	})
	_ = register(&Rule{
		ID: "ca-bundle-too-large-legacy", Severity: Info, Subject: SubjectCA,
		Profiles: map[Profile]Severity{ProfileLibvirt: Warning},
		Summary:  "the CA file holds more than 16 certificates: libvirt 9.0 checks and verifies against the first 16 only, so an issuer beyond them is unknown to it (Debian 12's QEMU 7.2 accepts 21, measured)",
		Citation: "libvirt 9.0 virNetTLSContextLoadCACertListFromFile (16 certificates, measured); QEMU \"crypto: load all certificates in X509 CA file\"",
		QEMU:     "Unable to import CA certificate list %s",
		Fix:      "keep only the CAs this service needs in the CA file (16 at most for older consumers)",
		check: func(c *Context, r *Rule) {
			if ca := c.caFile(); ca != nil && len(ca.Certs) > 16 {
				c.add(r, ca.Path, "the CA file holds %d certificates; libvirt checks only the first 16, so an issuer after them is unknown to it", len(ca.Certs))
			}
		},
	})
	_ = register(&Rule{
		ID: "ca-unrelated-invalid", Severity: Warning, Subject: SubjectCA,
		Summary:  "the CA file holds a certificate off the chain that is expired, not yet valid or not a CA: QEMU 10.2 ignores it, older QEMU and libvirt refuse the whole set",
		Citation: "QEMU 10.2 \"crypto: only verify CA certs in chain of trust\"",
		QEMU:     "The CA certificate %s has expired",
		Fix:      "remove the stale certificate from the CA file",
		check: func(c *Context, r *Rule) {
			ca := c.caFile()
			if ca == nil || c.legacy() {
				return // legacy profiles check every CA as an error already
			}
			onPath := map[*x509.Certificate]bool{}
			for _, ref := range c.scope() {
				onPath[ref.Cert] = true
			}
			for _, x := range ca.Certs {
				if onPath[x] {
					continue
				}
				switch {
				case c.Now.After(x.NotAfter):
					c.add(r, ca.Path, "%s (not on the chain) expired on %s", cn(x), x.NotAfter.UTC().Format(time.DateOnly))
				case c.Now.Before(x.NotBefore):
					c.add(r, ca.Path, "%s (not on the chain) is not valid until %s", cn(x), x.NotBefore.UTC().Format(time.DateOnly))
				case !x.IsCA:
					c.add(r, ca.Path, "%s (not on the chain) is not a CA", cn(x))
				}
			}
		},
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
	_ = register(&Rule{
		ID: "dh-params-weak", Severity: Warning, Subject: SubjectFile,
		Summary:  "dh-params.pem is weak or odd (prime under 2048 bits, not prime, unusual generator); QEMU 10.2 deprecates the file",
		Citation: "RFC 7919; QEMU 10.2 docs/system/tls.rst",
		QEMU:     "Use of an external DH parameters file '%s' is deprecated and will be removed in a future release",
		Fix:      "delete dh-params.pem: GnuTLS negotiates RFC 7919 groups (QEMU 10.2), or generate ffdhe params: openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe3072",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.FilesOf(creds.RoleDH) {
				if f.DH == nil {
					continue
				}
				for _, p := range f.DH.Problems() {
					c.add(r, f.Path, "%s", p)
				}
			}
		},
	})
)

func forCRL(f func(*Context, *Rule, *creds.File)) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, crl := range c.M.FilesOf(creds.RoleCRL) {
			if crl.Present && crl.Err == nil && crl.CRL != nil {
				f(c, r, crl)
			}
		}
	}
}
