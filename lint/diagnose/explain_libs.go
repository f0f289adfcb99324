package diagnose

import (
	"slices"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// libraryPatterns are the words of TLS libraries that servers and
// clients embed and print as they are: mbedTLS 2.28's error strings
// (mbedtls_strerror: "SSL - ...", "X509 - ...") and certificate status
// lines (mbedtls_x509_crt_verify_info), wolfSSL 5.5's reason strings
// ("-NNN text") and NSS's error names in a server's log. The phrases are
// the libraries' own, read from Debian 12's libmbedtls14, libmbedx509-1
// and libwolfssl35; where a server logs them and what they meant there
// was measured with lighttpd's mod_mbedtls, mod_wolfssl and mod_nss
// (round 32).
func libraryPatterns() []*pattern {
	return []*pattern{
		// mbedTLS's errors (library/error.c).
		{source: "mbedTLS", re: re(`No client certification received from the client, but required by the authentication mode`), side: sideServerSees, meaning: "the server requires a client certificate (authmode required) and the client sent none; Go and Java clients withhold a certificate whose issuer is not among the CAs the server names", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}},
		{source: "mbedTLS", re: re(`The server has no ciphersuites in common with the client|None of the common ciphersuites is usable`), side: sideEither, meaning: "no cipher suite that both sides allow and the server's certificate can serve", causes: []string{cause.NoSharedCipher, cause.Version}},
		{source: "mbedTLS", re: re(`Handshake protocol not within min/max boundaries`), side: sideEither, meaning: "the peer's TLS version is outside the versions this side allows (mbedTLS 2.28 has no TLS 1.3)", causes: []string{cause.Version}},
		{source: "mbedTLS", re: re(`The own (?:private key or pre-shared key|certificate) is not set, but needed`), side: sideEither, meaning: "this side has no certificate or key to use: its files were not loaded", causes: []string{cause.LoadFailed}},
		{source: "mbedTLS", re: re(`X509 - Certificate verification failed, e\.g\. CRL, CA or signature check failed`), side: sideVerifier, meaning: "mbedTLS refused the peer's certificate (its status lines, where printed, say why)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch, cause.SelfSigned}, refine: byPrinterRefine("the server refused the client's certificate: its issuer is not one the server trusts, or it is expired or revoked", []string{cause.ClientCertRejected, cause.Expired, cause.Revoked})},
		// The peer's alert, which mbedTLS does not name: in a server's
		// log the client refused the server's certificate (measured:
		// lighttpd's mod_mbedtls with a missing intermediate, round 32).
		{source: "mbedTLS", re: re(`A fatal alert message was received from our peer`), side: sideEither, meaning: "the peer aborted the handshake with a fatal alert that mbedTLS does not name", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.NoSharedCipher, cause.Version, cause.Alert}, refine: byPrinterRefine("the client aborted the handshake with an alert: most often it refused the server's certificate (the client's own output says why)", append(serverCertRefusedCauses(), cause.Version, cause.NoSharedCipher))},
		{source: "mbedTLS", re: re(`SSL - The connection indicated an EOF`), side: sideTransport, meaning: "the peer closed the connection without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "mbedTLS", re: re(`The certificate validity has expired`), side: sideVerifier, meaning: "a certificate on the peer's chain has expired", causes: []string{cause.Expired}},
		{source: "mbedTLS", re: re(`The certificate validity starts in the future`), side: sideVerifier, meaning: "a certificate on the peer's chain is not valid yet (a clock is off)", causes: []string{cause.NotYetValid}},
		{source: "mbedTLS", re: re(`The certificate Common Name \(CN\) does not match with the expected CN`), side: sideClientSees, meaning: "the server's certificate does not cover the name the client asked for", causes: []string{cause.NameMismatch}},
		{source: "mbedTLS", re: re(`The certificate is not correctly signed by the trusted CA`), side: sideVerifier, meaning: "no trusted CA signed the peer's certificate: an unknown CA, a missing intermediate or a self-signed certificate", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}},
		{source: "mbedTLS", re: re(`The certificate has been revoked \(is on a CRL\)`), side: sideVerifier, meaning: "the peer's certificate is on the verifier's CRL", causes: []string{cause.Revoked}},
		{source: "mbedTLS", re: re(`The certificate is signed with an unacceptable (?:hash|PK alg|key)`), side: sideVerifier, meaning: "a certificate on the peer's chain is signed with a hash or key the verifier's profile refuses", causes: []string{cause.Weak}},
		// lighttpd's mod_mbedtls before the error it logs for a client
		// certificate it refused (measured, round 32).
		{source: "lighttpd", re: re(`MTLS: client cert not trusted`), side: sideServerSees, meaning: "lighttpd (mod_mbedtls) refused the client's certificate: its issuer is not in ssl.ca-file, or it is expired or revoked", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}},

		// wolfSSL's reason strings (wolfSSL_ERR_reason_error_string), as
		// "-NNN text".
		{source: "wolfSSL", re: re(`record layer version error`), side: sideEither, meaning: "the peer's record or ClientHello version is one this side does not allow (measured: wolfSSL with TLS 1.3 only against TLS 1.2 clients, round 32)", causes: []string{cause.Version}},
		// A record header that does not parse: plain text read as TLS
		// (measured: an http:// request to lighttpd's mod_wolfssl, round 32).
		{source: "wolfSSL", re: re(`-306 parse error on header|\bparse error on header\b`), side: sideEither, meaning: "what arrived is not a TLS record", causes: []string{cause.NotTLS, cause.PlaintextToTLS, cause.Reset}, refine: byPrinterRefine("what the client sent is not TLS: plain text (an http:// request) to the TLS port", []string{cause.PlaintextToTLS, cause.Reset, cause.NotTLS})},
		{source: "wolfSSL", re: re(`ASN date error, current date after`), side: sideVerifier, meaning: "a certificate on the peer's chain has expired", causes: []string{cause.Expired}},
		{source: "wolfSSL", re: re(`ASN date error, current date before`), side: sideVerifier, meaning: "a certificate on the peer's chain is not valid yet (a clock is off)", causes: []string{cause.NotYetValid}},
		{source: "wolfSSL", re: re(`ASN no signer error to confirm failure`), side: sideVerifier, meaning: "no CA the verifier trusts signed the peer's certificate: an unknown CA, a missing intermediate or a self-signed certificate", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}},
		{source: "wolfSSL", re: re(`peer (?:subject name|ip address) mismatch`), side: sideClientSees, meaning: "the server's certificate does not cover the name the client asked for", causes: []string{cause.NameMismatch}},
		{source: "wolfSSL", re: re(`can't match cipher suite`), side: sideEither, meaning: "no cipher suite in common", causes: []string{cause.NoSharedCipher, cause.Version}},
		{source: "wolfSSL", re: re(`(?:OCSP|CRL) Cert revoked`), side: sideVerifier, meaning: "the peer's certificate is revoked", causes: []string{cause.Revoked}},
		{source: "wolfSSL", re: re(`(?:RSA|ECC) key too small`), side: sideVerifier, meaning: "the peer's key is shorter than wolfSSL's minimum", causes: []string{cause.Weak}},

		// NSS in a server's log: the client's next record after the
		// server's flight was not what NSS expected, an alert it could
		// not read: the client refused the server's certificate or its
		// signature (measured: lighttpd's mod_nss with a name the clients
		// refused and with a key that is not its certificate's, round
		// 32). From a client, the server's answer was not TLS.
		{source: "NSS", re: re(`SSL_ERROR_RX_UNEXPECTED_RECORD_TYPE|SSL received an unexpected record type`), side: sideEither, meaning: "a TLS record arrived that NSS did not expect at this point of the handshake", causes: []string{cause.NotTLS, cause.Reset}, refine: byPrinterRefine("the client aborted the handshake after the server's certificate with an alert NSS did not expect: it refused the server's certificate, or its signature made with a key that is not the certificate's (the client's own output says why)", serverCertRefusedCauses())},
	}
}

// byPrinterRefine gives a message the meaning and causes it has in a
// server's log when a server printed it: the same words are about the
// other side there.
func byPrinterRefine(meaning string, inServerLog []string) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, _ []string, text string) bool {
		if printedBy(text) == "server" {
			e.Side = sideServerSees
			if len(inServerLog) > 0 && inServerLog[0] == cause.UnknownCA {
				e.Side = sideServerRefused
			}
			e.Meaning = meaning
			e.Causes = slices.Clone(inServerLog)
		}
		return true
	}
}

// rsyslogPatterns are rsyslog 8.2302's words about syslog over TLS, from
// its two stream drivers as they log them (the strings read from Debian
// 12's lmnsd_gtls.so and lmnsd_ossl.so; measured as a server, imtcp, and
// as a forwarding client, omfwd, in round 34). Both sides are rsyslogd:
// who printed a line is in its words (omfwd's and "Client" for the
// forwarder, the netstream session "from" a host and "remote client" for
// the receiver).
func rsyslogPatterns() []*pattern {
	return []*pattern{
		// nsd_gtls's verdict on the peer's certificate.
		{source: "rsyslog", re: re(`not permitted to talk to peer, certificate invalid: (signer not found|certificate expired|certificate revoked|insecure algorithm|signer is not a CA)`), side: sideVerifier, meaning: "rsyslog (gtls) refused the peer's certificate: $1", refine: rsyslogInvalidRefine},
		{source: "rsyslog", re: re(`not permitted to talk to peer: certificate \d+ not yet active`), side: sideVerifier, meaning: "rsyslog (gtls) refused the peer's certificate: it is not valid yet (a clock is off)", causes: []string{cause.NotYetValid}},
		{source: "rsyslog", re: re(`(?:peer did not provide a certificate, not permitted to talk to it|Peer check failed, peer did not provide a certificate)`), side: sideServerSees, meaning: "the receiver requires a certificate from the sender (StreamDriver.Authmode x509/certvalid or x509/name) and the sender sent none", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}, fix: "give the sending rsyslogd its certificate and key (DefaultNetstreamDriverCertFile / KeyFile, or the action's StreamDriver.CertFile / KeyFile) issued by a CA in the receiver's CA file"},
		// x509/name: the peer's names against PermittedPeer. The sender
		// checks the receiver's certificate's names (a name mismatch);
		// a receiver checks the sender's against its PermittedPeer list.
		{source: "rsyslog", re: re(`peer name not authorized,? -? *not permitted to talk to`), side: sideVerifier, meaning: "rsyslog (StreamDriverAuthMode x509/name) found none of the peer certificate's names among its permitted peers", causes: []string{cause.NameMismatch, cause.AuthzDenied}, fix: "make the peer's certificate carry a name in the permitted peers (StreamDriverPermittedPeers on the action, PermittedPeer on imtcp), or list the name it has", refine: byPrinterRefine("the receiver (imtcp, StreamDriver.Authmode x509/name) found none of the sender's certificate's names among its PermittedPeer list", []string{cause.AuthzDenied, cause.ClientCertRejected})},
		// omfwd's words for the receiver hanging up: a sender without
		// a certificate of its own (rsyslog warns that it has none) was
		// refused for that.
		{source: "rsyslog", re: re(`omfwd: remote server at \S+ seems to have closed connection`), side: sideClientSees, meaning: "the receiver closed the connection: during the TLS handshake it refused the sender (no certificate, or one it does not trust), or it does not speak TLS there", causes: []string{cause.Reset}, refine: rsyslogSenderRefine},
		{source: "rsyslog", first: true, re: re(`Error in 'Send'[^\n]*sslapi='SSL_write'`), side: sideClientSees, meaning: "the sender's first write after the handshake failed: the receiver had already hung up, as a TLS 1.3 server does after refusing the client's certificate", causes: []string{cause.ClientCertRejected}, refine: rsyslogSenderRefine},
	}
}

// rsyslogInvalidRefine reads nsd_gtls's reason; in the receiver's log it
// is about the sender's certificate.
func rsyslogInvalidRefine(e *Explanation, sub []string, text string) bool {
	switch sub[1] {
	case "signer not found":
		e.Causes = []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}
	case "certificate expired":
		e.Causes = []string{cause.Expired}
	case "certificate revoked":
		e.Causes = []string{cause.Revoked}
	case "insecure algorithm":
		e.Causes = []string{cause.Weak}
	default:
		e.Causes = []string{cause.CAInvalid}
	}
	if printedBy(text) == "server" && sub[1] == "signer not found" {
		e.Causes = []string{cause.ClientCertRejected}
	}
	return true
}

// rsyslogSenderRefine orders a sender's hang-up by whether it had a
// certificate of its own: rsyslog warns when it has none.
func rsyslogSenderRefine(e *Explanation, _ []string, text string) bool {
	if rsyslogNoCert.MatchString(text) {
		e.Causes = []string{cause.ClientCertRequired, cause.Reset, cause.NotTLS}
		return true
	}
	e.Causes = []string{cause.ClientCertRejected, cause.Expired, cause.Revoked, cause.ClientCertRequired, cause.Reset}
	return true
}

var rsyslogNoCert = lazyregexp.New(`(?i)warning: certificate file is not set`)

// zabbixPatterns are the Zabbix agent's and zabbix_sender's words about
// their TLS (GnuTLS builds in Debian 12; strings read from zabbix_agentd
// and measured in round 36). The agent's log says "zbx_tls_accept" and
// "failed to accept an incoming connection"; the sender's, with -vv,
// "zbx_tls_connect".
func zabbixPatterns() []*pattern {
	return []*pattern{
		{source: "Zabbix", first: true, re: re(`from \S+: unencrypted connections are not allowed`), side: sideServerSees, meaning: "the agent accepts only TLS (TLSAccept=cert or psk) and the peer connected without it", causes: []string{cause.PlaintextToTLS}, fix: "make the peer use TLS (zabbix_get / zabbix_sender --tls-connect cert with --tls-ca-file, --tls-cert-file and --tls-key-file; the server's host interface encryption settings), or add unencrypted to the agent's TLSAccept"},
		{source: "Zabbix", first: true, re: re(`from \S+: TLS connections are not allowed`), side: sideServerSees, meaning: "the agent accepts only unencrypted connections (TLSAccept=unencrypted) and the peer started TLS", causes: []string{cause.NotTLS}, fix: "set the agent's TLSAccept=cert (with TLSCAFile, TLSCertFile and TLSKeyFile), or make the peer connect without TLS"},
		{source: "Zabbix", re: re(`connection from "[^"]*" rejected, allowed hosts: "[^"]*"`), side: sideServerSees, meaning: "the agent refused a peer that is not in its Server= list before any TLS", causes: []string{cause.AuthzDenied}, fix: "add the peer's address to the agent's Server= list"},
		{source: "Zabbix", re: re(`certificate (?:issuer|subject) does not match for`), side: sideVerifier, meaning: "the peer's certificate is not the one TLSServerCertIssuer / TLSServerCertSubject (or --tls-agent-cert-issuer / subject) names", causes: []string{cause.AuthzDenied, cause.NotPinned}},
		// The agent closing a session the peer had already left: a
		// sender that refused the agent's certificate hangs up first.
		{source: "Zabbix", re: re(`gnutls_bye\(\) with \S+ returned error code: -(?:53|110) `), side: sideServerRefused, meaning: "the peer had left when the agent closed the TLS session: a client that refused the agent's certificate hangs up so (its own output says why), or one that hung up early", causes: append(serverCertRefusedCauses(), cause.Reset)},
		// The agent's GnuTLS found no client certificate where the
		// handshake needed one: a client that has none, one that
		// withholds it (GnuTLS clients send none that the agent's CA list
		// does not name), or one that aborted before its certificate
		// because it refused the agent's (measured: zabbix_sender
		// refusing an expired, unknown or incomplete agent chain logs so
		// in some runs, gnutls_bye's push error in others, round 36).
		{source: "Zabbix", re: re(`zbx_tls_accept\(\) gnutls_handshake\(\) returned: -49 No certificate was found`), side: sideServerSees, meaning: "the agent (TLSAccept=cert) got no certificate from the client: it has none, it withheld one the agent's CA does not issue, or it aborted the handshake after refusing the agent's certificate", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.UnknownCA, cause.Expired, cause.MissingIntermediate, cause.NameMismatch}, fix: "read the client's own error (zabbix_sender -vv names a certificate it refused); give the client a certificate issued by the agent's TLSCAFile (--tls-cert-file, --tls-key-file) if it has none"},
		// zabbix_sender (and zabbix_get) reading nothing back.
		{source: "Zabbix", re: re(`incorrect answer from "[^"]*": \[\]`), side: sideClientSees, meaning: "the agent closed the connection without an answer: it refuses unencrypted connections (TLSAccept=cert) or the sender's address (Server=), or it does not take this request", causes: []string{cause.PlaintextToTLS, cause.AuthzDenied, cause.Truncated}},
	}
}
