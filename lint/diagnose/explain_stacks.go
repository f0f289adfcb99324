package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// stackPatterns are messages as the other stacks spell them: OpenSSL 3's
// verify errors, Python's ssl and urllib, Java's JSSE, nginx and Apache
// logs, gnutls-serv, tlscreds serve's own log line, QEMU's NBD server,
// and alerts named bare. They were written from the outputs the recorder
// keeps (fixtures/recorder).
func stackPatterns() []*pattern {
	return []*pattern{
		// OpenSSL 3 verify errors and handshake errors.
		{source: "OpenSSL", re: re(`(?i)EE certificate key too weak|ee key too small`), side: sideVerifier, meaning: "the peer's certificate has a key under OpenSSL's security level (RSA under 2048 bits at level 2, the default on Debian 12)", causes: []string{cause.Weak}, rules: []string{"key-rsa-too-small"}},
		{source: "OpenSSL", re: re(`(?i)CA certificate key too weak|ca key too small`), side: sideVerifier, meaning: "a CA on the peer's chain has a key under OpenSSL's security level", causes: []string{cause.Weak}, rules: []string{"key-rsa-too-small"}},
		{source: "OpenSSL", re: re(`(?i)CA signature digest algorithm too weak|ca md too weak`), side: sideVerifier, meaning: "a certificate on the peer's chain is signed with SHA-1 or MD5, which OpenSSL's security level refuses (verify error 68)", causes: []string{cause.Weak}, rules: []string{"cert-weak-signature"}},
		{source: "OpenSSL", re: re(`(?i)invalid CA certificate`), side: sideVerifier, meaning: "a certificate on the peer's chain is used as a CA but may not sign certificates (basicConstraints CA:FALSE or no keyCertSign; verify error 79)", causes: []string{cause.CAInvalid}},
		{source: "OpenSSL", re: re(`(?i)legacy sigalg disallowed or unsupported`), side: sideClientSees, meaning: "the server signed its key exchange with a legacy algorithm (MD5+SHA-1, which only TLS 1.0 and 1.1 use, or SHA-1) that OpenSSL 3 refuses: the server speaks only an old TLS version", causes: []string{cause.Version, cause.Weak}},
		{source: "OpenSSL", re: re(`(?i)SSL_ERROR_SYSCALL|(?:read|write):errno=(?:104|32)\b`), side: sideTransport, meaning: "the connection was closed or reset under TLS, without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "OpenSSL", re: re(`(?i)self[- ]signed certificate(?: in certificate chain)?`), generic: true, side: sideVerifier, meaning: "the peer's chain ends at a self-signed certificate the verifier does not trust", causes: []string{cause.SelfSigned, cause.UnknownCA}},

		// wget built with GnuTLS (Debian's 1.21; src/gnutls.c): one line
		// per status bit of gnutls_certificate_verify_peers2, after "The
		// certificate of 'HOST' is not trusted." (GNUTLS_CERT_INVALID, set
		// with any of them). The host is quoted as the locale quotes.
		// wget says nothing but this when its read timeout (--timeout)
		// ends the handshake: the server took the connection and never
		// answered the ClientHello (measured: wget 1.21 against Icecast
		// 2.4.4 serving plain HTTP on its TLS port, round 64); any other
		// failure has GnuTLS's reason on the line before.
		{source: "wget", re: re(`\.\.\. connected\.\nUnable to establish SSL connection\.`), side: sideClientSees, meaning: "wget's handshake ended without a reason from GnuTLS: its read timeout (--timeout, 900 s by default) expired while the server, which took the connection, never answered the ClientHello: it does not speak TLS there and waits for its own protocol, waits for a STARTTLS preamble, or is stuck", causes: []string{cause.Timeout, cause.NotTLS, cause.StartTLS}},
		{source: "wget", re: re(`The certificate of \S+ doesn't have a known issuer\.?`), side: sideClientSees, meaning: "wget found the issuer of the server's certificate neither in its CA bundle (--ca-certificate) nor in the chain the server sent (GNUTLS_CERT_SIGNER_NOT_FOUND)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}, rules: []string{"chain-no-issuer"}},
		{source: "wget", re: re(`The certificate of \S+ has been revoked\.?`), side: sideClientSees, meaning: "the server's certificate is on a CRL wget was given (--crl-file)", causes: []string{cause.Revoked}},
		{source: "wget", re: re(`The certificate signer of \S+ was not a CA\.?`), side: sideClientSees, meaning: "the server's certificate is issued by a certificate that may not sign (not a CA)", causes: []string{cause.CAInvalid}},
		{source: "wget", re: re(`The certificate of \S+ was signed using an insecure algorithm\.?`), side: sideClientSees, meaning: "a certificate on the server's chain is signed with SHA-1 or MD5, which GnuTLS refuses", causes: []string{cause.Weak}, rules: []string{"cert-weak-signature"}},
		{source: "wget", re: re(`The certificate of \S+ is not yet activated\.?|The certificate has not yet been activated`), side: sideClientSees, meaning: "the server's certificate is not valid yet by the client's clock", causes: []string{cause.NotYetValid}},
		{source: "wget", re: re(`The certificate of \S+ has expired\.?`), side: sideClientSees, meaning: "a certificate on the server's chain has expired by the client's clock", causes: []string{cause.Expired}},
		{source: "wget", re: re(`The certificate's owner does not match hostname \S+`), side: sideClientSees, meaning: "the server's certificate does not cover the host name (or address) in the URL", causes: []string{cause.NameMismatch}},
		{source: "wget", generic: true, re: re(`The certificate of \S+ is not trusted\.?`), side: sideClientSees, meaning: "wget refused the server's certificate; the line after it says why", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.Expired}},
		{source: "wget", re: re(`No certificate presented by \S+`), side: sideClientSees, meaning: "the server sent no certificate", causes: []string{cause.ServerError}},

		// libcurl built with GnuTLS (Debian's libcurl3-gnutls, so git over
		// https): a fatal alert received during the handshake is printed
		// by its GnuTLS name (gnutls_alert_get_name: "Handshake failed",
		// "Certificate was revoked", "The server name sent was not
		// recognized"); any certificate check that fails reads "server
		// certificate verification failed"; an alert after the handshake
		// (a TLS 1.3 server refusing the client's certificate once the
		// client has finished) is a "GnuTLS recv error".
		{source: "curl (GnuTLS)", re: re(`gnutls_handshake\(\) failed: ([A-Z][^\n.:]*)`), side: sideClientSees, refine: gnutlsAlertNameRefine},
		{source: "curl (GnuTLS)", re: re(`server certificate verification failed\. CAfile: \S+`), side: sideClientSees, meaning: "the client (libcurl with GnuTLS: git, and other programs on Debian's libcurl3-gnutls) refused the server's certificate; it does not say why", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.Expired, cause.NotYetValid, cause.Weak}},
		{source: "curl (GnuTLS)", re: re(`GnuTLS recv error \(-12\): A TLS fatal alert has been received`), side: sideClientSees, meaning: "the server sent a fatal alert after the handshake: a TLS 1.3 server refuses the client's certificate (or its absence) only once the client has finished", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Revoked, cause.Alert}},

		// QEMU migration (measured, qemu-system-x86_64 7.2, round 9). A
		// source that writes to a plain socket ("Unable to write to
		// socket", not "Cannot write to TLS channel") migrates without
		// TLS; a destination that resets it expects TLS. A destination
		// without tls-creds reads the source's ClientHello as its stream
		// ("Not a migration stream", with no TLS channel before it).
		{source: "QEMU", re: re(`Unable to write to socket: Connection reset by peer`), side: "printed by a QEMU migration source writing to a plain (not TLS) socket: the destination reset the connection", meaning: "the source migrates without TLS (no tls-creds in its migration parameters) and the destination reset the connection, as a destination that expects TLS does (or one that died)", causes: []string{cause.PlaintextToTLS, cause.Reset}, fix: "give the source the same TLS setup as the destination (virsh migrate --tls, or migrate-set-parameters tls-creds=ID with a tls-creds-x509 object endpoint=client), or read the destination's log"},
		{source: "QEMU", re: re(`Not a migration stream`), side: sideServerSees, meaning: "the migration destination read something that is not a migration stream: a source speaking TLS to a destination without tls-creds (a TLS ClientHello), or another program", causes: []string{cause.NotTLS}, refine: notMigrationStreamRefine, fix: "set the same TLS parameters on both sides (tls-creds on the destination too, endpoint=server), or read the source's error"},

		// GnuTLS's session closed by an earlier fatal alert or error:
		// wget writing its request after a TLS 1.3 server refused the
		// client's certificate (or its absence) once the handshake ended.
		{source: "GnuTLS", re: re(`The specified session has been invalidated for some reason\.?`), side: sideClientSees, meaning: "the TLS session had already been closed by a fatal alert or error: after the handshake, a server that refused the client's certificate (or its absence)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}},

		// A plain-HTTP client that got a TLS record back: the port speaks
		// TLS. Go and Node.js print the bytes (a TLS record starts 0x15
		// or 0x16, then 0x03: an alert or a handshake); curl and Python
		// say only that the answer is not HTTP.
		{source: "Go", re: re(`malformed HTTP response "\\x1[56]\\x03`), side: sideClientSees, meaning: "the client sent plain HTTP and the server answered with a TLS record: the port speaks TLS (use https://)", causes: []string{cause.PlaintextToTLS}},
		{source: "Node.js", re: re(`rawPacket: <Buffer 1[56] 03`), side: sideClientSees, meaning: "the client sent plain HTTP and the server answered with a TLS record: the port speaks TLS (use https://)", causes: []string{cause.PlaintextToTLS}},
		{source: "Node.js", generic: true, re: re(`Parse Error: Expected HTTP/`), side: sideClientSees, meaning: "the server's answer is not HTTP: a TLS port (use https://) or another protocol", causes: []string{cause.PlaintextToTLS}},
		{source: "curl", re: re(`Received HTTP/0\.9 when not allowed`), side: sideClientSees, meaning: "the server's answer has no HTTP status line: a TLS port answering plain HTTP with an alert (use https://), or another protocol", causes: []string{cause.PlaintextToTLS}},
		{source: "Python", re: re(`http\.client\.BadStatusLine`), side: sideClientSees, meaning: "the server's answer is not an HTTP status line: a TLS port answering plain HTTP with an alert (use https://), or another protocol", causes: []string{cause.PlaintextToTLS}},
		// A plain-text server's log of a TLS ClientHello: the record
		// header 0x16 0x03 0x0N escaped as the server logs the bytes it
		// read (Python's http.server: "Bad request version" with the
		// request line "\x16\x03\x01...").
		{source: "server log", re: re(`\\x16\\x03\\x0[0-4]`), side: sideServerSees, meaning: "a TLS ClientHello reached a server that speaks plain text here: the client uses https:// (or TLS) on a plain port", causes: []string{cause.NotTLS}},
		// Node.js's "socket hang up" is the end of a connection that had
		// carried the request (a TLS connection that fails during the
		// handshake reads "Client network socket disconnected before
		// secure TLS connection was established" instead: measured with
		// Node.js 20.20.2 against a server that closes after reading the
		// ClientHello).
		{source: "Node.js", re: re(`Error: socket hang up`), side: sideClientSees, meaning: "the server closed the connection after the request, without answering", causes: []string{cause.Truncated, cause.Reset}, refine: nodeHangUpRefine},

		// GnuTLS: gnutls-cli's status lines, gnutls-serv's log.
		{source: "GnuTLS", re: re(`(?i)The certificate chain uses insecure algorithm|The certificate uses an insecure algorithm`), side: sideVerifier, meaning: "a certificate on the chain is signed with SHA-1 or MD5, which GnuTLS refuses", causes: []string{cause.Weak}, rules: []string{"cert-weak-signature"}},
		{source: "GnuTLS", re: re(`(?i)The certificate (?:chain )?does not match the intended purpose`), side: sideVerifier, meaning: "the certificate's extendedKeyUsage does not allow its role", causes: []string{cause.ServerEKU, cause.ClientCertRejected}, refine: bySideRefine(cause.ClientCertRejected)},
		{source: "GnuTLS", re: re(`The certificate issuer is not a CA\.?`), side: sideVerifier, meaning: "a certificate on the chain is issued by a certificate that may not sign (not a CA)", causes: []string{cause.CAInvalid}},
		{source: "GnuTLS", re: re(`Error in handshake: Certificate is required\.?`), side: sideServerSees, meaning: "gnutls-serv requires a client certificate and the client sent none", causes: []string{cause.ClientCertRequired}},
		{source: "GnuTLS", re: re(`Error in handshake: Error in the certificate\.?`), side: sideServerSees, meaning: "gnutls-serv refused the client's certificate (issuer unknown, revoked, expired, wrong purpose: it logs no reason, and sends the client access_denied for each)", causes: []string{cause.ClientCertRejected, cause.Revoked}},
		{source: "GnuTLS", re: re(`(?:Error in handshake: |TLS handshake failed:? |_read_err: \(GNUTLS_E_DECRYPTION_FAILED\) )Decryption has failed\.?`), side: sideServerRefused, meaning: "gnutls-serv could not read the client's next record: the client aborted the handshake after the server's certificate (it refused the certificate) with an alert gnutls-serv could not decrypt", causes: serverCertRefusedCauses()},
		// OpenSSL's SNI callback refused the name the client sent (or its
		// absence): s_server -servername_fatal, a server with strict SNI.
		{source: "OpenSSL", re: re(`final_server_name:callback failed`), side: sideServerSees, meaning: "the server's SNI callback refused the handshake: the client sent a name the server has no certificate or virtual host for, or none", causes: []string{cause.UnrecognizedName}},
		{source: "GnuTLS", re: re(`\*\*\* Fatal error: Error in the certificate\.`), generic: true, side: sideClientSees, meaning: "gnutls-cli refused the server's certificate; its \"- Status:\" line says why", causes: []string{cause.UnknownCA}},

		// OpenSSL as a server, verifying a client's certificate.
		{source: "OpenSSL", first: true, re: re(`tls_process_client_certificate:certificate verify failed`), side: sideServerSees, meaning: "the OpenSSL server refused the client's certificate; the verify error printed with it says why", causes: []string{cause.ClientCertRejected}, refine: clientCertRefusedRefine},

		// Go: clients and servers.
		{source: "Go", first: true, re: re(`possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate"`), side: sideVerifier, meaning: "the issuer was found, but it may not sign certificates (basicConstraints CA:FALSE or no keyCertSign)", causes: []string{cause.CAInvalid}},
		{source: "Go", first: true, re: re(`possibly because of "x509: cannot verify signature: insecure algorithm ([A-Z0-9-]+)"`), side: sideVerifier, meaning: "the issuer was found, but its signature on the certificate uses $1, which Go refuses (since Go 1.18 by default, and with no override since Go 1.24)", causes: []string{cause.Weak}, rules: []string{"cert-weak-signature"}},
		{source: "Go", re: re(`(?m)(?:: |^)(?:unexpected )?EOF\s*$`), side: sideTransport, meaning: "the connection ended without close_notify and without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		// gRPC (grpc-go) retries a connection it cannot establish and,
		// at the caller's deadline, says only that every one failed:
		// the TCP connection or the TLS handshake, for any reason
		// (measured: etcdctl 3.4 prints the same lines for an unknown CA,
		// an expired or misnamed certificate, a missing intermediate, a
		// refused or missing client certificate, a server that exited
		// and plain HTTP, round 28).
		{source: "gRPC", re: re(`all SubConns are in TransientFailure`), side: sideClientSees, meaning: "the gRPC client could not establish a connection before its deadline: the TCP connection or the TLS handshake failed, and gRPC does not say why (etcdctl --debug, `openssl s_client -connect HOST:PORT`, or `tlscreds diagnose HOST:PORT` does)", causes: []string{cause.UnknownCA, cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired, cause.NameMismatch, cause.MissingIntermediate, cause.Refused, cause.LoadFailed, cause.Timeout}, refine: grpcRefine},
		// The handshake's own timeout: the server took the connection
		// and never answered the ClientHello (measured: Icecast 2.4,
		// which serves plain HTTP on its TLS port when it cannot load
		// its certificate, waits for a request, round 64).
		{source: "Go", re: re(`net/http: TLS handshake timeout`), side: sideClientSees, meaning: "the server took the connection and did not complete the handshake in time: it does not speak TLS there and waits for its own protocol, waits for a STARTTLS preamble, is stuck, or a firewall drops packets", causes: []string{cause.Timeout, cause.NotTLS, cause.StartTLS}},
		{source: "Go", re: re(`context deadline exceeded|Client\.Timeout exceeded`), side: sideClientSees, meaning: "the server did not complete the handshake in time: it does not speak TLS there, waits for a STARTTLS preamble, or a firewall drops packets", causes: []string{cause.Timeout}},
		// crypto/x509's HostnameError: "not valid for any names" is a
		// certificate with no DNS name in its SANs (IP addresses only, or
		// no SAN and a common name that does not match either; a matching
		// common name without SANs reads "relies on legacy Common Name
		// field" instead).
		{source: "Go", re: re(`x509: certificate is not valid for any names`), side: sideClientSees, meaning: "the server's certificate has no DNS name in its subjectAltName (Go ignores the common name): it cannot match the host name the client asked for", causes: []string{cause.NameMismatch, cause.CNOnly}},
		{source: "Go", re: re(`http: TLS handshake error from (\S+): remote error: tls: ([a-zA-Z ]+[a-zA-Z])`), side: sideServerSees, meaning: "the client $1 aborted the handshake with an alert: it refused the server's certificate or parameters", refine: namedAlertRefine(2)},
		// net/http's HTTP/2 transport when the connection ends before the
		// server's SETTINGS, right after a TLS handshake that agreed on
		// h2: a TLS 1.3 server that refuses the client's certificate
		// after the client's Finished hangs up then (measured: Caddy 2.6
		// requiring a certificate, a race with its alert, round 20).
		{source: "Go", re: re(`http2: client conn could not be established`), side: sideClientSees, meaning: "the server ended the connection right after the TLS handshake, before HTTP/2 began: a TLS 1.3 server that refuses the client's certificate does so after the client finished its part of the handshake", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Truncated, cause.Revoked, cause.AuthzDenied}},
		// A TLS 1.3 client that refuses the server's certificate sends
		// its alert before it has the keys the Go server expects its next
		// record under: the server cannot decrypt it and logs its own
		// bad_record_mac (measured: Caddy 2.6's log of every certificate
		// the clients refused, round 20; tlscreds serve reads it the same
		// way).
		{source: "Go", re: re(`TLS handshake error from (\S+): local error: tls: bad record MAC`), side: sideServerRefused, meaning: "the client $1 aborted the handshake after the server's certificate with an alert the Go server could not decrypt: it refused the server's certificate (the client's own output says why)", causes: serverCertRefusedCauses()},

		// Python ssl and urllib.
		{source: "Python", re: re(`EOF occurred in violation of protocol|UNEXPECTED_EOF_WHILE_READING`), side: sideTransport, meaning: "the peer closed the connection without close_notify", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "Python", re: re(`RemoteDisconnected(?:: |\(')Remote end closed connection without response`), side: sideClientSees, meaning: "the server closed the connection after the request without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "Python", re: re(`\[SSL: ([A-Z0-9_]+)\]`), generic: true, side: "printed by Python's ssl module (OpenSSL's reason code)", meaning: "OpenSSL's reason $1", refine: opensslReasonRefine},

		// Java JSSE (HttpsURLConnection, SSLSocket).
		{source: "Java", re: re(`PKIX path building failed|unable to find valid certification path to requested target`), side: sideClientSees, meaning: "Java found no chain from the server's certificate to a CA in its trust store: an unknown CA, a missing intermediate or a self-signed certificate", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}},
		{source: "Java", re: re(`CertificateExpiredException`), side: sideClientSees, meaning: "a certificate on the server's chain has expired", causes: []string{cause.Expired}},
		{source: "Java", re: re(`CertificateNotYetValidException`), side: sideClientSees, meaning: "a certificate on the server's chain is not valid yet (a clock is off)", causes: []string{cause.NotYetValid}},
		{source: "Java", generic: true, re: re(`PKIX path validation failed: [^\n]*validity check failed`), side: sideClientSees, meaning: "a certificate on the server's chain is outside its validity period", causes: []string{cause.Expired, cause.NotYetValid}},
		{source: "Java", re: re(`No subject alternative (?:DNS )?names? matching (?:IP address )?(\S+?) found`), side: sideClientSees, meaning: "the server's certificate does not cover $1", causes: []string{cause.NameMismatch}},
		// JSSE's HostnameChecker: no SAN at all (for an IP address), or
		// no DNS name in the SANs and a common name that does not match
		// either (a matching common name passes).
		{source: "Java", re: re(`No subject alternative names present`), side: sideClientSees, meaning: "the server's certificate has no subjectAltName", causes: []string{cause.CNOnly, cause.NameMismatch}},
		{source: "Java", re: re(`No name matching (\S+) found`), side: sideClientSees, meaning: "neither a DNS name of the server's certificate's subjectAltName nor its common name is $1", causes: []string{cause.NameMismatch, cause.CNOnly}},
		{source: "Java", re: re(`Extended key usage does not permit use for TLS (server|client) authentication`), side: sideVerifier, meaning: "the peer's certificate's extendedKeyUsage does not allow TLS $1 authentication", causes: []string{cause.ServerEKU, cause.ClientCertRejected}, refine: bySideRefine(cause.ClientCertRejected)},
		{source: "Java", re: re(`(?i)Algorithm constraints check failed[^\n]*|Certificate signature algorithm disabled|key ?size limits`), side: sideVerifier, meaning: "a certificate on the chain uses a weak signature algorithm or key that Java's jdk.certpath.disabledAlgorithms refuses", causes: []string{cause.Weak}},
		{source: "Java", re: re(`basic constraints check failed`), side: sideVerifier, meaning: "a CA on the chain is not allowed to sign certificates", causes: []string{cause.CAInvalid}},
		{source: "Java", re: re(`No appropriate protocol \(protocol is disabled or cipher suites are inappropriate\)`), side: sideClientSees, meaning: "no TLS version or cipher suite in common that Java allows", causes: []string{cause.Version, cause.NoSharedCipher}},
		{source: "Java", re: re(`The server selected protocol version (\S+) is not accepted by client preferences`), side: sideClientSees, meaning: "the server chose $1, which the client does not allow", causes: []string{cause.Version}},
		{source: "Java", re: re(`Unsupported or unrecognized SSL message`), side: sideClientSees, meaning: "the server's answer is not TLS: a plain-text service, or a port that needs a STARTTLS preamble", causes: []string{cause.NotTLS}},
		{source: "Java", re: re(`Remote host terminated the handshake|SSL peer shut down incorrectly`), side: sideTransport, meaning: "the server hung up during the handshake without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "Java", re: re(`Unexpected end of file from server`), side: sideClientSees, meaning: "the server closed the connection after the request without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "Java", re: re(`Error writing to server|SocketException: Broken pipe`), side: sideClientSees, meaning: "writing the request failed right after the handshake: the server had already hung up, as TLS 1.3 servers do after refusing the client's certificate (or the missing one)", causes: []string{cause.ClientCertRequired}, refine: writeFailedRefine},
		// Go's net/http and curl race the same hang-up: the write of the
		// request meets the closed socket (EPIPE), or curl's check of it
		// finds the socket already gone (ENOTCONN).
		{source: "network", re: re(`write: broken pipe|Send failure: Broken pipe|\[Errno 32\] Broken pipe|getpeername\(\) failed with errno 107|Socket write failed errno=(?:32|104)\b|Failed to get the name of socket, cause: Transport endpoint is not connected`), side: sideClientSees, meaning: "writing the request failed right after the handshake: the server had already hung up, as TLS 1.3 servers do after refusing the client's certificate (or the missing one)", causes: []string{cause.ClientCertRequired}, refine: writeFailedRefine},
		// EPIPE in any program's log (socat's "E write(5, ...): Broken
		// pipe", a proxy's): the peer had hung up when this side wrote.
		{source: "network", generic: true, re: re(`(?i)\bBroken pipe\b|\bEPIPE\b`), side: sideTransport, meaning: "writing failed because the peer had already closed the connection", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		// A server's log of the process that served the connection dying
		// (nginx's "worker process N exited on signal 11", socat's
		// "child N exited on signal 9", a CGI or backend killed): the
		// client's connection was cut with it, without close_notify.
		{source: "server", re: re(`(?i)\b(?:child|process)\b[^\n]{0,40}?\b(?:exited on|killed by|terminated by|exited due to) signal (\d+)`), side: "printed by the server about its own process: not a TLS failure", meaning: "the process serving the connection died on signal $1 (9: killed, e.g. by a timeout or the OOM killer; 11: crashed); its clients' connections were cut without close_notify", causes: []string{cause.Truncated, cause.Reset}, fix: "find why the process died (dmesg for the OOM killer, the service's own log, a core dump for signal 11); the TLS configuration is not at fault"},
		{source: "Java", re: re(`Received fatal alert: ([a-z_]+)`), refine: namedAlertRefine(1)},
		{source: "Java", re: re(`(?i)Read timed out|connect timed out`), side: sideClientSees, meaning: "the server did not answer in time", causes: []string{cause.Timeout}},

		// nginx and Apache.
		{source: "nginx", re: re(`no "ssl_certificate" is defined`), side: "printed by nginx about its own configuration", meaning: "a listen ... ssl server block has no ssl_certificate: nginx cannot complete any handshake there", causes: []string{cause.LoadFailed}, rules: []string{}, fix: "add ssl_certificate and ssl_certificate_key to the server block (or to http {}), then nginx -t && nginx -s reload"},
		{source: "nginx", re: re(`cannot load certificate( key)? "([^"]+)"`), side: "printed by nginx about its own configuration, at start or reload", meaning: "nginx cannot load the certificate$1 file $2 (the reason follows: a missing file, a permission, or not PEM)", causes: []string{cause.LoadFailed}, rules: []string{"file-missing", "file-unreadable", "file-invalid"}, fix: "fix the ssl_certificate / ssl_certificate_key path, its permissions (the master process reads it as root) or its format, then nginx -t && nginx -s reload"},
		{source: "nginx", re: re(`SSL_CTX_use_PrivateKey\("([^"]+)"\) failed`), side: "printed by nginx about its own configuration, at start or reload", meaning: "nginx cannot use the key $1 with its certificate: usually the key does not belong to the ssl_certificate (key values mismatch)", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}, fix: "point ssl_certificate_key at the key of ssl_certificate (compare openssl x509 -noout -pubkey -in CERT with openssl pkey -pubout -in KEY), then nginx -t && nginx -s reload"},
		// nginx as the client of its upstream (proxy_pass https://,
		// proxy_ssl_verify on; ngx_http_upstream.c).
		{source: "nginx", re: re(`upstream SSL certificate verify error: \((\d+):([^)]*)\)`), wrapper: true, side: "printed by nginx as the client of its upstream (proxy_ssl_verify on): nginx refused the upstream server's certificate", meaning: "nginx refused the upstream's certificate: $2 (verify error $1)"},
		{source: "nginx", re: re(`upstream SSL certificate does not match "([^"]*)"`), side: "printed by nginx as the client of its upstream (proxy_ssl_verify on)", meaning: "the upstream server's certificate does not cover $1, the name nginx verifies (proxy_ssl_name, by default the proxy_pass host)", causes: []string{cause.NameMismatch}, fix: "set proxy_ssl_name to a name the upstream's certificate lists (with proxy_ssl_server_name on), or reissue the upstream's certificate with the name proxy_pass uses"},
		{source: "nginx", re: re(`client sent invalid method(?: while reading client request line)?`), side: "printed by nginx on a plain-HTTP port", meaning: "a client sent bytes that do not start an HTTP request: usually a TLS ClientHello (https:// against a port without ssl), or another protocol", causes: []string{cause.NotTLS}, fix: "connect with http:// to this port, or add ssl to its listen directive (with ssl_certificate and ssl_certificate_key)"},
		// A client that hangs up during the handshake without an alert:
		// one that gave up on the server's certificate, or one that
		// could not use its own certificate or key once the server
		// asked for it (measured: nginx's log of clients with a
		// mismatched key and with a SHA-1 certificate their own
		// library refuses).
		// openssl s_client's last word when the server closed the
		// connection after the handshake.
		{source: "OpenSSL", re: re(`CONNECTION CLOSED BY SERVER`), side: sideClientSees, meaning: "the server closed the connection (openssl s_client)", causes: []string{cause.Truncated}, refine: hangUpRefine(false)},
		{source: "nginx", re: re(`client closed connection while SSL handshaking`), side: "printed by nginx: the client hung up during the handshake without an alert", meaning: "the client hung up during the handshake without an alert: it gave up on the server's certificate or parameters, or could not use its own certificate or key", causes: []string{cause.Reset, cause.LoadFailed}, refine: func(e *Explanation, _ []string, text string) bool {
			e.Causes = append(hangUpCauses(text, false), cause.LoadFailed)
			return true
		}},
		// Java prints the alert it sends in parentheses before its
		// reason ("SSLHandshakeException: (certificate_unknown) PKIX
		// path validation failed ..."); an alert it received is
		// "(x) Received fatal alert: x".
		{source: "Java", generic: true, re: re(`SSL\w*Exception: \(([a-z_]+)\)( Received fatal alert)?`), refine: javaSentAlertRefine},
		// Java's PKIX checks (sun.security.provider.certpath).
		{source: "Java", re: re(`unrecognized critical extension\(s\)`), side: sideVerifier, meaning: "a certificate on the peer's chain has a critical extension Java does not know", causes: []string{cause.CertInvalid}},
		{source: "Java", re: re(`name constraints check failed`), side: sideVerifier, meaning: "a CA on the peer's chain has name constraints that do not allow the certificate's names", causes: []string{cause.CertInvalid}},
		{source: "Java", re: re(`CA key usage check failed: keyCertSign bit is not set`), side: sideVerifier, meaning: "a CA on the peer's chain has a keyUsage without keyCertSign: it may not sign certificates", causes: []string{cause.CAInvalid}},
		// HAProxy 2.6's connection errors on a bind with ssl (its log of
		// a frontend/bind, "fe/1: ..."), measured against curl with
		// haproxy 2.6.12: a client certificate from another CA and a
		// revoked one (crl-file) are both "not trusted"; a missing client
		// certificate, a server certificate the client refused, plain
		// HTTP and a version mismatch are all "SSL handshake failure".
		{source: "HAProxy", re: re(`[^\s/]+/[^\s:]+: SSL client certificate not trusted`), side: "printed by HAProxy (verify required): it refused the client's certificate", meaning: "HAProxy refused the client's certificate: its issuer is not in the bind's ca-file, it is revoked in its crl-file, or it is expired or not valid yet (%[ssl_c_err] in the log says which)", causes: []string{cause.ClientCertRejected, cause.Revoked, cause.Expired, cause.NotYetValid}},
		{source: "HAProxy", re: re(`[^\s/]+/[^\s:]+: SSL client CA chain cannot be verified`), side: "printed by HAProxy (verify required): a CA certificate the client sent did not verify", meaning: "a CA in the client's chain did not verify against the bind's ca-file (an unknown issuer, expired, or revoked; %[ssl_c_ca_err] says which)", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}},
		{source: "HAProxy", re: re(`[^\s/]+/[^\s:]+: SSL handshake failure\b`), side: "printed by HAProxy: the handshake with a client failed, without the reason (option httpslog logs it: %[ssl_fc_err] and %[ssl_c_err])", meaning: "the handshake failed: most often the client refused HAProxy's certificate; also a client without the certificate verify required asks for, no TLS version or suite in common, or a client that does not speak TLS", causes: []string{cause.UnknownCA, cause.ClientCertRequired, cause.NameMismatch, cause.Version, cause.NoSharedCipher, cause.Expired, cause.MissingIntermediate, cause.PlaintextToTLS}, fix: "read the client's own error (curl, the browser, the service's log), or log the reason: option httpslog in the frontend (it adds %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]); `tlscreds diagnose HOST:PORT --creds CLIENT-DIR` shows it from the client"},
		// Node.js's authorizationError, as a service that asks for a
		// client certificate (requestCert without rejectUnauthorized)
		// answers it in a 401 after the handshake: it is about the
		// client's certificate. Node gives UNABLE_TO_GET_ISSUER_CERT
		// for a client that sent none (measured, round 18), as for one
		// whose issuer it does not know.
		{source: "Node.js", first: true, re: re(`\b401\b[^\n]*(?:\n[^\n]*)?\b(?:UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\b`), side: "an HTTP 401 after the handshake: the service checked the client's certificate itself (Node.js's authorizationError) and refused it", meaning: "the service asked for a client certificate and refused what it got: Node.js says UNABLE_TO_GET_ISSUER_CERT for a client that sent no certificate, as for one from an issuer not in its ca", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}, fix: "give the client a certificate issued by a CA in the service's ca option (--cert and --key), or add the client's CA there"},
		{source: "Node.js", first: true, re: re(`\b401\b[^\n]*(?:\n[^\n]*)?\b(?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_REVOKED)\b`), side: "an HTTP 401 after the handshake: the service checked the client's certificate itself (Node.js's authorizationError) and refused it", meaning: "the service refused the client's certificate: its issuer is not in the service's ca option (or it expired, or was revoked, as the code says)", causes: []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.Expired}, fix: "give the client a certificate issued by a CA in the service's ca option, or add the client's CA there"},
		// HAProxy as a TLS client of its servers (server ... ssl verify
		// required ca-file ...), measured with haproxy 2.6.12 (round
		// 17): its health check says why a server is DOWN; the clients
		// see only its 503 or 502 page.
		{source: "HAProxy", first: true, re: re(`is DOWN, reason: Layer6 invalid response, info: "Server presented an SSL certificate different from the configured one"`), side: "printed by HAProxy: its TLS check of a server (verifyhost, or the sni it sends) found another name in the server's certificate", meaning: "the backend server's certificate does not name what HAProxy's server line checks (verifyhost, else the sni expression)", causes: []string{cause.NameMismatch}, fix: "reissue the backend's certificate with the name HAProxy checks, or set verifyhost (and sni) on the server line to a name the certificate has"},
		{source: "HAProxy", re: re(`is DOWN, reason: Layer6 invalid response, info: "SSL handshake failure"`), side: "printed by HAProxy: the TLS handshake of its check with a server (server ... ssl) failed; HAProxy is the client there", meaning: "HAProxy could not complete TLS with its backend server: the server's certificate is not issued by a CA in the server line's ca-file, or is expired, or the backend requires a client certificate (crt on the server line), or the backend does not speak TLS on that port", causes: []string{cause.UnknownCA, cause.Expired, cause.ClientCertRequired, cause.NotTLS, cause.MissingIntermediate}, fix: "run tlscreds diagnose BACKEND:PORT --ca CA-FILE-OF-THE-SERVER-LINE (add --creds with HAProxy's client certificate) to see which; fix ca-file, crt or the backend"},
		{source: "HAProxy", re: re(`No server is available to handle this request\.?`), side: "HAProxy's 503 page: every server of the backend is DOWN; HAProxy's log says why (\"Server X is DOWN, reason: ...\")", meaning: "not a TLS failure of this client: the proxy has no healthy backend server; when it reaches them over TLS, its TLS check failing (the backend's certificate against the server line's ca-file, an expired one, a name verifyhost does not find, a client certificate the backend requires, a backend without TLS) takes them all down", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.ClientCertRequired, cause.NotTLS}, fix: "read HAProxy's log for the reason the servers are DOWN, then run tlscreds diagnose against a backend server as HAProxy connects to it"},
		{source: "HAProxy", re: re(`The server returned an invalid or incomplete response\.?|\b502 \d+ - - SH--`), side: "HAProxy's 502: the backend server closed the connection or answered with what is not HTTP", meaning: "HAProxy's backend server did not answer in HTTP: a backend that speaks TLS reached by a server line without ssl closes on the plain-text request; or the backend crashed", causes: []string{cause.PlaintextToTLS, cause.Reset}, fix: "add ssl (with verify required and ca-file) to the server line of a TLS backend, or point it at the backend's plain-text port"},
		// A proxy's 503 or 502 as clients print it without the page:
		// the proxy answered, its backend did not (measured: HAProxy's
		// TLS checks of its servers failing, round 17).
		{source: "HTTP", generic: true, re: re(`ERROR 503: Service Unavailable|HTTP Error 503|503 Server Error|returned error: 503\b`), side: "an HTTP 503 from the server or from a proxy in front of it", meaning: "the server answered 503: a proxy or load balancer (HAProxy, nginx) has no healthy backend; when it reaches its backends over TLS, its TLS check failing (the backend's certificate not trusted by the proxy, expired, another name, a client certificate the backend requires, a backend without TLS) takes them down; the proxy's log says why", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.ClientCertRequired, cause.NotTLS}, fix: "read the proxy's log for the reason its backends are down, then run tlscreds diagnose against a backend as the proxy connects to it"},
		// Apache's mod_proxy as a TLS client of its backend (SSLProxyEngine
		// on, SSLProxyVerify require, SSLProxyCheckPeerName on): its error
		// page and log say the handshake failed, its ssl:info lines why
		// (measured with Apache 2.4.62, round 39).
		{source: "Apache", re: re(`AH02411: SSL Proxy: Peer certificate does not match for hostname (\S+)`), side: "printed by Apache's mod_proxy about its backend: Apache is the TLS client there", meaning: "the backend's certificate does not cover $1, the host name of the ProxyPass URL (SSLProxyCheckPeerName)", causes: []string{cause.NameMismatch}, fix: "reissue the backend's certificate with the name of the ProxyPass URL, or point ProxyPass at a name the certificate has"},
		{source: "Apache", re: re(`Error during SSL Handshake with remote server`), side: "printed by Apache's mod_proxy (its log, and its 500 Proxy Error page): its TLS handshake with the backend failed; Apache is the TLS client there", meaning: "Apache could not complete TLS with its backend: the backend's certificate is not issued by a CA in SSLProxyCACertificateFile, or has another name (SSLProxyCheckPeerName), or expired; the backend requires a client certificate (SSLProxyMachineCertificateFile); no common version (SSLProxyProtocol); or the backend does not speak TLS there. Its log at LogLevel ssl:info says which", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.ClientCertRequired, cause.Version, cause.NotTLS}, fix: "read Apache's error log (LogLevel ssl:info: AH02276 Certificate Verification, AH02411, SSL Library Error), then run tlscreds diagnose against the backend as Apache connects to it (--ca SSLProxyCACertificateFile)"},
		{source: "HTTP", generic: true, re: re(`\b500 Proxy Error\b|500 Server Error: Proxy Error\b`), side: "Apache's 500 Proxy Error page: mod_proxy could not use its backend", meaning: "Apache's mod_proxy could not use its backend; when it reaches it over TLS, a failed handshake is the commonest reason (the page's Reason and Apache's log say which)", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.ClientCertRequired, cause.Version, cause.NotTLS}, fix: "read Apache's error log, then run tlscreds diagnose against the backend as Apache connects to it"},
		// A bare 500 as git and aria2c print it (the status code, no
		// page): Apache's mod_proxy answers 500 when its TLS handshake
		// with its backend fails (measured, round 39); any application
		// error is a 500 too, so the meaning says so.
		{source: "HTTP", generic: true, re: re(`returned error: 500\b|The response status is not successful\. status=500\b`), side: "an HTTP 500 from the server or from a proxy in front of it (the client printed the status code, not the page)", meaning: "the server answered 500: an error of the application behind it, or a proxy that could not use its backend (Apache's mod_proxy answers 500 Proxy Error when its TLS handshake with the backend fails); the page's text (curl -s, without --fail) and the server's log say which", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.ClientCertRequired, cause.Version, cause.NotTLS}, fix: "fetch the page to read its reason (curl -s URL), read the server's or proxy's error log, then run tlscreds diagnose against the backend as the proxy connects to it"},
		// Caddy 2.6's reverse_proxy answers a backend whose certificate
		// it refuses (an unknown issuer, another name) with an empty 502
		// (measured, round 20).
		{source: "HTTP", generic: true, re: re(`ERROR 502: Bad Gateway|HTTP Error 502|502 Server Error|returned error: 502\b|\b502 Bad Gateway\b|The response status is not successful\. status=502\b|server returned HTTP status 502\b`), side: "an HTTP 502 from a proxy in front of the server", meaning: "a proxy or load balancer could not get an answer from its backend: a TLS backend reached in plain text (HAProxy's server line without ssl), a backend whose certificate the proxy refuses (an issuer it does not trust, another name than the one it checks: nginx's proxy_ssl_verify, Caddy's reverse_proxy), a backend without TLS reached with it, a backend whose certificate expired or that requires a client certificate the proxy does not send (nginx's proxy_ssl_certificate), or a backend that crashed; the proxy's log says which", causes: []string{cause.PlaintextToTLS, cause.UnknownCA, cause.NameMismatch, cause.NotTLS, cause.Reset, cause.Expired, cause.MissingIntermediate, cause.ClientCertRequired, cause.Version}, fix: "read the proxy's log, then run tlscreds diagnose against the backend as the proxy connects to it"},
		{source: "HAProxy", re: re(`inconsistencies between private key and certificate loaded`), side: "printed by HAProxy as it parses its configuration: it does not start", meaning: "the private key in HAProxy's crt file is not the key of its certificate", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}},
		{source: "HAProxy", re: re(`unable to load SSL certificate into SSL Context`), side: "printed by HAProxy as it parses its configuration: it does not start", meaning: "OpenSSL refused HAProxy's certificate: most often a key or signature too weak for OpenSSL 3's security level (an RSA key under 2048 bits, SHA-1), else a certificate it cannot use", causes: []string{cause.LoadFailed, cause.Weak}, rules: []string{"key-rsa-too-small"}},
		{source: "HAProxy", re: re(`[^\s/]+/[^\s:]+: Timeout during SSL handshake`), side: "printed by HAProxy: a client connected and did not finish the handshake within timeout client", meaning: "the client did not finish the handshake in time: a client that speaks another protocol and waits for the server to talk first, a health check, or a stalled network", causes: []string{cause.Timeout, cause.PlaintextToTLS}},
		{source: "HAProxy", re: re(`[^\s/]+/[^\s:]+: Connection (?:closed|error) during SSL handshake`), side: "printed by HAProxy: the client hung up during the handshake without an alert", meaning: "the client hung up during the handshake without an alert: it gave up on HAProxy's certificate or parameters without saying so, or it is a TCP health check or port scan", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		// lighttpd's mod_openssl at start (it does not start: "Going
		// down"), and libcurl's and wget's words for a server that
		// closed after the request without a reply.
		{source: "lighttpd", re: re(`SSL:Private key does not match the certificate public key`), side: "printed by lighttpd as it starts: its ssl.privkey is not the key of its ssl.pemfile (it does not start; clients find nothing listening)", meaning: "lighttpd's private key does not belong to its certificate (the OpenSSL reason printed after it may be a stale, unrelated error)", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}, fix: "point ssl.privkey at the key of ssl.pemfile's certificate (compare openssl x509 -noout -pubkey -in CERT with openssl pkey -pubout -in KEY), then start lighttpd"},
		{source: "libcurl", re: re(`unable to access '[^']*': Empty reply from server`), side: sideClientSees, meaning: "the server closed the connection after the request without a reply", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "wget", re: re(`HTTP request sent, awaiting response\.\.\. No data received`), side: sideClientSees, meaning: "the server closed the connection after the request without a reply", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		// redis-cli (hiredis) without TLS to a TLS port, or with TLS to
		// a TLS 1.3 Redis that requires a client certificate (Redis's
		// default, tls-auth-clients yes): both end in a reset
		// (measured, round 12); a TLS failure during the handshake
		// reads "SSL_connect failed: ..." instead.
		{source: "redis-cli", re: re(`(?m)^Error: Connection reset by peer`), side: sideClientSees, meaning: "Redis reset the connection: redis-cli without --tls against a port that speaks TLS, or a TLS 1.3 Redis that requires a client certificate (tls-auth-clients yes, its default) and got none", causes: []string{cause.PlaintextToTLS, cause.ClientCertRequired, cause.Reset}, fix: "use redis-cli --tls --cacert CA-FILE against Redis's tls-port, with --cert and --key when tls-auth-clients is yes (Redis's default) or optional"},
		// The same refusal when hiredis reads the server's close rather
		// than its reset (a race: measured on the TLS 1.3 Redis that
		// requires a client certificate).
		{source: "redis-cli", re: re(`(?m)^Error: Server closed the connection$`), side: sideClientSees, meaning: "Redis closed the connection: a TLS 1.3 Redis that requires a client certificate (tls-auth-clients yes, its default) closes it after the handshake when none came", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}, fix: "give redis-cli --cert and --key issued by a CA in Redis's tls-ca-cert-file, or set tls-auth-clients no (or optional) on the server"},
		// Dovecot's SSL_accept() that failed on the socket: the client
		// went away during the handshake (measured: a TLS 1.2-only
		// client at a TLS 1.3-only Dovecot, racing its refusal).
		{source: "Dovecot", re: re(`SSL_accept\(\) syscall failed: [^\n(,]*`), side: sideServerSees, meaning: "the connection broke during the handshake (SSL_ERROR_SYSCALL): the client hung up or reset, having refused something about the server, or after the server refused it", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		// stunnel's checkHost / checkIP / checkEmail (verifyChain with
		// a name to check): "CERT: Subject checks failed".
		{source: "stunnel", re: re(`CERT: Subject checks failed`), side: "printed by stunnel (checkHost, checkIP or checkEmail): the peer's certificate is trusted but does not name what it should", meaning: "the peer's certificate does not cover the host name or address stunnel checks (checkHost / checkIP)", causes: []string{cause.NameMismatch}},
		{source: "nginx", re: re(`peer closed connection in SSL handshake`), side: "printed by nginx: the client closed the connection during the handshake without an alert", meaning: "the client hung up during the handshake without an alert: it gave up on the server's certificate or parameters without saying so, or it is a TCP health check or port scan", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "nginx", re: re(`SSL_do_handshake\(\) failed \(SSL: ([^)]*)\)`), wrapper: true, side: sideServerSees, meaning: "nginx's handshake with a client failed: $1"},
		{source: "nginx", re: re(`(?i)client sent no required SSL certificate|No required SSL certificate was sent`), side: "printed by nginx (ssl_verify_client on): the client sent no certificate", meaning: "nginx requires a client certificate (ssl_verify_client on) and the client sent none; nginx answers HTTP 400 instead of failing the handshake. A Go or Java client that has a certificate withholds it when its issuer is not among the CAs nginx names (ssl_client_certificate), and gets this page too", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}},
		{source: "nginx", re: re(`(?i)client SSL certificate verify error: \((\d+):([^)]*)\)`), side: "printed by nginx: the client's certificate did not verify", meaning: "nginx refused the client's certificate: $2", causes: []string{cause.ClientCertRejected}, refine: clientCertRefusedRefine},
		// The page nginx answers with, the client's only view: it does
		// not say which check failed (nginx's log does).
		{source: "nginx", re: re(`The SSL certificate error`), side: "nginx's HTTP 400 page: the client's certificate did not verify (nginx's error log says why)", meaning: "nginx refused the client's certificate: an unknown issuer, expired, revoked (ssl_crl), signed with SHA-1 or with a key too small for OpenSSL 3's security level, or another verify error", causes: []string{cause.ClientCertRejected, cause.Revoked, cause.Expired, cause.Weak}},
		{source: "nginx", re: re(`(?i)client sent plain HTTP request to HTTPS port|The plain HTTP request was sent to HTTPS port`), side: "printed by nginx: a plain-HTTP request reached its TLS port", meaning: "the client spoke plain HTTP to nginx's TLS port (http:// instead of https://)", causes: []string{cause.PlaintextToTLS}},
		{source: "Apache", re: re(`AH02039: Certificate Verification: Error \((\d+)\): ([^\n]+)`), side: "printed by Apache httpd: the client's certificate did not verify", meaning: "Apache refused the client's certificate: $2", causes: []string{cause.ClientCertRejected}, refine: clientCertRefusedRefine},
		{source: "Apache", re: re(`AH02261: Re-negotiation handshake failed|AH02042: rejecting client initiated renegotiation`), side: sideServerSees, meaning: "Apache asked for a client certificate by renegotiating (SSLVerifyClient in a <Location>) and the client did not follow", causes: []string{cause.ClientCertRequired}},
		{source: "Apache", re: re(`speaking plain HTTP to an SSL-enabled server port`), side: "Apache httpd's HTTP 400 page: a plain-HTTP request reached its TLS port", meaning: "the client spoke plain HTTP to Apache's TLS virtual host (http:// instead of https://)", causes: []string{cause.PlaintextToTLS}},
		// A 400 for a plain GET is what nginx and Apache answer a
		// plain-HTTP request on their TLS port with, and nginx a client
		// without the certificate it requires: the URL's scheme says
		// which the client did.
		// Tomcat's own page for plain HTTP on its TLS connector, whose
		// status line has no reason phrase (measured, round 21).
		{source: "Tomcat", first: true, re: re(`This combination of host and port requires TLS\.?`), side: "Tomcat's HTTP 400 page: its TLS connector read a plain-text HTTP request", meaning: "the client spoke plain HTTP to Tomcat's HTTPS connector", causes: []string{cause.PlaintextToTLS}, fix: "use https:// for this port (or the connector's plain-HTTP port for http://)"},
		// nginx answers a client certificate it requires and did not
		// get, or that does not verify, with 400 over TLS (measured:
		// rounds 1 and 25; the page's title says which). The status as
		// apt (`400  Bad Request [IP: ...]`), svn (serf), ffmpeg,
		// RubyGems, npm and the go command print it (rounds 78, 79).
		{source: "HTTP", re: re(`HTTP Error 400:|HTTP 400\b|400 Client Error:|ERROR 400:|The requested URL returned error: 400\b|HTTP request failed! HTTP/1\.[01] 400\b|(?m)^\s*400 Bad Request\s*$|The response status is not successful\. status=400\b|server returned HTTP status 400\b|Alert!: HTTP/1\.[01] 400\b|\b400\s+Bad Request \[IP: |Unexpected HTTP status 400\b|HTTP error 400 Bad Request|Server returned 400 Bad Request|bad response Bad Request 400\b|npm (?:error|ERR!) 400 Bad Request|(?m): 400 Bad Request\s*$`), generic: true, side: sideClientSees, meaning: "the server answered 400 Bad Request; nginx does so for a client certificate it requires and did not get or could not verify, nginx and Apache for plain HTTP on their TLS port (the page's title says which)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.PlaintextToTLS, cause.Expired, cause.Revoked}, refine: badRequestRefine},
		// Subversion's serf layer lists every reason its check failed,
		// in a fixed order (round 78): "Server SSL certificate
		// verification failed: certificate has expired, certificate
		// issued for a different hostname, issuer is not trusted".
		{source: "Subversion", first: true, re: re(`Server SSL certificate verification failed: ([^\n]+)`), side: sideClientSees, meaning: "svn (serf) refused the server's certificate for the reasons it lists", causes: []string{cause.UnknownCA}, refine: svnCertRefine, fix: "fix what svn lists on the server (renew, reissue for the name in the URL, send the intermediate), or give svn the CA: servers:global:ssl-authority-files in ~/.subversion/servers"},
		// Haskell's tls library (http-client-tls: pandoc, and every
		// Haskell program fetching https://) names its verdict on the
		// peer's chain in Error_Protocol: "certificate has unknown CA"
		// for an unknown CA, a self-signed certificate and a missing
		// intermediate alike, and for any other verdict
		// "certificate rejected: " with x509-validation's list of
		// reasons ("[NameMismatch \"localhost\"]"), measured with
		// pandoc 2.17 (round 82). Its tls maps x509-validation's
		// Expired and InFuture both to "certificate has expired", and
		// UnknownCA and SelfSigned to "certificate has unknown CA"
		// (Network.TLS.X509.wrapCertificateChecks).
		{source: "Haskell tls", re: re(`Error_Protocol \("certificate has expired"`), side: sideVerifier, meaning: "Haskell's tls (http-client-tls) refused the peer's certificate as outside its validity: expired, or not valid yet (its tls says \"expired\" of both)", causes: []string{cause.Expired, cause.NotYetValid}},
		{source: "Haskell tls", re: re(`\bcertificate has unknown CA\b`), side: sideVerifier, meaning: "Haskell's tls (http-client-tls: pandoc and other Haskell programs) refused the peer's certificate: no CA it trusts issued it; an unknown CA, a self-signed certificate and a missing intermediate read the same there", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}},
		{source: "Haskell tls", first: true, re: re(`certificate rejected: \[([^\]\n]+)\]`), side: sideVerifier, meaning: "Haskell's tls (http-client-tls) refused the peer's certificate for the reasons x509-validation lists: $1", causes: []string{cause.CertInvalid}, refine: haskellRejectRefine, fix: "fix what the list names on the certificate's side (reissue it for the name the client asks for, renew it, send the intermediate), or point the client at the CA (SYSTEM_CERTIFICATE_PATH for pandoc)"},
		// Guile's (web client) over guile-gnutls checks the chain, then
		// the name, after the handshake, and says which (round 82):
		// "X.509 certificate of 'HOST' could not be verified:" with
		// GnuTLS's status flags as Guile names them on the next line
		// ("signer-not-found invalid", "expired invalid"), and "X.509
		// server certificate for 'HOST' does not match: SUBJECT".
		{source: "Guile", first: true, re: re(`X\.509 certificate of '[^'\n]*' could not be verified:\s*([a-z][a-z -]*)`), side: sideClientSees, meaning: "Guile's web client (GnuTLS) refused the server's certificate: GnuTLS's status flags, $1", causes: []string{cause.CertInvalid}, refine: guileStatusRefine, fix: "fix what the flags name on the server's side (send the intermediate, renew the certificate), or give the client the CA: a directory holding it, named by GUILE_TLS_CERTIFICATE_DIRECTORY or SSL_CERT_DIR (Guile's x509-certificate-directory, /etc/ssl/certs by default; SSL_CERT_FILE is not read)"},
		{source: "Guile", re: re(`X\.509 server certificate for '([^'\n]*)' does not match`), side: sideClientSees, meaning: "Guile's web client (GnuTLS) refused the server's certificate: it does not cover $1, the name asked for", causes: []string{cause.NameMismatch}},
		// FFmpeg's tls protocol over GnuTLS checks the name itself ("The
		// certificate's owner does not match hostname") and says only
		// this of every other failure of the chain (round 78).
		{source: "FFmpeg", re: re(`\[tls @ [^\]]*\] Peer certificate failed verification`), side: sideClientSees, meaning: "ffmpeg (GnuTLS) refused the server's certificate chain without saying why: an issuer it does not trust, a missing intermediate, an expired or not yet valid certificate (the name it checks apart)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.SelfSigned, cause.NotYetValid}, fix: "give ffmpeg the CA with -ca_file (and -tls_verify 1), or fix the server's chain; `tlscreds diagnose https://HOST:PORT/` says which check fails"},
		// Links 2.28 (OpenSSL) prints this one line for every refusal
		// of the server's certificate, the name included (round 78).
		{source: "Links", re: re(`(?m)^Invalid certificate\s*$`), side: sideClientSees, meaning: "links refused the server's certificate without saying why: an issuer it does not trust, a missing intermediate, an expired certificate or another name", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch, cause.SelfSigned}, fix: "point links at the CA (SSL_CERT_FILE, or its ssl options), or fix the server's certificate; `tlscreds diagnose https://HOST:PORT/` says which check fails"},
		// pip 23's vendored urllib3 checks the name after the handshake
		// and warns with the certificate it got (round 79).
		{source: "pip", first: true, re: re(`Certificate did not match expected hostname: |CertificateError\("hostname '[^']*' doesn't match`), side: sideClientSees, meaning: "the server's certificate is not for the host name in the index URL", causes: []string{cause.NameMismatch}, fix: "reissue the certificate with the index's host name in its subjectAltName, or use the name the certificate has in --index-url"},
		// lynx's words for a connection that failed, and for one the
		// server dropped after the request: a TLS 1.3 server refusing the
		// client's certificate (or its absence) after the handshake, or,
		// with http://, a TLS port dropping plain text (measured: hitch,
		// round 29).
		{source: "lynx", re: re(`Alert!: Unable to connect to remote host`), side: sideClientSees, meaning: "lynx could not open the TCP connection: nothing listens there (a server that cannot load its certificate or key exits as it starts)", causes: []string{cause.Refused, cause.LoadFailed, cause.Unreachable}},
		{source: "lynx", re: re(`Alert!: Unexpected network read error; connection aborted`), side: sideClientSees, meaning: "the server dropped the connection after lynx sent its request: a TLS 1.3 server that refuses the client's certificate (or its absence) does so after the handshake; a TLS port does so to a plain-text http:// request", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Truncated, cause.Reset}, refine: plainURLFirst},
		// PHP's stream wrapper when the connection closed without an HTTP
		// answer (measured: http:// to hitch's TLS port, round 29).
		// A TLS 1.3 server that refuses the client's certificate (or
		// its absence) after the handshake closes so too (measured:
		// uvicorn 0.17, round 70).
		{source: "PHP", re: re(`HTTP request failed! in `), side: sideClientSees, meaning: "the server closed the connection without an HTTP answer: with http://, a TLS port drops the plain-text request; with https://, the server or its backend hung up after the request, or a TLS 1.3 server refused the client's certificate (or its absence), which it checks only after the handshake", causes: []string{cause.Truncated, cause.PlaintextToTLS, cause.Reset, cause.ClientCertRequired, cause.ClientCertRejected}, refine: plainURLFirst},
		// wget2 (GnuTLS) says only this when its read of the answer
		// fails after it sent the request (errno 11 after a TLS 1.3
		// server refused its certificate or its absence, 104 for a
		// reset): measured against Squid, gunicorn, uvicorn, WEBrick and
		// Mongrel2 requiring a client certificate, and with http://
		// against their TLS ports (rounds 48 to 72).
		{source: "wget2", re: re(`Failed to read \d+ bytes \((\d+)\)`), side: sideClientSees, meaning: "wget2 sent its request and reading the answer failed: the server closed or reset the connection: a TLS 1.3 server that refused the client's certificate (or its absence) after the handshake, a backend that died, or, with http://, a TLS port resetting the plain request", causes: []string{cause.Truncated, cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset, cause.PlaintextToTLS}, refine: plainURLFirst},
		// stunnel (client mode) logs the server's close after a
		// completed handshake so, with nothing sent either way; its
		// earlier lines say whether the server asked for a certificate
		// (measured: uvicorn 0.17 requiring one, round 70).
		{source: "stunnel", re: re(`LOG\d\[\d+\]: TLS socket closed \(SSL_read\)`), side: sideClientSees, meaning: "the server closed the TLS connection right after the handshake, before any data: a TLS 1.3 server that refused the client's certificate (or its absence) closes so; else it had nothing to say or hung up", causes: []string{cause.Truncated, cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}, refine: hangUpRefine(false)},
		{source: "aria2", generic: true, re: re("SSL/TLS handshake failure:\\s+`not signed by known authorities or invalid'"), side: sideClientSees, meaning: "aria2c (GnuTLS) did not accept the server's certificate; the backquoted words after this say why", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.Expired, cause.NotYetValid}},
		// lynx -dump says nothing of a certificate it refuses (its trace
		// does): the HTTPS connection was made and the page not fetched
		// (measured, round 25: an unknown CA, a self-signed, expired or
		// not yet valid certificate, a missing intermediate, a name
		// mismatch). A failed handshake gets its own "Alert!" line.
		{source: "lynx", re: re(`Making HTTPS connection to \S+\s*\n(?:\s*\n)*lynx: Can't access startfile`), side: sideClientSees, meaning: "lynx made the HTTPS connection and dropped it without a word: in -dump mode it refuses a server certificate it cannot verify silently (lynx -trace, or openssl s_client, says why)", causes: []string{cause.UnknownCA, cause.SelfSigned, cause.Expired, cause.NotYetValid, cause.NameMismatch, cause.MissingIntermediate}},
		{source: "lynx", re: re(`Alert!: Unable to make secure connection to remote host`), side: sideClientSees, meaning: "lynx's TLS handshake with the server failed before the certificate was checked: no version or cipher suite in common, or the server refused the handshake", causes: []string{cause.NoSharedCipher, cause.Version, cause.ClientCertRequired, cause.Alert, cause.ClientCertRejected, cause.LoadFailed, cause.NotTLS}},
		// nghttp (nghttp2's client, OpenSSL) says only this when its
		// connection failed before any response, whatever failed: the TLS
		// handshake (a client certificate required, refused), or a
		// plain-text (h2c, http://) connection to a TLS port (measured
		// against h2o and nghttpx, round 40); -v shows the rest. It does
		// not refuse a certificate it cannot verify: it warns
		// ("Certificate verification failed: REASON", OpenSSL's words,
		// read as such) and fetches the page.
		{source: "nghttp", re: re(`Some requests were not processed\. total=\d+, processed=0`), side: sideClientSees, meaning: "nghttp got no response: the connection, the TLS handshake or the HTTP/2 session failed before it, and nghttp says why only with -v (`nghttp -v URL`)", causes: []string{cause.Reset, cause.PlaintextToTLS, cause.ClientCertRequired, cause.ClientCertRejected, cause.Version, cause.NoSharedCipher, cause.NotTLS}},
		// The words of clients that read a connection closed without an
		// answer: botan tls_client's in the handshake (measured against
		// mbedTLS, GnuTLS and wolfSSL servers that hang up, round 32),
		// PHP's stream wrapper when OpenSSL has no reason to give, and,
		// after the request, Perl's LWP (Net::HTTP), aria2c's and Ruby's
		// net/http (measured: an http:// request that a TLS port
		// dropped, round 32).
		// w3m prints no word of its own for a connection that failed: a
		// bare "Can't load URL." with no "SSL error:" before it (measured:
		// an exporter that exited at start over its key, round 33).
		{source: "w3m", generic: true, re: re(`w3m: Can't load \S+\.`), side: sideClientSees, meaning: "w3m could not load the page; without an \"SSL error:\" line before it, the TCP connection failed: nothing listens there (a server that cannot load its certificate or key exits as it starts)", causes: []string{cause.Refused, cause.LoadFailed, cause.Unreachable}, refine: withoutReason(w3mSSLError, nil)},
		// Ruby's OpenSSL::SSL::SSLContext#add_certificate refuses a key
		// that is not the certificate's, and the service exits as it
		// starts (measured, round 38).
		{source: "Ruby", re: re(`public key mismatch \(ArgumentError\)`), side: "printed by the service about its own certificate and key", meaning: "the service's key is not its certificate's: Ruby's OpenSSL refused the pair as it started, so nothing listens", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}, fix: "give the service the key of its certificate (compare openssl x509 -noout -pubkey -in CERT with openssl pkey -pubout -in KEY), `tlscreds lint` the pair, and restart it"},
		{source: "Botan", re: re(`(?m)^EOF on socket$`), side: sideTransport, meaning: "the peer closed the connection without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "PHP", generic: true, re: re(`\): Failed to enable crypto in `), side: sideTransport, meaning: "PHP's TLS handshake failed; without an OpenSSL reason before it, the server closed the connection in the handshake without an alert", causes: []string{cause.Reset}, refine: withoutReason(phpOpenSSLReason, hangUpRefine(false))},
		{source: "Perl", re: re(`Server closed connection without sending any data back`), side: sideClientSees, meaning: "the server closed the connection after the request without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "aria2", re: re(`errorCode=1 Got EOF from the server`), side: sideClientSees, meaning: "the server closed the connection after the request without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "Ruby", re: re(`(?m)^EOFError: end of file reached`), side: sideClientSees, meaning: "net/http read the end of the connection where it expected the answer: the server closed it after the request", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},

		// tlscreds serve's own log line names the cause.
		{source: "tlscreds", first: true, re: re(`FAILED (handshake-[a-z-]+)`), side: sideServerSees, meaning: "tlscreds serve classified the failed handshake as $1", refine: serveLineRefine},

		// STARTTLS before TLS: qemu-nbd refusing an option before TLS
		// (nbd/server.c), a server without STARTTLS, VNC without VeNCrypt.
		{source: "QEMU", re: re(`Option 0x[0-9a-f]+ not permitted before TLS|server reported: TLS is required on this server`), side: "qemu-nbd's reply (and its log) when a client asks for another option before starting TLS", meaning: "the NBD server requires TLS first (NBD_OPT_STARTTLS) and the client asked for another option", causes: []string{cause.StartTLS}, fix: "give the NBD client TLS credentials (qemu-img/qemu-nbd --object tls-creds-x509,...,endpoint=client --image-opts ...,tls-creds=ID; nbdinfo --tls=require)"},
		// qemu-img's and qemu-nbd -c's words when the server refuses
		// NBD_OPT_STARTTLS (option 5): qemu-nbd without --tls-creds
		// answers NBD_REP_ERR_POLICY "TLS not configured".
		{source: "QEMU", re: re(`Denied by server for option 5 \(starttls\)|Server don't support STARTTLS option|server reported: TLS not configured`), side: sideClientSees, meaning: "the NBD server has no TLS configured (qemu-nbd or nbd-server-start without tls-creds) and refused the client's request to start TLS", causes: []string{cause.StartTLS}, fix: "start the server with TLS (qemu-nbd --object tls-creds-x509,id=tls0,endpoint=server,dir=DIR --tls-creds tls0; nbd-server-start with tls-creds), or drop tls-creds from the client if this export is meant to be plain"},
		{source: "NBD", re: re(`(?i)(?:server )?does not support (?:NBD_OPT_)?STARTTLS`), side: sideClientSees, meaning: "the NBD server has no TLS configured: it refused NBD_OPT_STARTTLS", causes: []string{cause.StartTLS}},
		{source: "VNC", re: re(`No supported security types`), side: sideClientSees, meaning: "the VNC client and server share no security type: one requires VeNCrypt (TLS), the other does not offer it", causes: []string{cause.StartTLS}},

		// QEMU and libvirt, including messages that are not about TLS.
		{source: "QEMU", re: re(`Unknown client flags 0x1603[0-9a-f]{4} received`), side: "printed by qemu-nbd: the client sent a TLS ClientHello where NBD expects its handshake flags", meaning: "a TLS client connected to qemu-nbd directly; NBD starts in plain text and negotiates TLS with NBD_OPT_STARTTLS", causes: []string{cause.NotTLS}, fix: "connect with an NBD client that has tls-creds (qemu-img, qemu-nbd -c, nbdinfo --tls), or probe with tlscreds diagnose HOST:PORT --starttls nbd"},
		{source: "QEMU", re: re(`(?i)Unable to read from monitor: Connection reset by peer|qemu unexpectedly closed the monitor|End of file while reading data: Input/output error|monitor socket did not show up`), side: "printed by libvirt about the QEMU process, not about TLS", meaning: "the QEMU process exited (crashed, was killed, or refused its command line): this is not a TLS failure; QEMU's own last words are in /var/log/libvirt/qemu/GUEST.log", causes: []string{cause.QEMUDied}},

		// Alerts named bare: "certificate_unknown", "alert 46".
		{source: "TLS", re: bareAlertNames(), generic: true, refine: alertRefine(false)},
		{source: "TLS", re: re(`(?i)\balert (?:number |#)?(\d{1,3})\b`), generic: true, refine: alertRefine(true)},
	}
}

// javaSentAlertRefine reads the alert Java sent, in parentheses before
// its reason: the client that sends one about a certificate refused the
// server's. A parenthesized alert before "Received fatal alert" is the
// one received, read by that pattern instead.
func javaSentAlertRefine(e *Explanation, sub []string, _ string) bool {
	if sub[2] != "" {
		return false
	}
	a, ok := AlertByName(sub[1])
	if !ok {
		return false
	}
	e.Alert = &a
	e.Meaning = "Java sent TLS alert " + strconv.Itoa(int(a.Number)) + " " + a.Name + " to its peer: " + a.Meaning
	e.Side = "printed by Java about the alert it sent: it refused what the peer sent (the reason follows the alert's name)"
	e.Causes = alertCauses(a.Number)
	if slices.Contains([]uint8{42, 43, 44, 45, 46, 48, 49}, a.Number) {
		e.Causes = serverCertAlertCauses(a.Number)
	}
	return true
}

// bareAlertNames matches the RFC names of the alerts written alone.
func bareAlertNames() *regexp.Regexp {
	var names []string
	for _, a := range alerts {
		if strings.Contains(a.Name, "_") {
			names = append(names, regexp.QuoteMeta(a.Name))
		}
	}
	return regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
}

// namedAlertRefine explains an alert named in submatch i.
func namedAlertRefine(i int) func(e *Explanation, sub []string, text string) bool {
	byName := alertRefine(false)
	return func(e *Explanation, sub []string, text string) bool {
		return byName(e, []string{sub[0], sub[i]}, text)
	}
}

// notMigrationStreamRefine: after TLS channel errors the destination did
// speak TLS, and its broken channel is the message to read.
func notMigrationStreamRefine(_ *Explanation, _ []string, text string) bool {
	return !strings.Contains(text, "TLS channel")
}

// gnutlsAlertNameRefine reads an alert that libcurl's GnuTLS backend
// names (sub[1]) as one the client received; other texts after
// "gnutls_handshake() failed:" are GnuTLS errors, read by their own
// patterns.
func gnutlsAlertNameRefine(e *Explanation, sub []string, text string) bool {
	a, ok := AlertByName(sub[1])
	if !ok || a.GnuTLSText == "" || normAlert(a.GnuTLSText) != normAlert(sub[1]) {
		return false
	}
	e.Meaning = fmt.Sprintf("the server sent alert %d %s during the handshake: %s", a.Number, a.Name, a.Meaning)
	receivedAlert(e, a, "client", text)
	if len(e.Causes) == 0 {
		e.Causes = alertCauses(a.Number)
	}
	return true
}

// bySideRefine puts the client-side reading first when a server printed
// the message (or the server-side reading when a client did).
func bySideRefine(serverReading string) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, _ []string, text string) bool {
		if printedBy(text) == "server" && len(e.Causes) > 1 && e.Causes[0] != serverReading {
			rest := []string{serverReading}
			for _, c := range e.Causes {
				if c != serverReading {
					rest = append(rest, c)
				}
			}
			e.Causes = rest
		}
		return true
	}
}

// byPrinterRefine gives a message the side, meaning and causes it has
// in a server's log when a server printed it: the same words are about
// the other side there.
func byPrinterRefine(side, meaning string, inServerLog []string) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, _ []string, text string) bool {
		if printedBy(text) == "server" {
			e.Side = side
			e.Meaning = meaning
			e.Causes = slices.Clone(inServerLog)
		}
		return true
	}
}

// revokedReason is how OpenSSL (verify error 23, as s_server, nginx and
// Apache print it) and GnuTLS word a revoked certificate.
var revokedReason = lazyregexp.New(`(?i)\b(?:error:num=23:|\(23:)?certificate (?:has been |chain is )?revoked\b`)

// clientCertRefusedRefine: an OpenSSL server (s_server, nginx) that
// refused the client's certificate prints the verify error. One that is
// the certificate's own state (revoked, expired, not valid yet, too weak
// for the server's security level: ownStateCauses) is the cause, on
// either side; any other reason (an issuer the server does not trust) is
// the client's certificate refused.
func clientCertRefusedRefine(e *Explanation, _ []string, text string) bool {
	for _, r := range ownStateReasons {
		if r.re.MatchString(text) {
			e.Causes = []string{r.cause, cause.ClientCertRejected}
			return true
		}
	}
	return true
}

// ownStateReasons are OpenSSL's verify errors about a certificate's own
// state, as s_server ("verify error:num=10:certificate has expired") and
// nginx ("client SSL certificate verify error: (10:certificate has
// expired)") print them (X509_verify_cert_error_string, OpenSSL 3.0).
var ownStateReasons = []struct {
	re    *lazyregexp.Regexp
	cause string
}{
	{revokedReason, cause.Revoked},
	{lazyregexp.New(`(?i)(?:num=10:|\(10:)certificate has expired\b`), cause.Expired},
	{lazyregexp.New(`(?i)(?:num=9:|\(9:)certificate is not yet valid\b`), cause.NotYetValid},
	{lazyregexp.New(`(?i)(?:num=6[678]:|\(6[678]:)(?:EE certificate key too weak|CA certificate key too weak|CA signature digest algorithm too weak)`), cause.Weak},
}

// serveLineRefine reads the cause tlscreds serve names; a failure about
// the client's certificate is the client's to fix.
func serveLineRefine(e *Explanation, sub []string, text string) bool {
	c, ok := cause.Lookup(sub[1])
	if !ok {
		return false
	}
	e.Causes = []string{c.ID}
	if strings.Contains(text, "the client certificate") {
		switch {
		case slices.Contains(ownStateCauses, c.ID):
			e.Causes = []string{c.ID, cause.ClientCertRejected}
		case c.ID == cause.UnknownCA:
			e.Causes = []string{cause.ClientCertRejected, c.ID}
		}
	}
	if c.ID == cause.Alert {
		// The client refused the server's certificate: with the alert it
		// sent ("(tls: bad certificate)"), or one serve could not read.
		causes := serverCertRefusedCauses()
		if m := serveAlertName.FindStringSubmatch(text); m != nil {
			if a, ok := AlertByName(m[1]); ok && slices.Contains([]uint8{42, 43, 44, 45, 46, 48}, a.Number) {
				causes = serverCertAlertCauses(a.Number)
			}
		}
		if strings.Contains(text, "rejected the server's certificate") || strings.Contains(text, "after the server's certificate") {
			e.Causes = append(causes, cause.Alert)
			e.Meaning += ": the client refused the server's certificate (its own output says why)"
		}
	}
	return true
}

// serveAlertName is the alert in serve's "the client rejected the
// server's certificate (tls: bad certificate)".
var serveAlertName = lazyregexp.New(`rejected the server's certificate \(tls: ([a-z ]+)\)`)

// opensslReasons maps OpenSSL reason codes (as Python prints them) that
// other patterns do not read to causes, then the catalogue's OpenSSL
// reason strings (built on first use).
var opensslReasons = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{
		"WRONG_VERSION_NUMBER":   {cause.NotTLS, cause.PlaintextToTLS, cause.LoadFailed},
		"UNSUPPORTED_PROTOCOL":   {cause.Version},
		"NO_PROTOCOLS_AVAILABLE": {cause.Version},
		"NO_SHARED_CIPHER":       {cause.NoSharedCipher},
		"HTTP_REQUEST":           {cause.PlaintextToTLS},
		"RECORD_LAYER_FAILURE":   {cause.NotTLS},
	}
	for _, e := range catalog {
		if e.source != "OpenSSL" {
			continue
		}
		code := opensslReasonCode(e.phrase)
		if _, ok := m[code]; !ok {
			m[code] = e.causes
		}
	}
	return m
})

func opensslReasonRefine(e *Explanation, sub []string, _ string) bool {
	c, ok := opensslReasons()[sub[1]]
	if !ok {
		return false
	}
	e.Causes = c
	return true
}

// badRequestRefine: a 400 on an http:// URL is the plain request a TLS
// port refused; on https:// it is nginx asking for the client's
// certificate.
// plainURLFirst: a client that spoke http:// (the URL in its output)
// to a port that dropped it most likely reached a TLS port.
func plainURLFirst(e *Explanation, _ []string, text string) bool {
	if plainHTTPURL.MatchString(text) {
		e.Causes = append([]string{cause.PlaintextToTLS}, slices.DeleteFunc(slices.Clone(e.Causes), func(c string) bool { return c == cause.PlaintextToTLS })...)
	}
	return true
}

// grpcRefine: a gRPC client pointed at http:// (no TLS) against a TLS
// port fails the same way; the URL says so.
func grpcRefine(e *Explanation, _ []string, text string) bool {
	if plainHTTPURL.MatchString(text) {
		e.Causes = append([]string{cause.PlaintextToTLS}, e.Causes...)
	}
	return true
}

func badRequestRefine(e *Explanation, _ []string, text string) bool {
	if plainHTTPURL.MatchString(text) {
		e.Causes = []string{cause.PlaintextToTLS, cause.ClientCertRequired}
	}
	return true
}

// nodeHangUpRefine: Node.js names the socket that ended: a TLSSocket for
// https://, a plain Socket for http:// (measured: plain HTTP to a TLS
// port that closes without a reply is "at Socket.socketOnEnd").
func nodeHangUpRefine(e *Explanation, _ []string, text string) bool {
	if nodePlainSocketEnd.MatchString(text) {
		e.Meaning = "the server closed a connection without TLS after the request, without answering: with http:// against a TLS port, the TLS server drops the plain-text request"
		e.Causes = []string{cause.PlaintextToTLS, cause.Truncated, cause.Reset}
	}
	return true
}

var nodePlainSocketEnd = lazyregexp.New(`\bat Socket\.socketOnEnd\b`)

// withoutReason reads a client's bare failure only where the client
// printed no reason of its own before it (reason matches it; that
// reason's own pattern reads it), then refines it with then, if any:
// PHP's "Failed to enable crypto" after no "OpenSSL Error messages:",
// w3m's "Can't load" after no "SSL error:".
func withoutReason(reason *lazyregexp.Regexp, then func(e *Explanation, sub []string, text string) bool) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, sub []string, text string) bool {
		if reason.MatchString(text) {
			return false
		}
		return then == nil || then(e, sub, text)
	}
}

var (
	phpOpenSSLReason = lazyregexp.New(`SSL operation failed with code \d+|OpenSSL Error messages:`)
	w3mSSLError      = lazyregexp.New(`SSL error:`)
)

// haskellRejectRefine reads x509-validation's reasons in Haskell tls's
// "certificate rejected: [...]" (sub[1]) as causes, in its order.
func haskellRejectRefine(e *Explanation, sub []string, _ string) bool {
	var c []string
	for _, r := range []struct{ word, cause string }{
		{"NameMismatch", cause.NameMismatch},
		{"Expired", cause.Expired},
		{"InFuture", cause.NotYetValid},
		{"SelfSigned", cause.SelfSigned},
		{"UnknownCA", cause.UnknownCA},
		{"NotAnAuthority", cause.CAInvalid},
		{"AuthorityTooDeep", cause.CAInvalid},
		{"LeafKeyPurposeNotAllowed", cause.ServerEKU},
	} {
		if strings.Contains(sub[1], r.word) && !slices.Contains(c, r.cause) {
			c = append(c, r.cause)
		}
	}
	if len(c) == 0 {
		return false
	}
	e.Causes = c
	return true
}

// svnCertRefine orders the causes as serf lists its reasons: "certificate
// is not yet valid", "certificate has expired", "certificate issued for a
// different hostname", "issuer is not trusted" (a self-signed certificate
// or a missing intermediate reads the same there).
func svnCertRefine(e *Explanation, sub []string, _ string) bool {
	reasons := sub[1]
	var c []string
	for _, r := range []struct{ words, cause string }{
		{"not yet valid", cause.NotYetValid},
		{"certificate has expired", cause.Expired},
		{"different hostname", cause.NameMismatch},
		{"issuer is not trusted", cause.UnknownCA},
	} {
		if strings.Contains(reasons, r.words) {
			c = append(c, r.cause)
		}
	}
	if strings.Contains(reasons, "issuer is not trusted") {
		c = append(c, cause.MissingIntermediate, cause.SelfSigned)
	}
	if len(c) == 0 {
		return false
	}
	e.Causes = c
	return true
}
