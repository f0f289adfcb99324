package lint

import (
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
)

var (
	_ = register(&Rule{
		ID: "chain-no-issuer", Severity: Error, Subject: SubjectCA,
		Summary:  "no certificate in the CA file issued the identity's last certificate",
		Citation: "QEMU 10.2 check_authority_chain; GnuTLS SIGNER_NOT_FOUND",
		QEMU:     "Cert '%s' has no issuer in CA chain",
		Libvirt:  "Our own certificate %s failed validation against %s: The certificate hasn't got a known issuer.",
		Fix:      "add the issuing CA (and any intermediate) to the CA file, or use the CA that issued this certificate",
		check:    checkNoIssuer,
	})
	_ = register(&Rule{
		ID: "chain-unsorted", Severity: Error, Subject: SubjectFile,
		Profiles: map[Profile]Severity{ProfileQEMULegacy: Info, ProfileLibvirt: Info},
		Summary:  "in the identity file, a certificate is not followed by its issuer",
		Citation: "QEMU 10.2 check_authority_chain (sorted chains); RFC 8446 4.4.2",
		QEMU:     "Cert '%s' does not match issuer of cert '%s'",
		Fix:      "order the file leaf first, then each issuer in turn; drop certificates that do not belong",
		check:    checkUnsorted,
	})
	_ = register(&Rule{
		ID: "chain-signature-invalid", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate's signature does not verify with its issuer's key",
		Citation: "GnuTLS gnutls_x509_crt_list_verify",
		QEMU:     "Our own certificate %s failed validation against %s: The certificate is not trusted",
		Libvirt:  "Our own certificate %s failed validation against %s: The certificate is not trusted.",
		Fix:      "the issuer in the CA file is not the one that signed it (same name, other key): put the right CA certificate in place",
		check:    checkSignatures,
	})
)

func checkNoIssuer(c *Context, r *Rule) {
	ca := c.caFile()
	if ca == nil {
		return
	}
	for _, id := range c.identities() {
		chain := c.identityChain(id)
		last := chain[len(chain)-1]
		if c.legacy() {
			// GnuTLS verify of the leaf alone: any issuer in the CA file will do.
			if pool := c.caPool(ca); creds.Issuer(chain[0], pool) == nil && !inPool(chain[0], pool) {
				c.add(r, id.Cert.Path, "no certificate in %s issued %s (its issuer is %q)", filepath.Base(ca.Path), cn(chain[0]), dnOf(chain[0].RawIssuer))
				c.quote(qNoIssuer, qv{cert: id.Cert.Path, ca: ca.Path})
			}
			continue
		}
		if loop := c.pathLoop(chain); loop != nil {
			// Measured: qemu-img 10.2.0 never returns over such a CA file
			// (its walk, qcrypto_tls_creds_check_authority_chain, has no
			// loop guard); 7.2.22 checks each CA alone and loads it.
			c.add(r, ca.Path, "the chain of %s loops: %s comes back as the issuer of a CA it issued, and no CA on the way is self-issued, so QEMU's walk from the leaf to a root never ends (qemu-img 10.2 hangs)", cn(chain[0]), cn(loop))
			continue
		}
		path := c.pathCAs(chain)
		top := last
		if len(path) > 0 {
			top = path[len(path)-1]
		}
		switch {
		case creds.SelfIssued(top):
		case top == chain[0]:
			c.add(r, ca.Path, "no certificate in %s issued %s (its issuer is %q)", filepath.Base(ca.Path), cn(top), dnOf(top.RawIssuer))
			c.quote(qNoIssuer, qv{cert: id.Cert.Path, ca: ca.Path, dn: dnOf(top.RawSubject)})
		default:
			c.add(r, ca.Path, "the chain of %s stops at %s: no certificate in %s issued it (QEMU: \"Cert '%s' has no issuer in CA chain\")", cn(chain[0]), cn(top), filepath.Base(ca.Path), dnOf(top.RawSubject))
			c.quote(qNoIssuer, qv{cert: id.Cert.Path, ca: ca.Path, dn: dnOf(top.RawSubject)})
		}
	}
}

func inPool(x *x509.Certificate, pool []*x509.Certificate) bool {
	for _, p := range pool {
		if p.Equal(x) {
			return true
		}
	}
	return false
}

func checkUnsorted(c *Context, r *Rule) {
	for _, id := range c.identities() {
		certs := id.Cert.Certs
		for i := 0; i+1 < len(certs); i++ {
			if !creds.IssuedBy(certs[i], certs[i+1]) {
				c.add(r, id.Cert.Path, "certificate %d (%s) did not issue certificate %d (%s)", i+2, cn(certs[i+1]), i+1, cn(certs[i]))
				c.quote(qIssuerMismatch, qv{dn: dnOf(certs[i].RawSubject), issuer: dnOf(certs[i+1].RawSubject)})
				break
			}
		}
	}
}

func checkSignatures(c *Context, r *Rule) {
	ca := c.caFile()
	for _, id := range c.identities() {
		chain := c.identityChain(id)
		var pool []*x509.Certificate
		if ca != nil {
			pool = c.caPool(ca)
		}
		full := append(append([]*x509.Certificate{}, chain...), c.pathCAs(chain)...)
		for i, x := range full {
			var issuer *x509.Certificate
			if i+1 < len(full) && creds.IssuedBy(x, full[i+1]) {
				issuer = full[i+1]
			} else if !creds.SelfIssued(x) {
				issuer = creds.Issuer(x, pool)
			}
			if issuer == nil {
				continue
			}
			if err := c.issuerVerifies(issuer, x); err != nil {
				c.add(r, id.Cert.Path, "the signature of %s does not verify with the key of %s: %s", cn(x), cn(issuer), signatureFailure(issuer, x, err))
				c.verifyQuote(id.Cert.Path, reasonNotTrusted)
			}
		}
	}
}

// issuerVerifies checks x's signature with issuer's public key only (not
// issuer's constraints, which other rules report); a signature with an
// insecure algorithm passes here (cert-weak-signature reports it). The
// object's walks have checked most of these already (c.sigs), and a CA
// certificate's signature is checked once per process
// ([creds.CheckSignature]).
func (c *Context) issuerVerifies(issuer, x *x509.Certificate) error {
	err := c.sigs.Check(x, issuer)
	if _, insecure := err.(x509.InsecureAlgorithmError); insecure {
		return nil
	}
	return err
}

// signatureFailure says in plain words why x's signature failed with
// issuer's key (Go's texts, such as "x509: ECDSA verification failure",
// name neither certificate nor what was expected).
func signatureFailure(issuer, x *x509.Certificate, err error) string {
	switch {
	case errors.Is(err, x509.ErrUnsupportedAlgorithm):
		return fmt.Sprintf("its signature algorithm (%s) cannot be checked here", x.SignatureAlgorithm)
	case strings.Contains(err.Error(), "but have public key of type"):
		return fmt.Sprintf("it is signed with %s, but the issuer's key is %s", x.SignatureAlgorithm, issuer.PublicKeyAlgorithm)
	}
	return fmt.Sprintf("it was signed (%s) by another key than the issuer's %s key — a CA of the same name, or the certificate was altered", x.SignatureAlgorithm, issuer.PublicKeyAlgorithm)
}

// dnOf renders a raw name as QEMU prints it (GnuTLS compat form).
func dnOf(raw []byte) string {
	s, err := creds.DN(raw)
	if err != nil {
		return fmt.Sprintf("%x", raw)
	}
	return s
}
