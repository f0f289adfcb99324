package lint

import (
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

var (
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
)

// forCRL runs f on every CRL file that was read.
func forCRL(f func(*Context, *Rule, *creds.File)) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, crl := range c.M.FilesOf(creds.RoleCRL) {
			if crl.Present && crl.Err == nil && crl.CRL != nil {
				f(c, r, crl)
			}
		}
	}
}
