package diagnose

import (
	"bytes"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/certname"
	"github.com/tlscreds/tlscreds/lint"
)

// verifier is one side checking the other's certificate chain: what it
// holds, and whose chain it is, for explaining a failure in plain words.
type verifier struct {
	// subject is whose certificate is checked (server or client); object
	// and file name it in findings.
	subject      lint.Subject
	object, file string
	certs        []*x509.Certificate // as the peer sent them, leaf first
	// ca is the verifier's CA bundle (nil: the system roots), from caFile.
	ca     []*x509.Certificate
	caFile string
	// known are certificates the verifier holds that are not trust
	// anchors (its own identity chain), where a missing intermediate may
	// be found; knownFile names where they come from.
	known     []*x509.Certificate
	knownFile string
	// fetched is the issuer fetched from the caIssuers URL (diagnose).
	fetched *IssuerFetch
	name    string // the name checked; "" for client certificates
	now     time.Time
	lax     bool // verify-peer=off: failures are warnings
}

// whose is "the server's" or "the client's".
func (v *verifier) whose() string { return string(v.subject) + "'s" }

// other is the verifying side.
func (v *verifier) other() string {
	if v.subject == lint.SubjectServer {
		return "the client"
	}
	return "the server"
}

func (v *verifier) sev() lint.Severity {
	if v.lax {
		return lint.Warning
	}
	return lint.Error
}

func (v *verifier) add(id, msg string, rules ...string) lint.Finding {
	if v.lax {
		msg += "; verify-peer=off, so the connection goes ahead anyway, unauthenticated"
	}
	return finding(id, v.sev(), v.subject, v.object, v.file, msg, rules...)
}

// explain turns a verification error into findings.
func (v *verifier) explain(err error) []lint.Finding {
	var (
		he  x509.HostnameError
		cie x509.CertificateInvalidError
		uae x509.UnknownAuthorityError
		uce x509.UnhandledCriticalExtension
		ia  x509.InsecureAlgorithmError
	)
	switch {
	case errors.As(err, &he):
		return []lint.Finding{v.hostname(he)}
	case errors.As(err, &cie):
		return []lint.Finding{v.invalid(cie)}
	case errors.As(err, &uae):
		return []lint.Finding{v.unknownAuthority(uae)}
	case errors.As(err, &uce):
		return []lint.Finding{v.add(cause.CertInvalid, fmt.Sprintf("a certificate in the %s chain has a critical extension %s does not understand, so it refuses the chain (%v)", v.whose(), v.other(), unwrapVerify(err)), "cert-unknown-critical-extension")}
	case errors.As(err, &ia):
		return []lint.Finding{v.add(cause.Weak, fmt.Sprintf("the %s chain uses %v, which %s refuses", v.whose(), ia, v.other()), "cert-weak-signature")}
	}
	return []lint.Finding{v.add(cause.CertInvalid, fmt.Sprintf("%s refuses the %s certificate %s: %v", v.other(), v.whose(), certname.Of(v.certs[0]), unwrapVerify(err)))}
}

// unwrapVerify drops crypto/tls's "tls: failed to verify certificate: ".
func unwrapVerify(err error) error {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return cve.Err
	}
	return err
}

func (v *verifier) hostname(he x509.HostnameError) lint.Finding {
	c := he.Certificate
	host := he.Host
	if !hasSAN(c) {
		cn := c.Subject.CommonName
		match := "it is not the name the client connects to either"
		if strings.EqualFold(cn, host) {
			match = "it is the name the client connects to, but modern verifiers never look at the CN"
		}
		return v.add(cause.CNOnly, fmt.Sprintf("the server's certificate %s has no subjectAltName, only the common name %q (%s); Go refuses it (\"certificate relies on legacy Common Name field\"); measured on Debian 12, openssl s_client -verify_hostname, curl 7.88, GnuTLS 3.7 (hence QEMU), Python 3.11 and Java 17 accepted a CN-only certificate whose CN matched; add %q as a SAN", certname.Of(c), cn, match, host))
	}
	msg := fmt.Sprintf("the server's certificate %s is not valid for %q: it lists %s", certname.Of(c), host, sanList(c))
	if ip := net.ParseIP(host); ip != nil {
		if len(c.IPAddresses) == 0 {
			msg += fmt.Sprintf("; %s is an IP address, and an IP address matches only IP address SANs (never a DNS name or the CN), of which the certificate has none", host)
		} else {
			msg += fmt.Sprintf("; %s is not among its IP address SANs", host)
		}
		if len(c.DNSNames) > 0 {
			msg += fmt.Sprintf("; connect by one of its DNS names (--servername %s) or add --ip %s to the certificate", c.DNSNames[0], host)
		}
	} else {
		for _, d := range c.DNSNames {
			if strings.HasPrefix(strings.ToLower(d), strings.ToLower(host)+".") {
				msg += fmt.Sprintf("; %q is the short form of %q, which the certificate lists: connect by the full name or add the short one", host, d)
				break
			}
			if rest, ok := strings.CutPrefix(d, "*."); ok && (strings.EqualFold(host, rest) || strings.HasSuffix(strings.ToLower(host), "."+strings.ToLower(rest)) && strings.Count(host, ".") > strings.Count(d, ".")) {
				msg += fmt.Sprintf("; the wildcard %q covers exactly one label, so not %q", d, host)
				break
			}
		}
		if net.ParseIP(host) == nil && len(c.DNSNames) == 0 && len(c.IPAddresses) > 0 {
			msg += fmt.Sprintf("; the certificate names only IP addresses: connect by %s or add the DNS name", c.IPAddresses[0])
		}
	}
	return v.add(cause.NameMismatch, msg)
}

func (v *verifier) invalid(cie x509.CertificateInvalidError) lint.Finding {
	c := cie.Cert
	which := v.describe(c)
	switch cie.Reason {
	case x509.Expired:
		return v.validity(c, which)
	case x509.IncompatibleUsage:
		if v.subject == lint.SubjectServer {
			return v.add(cause.ServerEKU, fmt.Sprintf("%s is not allowed for TLS servers: its extendedKeyUsage is %s, without serverAuth", which, ekuList(v.certs[0])))
		}
		return v.add(cause.ClientCertRejected, fmt.Sprintf("%s is not allowed for TLS clients: its extendedKeyUsage is %s, without clientAuth", which, ekuList(v.certs[0])), "leaf-eku-wrong-purpose")
	case x509.NotAuthorizedToSign:
		return v.add(cause.CAInvalid, fmt.Sprintf("%s signs certificates but is not a CA (basicConstraints CA:TRUE missing)", which), "ca-not-ca")
	}
	return v.add(cause.CertInvalid, fmt.Sprintf("%s is refused: %v", which, cie))
}

// validity words an expired or not-yet-valid certificate, with a clock
// hint when the gap is under a day.
func (v *verifier) validity(c *x509.Certificate, which string) lint.Finding {
	now := v.now.UTC()
	if now.Before(c.NotBefore) {
		gap := c.NotBefore.Sub(now)
		msg := fmt.Sprintf("%s is valid only from %s; %s's clock says %s, %s earlier", which, stamp(c.NotBefore), v.other(), stamp(now), human(gap))
		if gap < 24*time.Hour {
			msg += "; a gap under a day usually means clock skew: the CA host's clock is ahead or the verifier's behind (check both with timedatectl)"
		}
		return v.add(cause.NotYetValid, msg)
	}
	gap := now.Sub(c.NotAfter)
	msg := fmt.Sprintf("%s expired on %s; %s's clock says %s, %s later", which, stamp(c.NotAfter), v.other(), stamp(now), human(gap))
	if gap < 24*time.Hour {
		msg += "; it expired less than a day ago: if it was just renewed, the new file has not been loaded (QEMU reads it only when the object is created or reloaded), or a clock is off"
	}
	return v.add(cause.Expired, msg)
}

// describe names a certificate of the chain by its role.
func (v *verifier) describe(c *x509.Certificate) string {
	if len(v.certs) > 0 && c.Equal(v.certs[0]) {
		return fmt.Sprintf("the %s certificate %s", v.whose(), certname.Of(c))
	}
	for _, x := range v.ca {
		if c.Equal(x) {
			return fmt.Sprintf("the CA certificate %s in %s's CA file%s", certname.Of(c), v.other(), fileSuffix(v.caFile))
		}
	}
	return fmt.Sprintf("the CA certificate %s in the %s chain", certname.Of(c), v.whose())
}

// unknownAuthority tells an unknown CA from a missing intermediate, a
// self-signed certificate, a CA that may not sign and a weak signature.
func (v *verifier) unknownAuthority(uae x509.UnknownAuthorityError) lint.Finding {
	path := presentedPath(v.certs)
	top := path[len(path)-1]
	for _, c := range path[1:] {
		if !c.BasicConstraintsValid || !c.IsCA || c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			return v.add(cause.CAInvalid, fmt.Sprintf("%s issued %s, but it may not sign certificates: %s; verifiers look past it for an issuer and find none (OpenSSL and GnuTLS then say the issuer is unknown)", v.describe(c), certname.Of(v.certs[0]), caDefect(c)), caDefectRule(c))
		}
	}
	if weak := weakLink(path); weak != nil {
		return v.add(cause.Weak, fmt.Sprintf("%s is signed with %s, which %s refuses (Go by default since 1.18 and with no override since 1.24; GnuTLS 3.7 and OpenSSL 3 at their default levels; measured: Java 17 accepted it)", v.describe(weak), weak.SignatureAlgorithm, v.other()), "cert-weak-signature")
	}
	if creds.SelfSigned(top) {
		if len(path) == 1 {
			msg := fmt.Sprintf("the %s certificate %s is self-signed, and %s's %s does not hold it", v.whose(), certname.Of(top), v.other(), v.trustStore())
			if sameName := v.caNamed(top.RawSubject); len(sameName) > 0 {
				msg += fmt.Sprintf("; the CA file has a certificate of the same name with another key: the %s certificate was regenerated since the file was copied", v.whose())
			}
			return v.add(cause.SelfSigned, msg)
		}
		return v.add(cause.UnknownCA, fmt.Sprintf("the %s chain ends at the root %s, which is not in %s's %s%s", v.whose(), certname.Of(top), v.other(), v.trustStore(), v.caListing()), "chain-no-issuer")
	}
	// The top of what was sent is issued by someone: look for that issuer
	// in the CA file first (a CA that cannot sign, a look-alike), then
	// among the certificates the verifier holds that are not anchors.
	for _, c := range issuersByName(top, v.ca) {
		switch err := top.CheckSignatureFrom(c); {
		case err == nil:
			// Signed by a CA we trust, yet Verify refused: not a chain problem.
			return v.add(cause.CertInvalid, fmt.Sprintf("%s is issued by %s, which %s trusts, but the chain is still refused: %v", v.describe(top), certname.Of(c), v.other(), uae))
		case errors.As(err, new(x509.InsecureAlgorithmError)):
			return v.add(cause.Weak, fmt.Sprintf("%s is signed with %s, which %s refuses", v.describe(top), top.SignatureAlgorithm, v.other()), "cert-weak-signature")
		case errors.As(err, new(x509.ConstraintViolationError)):
			return v.add(cause.CAInvalid, fmt.Sprintf("%s is issued by %s from %s's CA file%s, but that CA may not sign certificates: %s", v.describe(top), certname.Of(c), v.other(), fileSuffix(v.caFile), caDefect(c)), caDefectRule(c))
		default:
			return v.add(cause.UnknownCA, fmt.Sprintf("%s names %s as its issuer, and %s's CA file%s holds a CA of that name, but with another key: its signature does not verify (%v); the CA was regenerated, or the file holds an old copy", v.describe(top), certname.Issuer(top), v.other(), fileSuffix(v.caFile), err), "chain-signature-invalid")
		}
	}
	for _, c := range issuersByName(top, v.known) {
		if top.CheckSignatureFrom(c) != nil {
			continue
		}
		msg := fmt.Sprintf("the %s certificate %s is issued by the intermediate CA %s, which the %s does not send (it sent %d certificate(s)); %s has that intermediate in %s but does not use it as a trust anchor",
			v.whose(), certname.Of(v.certs[0]), certname.Of(c), v.subject, len(v.certs), v.other(), orWord(v.knownFile, "its own certificate file"))
		if v.ca != nil {
			pool := x509.NewCertPool()
			for _, a := range v.ca {
				pool.AddCert(a)
			}
			if _, err := c.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: v.now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err == nil {
				msg += fmt.Sprintf("; with it, the chain reaches a CA in %s", orWord(v.caFile, "the CA file"))
			}
		}
		return v.add(cause.MissingIntermediate, msg)
	}
	if f := v.fetched; f != nil && f.cert != nil && f.Issues {
		if f.Trusted {
			return v.add(cause.MissingIntermediate, fmt.Sprintf("%s is issued by the intermediate CA %s, which the %s does not send (it sent %d certificate(s)); fetched from the certificate's caIssuers URL %s, it chains to a CA in %s's %s: the %s must send it after its certificate (browsers fetch it; OpenSSL, GnuTLS, Go, Python and Java clients at their defaults do not)",
				v.describe(top), certname.Of(f.cert), v.subject, len(v.certs), f.URL, v.other(), v.trustStore(), v.subject))
		}
		return v.add(cause.UnknownCA, fmt.Sprintf("%s is issued by %s, which the %s does not send; fetched from the certificate's caIssuers URL %s, it does not chain to a CA in %s's %s%s either",
			v.describe(top), certname.Of(f.cert), v.subject, f.URL, v.other(), v.trustStore(), v.caListing()), "chain-no-issuer")
	}
	if len(top.IssuingCertificateURL) > 0 {
		msg := fmt.Sprintf("%s is issued by %s, which the %s does not send; the certificate says its issuer can be fetched from %s, so it is an intermediate CA the %s should send with its certificate",
			v.describe(top), certname.Issuer(top), v.subject, top.IssuingCertificateURL[0], v.subject)
		if f := v.fetched; f != nil && f.Error != "" {
			msg += " (fetching it failed: " + f.Error + ")"
		}
		return v.add(cause.MissingIntermediate, msg)
	}
	msg := fmt.Sprintf("%s is issued by %s%s, which is neither sent by the %s nor in %s's %s%s", v.describe(top), certname.Issuer(top), akiSuffix(top), v.subject, v.other(), v.trustStore(), v.caListing())
	if len(v.certs) == 1 && v.ca != nil {
		msg += fmt.Sprintf("; if %s is an intermediate CA below one of those, the %s must send it after its certificate (missing intermediate)", certname.Issuer(top), v.subject)
	}
	return v.add(cause.UnknownCA, msg)
}

// warnings are findings about a chain that verified: things that work
// here and break elsewhere.
func (v *verifier) warnings(chains [][]*x509.Certificate) []lint.Finding {
	var fs []lint.Finding
	if len(chains) > 0 {
		chain := chains[0]
		anchor := chain[len(chain)-1]
		sent := slices.ContainsFunc(v.certs, anchor.Equal)
		switch {
		case len(chain) == 1 && creds.SelfSigned(anchor):
			fs = append(fs, finding(cause.SelfSigned, lint.Warning, v.subject, v.object, v.file,
				fmt.Sprintf("the %s certificate %s is self-signed and trusted only because %s's CA file holds the certificate itself; QEMU refuses a self-signed leaf at load", v.whose(), certname.Of(anchor), v.other())))
		case !creds.SelfSigned(anchor) && !sent:
			fs = append(fs, finding(cause.MissingIntermediate, lint.Warning, v.subject, v.object, v.file,
				fmt.Sprintf("the %s does not send the intermediate CA %s; %s accepts the chain only because its CA file%s holds that intermediate itself, so peers that trust only the root will refuse it", v.subject, certname.Of(anchor), v.other(), fileSuffix(v.caFile))))
		}
	}
	for _, c := range v.certs {
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
			// Measured (fixtures/recorder, openssl-rsa1024-leaf): OpenSSL
			// 3.0 at its default security level 2 refuses it in
			// openssl s_client, curl 7.88 and Python 3.11 ("EE certificate
			// key too weak"); GnuTLS 3.7, Go and Java 17 accepted it.
			fs = append(fs, finding(cause.Weak, v.sev(), v.subject, v.object, v.file,
				fmt.Sprintf("%s has an RSA key of %d bits: OpenSSL 3 at its default security level 2 refuses keys under 2048 bits, so openssl s_client, curl and Python's ssl (Debian 12) fail with \"EE certificate key too weak\" (measured); GnuTLS 3.7, Go and Java 17 accept it", v.describe(c), k.N.BitLen()), "key-rsa-too-small"))
		}
	}
	return fs
}

func (v *verifier) trustStore() string {
	if v.ca == nil {
		return "system trust store"
	}
	return "CA file" + fileSuffix(v.caFile)
}

// caListing names the CAs the verifier trusts, for "not among these".
func (v *verifier) caListing() string {
	if len(v.ca) == 0 {
		return ""
	}
	names := make([]string, 0, len(v.ca))
	for _, c := range v.ca {
		names = append(names, certname.Of(c))
	}
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("and %d more", len(names)-5))
	}
	return " (it holds " + strings.Join(names, ", ") + ")"
}

func (v *verifier) caNamed(raw []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range v.ca {
		if bytes.Equal(c.RawSubject, raw) {
			out = append(out, c)
		}
	}
	return out
}

// presentedPath follows the chain as sent from the leaf ([creds.Walk]
// over the sent certificates, the one whose key verifies preferred) and
// stops at a self-signed certificate or where no sent certificate is the
// issuer. An issuer whose signature check fails only for a weak algorithm
// still belongs to the path; one whose key does not verify does not.
func presentedPath(certs []*x509.Certificate) []*x509.Certificate {
	w := creds.Walk{Pools: []creds.Pool{{From: "chain", Certs: certs}}, PreferVerified: true}
	var path []*x509.Certificate
	for _, l := range w.From(certs[0], "leaf") {
		if l.Status != creds.LinkOK && l.Status != creds.LinkInsecure {
			break
		}
		path = append(path, l.Cert)
	}
	return path
}

// issuersByName returns the certificates of pool with c's issuer name
// (key identifiers are not compared: a same-name CA with another key is
// exactly what the caller wants to find).
func issuersByName(c *x509.Certificate, pool []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, x := range pool {
		if bytes.Equal(c.RawIssuer, x.RawSubject) && !x.Equal(c) {
			out = append(out, x)
		}
	}
	return out
}

// weakLink returns the first certificate on path signed with MD5 or SHA-1.
func weakLink(path []*x509.Certificate) *x509.Certificate {
	for _, c := range path {
		switch c.SignatureAlgorithm {
		case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
			if !creds.SelfSigned(c) || len(path) == 1 {
				return c
			}
		}
	}
	return nil
}

func caDefect(c *x509.Certificate) string {
	switch {
	case !c.BasicConstraintsValid:
		return "it has no basicConstraints extension"
	case !c.IsCA:
		return "its basicConstraints say CA:FALSE"
	case c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0:
		return "its keyUsage lacks keyCertSign"
	}
	return "its extensions forbid signing certificates"
}

func caDefectRule(c *x509.Certificate) string {
	switch {
	case !c.BasicConstraintsValid:
		return "ca-missing-basic-constraints"
	case !c.IsCA:
		return "ca-not-ca"
	}
	return "ca-key-usage-no-cert-sign"
}
