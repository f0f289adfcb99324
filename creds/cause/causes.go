package cause

// The IDs of the causes. They are public: findings, `tlscreds serve`'s
// log and JSON, and docs/troubleshooting.md name causes by them.
const (
	DNS                 = "handshake-dns"
	Refused             = "handshake-refused"
	Unreachable         = "handshake-unreachable"
	Timeout             = "handshake-timeout"
	NotTLS              = "handshake-not-tls"
	PlaintextToTLS      = "handshake-plaintext-to-tls"
	StartTLS            = "handshake-starttls"
	Reset               = "handshake-reset"
	Version             = "handshake-version"
	NoSharedCipher      = "handshake-no-shared-cipher"
	ALPN                = "handshake-alpn"
	UnrecognizedName    = "handshake-unrecognized-name"
	UnknownCA           = "handshake-unknown-ca"
	MissingIntermediate = "handshake-missing-intermediate"
	SelfSigned          = "handshake-self-signed"
	CAInvalid           = "handshake-ca-invalid"
	Expired             = "handshake-expired"
	NotYetValid         = "handshake-not-yet-valid"
	NameMismatch        = "handshake-name-mismatch"
	CNOnly              = "handshake-cn-only"
	ServerEKU           = "handshake-server-eku"
	Weak                = "handshake-weak"
	CertInvalid         = "handshake-cert-invalid"
	ClientCertRequired  = "handshake-client-cert-required"
	ClientCertRejected  = "handshake-client-cert-rejected"
	Revoked             = "handshake-revoked"
	AuthzDenied         = "handshake-authz-denied"
	NotPinned           = "handshake-not-pinned"
	SNIDependent        = "handshake-sni-dependent"
	Truncated           = "handshake-truncated"
	ServerError         = "handshake-server-error"
	Alert               = "handshake-alert"
	LoadFailed          = "handshake-load-failed"
	Unexplained         = "handshake-unexplained"
	QEMUDied            = "handshake-qemu-died"
)

// The causes. Messages in Seen are quoted exactly as the programs print
// them: Go's crypto/tls and crypto/x509, OpenSSL 3.0, GnuTLS 3.7, QEMU
// (qemu:crypto/tlssession.c, qemu:crypto/tlscredsx509.c), libvirt
// (libvirt:src/rpc/virnettlscontext.c) and curl.
var table = []Cause{
	{
		ID: DNS, Side: Network,
		Summary: "the server's host name does not resolve",
		Fix:     "check the spelling and the resolver (getent hosts NAME); use the name or address the server is reachable by, or add it to /etc/hosts",
		Seen:    []string{"lookup NAME: no such host", "curl: (6) Could not resolve host", "address resolution failed for NAME:PORT: Name or service not known"},
	},
	{
		ID: Refused, Side: Network,
		Summary: "nothing listens on that address and port: the connection was refused",
		Fix:     "start the server, and check the address it listens on (127.0.0.1 is not reachable from other hosts), the port, and firewall rules that reject; a server that exited as it started (nginx, stunnel, postgres, qemu-nbd that cannot load their certificate or key) says why in its log, and `tlscreds lint` checks its files",
		Seen:    []string{"connect: connection refused", "curl: (7) Failed to connect", "Failed to connect to 'HOST:PORT': Connection refused"},
	},
	{
		ID: Unreachable, Side: Network,
		Summary: "there is no route to the server (host or network unreachable)",
		Fix:     "check the address, the routes (ip route get ADDR) and firewalls that answer with ICMP unreachable",
		Seen:    []string{"connect: no route to host", "connect: network is unreachable"},
	},
	{
		ID: Timeout, Side: Network,
		Summary: "the server did not answer in time (TCP connect, STARTTLS or TLS handshake)",
		Fix:     "a firewall that drops packets, a server that waits for a STARTTLS preamble (try --starttls nbd, vnc, postgres or ldap) or for a plain-text protocol, or a server too busy to answer; raise --timeout to rule out a slow link",
		Seen:    []string{"i/o timeout", "curl: (28) Connection timed out", "context deadline exceeded"},
	},
	{
		ID: NotTLS, Side: Server,
		Summary: "the server does not speak TLS on this port: it answered the ClientHello with plain text",
		Fix:     "point the client at the TLS port, or enable TLS on the server (QEMU: tls-creds=ID; qemu-nbd --tls-creds ID); NBD and VNC start in plain text: use --starttls nbd or --starttls vnc",
		Seen:    []string{"tls: first record does not look like a TLS handshake", "SSL routines::wrong version number", "http: server gave HTTP response to HTTPS client", "curl: (35) error:0A00010B:SSL routines::wrong version number"},
	},
	{
		ID: PlaintextToTLS, Side: Client,
		Summary: "the server speaks TLS from the first byte, but the client started with plain text (a STARTTLS preamble, HTTP)",
		Fix:     "drop the STARTTLS step (--starttls) or use https://, or point the client at the port that speaks the plain-text protocol",
		Seen:    []string{"tls: first record does not look like a TLS handshake (on the server)", "SSL routines::http request", "Client sent an HTTP request to an HTTPS server.", "An unexpected TLS packet was received."},
	},
	{
		ID: StartTLS, Side: Server,
		Summary: "the STARTTLS negotiation (NBD_OPT_STARTTLS, VNC's VeNCrypt, PostgreSQL's SSLRequest, LDAP's StartTLS, SMTP's, IMAP's and POP3's STARTTLS, MySQL's SSLRequest, FTP's AUTH TLS, XMPP's STARTTLS) failed before TLS started",
		Fix:     "enable TLS on the server with an x509 credentials object (qemu-nbd --object tls-creds-x509,... --tls-creds ID; QEMU -vnc ...,tls-creds=ID; PostgreSQL ssl = on with ssl_cert_file and ssl_key_file; slapd TLSCertificateFile and TLSCertificateKeyFile; Postfix smtpd_tls_security_level = may with smtpd_tls_chain_files; Dovecot ssl = yes with ssl_cert and ssl_key; MariaDB and MySQL ssl_cert and ssl_key; vsftpd ssl_enable=YES with rsa_cert_file; Prosody ssl = { certificate, key } for the VirtualHost); check that the port is the protocol's STARTTLS port (not the one that speaks TLS directly)",
		Seen:    []string{"Option 0x5 not permitted before TLS", "server does not support NBD_OPT_STARTTLS", "No supported security types", "server does not support SSL, but SSL was required"},
	},
	{
		ID: Reset, Side: Server,
		Summary: "the server closed or reset the connection during the handshake without sending a TLS alert",
		Fix:     "read the server's log: servers that hang up without an alert usually refuse the client (no certificate, unknown CA, ACL, connection limit) or crashed; a middlebox or load balancer can do it too",
		Seen:    []string{"EOF", "read: connection reset by peer", "SSL_connect: SSL_ERROR_SYSCALL", "The TLS connection was non-properly terminated.", "Cannot read from TLS channel: Software caused connection abort"},
	},
	{
		ID: Version, Side: Either,
		Summary: "no TLS protocol version is accepted by both sides",
		Fix:     "allow TLS 1.2 and TLS 1.3 on both sides (QEMU/GnuTLS priority=NORMAL; OpenSSL MinProtocol = TLSv1.2; Go MinVersion); TLS 1.0 and 1.1 are refused by current Go, OpenSSL and GnuTLS defaults",
		Seen:    []string{"remote error: tls: protocol version not supported", "tls: client offered only unsupported versions", "tls: server selected unsupported protocol version 301", "SSL alert number 70", "tlsv1 alert protocol version", "unsupported protocol"},
	},
	{
		ID: NoSharedCipher, Side: Either,
		Summary: "no cipher suite or key-exchange group is accepted by both sides, e.g. a server that offers only static-RSA or finite-field DHE, which Go does not",
		Fix:     "enable ECDHE suites with AES-GCM or ChaCha20-Poly1305 and the X25519 or P-256 groups on the server (GnuTLS priority NORMAL; openssl -cipher 'ECDHE+AESGCM'); Go has no DHE suites and offers static RSA only when configured explicitly",
		Seen:    []string{"remote error: tls: handshake failure", "tls: no cipher suite supported by both client and server", "SSL routines::no shared cipher", "sslv3 alert handshake failure", "SSL alert number 40", "Could not negotiate a supported cipher suite."},
	},
	{
		ID: ALPN, Side: Either,
		Summary: "the client and the server have no application protocol (ALPN) in common",
		Fix:     "offer a protocol the server accepts (--alpn), or add the client's protocol to the server's ALPN list",
		Seen:    []string{"remote error: tls: no application protocol", "tls: client requested unsupported application protocols", "SSL alert number 120", "no application protocol"},
	},
	{
		ID: UnrecognizedName, Side: Server,
		Summary: "the server has no certificate for the name the client sent (SNI)",
		Fix:     "connect with a name the server has a certificate for (--servername), or configure a certificate (or a default one) for this name on the server",
		Seen:    []string{"remote error: tls: unrecognized name", "tls: no certificates configured", "SSL alert number 112", "tlsv1 unrecognized name"},
	},
	{
		ID: UnknownCA, Side: Either,
		Summary: "the certificate is not issued by a CA the verifying side trusts",
		Fix:     "give the verifying side the CA that issued the certificate (its ca-cert.pem), or reissue the certificate from the CA it trusts; both hosts of a migration need the same CA",
		Lint:    []string{"chain-no-issuer", "chain-signature-invalid"},
		Seen:    []string{"x509: certificate signed by unknown authority", "remote error: tls: unknown certificate authority", "SSL alert number 48", "unable to get local issuer certificate", "The certificate hasn't got a known issuer", "curl: (60) SSL certificate problem: unable to get local issuer certificate"},
	},
	{
		ID: MissingIntermediate, Side: Either,
		Summary: "the peer does not send the intermediate CA certificate between its certificate and the root the other side trusts",
		Fix:     "append the intermediate to the certificate file, leaf first (cat leaf.pem intermediate.pem > server-cert.pem; QEMU 10.2 reads chains), or add the intermediate to every verifier's ca-cert.pem",
		Lint:    []string{"identity-missing-intermediate"},
		Seen:    []string{"unable to verify the first certificate", "x509: certificate signed by unknown authority", "unable to get local issuer certificate"},
	},
	{
		ID: SelfSigned, Side: Either,
		Summary: "the certificate is self-signed and the verifying side does not hold it as a CA",
		Fix:     "issue the certificate from a CA (tlscreds gen pki) and give every verifier that CA; QEMU refuses a self-signed leaf at load anyway",
		Lint:    []string{"leaf-self-signed"},
		Seen:    []string{"self-signed certificate", "self signed certificate in certificate chain", "x509: certificate signed by unknown authority"},
	},
	{
		ID: CAInvalid, Side: Either,
		Summary: "a CA on the certificate's path may not sign certificates (no basicConstraints CA:TRUE, or a keyUsage without keyCertSign)",
		Fix:     "reissue the CA with basicConstraints critical CA:TRUE and keyUsage keyCertSign, cRLSign, then reissue the certificates below it",
		Lint:    []string{"ca-missing-basic-constraints", "ca-not-ca", "ca-key-usage-no-cert-sign"},
		Seen:    []string{"x509: invalid signature: parent certificate cannot sign this kind of certificate", "invalid CA certificate", "The certificate is not trusted"},
	},
	{
		ID: Expired, Side: Either,
		Summary: "a certificate on the chain has expired (or the verifying side's clock is ahead)",
		Fix:     "renew the certificate and replace the file (QEMU reads files only when the object is created or reloaded); if it was just renewed, compare both hosts' clocks",
		Lint:    []string{"cert-expired"},
		Seen:    []string{"x509: certificate has expired or is not yet valid: current time … is after …", "remote error: tls: expired certificate", "SSL alert number 45", "certificate has expired", "The certificate has expired"},
	},
	{
		ID: NotYetValid, Side: Either,
		Summary: "a certificate on the chain is not valid yet: the verifying side's clock is behind, or the certificate starts in the future",
		Fix:     "set the clock (timedatectl; embedded boards often start in 1970), or reissue the certificate with a notBefore in the past",
		Lint:    []string{"cert-not-yet-valid"},
		Seen:    []string{"x509: certificate has expired or is not yet valid: current time … is before …", "certificate is not yet valid", "The certificate is not yet activated"},
	},
	{
		ID: NameMismatch, Side: Server,
		Summary: "the server's certificate does not cover the host name or IP address the client connects to",
		Fix:     "reissue the server certificate with every name clients use: DNS names as DNS SANs, addresses as IP SANs (tlscreds gen cert --name HOST --ip ADDR); or connect by a name it lists (QEMU: tls-hostname)",
		Lint:    []string{"host-not-covered"},
		Seen:    []string{"x509: certificate is valid for A, not B", "x509: cannot validate certificate for ADDR because it doesn't contain any IP SANs", "Hostname mismatch", "IP address mismatch", "Certificate does not match the hostname HOST", "Certificate [session] owner does not match the hostname HOST", "curl: (60) SSL: no alternative certificate subject name matches target host name"},
	},
	{
		ID: CNOnly, Side: Server,
		Summary: "the server's certificate has no subjectAltName: Go, curl and browsers ignore the common name (GnuTLS, hence QEMU, still accepts it)",
		Fix:     "reissue the server certificate with its names as DNS SANs and its addresses as IP SANs (tlscreds gen cert --name HOST --ip ADDR)",
		Lint:    []string{"server-no-san"},
		Seen:    []string{"x509: certificate relies on legacy Common Name field, use SANs instead"},
	},
	{
		ID: ServerEKU, Side: Server,
		Summary: "the server's certificate is not allowed for TLS servers: its extendedKeyUsage lacks serverAuth",
		Fix:     "reissue the server certificate with extendedKeyUsage serverAuth (a client certificate was probably installed as the server's)",
		Lint:    []string{"leaf-eku-wrong-purpose"},
		Seen:    []string{"x509: certificate specifies an incompatible key usage", "unsupported certificate purpose", "Certificate %s purpose does not allow use with a TLS server"},
	},
	{
		ID: Weak, Side: Either,
		Summary: "a certificate uses a weak key or signature (SHA-1 or MD5 signature, RSA under 2048 bits), which current TLS libraries refuse",
		Fix:     "reissue the certificate (and its CA, if the CA's signature or key is the weak one) with SHA-256 and an RSA key of 2048 bits or more, or ECDSA P-256",
		Lint:    []string{"cert-weak-signature", "key-rsa-too-small"},
		Seen:    []string{"x509: cannot verify signature: insecure algorithm SHA1-RSA", "ca md too weak", "ee key too small", "The certificate uses an insecure algorithm"},
	},
	{
		ID: CertInvalid, Side: Either,
		Summary: "a certificate is refused for another reason (an unknown critical extension, name constraints, a malformed certificate)",
		Fix:     "run `tlscreds lint` on the credential directory that holds it and reissue the certificate as it says",
		Lint:    []string{"cert-unknown-critical-extension"},
		Seen:    []string{"x509: unhandled critical extension", "tls: failed to verify certificate", "certificate verify failed"},
	},
	{
		ID: ClientCertRequired, Side: Client,
		Summary: "the server requires a client certificate and the client sent none",
		Fix:     "give the client a certificate issued by a CA in the server's ca-cert.pem (client-cert.pem and client-key.pem in its directory, or --cert/--key), or set verify-peer=off on the server if clients without certificates are intended",
		Lint:    []string{"identity-other-endpoint"},
		Seen:    []string{"remote error: tls: certificate required", "tlsv13 alert certificate required", "SSL alert number 116", "tls: client didn't provide a certificate", "peer did not return a certificate", "Verify failed: No certificate was found.", "Unable to verify TLS peer: No certificate was found."},
	},
	{
		ID: ClientCertRejected, Side: Client,
		Summary: "the server refused the client's certificate (an issuer it does not trust, a purpose other than clientAuth, or not on its allow-list); one refused for its own state is named by that cause: handshake-expired, handshake-not-yet-valid, handshake-revoked, handshake-weak",
		Fix:     "issue the client certificate from a CA in the server's ca-cert.pem, with extendedKeyUsage clientAuth and a current validity; if the server has an allow-list (QEMU authz, libvirt tls_allowed_dn_list), add the certificate's DN",
		Lint:    []string{"cert-expired", "leaf-eku-wrong-purpose", "chain-no-issuer"},
		Seen:    []string{"remote error: tls: bad certificate", "SSL alert number 42", "SSL alert number 48", "tlsv1 alert unknown ca"},
	},
	{
		ID: Revoked, Side: Either,
		Summary: "the certificate is listed in the verifying side's CRL (ca-crl.pem)",
		Fix:     "issue a new certificate for the peer; if the revocation was a mistake, publish a CRL without it",
		Lint:    []string{"leaf-revoked"},
		Seen:    []string{"remote error: tls: revoked certificate", "SSL alert number 44", "certificate revoked", "The certificate has been revoked"},
	},
	{
		ID: AuthzDenied, Side: Server,
		Summary: "the client certificate verified, but the server's DN authorization (QEMU tls-authz, libvirt tls_allowed_dn_list, PostgreSQL's cert authentication of the user) denies its subject",
		Fix:     "add the client's DN to the server's allow-list: an allow rule in QEMU's form (tlscreds inspect CERT prints it) to the server endpoint's authz, or the DN as virt-pki-query-dn prints it to libvirtd's tls_allowed_dn_list",
		Lint:    []string{"manifest-authz-matches-nothing"},
		Seen:    []string{"TLS x509 authz check for %s is denied", "Client's Distinguished Name is not on the list of allowed clients (tls_allowed_dn_list)."},
	},
	{
		ID: NotPinned, Side: Either,
		Summary: "the peer's certificate matches none of the pinned fingerprints",
		Fix:     "add the peer certificate's pin (tlscreds fingerprint CERT) to the endpoint's pins, keeping the old one during the rotation",
		Lint:    []string{"manifest-pin-matches-nothing"},
		Seen:    []string{"peer certificate matches no pin"},
	},
	{
		ID: SNIDependent, Side: Server,
		Summary: "the server picks its certificate by the name the client sends (SNI), and sends a different one depending on it",
		Fix:     "fix the server's name-to-certificate mapping, or connect with the name (--servername) whose certificate is right",
	},
	{
		ID: Truncated, Side: Server,
		Summary: "the server ended the connection after the handshake without close_notify",
		Fix:     "read the server's log: servers that check the client after the handshake (QEMU verify-peer, authz, libvirt tls_allowed_dn_list) hang up this way; otherwise the server crashed or a middlebox cut the connection",
		Seen:    []string{"The TLS connection was non-properly terminated.", "unexpected eof while reading", "unexpected EOF", "Cannot read from TLS channel: Software caused connection abort"},
	},
	{
		ID: ServerError, Side: Server,
		Summary: "the server failed internally during the handshake (alert internal_error)",
		Fix:     "read the server's log; a certificate callback that returned an error, an unusable key or a broken HSM are common reasons",
		Seen:    []string{"remote error: tls: internal error", "SSL alert number 80"},
	},
	{
		ID: Alert, Side: Either,
		Summary: "the peer aborted the handshake with a TLS alert that names no configuration problem",
		Fix:     "read the peer's log for the reason behind the alert; `tlscreds explain` gives the alert's meaning",
		Seen:    []string{"remote error: tls: illegal parameter", "remote error: tls: error decoding message"},
	},
	{
		ID: LoadFailed, Side: Either,
		Summary: "a credential object cannot be loaded, so no handshake is possible",
		Fix:     "run `tlscreds lint` on the object and fix the errors it reports",
		Lint:    []string{"file-missing", "file-unreadable", "file-der", "file-invalid", "key-encrypted-no-password", "identity-unpaired", "server-no-identity", "key-mismatch", "object-not-usable-in-go"},
		Seen:    []string{"Unable to access credentials %s: No such file or directory", "Cannot load certificate '%s' & key '%s': The certificate and the given key do not match."},
	},
	{
		ID: QEMUDied, Side: Server,
		Summary: "the QEMU process exited (crashed, was killed, or refused its command line): the failure is not TLS",
		Fix:     "read QEMU's own last lines in /var/log/libvirt/qemu/GUEST.log (or journalctl) and the host's kernel log (an OOM kill, a segfault); TLS settings are not the cause",
		Seen:    []string{"Unable to read from monitor: Connection reset by peer", "qemu unexpectedly closed the monitor"},
	},
	{
		ID: Unexplained, Side: Either,
		Summary: "the handshake failed for a reason tlscreds cannot name",
		Fix:     "run `tlscreds pair` with both objects, and read both sides' logs: the side that aborted knows why",
	},
}
