package diagnose

import (
	"regexp"
	"slices"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// Sides, as Explain words them.
const (
	sideClientSees    = "printed by the client: the server did something the client does not accept, or refused the client"
	sideServerSees    = "printed by the server: the client did something the server does not accept"
	sideServerRefused = "printed by the server: the client refused what the server sent, most often its certificate (the client's own output says why)"
	sideVerifier      = "printed by the side that verifies the peer's certificate: the peer's certificate (or the verifier's CA file) is at fault"
	sideQEMUSession   = "printed by QEMU after the handshake, when it checks the peer's certificate (qemu crypto/tlssession.c)"
	sideLibvirt       = "printed by libvirt when it checks the peer's certificate (libvirt virnettlscontext.c)"
	sideTransport     = "printed by the side whose peer hung up: the real reason is in the peer's log"
	sideEither        = "printed by either side"
	sideClientConfig  = "printed by the client about its own configuration"
)

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// handPatterns are the messages of TLS libraries and tools; the QEMU and
// libvirt messages of the lint rules are added by lintPatterns.
func handPatterns() []*pattern {
	return append([]*pattern{
		// QEMU session checks (QEMU crypto/tlssession.c; nbd/server.c nbd_negotiate).
		{source: "QEMU", re: re(`TLS handshake failed: ([^\n]+)`), side: "printed by QEMU when the GnuTLS handshake fails", meaning: "QEMU's TLS handshake failed; GnuTLS's reason follows: $1", wrapper: true},
		{source: "QEMU", re: re(`option negotiation failed: ([^\n]+)`), side: "printed by qemu-nbd or QEMU's NBD server when the NBD negotiation (TLS included) fails", meaning: "the NBD option negotiation failed: $1", wrapper: true},
		{source: "QEMU", re: re(`Verify failed: No certificate was found\.?`), side: sideQEMUSession, meaning: "the QEMU server (verify-peer=on) checked the client after the handshake and the client had sent no certificate: it has none, or (a GnuTLS client such as QEMU's) its certificate's chain does not reach a CA the server names (another CA, or an intermediate missing from client-cert.pem), so it sent none", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.MissingIntermediate}, fix: "give the client (endpoint=client) a client-cert.pem and client-key.pem issued by a CA in the server's ca-cert.pem (tlscreds pair --server DIR --client DIR checks the two directories against each other), or set verify-peer=off on the server if clients without certificates are intended"},
		// GnuTLS's GNUTLS_E_NO_CERTIFICATE_FOUND as a server's check of
		// its client prints it (libvirtd: "Unable to verify TLS peer: No
		// certificate was found."; QEMU's form is above).
		{source: "GnuTLS", re: re(`No certificate was found\.?`), side: "printed by a server that checked its client after the handshake", meaning: "the client sent no certificate: it has none, or (a GnuTLS client such as virsh or QEMU) its certificate's chain does not reach a CA the server names, so it sent none", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.MissingIntermediate}},
		{source: "QEMU", re: re(`No certificate peers`), side: sideQEMUSession, meaning: "the peer sent no certificate", causes: []string{cause.ClientCertRequired}},
		{source: "QEMU", re: re(`No hostname for certificate validation`), side: sideQEMUSession, meaning: "a QEMU client with verify-peer=on has no host name to check the server's certificate against (UNIX-socket transports need tls-hostname)", causes: []string{cause.NameMismatch}, fix: "set the tls-hostname parameter (migration, NBD client, chardev) to a name the server's certificate lists"},
		{source: "QEMU", re: re(`TLS x509 authz check for ([^\n]+?) is denied`), side: sideQEMUSession, meaning: "the QEMU server's authz object refused the client certificate with the DN $1 (the certificate itself verified)", causes: []string{cause.AuthzDenied, cause.ClientCertRejected}, fix: "add the client's DN, exactly as QEMU prints it, to the authz object (authz-list, authz-listfile, authz-simple), or issue a certificate with an allowed DN"},
		{source: "QEMU", re: re(`Expected TLS credentials for a (\w+) endpoint|Credentials endpoint doesn't match session`), side: "printed by QEMU when a credential object is used for the wrong side", meaning: "the tls-creds object's endpoint= does not match the connection's side (after an incoming migration the object is endpoint=server and must be recreated as client for the next outgoing one)", causes: []string{cause.LoadFailed}, rules: []string{}, fix: "use an object with endpoint=client for outgoing connections and endpoint=server for listening ones"},
		{source: "QEMU", re: re(`The (CA|server|client) certificate ([^\n]+?) has expired`), side: "printed by QEMU or libvirt when it loads (or libvirt when it checks the peer: file [session]) a certificate", meaning: "the $1 certificate $2 has expired", causes: []string{cause.Expired}, rules: []string{"cert-expired"}},
		{source: "QEMU", re: re(`The (CA|server|client) certificate ([^\n]+?) is not yet active`), side: "printed by QEMU or libvirt when it loads a certificate", meaning: "the $1 certificate $2 is not valid yet, or the clock is behind", causes: []string{cause.NotYetValid}, rules: []string{"cert-not-yet-valid"}},
		{source: "QEMU", re: re(`Certificate ([^\n]+?) purpose does not allow use (?:for )?with a TLS (server|client)`), side: "printed by QEMU or libvirt when the certificate's critical extendedKeyUsage does not match its role", meaning: "the certificate $1 may not be used by a TLS $2 (extendedKeyUsage)", causes: []string{cause.ServerEKU, cause.ClientCertRejected}, rules: []string{"leaf-eku-wrong-purpose"}},

		// GnuTLS (QEMU, libvirt, gnutls-cli).
		{source: "GnuTLS", re: re(`The certificate hasn't got a known issuer\.?`), side: sideVerifier, meaning: "no CA in the verifier's CA file issued the peer's certificate: different CAs on the two hosts, or an intermediate the peer does not send", causes: []string{cause.UnknownCA, cause.MissingIntermediate}, refine: chainRefine},
		{source: "GnuTLS", re: re(`The certificate is not trusted\.?`), side: sideVerifier, meaning: "the peer's chain is invalid: a signature does not verify, a CA may not sign, or it is not trusted", causes: []string{cause.UnknownCA, cause.CAInvalid, cause.CertInvalid}, rules: []string{"chain-signature-invalid", "ca-key-usage-no-cert-sign", "ca-not-ca", "cert-unknown-critical-extension"}},
		{source: "GnuTLS", re: re(`The certificate has been revoked\.?`), side: sideVerifier, meaning: "the peer's certificate is listed in the verifier's CRL", causes: []string{cause.Revoked}},
		{source: "GnuTLS", re: re(`The certificate uses an insecure algorithm`), side: sideVerifier, meaning: "a certificate on the chain is signed with MD5 or SHA-1", causes: []string{cause.Weak}},
		{source: "GnuTLS", re: re(`The certificate has expired\b`), side: sideQEMUSession, meaning: "the peer's certificate has expired by the verifier's clock", causes: []string{cause.Expired}},
		{source: "GnuTLS", re: re(`The certificate is not yet activated`), side: sideQEMUSession, meaning: "the peer's certificate is not valid yet by the verifier's clock (clock skew?)", causes: []string{cause.NotYetValid}},
		{source: "GnuTLS", re: re(`No certificate was found\.?`), side: sideVerifier, meaning: "the peer sent no certificate", causes: []string{cause.ClientCertRequired}},
		{source: "GnuTLS", generic: true, re: re(`Error in the certificate verification\.?`), side: sideVerifier, meaning: "GnuTLS could not verify the peer's certificate; the status line before it (\"The certificate is NOT trusted. ...\") says why", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch}},
		{source: "GnuTLS", re: re(`The certificate is NOT trusted\. The certificate issuer is unknown\.?`), side: "printed by gnutls-cli about the server's certificate", meaning: "no CA in --x509cafile issued the server's certificate", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}, refine: chainRefine},
		{source: "GnuTLS", re: re(`The name in the certificate does not match the expected\.?`), side: "printed by gnutls-cli about the server's certificate", meaning: "the server's certificate does not list the host name gnutls-cli connected to", causes: []string{cause.NameMismatch}},
		{source: "GnuTLS", re: re(`The certificate chain uses expired certificate\.?`), side: "printed by gnutls-cli about the server's certificate", meaning: "a certificate on the server's chain has expired", causes: []string{cause.Expired}},
		{source: "GnuTLS", re: re(`The certificate chain uses not yet valid certificate\.?`), side: "printed by gnutls-cli about the server's certificate", meaning: "a certificate on the server's chain is not valid yet", causes: []string{cause.NotYetValid}},
		{source: "GnuTLS", generic: true, re: re(`A TLS fatal alert has been received\.?`), side: sideEither, meaning: "the peer aborted the handshake with a TLS alert; gnutls-cli prints it as \"Received alert [N]: ...\"", causes: []string{cause.Alert}},
		{source: "GnuTLS", re: re(`(?:Received|GnuTLS: received) alert \[(\d+)\]`), refine: alertRefine(true)},
		{source: "GnuTLS", re: re(`The TLS connection was non-properly terminated\.?|Peer has terminated the connection`), side: sideTransport, meaning: "the peer closed the connection without close_notify: during the handshake it refused this side, after it the connection was cut (a missing client certificate on a migration source shows up like this)", causes: []string{cause.Truncated, cause.ClientCertRequired}, refine: hangUpRefine(false)},
		// GNUTLS_E_NO_PRIORITIES_WERE_SET: gnutls_priority_init left
		// nothing enabled, so the printer starts no handshake. Measured
		// (round 53): chronyd's NTS client, whose priorities allow only
		// TLS 1.3, under a system priority file that disables TLS 1.3.
		{source: "GnuTLS", re: re(`No or insufficient priorities were set\.?`), side: "printed by the side whose own GnuTLS priorities are at fault: it never sent a ClientHello (or never answered one), so its peer is not the one to change", meaning: "this program's GnuTLS priorities leave no TLS version (or no cipher suite) enabled: its own priority setting, or the system-wide one (/etc/gnutls/config, GNUTLS_SYSTEM_PRIORITY_FILE), removes what it needs (chronyd's NTS, for one, needs TLS 1.3)", causes: []string{cause.Version, cause.NoSharedCipher}, fix: "see what the priorities enable: `gnutls-cli --list --priority 'STRING'` (STRING: the program's priority setting, e.g. NORMAL) under the same environment; remove the system setting that disables the version (`GNUTLS_SYSTEM_PRIORITY_FILE`, /etc/gnutls/config) or the program's own override"},
		{source: "GnuTLS", re: re(`Could not negotiate a supported cipher suite\.?`), side: sideEither, meaning: "no cipher suite in common; also what a tls-creds-anon endpoint says to an x509 peer", causes: []string{cause.NoSharedCipher}, fix: "use the same credential type (tls-creds-x509) on both sides and compatible priority= strings"},
		{source: "GnuTLS", re: re(`Insufficient credentials for that request\.?`), side: sideEither, meaning: "this side has no credentials for what the peer asked (no certificate for its key exchange, or anonymous against x509)", causes: []string{cause.NoSharedCipher, cause.ClientCertRequired}},
		{source: "GnuTLS", re: re(`An unexpected TLS packet was received\.?`), side: sideEither, meaning: "the peer sent something that is not the expected TLS message: plain text, or TLS where plain text was expected; after STARTTLS, a server that refuses it, or whose own TLS set-up failed (a key that is not its certificate's), answers with a plain-text error", causes: []string{cause.NotTLS, cause.PlaintextToTLS, cause.StartTLS, cause.LoadFailed}, refine: bySideRefine(cause.PlaintextToTLS)},
		// GNUTLS_E_DECRYPTION_FAILED in a handshake: a TLS 1.3 peer that
		// refused the certificates aborts after them with an alert the
		// other side cannot decrypt yet. Measured in servers' logs
		// (InspIRCd, Exim, lighttpd's mod_gnutls, CUPS' cupsd: rounds 26,
		// 13, 32, 56) for clients that refused the server's certificate.
		{source: "GnuTLS", re: re(`Decryption has failed\.?`), side: sideEither, meaning: "GnuTLS could not decrypt what the peer sent: in a TLS 1.3 handshake, the peer aborted after the certificates because it refused them (its own output says why)", causes: []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.Reset}, refine: byPrinterRefine(sideServerRefused, "the server's GnuTLS could not read what the client sent after the server's certificate: a TLS 1.3 client that refused the server's certificate aborts so (the client's own output says why)", serverCertRefusedCauses())},
		{source: "GnuTLS", re: re(`A packet with illegal or unsupported version was received\.?`), side: sideEither, meaning: "the peer speaks another protocol or an unsupported TLS version (in a server's log: the client offered only versions the server refuses)", causes: []string{cause.NotTLS, cause.Version}, refine: bySideRefine(cause.Version)},
		{source: "GnuTLS", re: re(`Error in the (?:push|pull) function\.?`), side: sideTransport, meaning: "the TCP connection failed under TLS (reset or closed by the peer)", causes: []string{cause.Reset}, refine: hangUpRefine(false)},

		// libvirt (src/rpc/virnettlscontext.c, src/rpc/virnettlssession.c).
		{source: "libvirt", generic: true, re: re(`Failed to verify peer's certificate`), refine: libvirtPeerRefine, side: sideLibvirt, meaning: "libvirt refused the peer's certificate; the \"Certificate check failed\" or \"Certificate failed validation\" message logged before it says why", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired}},
		{source: "libvirt", re: re(`Unable to verify TLS peer: ([^\n]+)`), side: sideLibvirt, meaning: "libvirt could not verify the peer: $1", wrapper: true},
		{source: "libvirt", re: re(`Certificate failed validation: ([^\n]+)`), side: sideLibvirt, meaning: "libvirt's verification of the peer's certificate failed: $1", wrapper: true},
		// libvirt words GnuTLS's verify status itself
		// (virNetTLSContextCheckCertificate): an unknown issuer, a
		// revocation and an insecure algorithm have their own reasons,
		// so "not trusted" alone is what is left: chiefly a certificate
		// outside its validity (measured with libvirt 9.0: an expired
		// server certificate seen by virsh, an expired client
		// certificate in libvirtd's log).
		{source: "libvirt", re: re(`Certificate failed validation: The certificate is not trusted\.?`), side: sideLibvirt, meaning: "libvirt refused the peer's certificate with no more specific reason: libvirt names an unknown issuer, a revocation and an insecure algorithm on their own, so this is a certificate outside its validity period, or one whose chain is otherwise invalid", causes: []string{cause.Expired, cause.NotYetValid, cause.CAInvalid, cause.CertInvalid}},
		// libvirt's client reads one byte from libvirtd after the
		// handshake: libvirtd sends it once the client's certificate
		// passed its checks (CA, CRL, tls_allowed_dn_list), else it
		// closes the connection.
		{source: "libvirt", re: re(`Unable to read TLS confirmation: ([^\n]+)`), side: "printed by a libvirt client (virsh, virt-manager, a migration): libvirtd closed the connection after the handshake instead of confirming it", meaning: "libvirtd refused this client after the TLS handshake ($1): it sent no certificate, or its certificate failed libvirtd's checks (CA, CRL, tls_allowed_dn_list)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.AuthzDenied, cause.Revoked}, fix: "read libvirtd's log (journalctl -u libvirtd): \"No certificate was found\" is a client without a certificate (clientcert.pem, clientkey.pem) or with one from a CA libvirtd does not trust; \"tls_allowed_dn_list\" is the client's DN; \"revoked\" is libvirtd's CRL"},
		// libvirt's socket read (virNetSocketReadWire): in libvirtd's
		// log, after it accepted the client, the client hung up: libvirt
		// clients check the server's certificate after the handshake
		// and close when they refuse it.
		{source: "libvirt", re: re(`Cannot recv data: ([^\n]+)`), side: sideTransport, meaning: "the connection broke under TLS ($1)", causes: []string{cause.Reset}, refine: libvirtRecvRefine},
		{source: "libvirt", re: re(`Client's Distinguished Name is not on the list of allowed clients`), side: sideLibvirt, meaning: "the client certificate is valid, but its DN does not match tls_allowed_dn_list", causes: []string{cause.AuthzDenied}, rules: []string{}, fix: "add the client's DN as virt-pki-query-dn prints it to tls_allowed_dn_list (the RDN order must match the certificate's encoding order)"},
		// QEMU's words (io/channel-tls.c; libvirt relays them for a
		// migration, libvirt's own are "Cannot recv data"). QEMU turns
		// GnuTLS's "premature termination" (the peer closed without
		// close_notify) into ECONNABORTED, "Software caused connection
		// abort". QEMU checks the peer's certificate after the handshake
		// and hangs up without an alert when it refuses it, so the side
		// that printed this was most likely refused by its peer.
		{source: "QEMU", re: re(`Cannot (?:write to|read from) TLS channel: ([^\n]+)`), side: sideTransport, meaning: "the TLS connection broke ($1)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.AuthzDenied, cause.Truncated, cause.Reset}, refine: tlsChannelRefine},

		// OpenSSL (openssl s_client/s_server, curl built on OpenSSL).
		{source: "OpenSSL", re: re(`SSL alert number (\d+)`), refine: alertRefine(true)},
		{source: "OpenSSL", re: re(`(?i)(?:sslv3|tlsv1|tlsv12|tlsv13) alert ([a-z][a-z ]*[a-z])`), refine: alertRefine(false)},
		{source: "OpenSSL", re: re(`tlsv1 unrecognized name`), side: sideClientSees, meaning: "the server sent alert 112 unrecognized_name: it has no certificate for the SNI name", causes: []string{cause.UnrecognizedName}},
		{source: "OpenSSL", re: re(`unable to get local issuer certificate`), side: sideVerifier, meaning: "the issuer of a certificate in the chain is neither sent by the peer nor in the CA file (verify error 20)", causes: []string{cause.UnknownCA, cause.MissingIntermediate}, refine: chainRefine},
		{source: "OpenSSL", re: re(`unable to verify the first certificate`), side: sideVerifier, meaning: "the peer sent only its own certificate and its issuer is not in the CA file: usually a missing intermediate (verify error 21)", causes: []string{cause.MissingIntermediate, cause.UnknownCA}},
		{source: "OpenSSL", re: re(`self[- ]signed certificate in certificate chain`), side: sideVerifier, meaning: "the peer's chain ends at a root the CA file does not hold (verify error 19)", causes: []string{cause.UnknownCA}},
		// A server that makes its own certificate when its configured
		// one does not load serves a self-signed one (measured: CUPS
		// 2.4's cupsd with CreateSelfSignedCerts, round 56): listed
		// after the certificate itself.
		{source: "OpenSSL", re: re(`self[- ]signed certificate\b`), side: sideVerifier, meaning: "the peer's certificate is self-signed and not in the CA file (verify error 18); a server that generates its own certificate when the configured one does not load (CUPS' CreateSelfSignedCerts) serves one too", causes: []string{cause.SelfSigned, cause.LoadFailed}},
		{source: "OpenSSL", re: re(`(?i)certificate has expired`), side: sideVerifier, meaning: "a certificate in the peer's chain has expired (verify error 10)", causes: []string{cause.Expired}},
		{source: "OpenSSL", re: re(`certificate is not yet valid`), side: sideVerifier, meaning: "a certificate in the peer's chain is not valid yet (verify error 9): a clock is off", causes: []string{cause.NotYetValid}},
		{source: "OpenSSL", re: re(`(?i)(?:unsupported|unsuitable) certificate purpose`), side: sideVerifier, meaning: "the peer's certificate's extendedKeyUsage does not allow its role (verify error 26); OpenSSL says the same of an issuer that may not sign (CA:FALSE), measured with Node 20", causes: []string{cause.ServerEKU, cause.ClientCertRejected, cause.CAInvalid}},
		{source: "OpenSSL", re: re(`(?i)(hostname|IP address) mismatch`), side: sideClientSees, meaning: "the server's certificate does not cover the $1 the client connects to (verify error 62/64)", causes: []string{cause.NameMismatch}},
		{source: "OpenSSL", re: re(`certificate verify failed`), side: sideVerifier, meaning: "the peer's certificate did not verify; the verify error printed with it says why", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch, cause.CertInvalid, cause.SelfSigned, cause.NotYetValid, cause.Weak}, wrapper: true},
		{source: "Go", re: re(`tls: failed to verify certificate`), side: sideVerifier, meaning: "Go did not accept the peer's certificate; the x509 error after it says why", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.CertInvalid}, wrapper: true},
		{source: "OpenSSL", re: re(`wrong version number`), side: sideEither, meaning: "the peer's bytes are not TLS: from a client, the server speaks plain text there (or needs a STARTTLS preamble, or, after STARTTLS, it refused it or its own TLS set-up failed, and it answered with a plain-text error); in a server's log, the client sent plain text", causes: []string{cause.NotTLS, cause.PlaintextToTLS, cause.StartTLS, cause.LoadFailed}, refine: bySideRefine(cause.PlaintextToTLS)},
		{source: "OpenSSL", re: re(`packet length too long|record layer failure`), side: sideEither, meaning: "the peer's bytes are not TLS records", causes: []string{cause.NotTLS, cause.PlaintextToTLS}, refine: bySideRefine(cause.PlaintextToTLS)},
		{source: "OpenSSL", re: re(`\bhttp request\b`), side: sideServerSees, meaning: "the client sent an HTTP request to the TLS port", causes: []string{cause.PlaintextToTLS}},
		{source: "OpenSSL", re: re(`no shared cipher`), side: sideServerSees, meaning: "the client offered no cipher suite the server accepts", causes: []string{cause.NoSharedCipher}},
		{source: "OpenSSL", re: re(`unsupported protocol|no protocols available`), side: sideEither, meaning: "no TLS version in common", causes: []string{cause.Version}},
		{source: "OpenSSL", re: re(`peer did not return a certificate`), side: sideServerSees, meaning: "the server requires a client certificate and the client sent none", causes: []string{cause.ClientCertRequired}},
		{source: "OpenSSL", re: re(`(?i)unexpected eof while reading`), side: sideTransport, meaning: "the peer closed the connection without close_notify", causes: []string{cause.Truncated, cause.Reset}, refine: hangUpRefine(false)},
		{source: "OpenSSL", re: re(`(ca md too weak|ee key too small|ca key too small)`), side: sideVerifier, meaning: "OpenSSL's security level refuses a weak certificate: $1", causes: []string{cause.Weak}},

		// Go crypto/tls and crypto/x509 (crypto/tls alert.go and conn.go,
		// crypto/x509 verify.go).
		{source: "Go", re: re(`x509: certificate signed by unknown authority`), side: sideVerifier, meaning: "no CA in the verifier's pool issued the peer's certificate (or its intermediate is missing, or it is self-signed)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}},
		{source: "Go", re: re(`insecure algorithm ([A-Z0-9-]+)`), side: sideVerifier, meaning: "a certificate on the chain is signed with $1, which Go refuses", causes: []string{cause.Weak}, rules: []string{"cert-weak-signature"}},
		{source: "Go", re: re(`parent certificate cannot sign this kind of certificate`), side: sideVerifier, meaning: "the issuing CA may not sign certificates (basicConstraints or keyUsage)", causes: []string{cause.CAInvalid}},
		{source: "Go", re: re(`remote error: tls: ([a-zA-Z ]+[a-zA-Z])`), refine: alertRefine(false)},
		{source: "Go", re: re(`x509: certificate relies on legacy Common Name field`), side: sideClientSees, meaning: "the server's certificate has no subjectAltName; Go ignores the CN", causes: []string{cause.CNOnly}},
		{source: "Go", re: re(`tls: first record does not look like a TLS handshake`), side: sideEither, meaning: "the peer's first bytes are not TLS: from a client's log, the server speaks plain text; from a server's log, the client sent plain text (HTTP, a STARTTLS preamble)", causes: []string{cause.NotTLS, cause.PlaintextToTLS}},
		{source: "Go", re: re(`x509: certificate is valid for ([^\n]+), not ([^\s,;)]+)`), side: sideClientSees, meaning: "the server's certificate covers $1, not $2", causes: []string{cause.NameMismatch}},
		{source: "Go", re: re(`x509: cannot validate certificate for (\S+) because it doesn't contain any IP SANs`), side: sideClientSees, meaning: "the client connects by the IP address $1, which matches only IP address SANs, and the certificate has none", causes: []string{cause.NameMismatch}},
		{source: "Go", re: re(`x509: certificate has expired or is not yet valid: current time (\S+) is (after) (\S+)`), side: sideVerifier, meaning: "a certificate expired at $3; the verifier's clock said $1", causes: []string{cause.Expired}, refine: goTimesRefine},
		{source: "Go", re: re(`x509: certificate has expired or is not yet valid: current time (\S+) is (before) (\S+)`), side: sideVerifier, meaning: "a certificate becomes valid only at $3; the verifier's clock said $1", causes: []string{cause.NotYetValid}, refine: goTimesRefine},
		{source: "Go", re: re(`x509: certificate has expired or is not yet valid`), side: sideVerifier, meaning: "a certificate on the peer's chain is outside its validity period by the verifier's clock", causes: []string{cause.Expired, cause.NotYetValid}},
		{source: "Go", re: re(`current time (\S+) is (after) (\S+)`), side: sideVerifier, meaning: "a certificate expired at $3; the verifier's clock said $1", causes: []string{cause.Expired}, refine: goTimesRefine},
		{source: "Go", re: re(`current time (\S+) is (before) (\S+)`), side: sideVerifier, meaning: "a certificate becomes valid only at $3; the verifier's clock said $1", causes: []string{cause.NotYetValid}, refine: goTimesRefine},
		{source: "Go", re: re(`x509: certificate specifies an incompatible key usage`), side: sideVerifier, meaning: "the peer's certificate's extendedKeyUsage does not allow its role (serverAuth for servers, clientAuth for clients)", causes: []string{cause.ServerEKU, cause.ClientCertRejected}},
		{source: "Go", re: re(`x509: unhandled critical extension`), side: sideVerifier, meaning: "a certificate has a critical extension Go does not understand", causes: []string{cause.CertInvalid}},
		{source: "Go", re: re(`tls: client didn't provide a certificate`), side: sideServerSees, meaning: "the server requires a client certificate and the client sent none (it had none, or withheld one because its issuer is not among the server's acceptable CAs)", causes: []string{cause.ClientCertRequired}},
		{source: "Go", re: re(`tls: client offered only unsupported versions`), side: sideServerSees, meaning: "no TLS version in common", causes: []string{cause.Version}},
		{source: "Go", re: re(`tls: server selected unsupported protocol version (\w+)`), side: sideClientSees, meaning: "the server chose TLS version 0x$1, which the client does not allow (0x301 = TLS 1.0, 0x302 = TLS 1.1)", causes: []string{cause.Version}},
		{source: "Go", re: re(`tls: no cipher suite supported by both client and server`), side: sideServerSees, meaning: "no cipher suite in common", causes: []string{cause.NoSharedCipher}},
		{source: "Go", re: re(`tls: client requested unsupported application protocols`), side: sideServerSees, meaning: "no ALPN protocol in common", causes: []string{cause.ALPN}},
		{source: "Go", re: re(`tls: no certificates configured`), side: sideServerSees, meaning: "the server has no certificate for the client's SNI name", causes: []string{cause.UnrecognizedName}},
		{source: "Go", re: re(`Client sent an HTTP request to an HTTPS server\.?`), side: "a Go server's answer (net/http) to a plain-HTTP request on its TLS port", meaning: "the client spoke plain HTTP to a Go HTTPS server (http:// instead of https://)", causes: []string{cause.PlaintextToTLS}},
		{source: "tlscreds", re: re(`peer certificate matches no pin`), side: sideVerifier, meaning: "the peer's certificate is valid but matches none of the pinned fingerprints", causes: []string{cause.NotPinned}},
		{source: "Go", re: re(`server gave HTTP response to HTTPS client`), side: sideClientSees, meaning: "the port speaks plain HTTP", causes: []string{cause.NotTLS}},
		{source: "Go", re: re(`certificate revoked`), side: sideServerSees, meaning: "the peer's certificate is listed in the CRL (tlscreds)", causes: []string{cause.Revoked}},

		// Network, in any program's words.
		// A server that cannot load its certificate or key exits as it
		// starts (measured: stunnel with a key of another certificate,
		// postgres with a key others can read, round 10), so the port
		// it should listen on refuses. So does one whose OpenSSL 3 refuses
		// its own RSA 1024 key at security level 2 (measured: HAProxy,
		// round 17, and vsftpd, round 16, exit as they start), and QEMU
		// with its own expired certificate (a VNC server, a chardev, a
		// migration destination: rounds 59, 51 and 9).
		{source: "network", re: re(`(?i)connection refused|\bECONNREFUSED\b`), side: sideClientSees, meaning: "nothing listens on that address and port: the server is not running (one that cannot load its certificate or key, or whose OpenSSL 3 refuses its key as too weak, exits as it starts and says why in its log; QEMU also refuses to start with its own expired certificate) or listens elsewhere", causes: []string{cause.Refused, cause.LoadFailed, cause.Weak, cause.Expired}},
		// libcurl's words for any failed connect (its exit code 7):
		// measured for a refused one (git, round 10); a route that
		// fails reads the same.
		{source: "curl", re: re(`Couldn't connect to server`), side: sideClientSees, meaning: "the TCP connection failed: most often nothing listens there (the server is not running, or exited as it started because it cannot load its certificate or key, or its OpenSSL 3 refuses the key as too weak, or, QEMU, its own certificate has expired), else no route to it", causes: []string{cause.Refused, cause.LoadFailed, cause.Unreachable, cause.Weak, cause.Expired}},
		{source: "network", re: re(`(?i)no such host|Name or service not known|Could not resolve host|Temporary failure in name resolution|Cannot resolve \S+|BIO_lookup(?:_ex)?:`), side: sideClientConfig, meaning: "the host name does not resolve (or the resolver cannot be reached)", causes: []string{cause.DNS}},
		// Go names the lookup before the resolver's own failure ("dial
		// tcp: lookup HOST on 10.0.0.53:53: dial udp ...: connect:
		// network is unreachable"): the name, not the peer, is at fault.
		{source: "Go", first: true, re: re(`dial tcp: lookup (\S+?)(?: on \S+)?: `), side: sideClientConfig, meaning: "the client could not look up $1: the name does not resolve or the resolver cannot be reached", causes: []string{cause.DNS}},
		// A client of a protocol where the server speaks first (FTP,
		// SMTP, IMAP) at an implicit-TLS port waits for a greeting
		// while the server waits for a ClientHello (measured: Python's
		// ftplib and imaplib, rounds 13 and 16).
		{source: "network", re: re(`(?i)i/o timeout|timed out`), side: sideClientSees, meaning: "the peer did not answer in time: nothing answers there, or both ends wait for the other (a client expecting a plain-text greeting at a port that speaks TLS at once)", causes: []string{cause.Timeout, cause.PlaintextToTLS}},
		// Java says only "Connection reset"; Python "[Errno 104]".
		{source: "network", re: re(`(?i)connection reset(?: by peer)?\b|\[Errno 104\]|\bECONNRESET\b`), side: sideTransport, meaning: "the peer reset the connection (it closed while data it had not read was pending: a refusal during the handshake, or of the client's certificate right after a TLS 1.3 handshake)", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "network", re: re(`(?i)no route to host|network is unreachable`), side: sideClientSees, meaning: "there is no route to the peer", causes: []string{cause.Unreachable}},

		// curl.
		{source: "curl", generic: true, re: re(`curl: \((\d+)\)`), side: "printed by curl (the client)", refine: curlRefine},
		{source: "curl", re: re(`SSL: no alternative certificate subject name matches target host name`), side: sideClientSees, meaning: "the server's certificate does not cover the host name in the URL", causes: []string{cause.NameMismatch}},
		{source: "curl", re: re(`SSL certificate problem: ([^\n]+)`), side: sideClientSees, meaning: "curl could not verify the server's certificate: $1", causes: []string{cause.UnknownCA}, wrapper: true},
	}, slices.Concat(stackPatterns(), otherPatterns(), servicePatterns(), erlangPatterns(), libraryPatterns(), rsyslogPatterns(), zabbixPatterns(), catalogPatterns())...)
}
