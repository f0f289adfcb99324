package lint

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"
	"time"
)

var (
	_ = register(&Rule{
		ID: "ca-missing-basic-constraints", Severity: Error, Subject: SubjectCA,
		Summary:  "a CA certificate has no basicConstraints extension",
		Citation: "QEMU check_cert_basic_constraints; RFC 5280 4.2.1.9",
		QEMU:     "The certificate %s is missing basic constraints for a CA",
		Fix:      "reissue the CA with basicConstraints critical CA:TRUE",
		check: forScope(func(c *Context, r *Rule, ref certRef) {
			if present, _ := critical(ref.Cert, oidBasicCons); ref.IsCA && !present {
				c.add(r, ref.File, "the CA certificate %s has no basicConstraints extension", cn(ref.Cert))
				c.certQuote(qBCMissing, ref)
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
				c.certQuote(qBCNotCA, ref)
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
		ID: "ca-bundle-duplicate", Severity: Info, Subject: SubjectCA,
		Summary:  "the CA file holds the same certificate more than once",
		Citation: "hygiene",
		Fix:      "remove the duplicate block from the CA file",
		check: func(c *Context, r *Rule) {
			ca := c.caFile()
			if ca == nil {
				return
			}
			dup := func(i int) bool {
				// Pairwise for the few certificates of a usual CA file
				// (no copies of their bytes as map keys).
				return slices.ContainsFunc(ca.Certs[:i], func(y *x509.Certificate) bool { return bytes.Equal(ca.Certs[i].Raw, y.Raw) })
			}
			if len(ca.Certs) > 32 {
				seen := map[string]bool{}
				dup = func(i int) bool {
					d := seen[string(ca.Certs[i].Raw)]
					seen[string(ca.Certs[i].Raw)] = true
					return d
				}
			}
			for i, x := range ca.Certs {
				if dup(i) {
					c.add(r, ca.Path, "%s appears more than once", cn(x))
				}
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
		ID: "ca-private-key-exposed", Severity: Warning, Subject: SubjectFile,
		Summary:  "a CA private key lies in the credential directory: QEMU never needs it, and whoever reads the directory can issue certificates",
		Citation: "operational practice (virt-pki-validate's separate CA directory)",
		Fix:      "move the CA key off the host (keep it where certificates are issued), leave only ca-cert.pem",
		check: func(c *Context, r *Rule) {
			if c.Spec().Dir == "" {
				return
			}
			for _, n := range caKeyNames {
				if present, known := c.M.Listed(n); known && !present {
					continue // the listing the files were read by has no such name
				}
				p := filepath.Join(c.Spec().Dir, n)
				if _, err := os.Stat(p); err == nil {
					c.add(r, p, "%s is a CA private key next to the credentials", n)
				}
			}
		},
	})
)

func checkCAKeyUsage(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		if present, crit := critical(ref.Cert, oidKeyUsage); ref.IsCA && present && ref.Cert.KeyUsage&x509.KeyUsageCertSign == 0 {
			c.add(r, ref.File, "the CA certificate %s has keyUsage without keyCertSign", cn(ref.Cert))
			if crit && c.libvirt() {
				// libvirt's own CA check stops first when the extension is critical
				c.results[len(c.results)-1].Consumer = r.QEMU
			}
			if crit {
				c.certQuote(qKUCertSign, ref)
			} else {
				// QEMU's own check passes; GnuTLS's verify refuses the chain
				c.verifyQuote(c.identityOf(ref), reasonNotTrusted)
			}
		}
	}
}

// caKeyNames are where CA private keys are commonly kept: our own CA
// directory (gen pki), OpenSSL/easy-rsa habits, cert-manager secrets.
var caKeyNames = []string{"ca-key.pem", "cakey.pem", "ca.key"}
