package serve

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// Causes of a failed handshake, as the server sees them. They are IDs of
// the cause registry of package lint/diagnose (a test there holds them to
// it), so `tlscreds explain` and docs/troubleshooting.md describe each.
const (
	CauseNoClientCert   = "handshake-client-cert-required"
	CauseUntrusted      = "handshake-unknown-ca"
	CauseExpired        = "handshake-expired"
	CauseWrongEKU       = "handshake-client-cert-rejected"
	CauseRevoked        = "handshake-revoked"
	CauseNotPinned      = "handshake-not-pinned"
	CauseDenied         = "handshake-authz-denied"
	CauseVersion        = "handshake-version"
	CauseCipher         = "handshake-no-shared-cipher"
	CauseALPN           = "handshake-alpn"
	CausePlaintext      = "handshake-plaintext-to-tls"
	CauseRejectedServer = "handshake-alert"
	CauseTimeout        = "handshake-timeout"
	CauseClosed         = "handshake-reset"
	CauseNoCertForName  = "handshake-unrecognized-name"
	CauseOther          = "handshake-unexplained"
)

// Causes lists every cause Explain can return.
var Causes = []string{
	CauseNoClientCert, CauseUntrusted, CauseExpired, CauseWrongEKU, CauseRevoked, CauseNotPinned,
	CauseDenied, CauseVersion, CauseCipher, CauseALPN, CausePlaintext, CauseRejectedServer,
	CauseTimeout, CauseClosed, CauseNoCertForName, CauseOther,
}

// Cause classifies a server's handshake error: one of Causes. It is the
// one reading of crypto/tls's server-side errors in tlscreds: [Explain]
// words its causes for `tlscreds serve`, and package lint/diagnose's pair
// check turns them into findings.
func Cause(err error) string {
	var (
		rh   tls.RecordHeaderError
		ua   x509.UnknownAuthorityError
		inv  x509.CertificateInvalidError
		oe   *net.OpError
		nerr net.Error
	)
	if err == nil {
		return ""
	}
	msg := err.Error()
	switch {
	case errors.As(err, &rh):
		return CausePlaintext
	case errors.Is(err, creds.ErrRevoked):
		return CauseRevoked
	case errors.Is(err, creds.ErrNotPinned):
		return CauseNotPinned
	case errors.Is(err, creds.ErrAuthzDenied), strings.Contains(msg, "authz check for"):
		return CauseDenied
	case errors.As(err, &ua):
		return CauseUntrusted
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		return CauseExpired
	case errors.As(err, &inv) && inv.Reason == x509.IncompatibleUsage:
		return CauseWrongEKU
	case strings.Contains(msg, "client didn't provide a certificate"):
		return CauseNoClientCert
	case strings.Contains(msg, "unsupported versions"):
		return CauseVersion
	case strings.Contains(msg, "no cipher suite supported"), strings.Contains(msg, "no mutually supported"):
		return CauseCipher
	case strings.Contains(msg, "unsupported application protocols"):
		return CauseALPN
	case strings.Contains(msg, "no certificates configured"):
		return CauseNoCertForName
	case errors.As(err, &oe) && oe.Op == "remote error":
		return CauseRejectedServer
	case errors.As(err, &nerr) && nerr.Timeout():
		return CauseTimeout
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF):
		return CauseClosed
	}
	return CauseOther
}

// Explain says why a handshake failed, from the server's side: a cause
// from the list above ([Cause]) and a sentence with the evidence and the
// fix.
func Explain(err error, cs tls.ConnectionState) (cause, message string) {
	var (
		rh  tls.RecordHeaderError
		cve *tls.CertificateVerificationError
		oe  *net.OpError
	)
	client := func() *x509.Certificate {
		if errors.As(err, &cve) && len(cve.UnverifiedCertificates) > 0 {
			return cve.UnverifiedCertificates[0]
		}
		if len(cs.PeerCertificates) > 0 {
			return cs.PeerCertificates[0]
		}
		return nil
	}
	msg := err.Error()
	cause = Cause(err)
	switch cause {
	case CausePlaintext:
		errors.As(err, &rh)
		return cause, fmt.Sprintf("the client spoke plain text, not TLS (it began with %q); point it at the TLS port or enable TLS in the client", printable(rh.RecordHeader[:]))
	case CauseRevoked:
		return cause, fmt.Sprintf("the client certificate %s is revoked by the server's CRL; issue the client a new certificate", subject(client()))
	case CauseNotPinned:
		return cause, fmt.Sprintf("the client certificate %s matches none of the pinned fingerprints; add its pin (tlscreds fingerprint CERT) or use the pinned certificate", subject(client()))
	case CauseDenied:
		return cause, fmt.Sprintf("%s; add the client's DN (tlscreds inspect CERT prints it) to the allow rules", msg)
	case CauseUntrusted:
		c := client()
		return cause, fmt.Sprintf("the client certificate %s was issued by %q, which the server's CA file does not hold; give the client a certificate from the server's CA, or add its CA to ca-cert.pem", subject(c), issuer(c))
	case CauseExpired:
		c := client()
		if c == nil {
			return cause, msg + "; renew the client's certificate or check the clock"
		}
		return cause, fmt.Sprintf("the client certificate %s is outside its validity (%s to %s); renew it or check the clock", subject(c), c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	case CauseWrongEKU:
		return cause, fmt.Sprintf("the client certificate %s does not allow client authentication (extendedKeyUsage lacks clientAuth); reissue it with clientAuth", subject(client()))
	case CauseNoClientCert:
		return cause, "the client sent no certificate, and this server requires one (verify-peer=on); configure the client's certificate and key — a Go client withholds a certificate whose issuer is not among the server's acceptable CAs"
	case CauseVersion:
		return cause, fmt.Sprintf("no common TLS version: %s; align the client's and the server's minimum and maximum versions (priority=)", msg)
	case CauseCipher:
		return cause, fmt.Sprintf("no common cipher suite or group: %s; the client may offer only static-RSA or finite-field DH suites, which Go does not implement", msg)
	case CauseALPN:
		return cause, fmt.Sprintf("no common ALPN protocol: %s", msg)
	case CauseNoCertForName:
		return cause, fmt.Sprintf("no certificate for the server name %q (strict SNI); add a credential object for it or drop strict SNI", cs.ServerName)
	case CauseRejectedServer:
		errors.As(err, &oe)
		return cause, fmt.Sprintf("the client rejected the server's certificate (%s); check the client trusts the server's CA and reaches the server by a name in its SANs", oe.Err)
	case CauseTimeout:
		return cause, "the handshake did not finish in time; the client may be waiting for something else (a STARTTLS preamble, a proxy) or hung"
	case CauseClosed:
		return cause, "the client closed the connection during the handshake (a health check, a port scan, or a client that gave up without an alert)"
	}
	return CauseOther, msg
}

func clientName(cs tls.ConnectionState) string {
	if len(cs.PeerCertificates) == 0 {
		return ""
	}
	return subject(cs.PeerCertificates[0])
}

func subject(c *x509.Certificate) string {
	if c == nil {
		return "(none)"
	}
	if dn, err := creds.DN(c.RawSubject); err == nil {
		return fmt.Sprintf("%q", dn)
	}
	return fmt.Sprintf("%q", c.Subject.String())
}

func issuer(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	if dn, err := creds.DN(c.RawIssuer); err == nil {
		return dn
	}
	return c.Issuer.String()
}

func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r < 32 || r > 126 {
			return '.'
		}
		return r
	}, string(b))
}
