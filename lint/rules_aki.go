package lint

import (
	"crypto/x509"

	"github.com/tlscreds/tlscreds/creds"
)

var (
	_ = register(&Rule{
		ID: "aki-ski-mismatch", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate names its issuer's subject, but its authority key identifier differs from that issuer's subject key identifier",
		Citation: "GnuTLS gnutls_x509_crt_check_issuer (QEMU's issuer test); RFC 5280 4.2.1.1",
		QEMU:     "Cert '%s' has no issuer in CA chain",
		Fix:      "the CA file holds a re-keyed CA with the same name: put the CA certificate that actually signed this one in the CA file",
		check:    checkAKI,
	})
)

// checkAKI reports certificates whose issuer is found by name but not by
// key identifier, which QEMU's issuer test treats as no issuer at all.
func checkAKI(c *Context, r *Rule) {
	ca := c.caFile()
	if ca == nil {
		return
	}
	for _, id := range c.identities() {
		chain := c.identityChain(id)
		full := append(append([]*x509.Certificate{}, chain...), c.pathCAs(chain)...)
		last := full[len(full)-1]
		if creds.SelfIssued(last) || creds.Issuer(last, ca.Certs) != nil || len(last.AuthorityKeyId) == 0 {
			continue
		}
		for _, a := range ca.Certs {
			if string(last.RawIssuer) == string(a.RawSubject) && len(a.SubjectKeyId) > 0 {
				c.add(r, ca.Path, "%s names %s as its issuer, but its authority key id %x is not that CA's subject key id %x", cn(last), cn(a), last.AuthorityKeyId, a.SubjectKeyId)
				c.quote(qNoIssuer, qv{cert: id.Cert.Path, ca: ca.Path, dn: dnOf(last.RawSubject)})
				break
			}
		}
	}
}
