package serve

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
)

// Explain says why a handshake failed, from the server's side: a cause
// of package creds/cause ([cause.Classify]) and a sentence with the
// evidence and the fix.
func Explain(err error, cs tls.ConnectionState) (id, message string) {
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
	id = cause.Classify(err)
	switch id {
	case cause.PlaintextToTLS:
		errors.As(err, &rh)
		return id, fmt.Sprintf("the client spoke plain text, not TLS (it began with %q); point it at the TLS port or enable TLS in the client", printable(rh.RecordHeader[:]))
	case cause.Revoked:
		return id, fmt.Sprintf("the client certificate %s is revoked by the server's CRL; issue the client a new certificate", subject(client()))
	case cause.NotPinned:
		return id, fmt.Sprintf("the client certificate %s matches none of the pinned fingerprints; add its pin (tlscreds fingerprint CERT) or use the pinned certificate", subject(client()))
	case cause.AuthzDenied:
		return id, fmt.Sprintf("%s; add the client's DN (tlscreds inspect CERT prints it) to the allow rules", msg)
	case cause.UnknownCA:
		c := client()
		return id, fmt.Sprintf("the client certificate %s was issued by %q, which the server's CA file does not hold; give the client a certificate from the server's CA, or add its CA to ca-cert.pem", subject(c), issuer(c))
	case cause.Expired:
		c := client()
		if c == nil {
			return id, msg + "; renew the client's certificate or check the clock"
		}
		return id, fmt.Sprintf("the client certificate %s is outside its validity (%s to %s); renew it or check the clock", subject(c), c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	case cause.ClientCertRejected:
		return id, fmt.Sprintf("the client certificate %s does not allow client authentication (extendedKeyUsage lacks clientAuth); reissue it with clientAuth", subject(client()))
	case cause.ClientCertRequired:
		return id, "the client sent no certificate, and this server requires one (verify-peer=on); configure the client's certificate and key — a Go client withholds a certificate whose issuer is not among the server's acceptable CAs"
	case cause.Version:
		return id, fmt.Sprintf("no common TLS version: %s; align the client's and the server's minimum and maximum versions (priority=)", msg)
	case cause.NoSharedCipher:
		return id, fmt.Sprintf("no common cipher suite or group: %s; the client may offer only static-RSA or finite-field DH suites, which Go does not implement", msg)
	case cause.ALPN:
		return id, fmt.Sprintf("no common ALPN protocol: %s", msg)
	case cause.UnrecognizedName:
		return id, fmt.Sprintf("no certificate for the server name %q (strict SNI); add a credential object for it or drop strict SNI", cs.ServerName)
	case cause.Alert:
		if errors.As(err, &oe) && oe.Op == "remote error" {
			return id, fmt.Sprintf("the client rejected the server's certificate (%s); check the client trusts the server's CA and reaches the server by a name in its SANs", oe.Err)
		}
		return id, "the client aborted the handshake after the server's certificate with an alert the server could not decrypt (an OpenSSL client refusing the server's certificate in TLS 1.3 does this); the client's own output says why: check the client trusts the server's CA and reaches the server by a name in its SANs"
	case cause.Timeout:
		return id, "the handshake did not finish in time; the client may be waiting for something else (a STARTTLS preamble, a proxy) or hung"
	case cause.Reset:
		return id, "the client closed the connection during the handshake (a health check, a port scan, or a client that gave up without an alert)"
	}
	return cause.Unexplained, msg
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
