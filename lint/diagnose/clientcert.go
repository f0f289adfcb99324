package diagnose

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/certname"
)

// What the client can tell about its own certificate when the server
// refuses it: the server names the CAs it accepts in its
// CertificateRequest, the alert says a little, and the certificate itself
// may be expired or lack clientAuth.

// clientChain is the probe's own certificate chain, parsed.
func (d *diagnosis) clientChain() []*x509.Certificate {
	if d.o.Certificate == nil {
		return nil
	}
	var chain []*x509.Certificate
	for i, der := range d.o.Certificate.Certificate {
		if i == 0 && d.o.Certificate.Leaf != nil {
			chain = append(chain, d.o.Certificate.Leaf)
			continue
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			break
		}
		chain = append(chain, c)
	}
	return chain
}

func (d *diagnosis) acceptableNote() string {
	if len(d.r.AcceptableCAs) == 0 {
		return ""
	}
	return fmt.Sprintf("; the server accepts certificates issued by %s", quoteList(d.r.AcceptableCAs))
}

func (d *diagnosis) clientLeafName() string {
	if chain := d.clientChain(); len(chain) > 0 {
		return certname.Of(chain[0])
	}
	return "(none)"
}

// clientCertRejected explains, from what the client can see, why the
// server refused its certificate: with alert a during or right after the
// handshake, or without an alert (a nil) by hanging up after it.
func (d *diagnosis) clientCertRejected(a *Alert, got string) { d.refusedClientCert(a, false, got) }

// refusedClientCert is clientCertRejected; page says the server refused
// the certificate in an HTTP answer after the handshake (nginx's 400
// "The SSL certificate error").
func (d *diagnosis) refusedClientCert(a *Alert, page bool, got string) {
	chain := d.clientChain()
	if len(chain) == 0 {
		d.client(cause.ClientCertRejected, got)
		return
	}
	leaf, now := chain[0], d.r.Time
	var reasons, rules []string
	listed := len(d.r.accepted) > 0
	ok := listed && acceptable(chain, d.r.accepted)
	var inter *x509.Certificate
	if listed && !ok {
		inter = d.missingOwnIntermediate(chain)
	}
	switch {
	case inter != nil:
		// The client's own file stops below the CAs the server names,
		// and the intermediate that links them is in its CA file.
		msg := fmt.Sprintf("%s, refusing the client certificate %s: it is issued by the intermediate %s, which the client does not send (its certificate file holds no intermediate) and the server does not hold; the server accepts %s, which issued that intermediate", got, certname.Of(leaf), certname.Of(inter), quoteList(d.r.AcceptableCAs))
		d.client(cause.MissingIntermediate, msg+": append the intermediate to the client's certificate file (client-cert.pem: the leaf first, then the intermediate)", "identity-missing-intermediate")
		return
	case listed && !ok:
		reasons = append(reasons, fmt.Sprintf("it is issued by %s, which is not among the CAs the server accepts (%s)", certname.Issuer(leaf), quoteList(d.r.AcceptableCAs)))
		rules = append(rules, "chain-no-issuer")
	case ok && a != nil && a.Number == 48:
		reasons = append(reasons, fmt.Sprintf("the server accepts a CA named %s, our issuer's name, yet does not trust our issuer: it holds another CA of the same name (a CA regenerated on one host, or two PKIs with the same default name)", certname.Issuer(leaf)))
		rules = append(rules, "chain-signature-invalid")
	case a != nil && a.Number == 48:
		reasons = append(reasons, fmt.Sprintf("the server does not trust %s, the CA that issued it: give the server that CA in its ca-cert.pem", certname.Issuer(leaf)))
		rules = append(rules, "chain-no-issuer")
	}
	// The cause is the refusal itself (an issuer the server does not
	// trust, a purpose it does not allow) unless the first reason found
	// is the certificate's own state, which is then the cause to fix,
	// as when QEMU or libvirt refuse to load that certificate.
	first := cause.ClientCertRejected
	own := func(c string) {
		if len(reasons) == 0 {
			first = c
		}
	}
	switch {
	case now.After(leaf.NotAfter):
		own(cause.Expired)
		reasons = append(reasons, fmt.Sprintf("it expired on %s", stamp(leaf.NotAfter)))
		rules = append(rules, "cert-expired")
	case now.Before(leaf.NotBefore):
		own(cause.NotYetValid)
		reasons = append(reasons, fmt.Sprintf("it is valid only from %s", stamp(leaf.NotBefore)))
		rules = append(rules, "cert-not-yet-valid")
	}
	if !allows(leaf, x509.ExtKeyUsageClientAuth) {
		reasons = append(reasons, fmt.Sprintf("its extendedKeyUsage (%s) lacks clientAuth", ekuList(leaf)))
		rules = append(rules, "leaf-eku-wrong-purpose")
	}
	if w := weakLink(chain); w != nil {
		own(cause.Weak)
		reasons = append(reasons, fmt.Sprintf("%s is signed with %s", certname.Of(w), w.SignatureAlgorithm))
		rules = append(rules, "cert-weak-signature")
	}
	msg := fmt.Sprintf("%s, refusing the client certificate %s", got, certname.Of(leaf))
	if a != nil {
		msg += fmt.Sprintf(" (%s)", a.Meaning)
	}
	switch {
	case len(reasons) > 0:
		msg += ": " + strings.Join(reasons, "; ")
	case a == nil && !page && listed:
		// The server named our issuer among its CAs and our certificate
		// passes every check the client can make, yet the server hung
		// up after the handshake without an alert: QEMU and libvirt do
		// that when an allow-list refuses the DN (their CRL check too,
		// which the client cannot see).
		dn, err := creds.DN(leaf.RawSubject)
		if err != nil {
			dn = leaf.Subject.String()
		}
		msg += fmt.Sprintf("; it is issued by a CA the server names and passes every check the client can make, so the server's allow-list most likely refused its DN %q (QEMU tls-authz, libvirt tls_allowed_dn_list; a CRL that lists it reads the same from here): the server's log says \"TLS x509 authz check for DN is denied\" or why it refused", dn)
		d.client(cause.AuthzDenied, msg, "")
		return
	case listed && (page || a != nil && slices.Contains([]uint8{42, 46, 49}, a.Number)):
		// Refused during the handshake (or by nginx's page) with an
		// alert that names no reason, though the server names our
		// issuer and the certificate passes every check the client can
		// make: what is left is the server's CRL (GnuTLS servers send
		// access_denied for a revoked certificate, Go servers
		// bad_certificate, nginx its 400 page; OpenSSL servers say
		// certificate_revoked outright), or a check of its own.
		msg += "; it is issued by a CA the server names and passes every check the client can make, so the server's CRL most likely lists it (ca-crl.pem, ssl_crl; or a check of the server's own: pinned fingerprints, an allow-list): the server's log says which"
		d.client(cause.Revoked, msg, "")
		return
	default:
		msg += "; nothing the client can see in the certificate explains it, so one of the server's own checks refused it: an allow-list (QEMU authz, libvirt tls_allowed_dn_list), its CRL, or a CA file without our issuer; read the server's log"
		rules = []string{""}
	}
	d.client(first, msg, rules...)
}

// missingOwnIntermediate is the intermediate that would link the
// client's certificate to a CA the server names, when the client's chain
// lacks it and its CA file holds it: the client's certificate file is
// missing its intermediate.
func (d *diagnosis) missingOwnIntermediate(chain []*x509.Certificate) *x509.Certificate {
	top := chain[len(chain)-1]
	for _, c := range d.o.CA {
		if bytes.Equal(c.RawSubject, top.RawIssuer) && !bytes.Equal(c.RawSubject, c.RawIssuer) &&
			top.CheckSignatureFrom(c) == nil && acceptable([]*x509.Certificate{c}, d.r.accepted) {
			return c
		}
	}
	return nil
}

// acceptable reports whether a chain has a certificate issued by (or
// being) one of the CAs a server listed in its CertificateRequest.
func acceptable(chain []*x509.Certificate, cas [][]byte) bool {
	for _, c := range chain {
		for _, dn := range cas {
			if bytes.Equal(c.RawIssuer, dn) || bytes.Equal(c.RawSubject, dn) {
				return true
			}
		}
	}
	return false
}
