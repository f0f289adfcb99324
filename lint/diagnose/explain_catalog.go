package diagnose

import (
	"regexp"
	"strings"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// The message catalogues of the libraries themselves, read from the
// programs rather than from outputs seen: OpenSSL 3.0's verify error
// strings (X509_verify_cert_error_string) and SSL reason strings
// (ERR_reason_error_string), GnuTLS 3.7's error strings (gnutls_strerror)
// and certificate status lines, Go's crypto/tls and crypto/x509 errors,
// and the messages of Python's ssl and Java's JSSE that are not
// OpenSSL's. Each entry is one phrase, matched case-insensitively where
// the program prints it, with the causes it can mean, most likely first.
// Messages a more specific pattern reads (with context) are read there;
// this table fills in the rest of the catalogue.

type catalogEntry struct {
	source, phrase string
	causes         []string
	meaning        string
}

var catalog = []catalogEntry{
	// OpenSSL verify errors (x509_txt.c), as s_client, curl ("SSL
	// certificate problem: ..."), Python ("certificate verify failed:
	// ...") and nginx print them.
	{"OpenSSL", "unable to get issuer certificate", []string{cause.UnknownCA, cause.MissingIntermediate}, "the issuer of a certificate in the chain was not found (verify error 2)"},
	{"OpenSSL", "unable to get certificate CRL", []string{cause.CertInvalid, cause.Revoked}, "CRL checking is on, but the verifier has no CRL for a certificate's issuer (verify error 3)"},
	{"OpenSSL", "unable to decrypt certificate's signature", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature cannot be read with its issuer's key (verify error 4)"},
	{"OpenSSL", "unable to decode issuer public key", []string{cause.CertInvalid}, "the issuer's public key cannot be read (verify error 6)"},
	{"OpenSSL", "certificate signature failure", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify with its issuer's key: the CA was regenerated, or the CA file holds another CA of the same name (verify error 7)"},
	{"OpenSSL", "CRL signature failure", []string{cause.CertInvalid}, "the CRL's signature does not verify (verify error 8)"},
	{"OpenSSL", "CRL is not yet valid", []string{cause.CertInvalid, cause.NotYetValid}, "the verifier's CRL is not valid yet (verify error 11)"},
	{"OpenSSL", "CRL has expired", []string{cause.CertInvalid, cause.Expired}, "the verifier's CRL has passed its nextUpdate: publish a new one (verify error 12)"},
	{"OpenSSL", "format error in certificate's notBefore field", []string{cause.CertInvalid}, "a certificate's validity is malformed (verify error 13)"},
	{"OpenSSL", "format error in certificate's notAfter field", []string{cause.CertInvalid}, "a certificate's validity is malformed (verify error 14)"},
	{"OpenSSL", "certificate chain too long", []string{cause.CAInvalid}, "the chain is longer than the verifier allows (verify error 22)"},
	{"OpenSSL", "path length constraint exceeded", []string{cause.CAInvalid}, "a CA's pathLenConstraint forbids the intermediates below it (verify error 25)"},
	{"OpenSSL", "certificate not trusted", []string{cause.UnknownCA}, "the root is not trusted for this purpose (verify error 27)"},
	{"OpenSSL", "certificate rejected", []string{cause.UnknownCA, cause.CertInvalid}, "the root is explicitly rejected for this purpose (verify error 28)"},
	{"OpenSSL", "subject issuer mismatch", []string{cause.UnknownCA, cause.MissingIntermediate}, "the candidate issuer's subject does not match the certificate's issuer (verify error 29)"},
	{"OpenSSL", "authority and subject key identifier mismatch", []string{cause.UnknownCA, cause.MissingIntermediate}, "the certificate's authorityKeyIdentifier names another key than the candidate issuer's: the CA was regenerated (verify error 30)"},
	{"OpenSSL", "key usage does not include certificate signing", []string{cause.CAInvalid}, "the issuer's keyUsage lacks keyCertSign (verify error 32)"},
	{"OpenSSL", "unhandled critical extension", []string{cause.CertInvalid}, "a certificate has a critical extension the verifier does not understand (verify error 34)"},
	{"OpenSSL", "invalid non-CA certificate (has CA markings)", []string{cause.CertInvalid}, "a leaf certificate carries CA markings (verify error 37)"},
	{"OpenSSL", "key usage does not include digital signature", []string{cause.CertInvalid}, "the certificate's keyUsage lacks digitalSignature, which its TLS role needs (verify error 39)"},
	{"OpenSSL", "invalid or inconsistent certificate extension", []string{cause.CertInvalid}, "a certificate's extension is malformed or contradicts another (verify error 41)"},
	{"OpenSSL", "permitted subtree violation", []string{cause.CertInvalid}, "the certificate's names break a CA's name constraints (verify error 47)"},
	{"OpenSSL", "excluded subtree violation", []string{cause.CertInvalid}, "the certificate's names break a CA's name constraints (verify error 48)"},
	{"OpenSSL", "path loop", []string{cause.CAInvalid}, "the chain loops (verify error 55)"},
	{"OpenSSL", "email address mismatch", []string{cause.NameMismatch}, "the certificate does not list the e-mail address checked (verify error 63)"},
	{"OpenSSL", "Cannot find certificate signature algorithm", []string{cause.CertInvalid}, "a certificate's signature algorithm is unknown (verify error 83)"},
	{"OpenSSL", "Key usage keyCertSign invalid for non-CA cert", []string{cause.CertInvalid}, "a non-CA certificate has keyCertSign (verify error 86, strict mode)"},
	{"OpenSSL", "Basic Constraints of CA cert not marked critical", []string{cause.CAInvalid}, "the CA's basicConstraints is not critical (verify error 91, strict mode)"},
	{"OpenSSL", "CA cert does not include key usage extension", []string{cause.CAInvalid}, "the CA certificate has no keyUsage (verify error 96, strict mode)"},
	{"OpenSSL", "Missing Authority Key Identifier", []string{cause.CertInvalid}, "the certificate has no authorityKeyIdentifier (verify error 88, strict mode)"},
	{"OpenSSL", "OCSP verification failed", []string{cause.Revoked, cause.CertInvalid}, "the OCSP check of the certificate failed (verify error 74)"},

	// OpenSSL SSL reason strings (ssl_err.c), as they appear after
	// "SSL routines::" (and as [SSL: CODE] in Python).
	{"OpenSSL", "no suitable key share", []string{cause.NoSharedCipher}, "no key-exchange group in common for TLS 1.3"},
	{"OpenSSL", "no suitable groups", []string{cause.NoSharedCipher}, "no key-exchange group in common"},
	{"OpenSSL", "no shared groups", []string{cause.NoSharedCipher}, "no key-exchange group in common"},
	{"OpenSSL", "missing supported groups extension", []string{cause.NoSharedCipher}, "the peer offered no key-exchange groups"},
	{"OpenSSL", "wrong curve", []string{cause.NoSharedCipher, cause.CertInvalid}, "the peer used an elliptic curve that was not offered"},
	{"OpenSSL", "unsupported elliptic curve", []string{cause.NoSharedCipher}, "the peer's elliptic curve is not supported"},
	{"OpenSSL", "no ciphers available", []string{cause.NoSharedCipher, cause.Version}, "no cipher suite is enabled for the TLS versions allowed"},
	{"OpenSSL", "no cipher match", []string{cause.LoadFailed, cause.NoSharedCipher}, "the cipher list configured matches no suite OpenSSL knows (a typo in -cipher or ssl_ciphers)"},
	{"OpenSSL", "insufficient security", []string{cause.NoSharedCipher, cause.Weak}, "the peer's parameters are below the security level"},
	// OpenSSL 3 at its default security level has no signature
	// algorithm for TLS 1.0: a server held to it fails so (measured:
	// gunicorn 20.1 with --ssl-version TLSv1, round 63).
	{"OpenSSL", "no suitable signature algorithm", []string{cause.Version, cause.NoSharedCipher, cause.Weak}, "a side held to TLS 1.0 or 1.1 on OpenSSL 3, whose default security level leaves no signature algorithm for them (measured: gunicorn, Tornado), or no signature algorithm in common for the certificate's key (a SHA-1 or legacy key only)"},
	{"OpenSSL", "no shared signature algorithms", []string{cause.NoSharedCipher, cause.Weak}, "no signature algorithm in common for the certificate's key"},
	{"OpenSSL", "wrong signature type", []string{cause.NoSharedCipher, cause.Weak}, "the peer signed with an algorithm that was not offered"},
	{"OpenSSL", "dh key too small", []string{cause.Weak, cause.NoSharedCipher}, "the server's finite-field DH group is under the security level (under 2048 bits at level 2)"},
	{"OpenSSL", "version too low", []string{cause.Version}, "the peer's TLS version is below the minimum allowed"},
	{"OpenSSL", "version too high", []string{cause.Version}, "the peer's TLS version is above the maximum allowed"},
	{"OpenSSL", "unsupported ssl version", []string{cause.Version}, "the TLS version is not supported"},
	{"OpenSSL", "wrong ssl version", []string{cause.Version}, "the TLS version is not the one expected"},
	{"OpenSSL", "bad protocol version number", []string{cause.Version, cause.NotTLS}, "the peer's record carries an unexpected version"},
	{"OpenSSL", "unknown protocol", []string{cause.NotTLS, cause.Version}, "the peer's first bytes are not TLS (or an SSLv2/SSLv3 hello)"},
	{"OpenSSL", "inappropriate fallback", []string{cause.Version}, "the client fell back to an older version the server refuses (TLS_FALLBACK_SCSV)"},
	{"OpenSSL", "unsafe legacy renegotiation disabled", []string{cause.Version}, "the server does not support secure renegotiation (RFC 5746), which OpenSSL 3 requires by default: an old server or TLS stack"},
	{"OpenSSL", "https proxy request", []string{cause.PlaintextToTLS}, "the client sent an HTTP CONNECT request to a TLS port"},
	{"OpenSSL", "record length mismatch", []string{cause.NotTLS}, "the peer's record is malformed: it does not speak TLS there"},
	{"OpenSSL", "no certificate assigned", []string{cause.LoadFailed}, "the server has no certificate configured"},
	{"OpenSSL", "no certificate set", []string{cause.LoadFailed}, "no certificate is configured"},
	{"OpenSSL", "key values mismatch", []string{cause.LoadFailed}, "the private key does not belong to the certificate (X509_check_private_key)"},
	{"OpenSSL", "SSL_CTX_use_certificate_file:system lib", []string{cause.LoadFailed}, "the program could not read its certificate file: it is missing or unreadable (OpenSSL's line before names it: calling fopen(FILE, r))"},
	{"OpenSSL", "SSL_CTX_use_certificate_chain_file:system lib", []string{cause.LoadFailed}, "the program could not read its certificate chain file: it is missing or unreadable (OpenSSL's line before names it: calling fopen(FILE, r))"},
	{"OpenSSL", "SSL_CTX_use_PrivateKey_file:system lib", []string{cause.LoadFailed}, "the program could not read its private key file: it is missing or unreadable (OpenSSL's line before names it: calling fopen(FILE, r))"},
	{"OpenSSL", "no private key assigned", []string{cause.LoadFailed}, "no private key is configured for the certificate"},
	{"OpenSSL", "missing rsa certificate", []string{cause.NoSharedCipher, cause.LoadFailed}, "an RSA suite was negotiated but the server has no RSA certificate"},
	{"OpenSSL", "missing rsa signing cert", []string{cause.NoSharedCipher, cause.LoadFailed}, "an RSA-signed suite was negotiated but the server has no RSA certificate"},
	{"OpenSSL", "missing ecdsa signing cert", []string{cause.NoSharedCipher, cause.LoadFailed}, "an ECDSA suite was negotiated but the server has no ECDSA certificate"},
	{"OpenSSL", "bad ecc cert", []string{cause.CertInvalid}, "the ECDSA certificate cannot be used"},
	{"OpenSSL", "ecc cert not for signing", []string{cause.CertInvalid}, "the ECDSA certificate's keyUsage does not allow signing"},
	{"OpenSSL", "wrong certificate type", []string{cause.CertInvalid}, "the peer's certificate type is not the one negotiated"},
	{"OpenSSL", "unknown certificate type", []string{cause.CertInvalid}, "the peer's certificate type is unknown"},
	{"OpenSSL", "signature for non signing certificate", []string{cause.CertInvalid}, "the certificate's key may not sign"},
	{"OpenSSL", "read timeout expired", []string{cause.Timeout}, "the peer did not answer in time"},
	{"OpenSSL", "tlsv1 alert user cancelled", []string{cause.Alert}, "the peer cancelled the handshake (alert 90)"},
	{"OpenSSL", "tlsv1 unsupported extension", []string{cause.Alert}, "the peer refused an extension (alert 110)"},
	{"OpenSSL", "tlsv1 certificate unobtainable", []string{cause.Alert}, "the peer could not fetch a certificate (alert 111)"},
	{"OpenSSL", "tlsv1 bad certificate status response", []string{cause.Revoked, cause.CertInvalid}, "the peer refused the OCSP status (alert 113)"},

	// GnuTLS error strings (gnutls_strerror) and status lines.
	{"GnuTLS", "The certificate chain is revoked", []string{cause.Revoked}, "a certificate on the chain is listed in the verifier's CRL"},
	{"GnuTLS", "The signature in the certificate is invalid", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify: the CA was regenerated, or the verifier holds another CA of the same name"},
	{"GnuTLS", "The certificate chain violates the signer's constraints", []string{cause.CertInvalid, cause.CAInvalid}, "the chain breaks a CA's name or path-length constraints"},
	{"GnuTLS", "The certificate doesn't match the local copy (TOFU)", []string{cause.NotPinned}, "the certificate is not the one trusted on first use"},
	{"GnuTLS", "The certificate contains an unknown critical extension", []string{cause.CertInvalid}, "a certificate has a critical extension GnuTLS does not understand"},
	{"GnuTLS", "The certificate requires the server to include an OCSP status in its response, but the OCSP status is missing", []string{cause.CertInvalid}, "the certificate has OCSP must-staple and the server staples nothing"},
	{"GnuTLS", "The received OCSP status response is invalid", []string{cause.Revoked, cause.CertInvalid}, "the OCSP status the server stapled does not verify"},
	{"GnuTLS", "The revocation or OCSP data are old and have been superseded", []string{cause.CertInvalid}, "the verifier's CRL or OCSP data are stale"},
	{"GnuTLS", "Unsupported critical extension in X.509 certificate", []string{cause.CertInvalid}, "a certificate has a critical extension GnuTLS does not understand"},
	{"GnuTLS", "Key usage violation in certificate has been detected", []string{cause.CertInvalid}, "the certificate's keyUsage does not allow what the handshake needs (digitalSignature for ECDHE, keyEncipherment for static RSA)"},
	{"GnuTLS", "The certificate and the given key do not match", []string{cause.LoadFailed}, "the certificate file and the key file are not a pair"},
	{"GnuTLS", "The Diffie-Hellman prime sent by the server is not acceptable (not long enough)", []string{cause.Weak}, "the server's DH group is too small"},
	{"GnuTLS", "A disallowed SNI server name has been received", []string{cause.UnrecognizedName}, "the server refused the SNI name"},
	{"GnuTLS", "The SNI host name not recognised", []string{cause.UnrecognizedName}, "the server has no certificate for the SNI name"},
	{"GnuTLS", "No supported cipher suites have been found", []string{cause.NoSharedCipher, cause.Version}, "no cipher suite in common (GnuTLS says this too when no TLS version is: measured with qemu-nbd 7.2 offering only TLS 1.3 to a TLS 1.2-only client)"},
	{"GnuTLS", "No supported ECC curves were found", []string{cause.NoSharedCipher}, "no elliptic curve in common"},
	{"GnuTLS", "The curve is unsupported", []string{cause.NoSharedCipher}, "the elliptic curve is not supported"},
	{"GnuTLS", "No common key share with peer", []string{cause.NoSharedCipher}, "no key-exchange group in common for TLS 1.3"},
	{"GnuTLS", "The signature algorithm is not supported", []string{cause.NoSharedCipher, cause.Weak}, "no signature algorithm in common"},
	{"GnuTLS", "An algorithm that is not enabled was negotiated", []string{cause.NoSharedCipher}, "the peer chose an algorithm the priority string does not enable"},
	{"GnuTLS", "The cipher type is unsupported", []string{cause.NoSharedCipher}, "the cipher is not supported"},
	{"GnuTLS", "Safe renegotiation failed", []string{cause.Version}, "the peer does not support secure renegotiation (RFC 5746)"},
	{"GnuTLS", "Unsafe renegotiation denied", []string{cause.Version}, "the peer does not support secure renegotiation (RFC 5746)"},
	{"GnuTLS", "One of the involved algorithms has insufficient security level", []string{cause.Weak}, "a key or signature is below GnuTLS's security level"},
	{"GnuTLS", "No common application protocol could be negotiated", []string{cause.ALPN}, "no ALPN protocol in common"},
	{"GnuTLS", "A connection with inappropriate fallback was attempted", []string{cause.Version}, "the client fell back to an older version the server refuses"},
	{"GnuTLS", "Error in the time fields of certificate", []string{cause.CertInvalid}, "a certificate's validity is malformed"},
	{"GnuTLS", "A TLS record packet with invalid length was received", []string{cause.NotTLS}, "the peer's record is malformed: it does not speak TLS there"},
	{"GnuTLS", "Error decoding the received TLS packet", []string{cause.NotTLS}, "the peer's data is not TLS"},
	{"GnuTLS", "The certificate type is not supported", []string{cause.CertInvalid}, "the certificate type is not supported"},
	{"GnuTLS", "Error in the CRL verification", []string{cause.CertInvalid}, "the verifier's CRL does not verify"},
	{"GnuTLS", "The signature is incompatible with the public key", []string{cause.CertInvalid}, "a signature does not match the key type"},
	{"GnuTLS", "Could not authenticate peer", []string{cause.UnknownCA, cause.Expired, cause.NameMismatch}, "the peer's certificate did not verify"},
	{"GnuTLS", "Certificate is required", []string{cause.ClientCertRequired}, "the server requires a client certificate and got none"},

	// Go's crypto/tls and crypto/x509.
	{"Go", "no application protocol", []string{cause.ALPN}, "no ALPN protocol in common (alert 120, as Go and OpenSSL name it)"},
	{"Go", "tls: no supported elliptic curves offered", []string{cause.NoSharedCipher}, "no key-exchange group in common"},
	{"Go", "tls: no key exchanges supported by both client and server", []string{cause.NoSharedCipher}, "no key exchange in common"},
	{"Go", "tls: no supported elliptic curves for ECDHE", []string{cause.NoSharedCipher}, "no elliptic curve in common"},
	{"Go", "tls: server selected unsupported group", []string{cause.NoSharedCipher}, "the server chose a group the client did not offer"},
	{"Go", "tls: server selected unsupported curve", []string{cause.NoSharedCipher}, "the server chose a curve the client did not offer"},
	{"Go", "tls: peer doesn't support any of the certificate's signature algorithms", []string{cause.NoSharedCipher, cause.Weak}, "no signature algorithm in common for the certificate's key"},
	{"Go", "tls: missing signature_algorithms from TLS 1.2 peer", []string{cause.NoSharedCipher}, "the peer offered no signature algorithms"},
	{"Go", "tls: certificate RSA key size too small for supported signature algorithms", []string{cause.Weak}, "the RSA key is too small for RSA-PSS"},
	{"Go", "tls: client using inappropriate protocol fallback", []string{cause.Version}, "the client fell back to an older version"},
	{"Go", "tls: downgrade attempt detected", []string{cause.Version}, "the server's random shows a downgrade (a middlebox, or a server capped below TLS 1.3 that the client refuses)"},
	{"Go", "tls: no supported versions satisfy MinVersion and MaxVersion", []string{cause.Version}, "the client's own version limits exclude every version"},
	{"Go", "tls: either ServerName or InsecureSkipVerify must be specified", []string{cause.NameMismatch}, "the client has no name to verify the server's certificate against"},
	{"Go", "tls: failed to find any PEM data in certificate input", []string{cause.LoadFailed}, "the certificate file holds no PEM certificate"},
	{"Go", "tls: failed to find any PEM data in key input", []string{cause.LoadFailed}, "the key file holds no PEM key"},
	{"Go", "tls: failed to parse private key", []string{cause.LoadFailed}, "the key file cannot be read (encrypted, or an unknown format)"},
	{"Go", "tls: private key does not match public key", []string{cause.LoadFailed}, "the certificate and key files are not a pair"},
	{"Go", "tls: private key type does not match public key type", []string{cause.LoadFailed}, "the certificate and key files are not a pair"},
	{"Go", "tls: found a certificate rather than a key in the PEM for the private key", []string{cause.LoadFailed}, "the key file holds a certificate"},
	{"Go", "tls: neither Certificates, GetCertificate, nor GetConfigForClient set in Config", []string{cause.LoadFailed}, "the server has no certificate configured"},
	{"Go", "tls: server's certificate contains an unsupported type of public key", []string{cause.CertInvalid}, "the server's key type is not supported"},
	{"Go", "tls: server certificate contains incorrect key type for selected ciphersuite", []string{cause.CertInvalid, cause.NoSharedCipher}, "the server's key type does not fit the suite it chose"},
	{"Go", "tls: certificate cannot be used with the selected cipher suite", []string{cause.CertInvalid, cause.NoSharedCipher}, "the certificate's key type does not fit the suite"},
	{"Go", "tls: server selected unadvertised ALPN protocol", []string{cause.ALPN}, "the server chose an ALPN protocol the client did not offer"},
	{"Go", "tls: invalid signature by the server certificate", []string{cause.LoadFailed, cause.CertInvalid}, "the server's signature does not verify with its certificate's key: its key and certificate are not a pair"},
	// The same signature as the other stacks word it (measured: Tomcat
	// with a key of another certificate, which JSSE serves without
	// checking the pair, round 21).
	{"OpenSSL", "bad signature", []string{cause.LoadFailed, cause.CertInvalid}, "the peer's handshake signature (TLS 1.3's CertificateVerify, TLS 1.2's ServerKeyExchange) does not verify with its certificate's key: the key it signs with is not its certificate's"},
	{"GnuTLS", "Public key signature verification has failed", []string{cause.LoadFailed, cause.CertInvalid}, "the peer's handshake signature does not verify with its certificate's key: the key it signs with is not its certificate's"},
	{"Java", "Invalid CertificateVerify signature", []string{cause.LoadFailed, cause.CertInvalid}, "the peer's CertificateVerify does not verify with its certificate's key: the key it signs with is not its certificate's"},
	{"Go", "x509: cannot verify signature: insecure algorithm", []string{cause.Weak}, "a certificate is signed with SHA-1 or MD5, which Go refuses (since 1.18 by default, with no override since 1.24)"},
	{"Go", "x509: cannot verify signature: algorithm unimplemented", []string{cause.CertInvalid}, "a certificate's signature algorithm is not implemented"},
	{"Go", "x509: certificate is not authorized to sign other certificates", []string{cause.CAInvalid}, "a certificate used as a CA is not a CA"},
	{"Go", "x509: too many intermediates for path length constraint", []string{cause.CAInvalid}, "a CA's pathLenConstraint forbids the intermediates below it"},
	{"Go", "x509: a root or intermediate certificate is not authorized to sign for this name", []string{cause.CertInvalid}, "the name breaks a CA's name constraints"},
	{"Go", "x509: a root or intermediate certificate is not authorized for an extended key usage", []string{cause.ServerEKU, cause.ClientCertRejected}, "a CA's extendedKeyUsage does not allow this use"},
	{"Go", "x509: issuer has name constraints but leaf", []string{cause.CertInvalid}, "the leaf's names cannot be checked against a CA's name constraints"},
	{"Go", "x509: failed to load system roots and no roots provided", []string{cause.UnknownCA}, "there is no CA to verify against"},
	{"Go", "x509: ECDSA verification failure", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify: the CA was regenerated"},
	{"Go", "x509: Ed25519 verification failure", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify: the CA was regenerated"},
	{"Go", "crypto/rsa: verification error", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify: the CA was regenerated"},
	{"Go", "x509: unsupported elliptic curve", []string{cause.CertInvalid}, "the certificate's curve is not supported"},
	{"Go", "x509: signature check attempts limit reached", []string{cause.CertInvalid}, "too many candidate issuers"},

	// Python's ssl and socket, beyond OpenSSL's strings.
	// In the handshake, a GnuTLS server closes so on a client whose
	// highest version is below its floor (measured: ngIRCd with a TLS 1.3
	// only priority string against Python capped at TLS 1.2, round 22).
	{"Python", "TLS/SSL connection has been closed (EOF)", []string{cause.Truncated, cause.ClientCertRequired, cause.ClientCertRejected, cause.Version, cause.NoSharedCipher, cause.NotTLS}, "the peer closed the TLS connection (close_notify) before answering, or during the handshake without an alert (a GnuTLS server does so on a client below its version floor, Murmur's Qt on a client with no suite in common, and a plain server that gives up on the ClientHello, measured with dnsdist's plain listener)"},
	// A plain-text service that waits for its own protocol's first line
	// never answers a ClientHello (measured: ngIRCd's plain port, round
	// 22).
	{"Python", "The handshake operation timed out", []string{cause.Timeout, cause.NotTLS, cause.StartTLS}, "the TLS handshake did not complete in time: the server is stuck, or it does not speak TLS on that port and waits for its own protocol (or a STARTTLS preamble)"},
	{"Python", "[Errno 113] No route to host", []string{cause.Unreachable}, "there is no route to the peer"},
	{"Python", "[Errno -2] Name or service not known", []string{cause.DNS}, "the host name does not resolve"},
	{"Python", "[Errno -3] Temporary failure in name resolution", []string{cause.DNS}, "the resolver could not be reached"},

	// Java JSSE and its certificate path validator.
	{"Java", "No trusted certificate found", []string{cause.UnknownCA, cause.MissingIntermediate}, "no CA in the trust store issued the peer's certificate"},
	{"Java", "Path does not chain with any of the trust anchors", []string{cause.UnknownCA, cause.MissingIntermediate}, "the peer's chain does not reach a CA in the trust store"},
	{"Java", "timestamp check failed", []string{cause.Expired, cause.NotYetValid}, "a certificate on the chain is outside its validity period"},
	{"Java", "signature check failed", []string{cause.UnknownCA, cause.CertInvalid}, "a certificate's signature does not verify"},
	{"Java", "Certificate has been revoked", []string{cause.Revoked}, "a certificate on the chain is revoked"},
	{"Java", "Empty client certificate chain", []string{cause.ClientCertRequired}, "the server requires a client certificate and got none"},
	{"Java", "Empty server certificate chain", []string{cause.CertInvalid}, "the server sent no certificate"},
	{"Java", "No available authentication scheme", []string{cause.NoSharedCipher, cause.Weak}, "no signature scheme fits the certificate's key: a key type or size the peer does not accept"},
	{"Java", "No negotiable cipher suite", []string{cause.NoSharedCipher}, "no cipher suite in common"},
	{"Java", "Certificates do not conform to algorithm constraints", []string{cause.Weak}, "a certificate uses an algorithm or key size disabled in java.security"},
	{"Java", "Unrecognized SSL message, plaintext connection?", []string{cause.NotTLS}, "the server's answer is not TLS"},
	{"Java", "Received close_notify during handshake", []string{cause.Reset}, "the server ended the handshake without an alert"},
	{"Java", "Couldn't kickstart handshaking", []string{cause.Reset, cause.Version}, "the handshake could not start: the server hung up, or no version in common"},
	{"Java", "java.net.UnknownHostException", []string{cause.DNS}, "the host name does not resolve"},
	{"Java", "java.net.NoRouteToHostException", []string{cause.Unreachable}, "there is no route to the peer"},

	// Java's TLS 1.2 ServerKeyExchange signed with a key that is not the
	// certificate's (measured: Botan's tls_server with the key of another
	// certificate, round 24; the DH form is JSSE's same check).
	{"Java", "Invalid ECDH ServerKeyExchange signature", []string{cause.LoadFailed, cause.CertInvalid}, "the server's ServerKeyExchange signature does not verify with its certificate's key: its key and certificate are not a pair"},
	{"Java", "Invalid DH ServerKeyExchange signature", []string{cause.LoadFailed, cause.CertInvalid}, "the server's ServerKeyExchange signature does not verify with its certificate's key: its key and certificate are not a pair"},

	// Botan 2's certificate status strings, as botan tls_client prints
	// them ("Certificate validation status: ...") and botan cert_verify
	// ("Certificate did not validate - ..."), measured with botan 2.19.3
	// on tlscreds gen's broken sets and in round 24 (the bare "Signature
	// error" and "Certificate has expired" are OpenSSL's words too).
	{"Botan", "Certificate issuer not found", []string{cause.UnknownCA, cause.MissingIntermediate}, "no CA in the trusted set issued the certificate, and the peer did not send its issuer"},
	{"Botan", "Cannot establish trust", []string{cause.SelfSigned, cause.UnknownCA}, "the chain ends in a certificate that is not trusted: a self-signed certificate, or a root the client does not trust"},
	{"Botan", "Certificate does not match provided name", []string{cause.NameMismatch}, "the certificate does not cover the host name the client connected to"},
	{"Botan", "Certificate does not allow the requested usage", []string{cause.ServerEKU, cause.ClientCertRejected}, "the certificate's key usage or extended key usage does not allow this use"},
	{"Botan", "CA certificate not allowed to issue certs", []string{cause.CAInvalid}, "a CA on the chain may not sign certificates (basicConstraints or keyUsage)"},
	{"Botan", "Hash function used is considered too weak for security", []string{cause.Weak}, "a certificate on the chain is signed with SHA-1 or MD5"},
	{"Botan", "Unknown critical extension encountered", []string{cause.CertInvalid}, "a certificate has a critical extension the verifier does not know"},
	{"Botan", "Certificate is not yet valid", []string{cause.NotYetValid}, "the certificate is not valid yet by the verifier's clock"},
	{"Botan", "bit RSA key, policy requires at least", []string{cause.Weak}, "the peer's RSA key is shorter than the verifier's policy allows (Botan's default: 2048 bits)"},
	// botan tls_client's TCP connection that failed (measured: a server
	// that exited at start over its key, round 27).
	{"Botan", "Error: connect failed", []string{cause.Refused, cause.LoadFailed, cause.Unreachable}, "the TCP connection failed: nothing listens there (a server that cannot load its certificate or key exits as it starts)"},
	// Botan's TLS exceptions, as its tls_server logs them ("Connection
	// problem: ...", measured in round 24).
	{"Botan", "Can't agree on a ciphersuite with client", []string{cause.NoSharedCipher}, "the server found no cipher suite that both sides allow and its certificate's key can serve"},
	{"Botan", "No shared TLS version", []string{cause.Version}, "the client and the server have no TLS version in common"},
	{"Botan", "Got unexpected TLS record version", []string{cause.PlaintextToTLS, cause.NotTLS}, "what arrived is not a TLS record: plain text (an HTTP request) sent to a TLS port, or, read by a client, a server that does not speak TLS there"},

	// aria2c (GnuTLS build) after "SSL/TLS handshake failure:", one
	// backquoted reason per problem of the server's certificate
	// (measured, round 25; the first, GnuTLS's "invalid", comes with every
	// other and is read as a frame).
	{"aria2", "`issuer is not known'", []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}, "no CA aria2c trusts (--ca-certificate) issued the server's certificate, and the server did not send its issuer"},
	{"aria2", "`expired'", []string{cause.Expired}, "the server's certificate has expired by the client's clock"},
	{"aria2", "`not activated yet'", []string{cause.NotYetValid}, "the server's certificate is not valid yet by the client's clock"},
	{"aria2", "SSL/TLS handshake failure: hostname does not match", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},

	// PHP's https stream wrapper (ext/openssl/xp_ssl.c; measured, round
	// 25); without a reason it prints OpenSSL's "certificate verify
	// failed" alone.
	{"PHP", "Peer certificate subjectAltName did not match expected name", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},

	// The name checks of clients that do their own after OpenSSL's
	// chain check, and ncat's one word for a failed handshake (measured
	// against nginx, round 30): Perl's IO::Socket::SSL (LWP), ncat
	// (--ssl-verify: a chain it refuses fails the handshake, "Input/output
	// error"; its own check after it is the name), socat's OPENSSL client
	// and w3m.
	{"Perl", "hostname verification failed", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL (IO::Socket::SSL's verify_hostname)"},
	{"ncat", "Ncat: Certificate verification error", []string{cause.NameMismatch, cause.UnknownCA}, "ncat's own check after the handshake refused the server's certificate: its chain verified, so most likely its names do not cover the host connected to"},
	{"ncat", "Ncat: Input/output error", []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.MissingIntermediate, cause.SelfSigned, cause.NotYetValid, cause.Weak, cause.Version, cause.NoSharedCipher, cause.ClientCertRequired, cause.ClientCertRejected, cause.LoadFailed, cause.NotTLS}, "ncat's TLS handshake failed: with --ssl-verify it refuses the server's certificate without saying why, or the server refused the handshake (`openssl s_client -connect HOST:PORT -CAfile CA` says which)"},
	{"socat", "certificate is valid but its commonName does not match hostname", []string{cause.NameMismatch}, "the server's certificate does not cover the host name socat connected to"},
	{"w3m", "Bad cert ident from", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},

	// wget (src/openssl.c) after "cannot verify HOST's certificate,
	// issued by 'ISSUER':".
	{"wget", "Unable to locally verify the issuer's authority", []string{cause.UnknownCA, cause.MissingIntermediate}, "the issuer of the server's certificate is neither sent by the server nor in wget's CA bundle (--ca-certificate)"},
	{"wget", "Self-signed certificate encountered", []string{cause.SelfSigned, cause.UnknownCA}, "the server's certificate, or its chain's root, is self-signed and not trusted"},
	{"wget", "Issued certificate has expired", []string{cause.Expired}, "the server's certificate has expired by the client's clock"},
	{"wget", "Issued certificate not yet valid", []string{cause.NotYetValid}, "the server's certificate is not valid yet by the client's clock"},
	{"wget", "doesn't match requested host name", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},
	{"wget", "no certificate subject alternative name matches", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},

	// curl's own words (lib/vtls), beyond its exit codes.
	{"curl", "does not match target host name", []string{cause.NameMismatch}, "the server's certificate does not cover the host name in the URL"},
	// CURLE_WEIRD_SERVER_REPLY: the server's answer is not its protocol's
	// (measured: Dovecot that cannot load its key, where curl's other run
	// reads TLS's "wrong version number" instead, round 13's replay).
	{"curl", "(8) Weird server reply", []string{cause.NotTLS, cause.LoadFailed, cause.StartTLS}, "the server's answer is not what the protocol expects: it does not speak TLS (or STARTTLS) there, or it cannot set TLS up (a certificate or key it cannot load)"},
	{"curl", "server certificate verification failed", []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.Expired, cause.NameMismatch}, "curl (GnuTLS build) could not verify the server's certificate"},
	{"curl", "unable to set private key file", []string{cause.LoadFailed}, "curl cannot use the --key file"},
	{"curl", "could not load PEM client certificate", []string{cause.LoadFailed}, "curl cannot use the --cert file"},
	{"curl", "error setting certificate file", []string{cause.LoadFailed}, "curl cannot read the --cacert file"},
}

// catalogPatterns turns the catalogue into patterns.
func catalogPatterns() []*pattern {
	out := make([]*pattern, 0, len(catalog))
	for _, e := range catalog {
		src := `(?i)` + regexp.QuoteMeta(strings.TrimSuffix(e.phrase, "."))
		if w := e.phrase[len(e.phrase)-1]; w >= 'a' && w <= 'z' || w >= 'A' && w <= 'Z' {
			src += `\b`
		}
		if c := e.phrase[0]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			src = `(?i)\b` + src[4:]
		}
		out = append(out, &pattern{source: e.source, re: re(src), side: sideOf(e.source), meaning: e.meaning, causes: e.causes})
	}
	return out
}

func sideOf(source string) string {
	switch source {
	case "curl", "Java", "Python", "wget":
		return sideClientSees
	}
	return sideEither
}

// opensslReasonCode is how Python prints an OpenSSL reason string:
// "no suitable key share" as NO_SUITABLE_KEY_SHARE.
func opensslReasonCode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(s))
}
