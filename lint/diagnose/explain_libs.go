package diagnose

import "github.com/tlscreds/tlscreds/creds/cause"

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
		{source: "mbedTLS", re: re(`X509 - Certificate verification failed, e\.g\. CRL, CA or signature check failed`), side: sideVerifier, meaning: "mbedTLS refused the peer's certificate (its status lines, where printed, say why)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch, cause.SelfSigned}, refine: byPrinterRefine(sideServerSees, "the server refused the client's certificate: its issuer is not one the server trusts, or it is expired or revoked", []string{cause.ClientCertRejected, cause.Expired, cause.Revoked})},
		// The peer's alert, which mbedTLS does not name: in a server's
		// log the client refused the server's certificate (measured:
		// lighttpd's mod_mbedtls with a missing intermediate, round 32).
		{source: "mbedTLS", re: re(`A fatal alert message was received from our peer`), side: sideEither, meaning: "the peer aborted the handshake with a fatal alert that mbedTLS does not name", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.NoSharedCipher, cause.Version, cause.Alert}, refine: byPrinterRefine(sideServerRefused, "the client aborted the handshake with an alert: most often it refused the server's certificate (the client's own output says why)", append(serverCertRefusedCauses(), cause.Version, cause.NoSharedCipher))},
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
		{source: "wolfSSL", re: re(`-306 parse error on header|\bparse error on header\b`), side: sideEither, meaning: "what arrived is not a TLS record", causes: []string{cause.NotTLS, cause.PlaintextToTLS, cause.Reset}, refine: byPrinterRefine(sideServerSees, "what the client sent is not TLS: plain text (an http:// request) to the TLS port", []string{cause.PlaintextToTLS, cause.Reset, cause.NotTLS})},
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
		{source: "NSS", re: re(`SSL_ERROR_RX_UNEXPECTED_RECORD_TYPE|SSL received an unexpected record type`), side: sideEither, meaning: "a TLS record arrived that NSS did not expect at this point of the handshake", causes: []string{cause.NotTLS, cause.Reset}, refine: byPrinterRefine(sideServerRefused, "the client aborted the handshake after the server's certificate with an alert NSS did not expect: it refused the server's certificate, or its signature made with a key that is not the certificate's (the client's own output says why)", serverCertRefusedCauses())},
	}
}
