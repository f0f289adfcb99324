package diagnose

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// Who printed a text, and when, changes what a message means: an alert
// about a certificate received by a client is about the client's own
// certificate, received by a server about the server's; a connection
// that ends without close_notify during the handshake is a refusal,
// after a request a truncation. These helpers read it from the text
// around the message, as the programs print it.

// serverMarks and clientMarks are what servers' logs and clients' output
// say around their errors.
var (
	// OpenSSL's function names say which state machine failed: a client's
	// (statem_clnt.c: tls_process_server_*, tls_construct_client_*,
	// SSL3_GET_SERVER_* in 1.0) or a server's (statem_srvr.c:
	// tls_*process_client_*, tls_construct_server_*).
	serverMarks = lazyregexp.New(`:(?:tls_early_|tls_post_|tls_|ssl3_)process_client_\w+:|:tls_construct_server_\w+:|:SSL3_GET_CLIENT_\w+:|TLS handshake error from|SSL_do_handshake\(\) failed|while SSL handshaking|Error in handshake:|\bFAILED handshake-|\bAH0\d{4}:|tls_process_client_certificate|\* Accepted connection from|\bclient: \d|qemu-nbd:|option negotiation failed|Failed to read opts magic|libvirtd|daemonRemoveAllClientStreams|RPC_TLS_CONTEXT_SESSION_ALLOW|virNetServer|\[ssl:(?:info|error|warn|debug)\]|load of migration failed|Not a migration stream|SSL_accept\(\)|could not accept SSL connection|TLS: can't accept:|conn=\d+ fd=\d+ ACCEPT from|Error accepting a client connection:|Reading from client:|postfix/smtpd|SSL_accept error from|imap-login:|pop3-login:|New connection from \S+ on port|Client connection from \S+ failed:|\[Warning\] Aborted connection|\(mod_(?:openssl|gnutls|mbedtls|wolfssl|nss)\.c\.\d+\) (?:SSL|GnuTLS|MTLS|NSS):|SSL_accept failed:|\[pid \d+\] (?:CONNECT|FTP command|FTP response|DEBUG):|[^\s/]+/[^\s:]+: (?:SSL handshake failure|SSL client c|Timeout during SSL handshake|Connection (?:closed|error) during SSL handshake)|TLS error on connection from|tls: failed to verify client certificate|rejected connection from "|\bssl client handshake err=|\bproxy shutdown req=|TLS handshake error: handshake failed:|\bP: got connection: |netstream session \S+ from \S+ will be closed|tcpsrv listener \(inputname|TLS session terminated with remote client|osslHandshakeCheck Server|\bzbx_tls_accept\(|failed to accept an incoming connection: |\bSSL_accept returned=\d|SSL accept attempt failed|Got TCP connection from |while handling \((?:reading|writing)\) TCP query from |_LISTENER == ConnectionFrom\(|pool_ssl: "SSL_accept"|=> <[^:>\s]+:[^>\n]*\(-?\d+\)> (?:New connection|Connection closed)|\[Client \w+\] Unable to encrypt connection|Syslog connection accepted; fd=|\bvnc_auth_fail VNC client auth failed|\] Invalid request from ip=[^:\s]+:|\bselfserv: |\btls_err_ret\(\): TLS accept:|Error: \(!log_opts\) Could not complete SSL handshake with|\bocserv\[\d+\]: (?:GnuTLS error \(at worker-vpn\.c|worker: )|\biostream:\d+\] SSL Error on |\bSSL error, peer: \S+, peer cert: |\brelay: TLS handshake failed for client |\bSSL client certificate verification error: `)
	// "SSL_read: ... alert" (Ruby's OpenSSL::SSL::SSLError): an alert
	// read after this side's handshake ended, a TLS 1.3 client's, whose
	// certificate the server refused after it (measured: every such line
	// of the recordings is a client's, Yaws refusing a client
	// certificate from another CA with unknown_ca, round 81).
	clientMarks = lazyregexp.New(`:(?:tls_post_|tls_|ssl3_)process_server_\w+:|:tls_construct_client_\w+:|:tls_process_key_exchange:|:SSL3_GET_SERVER_\w+:|cannot verify \S+'s certificate|unable to access 'https?://|(?:Get|Post|Put|Head) "|curl: \(|urllib\.error|\bssl\.SSL|http\.client\.|javax\.net\.ssl|java\.(?:net|io)\.|CONNECTED\(|CONNECTION ESTABLISHED|- Status:|Connecting to '|tls_post_process_server_certificate|SSL_connect|- Successfully sent|Received fatal alert|\*\*\* Fatal error:|\*\*\* Received alert|qemu-img:|Failed to read option reply|connection to server at "|failed to connect to the hypervisor|Unable to establish SSL connection|Loaded CA certificate '|HTTP request sent, awaiting response|GnuTLS: received alert|The certificate of \S+ (?:is not trusted|doesn't have)|Error: (?:write|read|connect) E[A-Z]+\b|node:_tls_wrap|node:_http_client|HTTPSConnectionPool\(|requests\.exceptions\.|(?m)^\w+: (?:Fatal error|Login failed): |ftplib\.|Certificate validation status:|\bomfwd: |osslHandshakeCheck Client|\bzbx_tls_connect\(|zabbix_sender \[|\*\*\* TLS startup failed \(connect\(\)|STARTTLS attempted but failed|could not initiate TLS connection|(?m)^msmtp: |SSL_read: (?:sslv3|tlsv1[23]?) alert `)
	// afterMarks say the handshake completed before the error.
	// alpnNegotiated: the client printed the application protocol the
	// server agreed to (openssl s_client without -brief, gnutls-cli).
	alpnNegotiated = lazyregexp.New(`(?m)^ALPN protocol: \S|^- Application protocol: \S`)
	afterMarks     = lazyregexp.New(`CONNECTION ESTABLISHED|- Handshake was completed|SSL handshake has read|SSL_read|Empty reply from server|RemoteDisconnected|Unexpected end of file from server|Error writing to server|HTTP request sent, awaiting response`)
	// plainHTTPURL: the client spoke plain HTTP (an http:// URL, lynx's
	// plain connection, urllib3's HTTPConnectionPool).
	plainHTTPURL = lazyregexp.New(`"http://|\bhttp://[^\s"]+|Making HTTP connection to |\bHTTPConnectionPool\(`)
)

// upstreamMarks are nginx's and Apache's words for their own connections
// to an upstream server (nginx's proxy_pass https://, Apache's mod_proxy
// with SSLProxyEngine), where the proxy is the client (measured, round
// 39).
var upstreamMarks = lazyregexp.New(`SSL handshaking to upstream|upstream SSL certificate|SSL Proxy connect failed|\bSSL Proxy: |Error during SSL Handshake with remote server`)

// serverFrames are a Python server's words around an exception that
// reads as a client's would (ssl.SSLError): socketserver's
// handle_error ("Exception occurred during processing of request
// from") and its frames (measured: http.server over ssl, round 18).
var serverFrames = lazyregexp.New(`Exception occurred during processing of request from|socketserver\.py", line \d+, in (?:process_request_thread|finish_request)`)

// printedBy guesses who printed text: "server", "client" or "". Explain
// asks it of the same text for many of its messages, so the last answer
// is kept (a long log would otherwise be scanned once a message).
func printedBy(text string) string {
	lastPrintedBy.Lock()
	if lastPrintedBy.ok && lastPrintedBy.text == text {
		who := lastPrintedBy.who
		lastPrintedBy.Unlock()
		return who
	}
	lastPrintedBy.Unlock()
	who := readPrintedBy(text)
	lastPrintedBy.Lock()
	lastPrintedBy.text, lastPrintedBy.who, lastPrintedBy.ok = text, who, true
	lastPrintedBy.Unlock()
	return who
}

var lastPrintedBy struct {
	sync.Mutex
	text, who string
	ok        bool
}

func readPrintedBy(text string) string {
	if upstreamMarks.MatchString(text) {
		return "client"
	}
	if serverFrames.MatchString(text) {
		return "server"
	}
	s, c := serverMarks.MatchString(text), clientMarks.MatchString(text)
	switch {
	case s && !c:
		return "server"
	case c && !s:
		return "client"
	}
	return ""
}

func afterHandshake(text string) bool { return afterMarks.MatchString(text) }

// receivedAlert words an alert by who received it. A client that
// receives an alert about a certificate is told that its own
// certificate was refused; a server that receives one, that the client
// refused the server's certificate. When the text does not say who
// printed it (a bare OpenSSL error line reads the same from s_client
// and s_server), the server's reading comes first: every TLS server
// meets clients that refuse its certificate, while a client's own
// certificate is refused only where the server asks for one; the
// client's reading follows it, with the way to tell them apart.
func receivedAlert(e *Explanation, a Alert, who, text string) {
	certAlert := slices.Contains([]uint8{42, 43, 44, 45, 46, 48, 49}, a.Number)
	switch {
	case who == "server" && certAlert:
		e.Side = "printed by the server: the client refused the server's certificate with this alert (the client's log or `tlscreds diagnose` says why)"
		e.Causes = serverCertAlertCauses(a.Number)
	case who == "client" && certAlert:
		e.Side = "printed by a client: the server refused this client's own certificate"
		e.Causes = []string{cause.ClientCertRejected}
		switch a.Number {
		case 44:
			e.Causes = []string{cause.Revoked, cause.ClientCertRejected}
		case 45:
			// certificate_expired: OpenSSL servers send it for an expired
			// certificate only, Go servers for one outside its validity
			// either way (x509.Expired).
			e.Side = "printed by a client: the server refused this client's own certificate as outside its validity (expired, or not valid yet by the server's clock)"
			e.Causes = []string{cause.Expired, cause.NotYetValid, cause.ClientCertRejected}
		case 42:
			// A Go server (tlscreds serve) sends bad_certificate for every
			// client certificate it refuses, one its CRL revokes or its
			// pins leave out included; a server built with older Go sends
			// it for a required one the client did not send too, in TLS
			// 1.3 and 1.2 alike (measured: Caddy 2.6, built with Go 1.19,
			// round 20; Go 1.26 sends certificate_required and
			// handshake_failure instead). A
			// client that printed that it sent none (gnutls-cli's
			// "Successfully sent 0 certificate(s)") was asked for one.
			// It sends it for an expired client certificate too
			// (measured: etcd 3.4, built with Go 1.19, round 28).
			e.Causes = []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.Revoked, cause.NotPinned, cause.Expired, cause.NotYetValid}
			if m := certRequestSeen.FindStringSubmatch(text); m != nil && m[1] == "0" {
				e.Causes = []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Revoked, cause.NotPinned, cause.Expired, cause.NotYetValid}
			}
		case 46:
			e.Causes = []string{cause.ClientCertRejected, cause.Revoked, cause.NotPinned}
		case 49:
			// access_denied: GnuTLS servers (so QEMU and libvirt) send it
			// for every client certificate they refuse, an unknown issuer
			// and a revoked certificate alike (measured with gnutls-serv
			// 3.7.9); other servers for an identity not on an allow-list.
			e.Side = "printed by a client: the server refused this client's own certificate, or its identity (an allow-list)"
			e.Causes = []string{cause.ClientCertRejected, cause.Revoked, cause.AuthzDenied}
		}
	case certAlert:
		e.Side = "printed by the side whose certificate was refused: in a server's log, the client refused the server's certificate; in a client's output, the server refused the client's own certificate"
		server := serverCertAlertCauses(a.Number)
		e.Causes = []string{server[0]}
		if !slices.Contains(e.Causes, cause.ClientCertRejected) {
			e.Causes = append(e.Causes, cause.ClientCertRejected)
		}
		for _, c := range server[1:] {
			if !slices.Contains(e.Causes, c) {
				e.Causes = append(e.Causes, c)
			}
		}
		if a.Number == 42 {
			// From a client: an older Go server's answer to a required
			// certificate the client did not send (see above).
			e.Causes = append(e.Causes, cause.ClientCertRequired)
		}
	case a.Number == 40 && who == "client":
		// handshake_failure ends a handshake with no common suite, group
		// or signature algorithm, in every TLS version (OpenSSL, GnuTLS
		// and Go servers alike, measured: static-RSA-only and
		// ECDSA-only suite lists against an RSA certificate), and a TLS
		// 1.2 handshake whose server asked for a certificate and got
		// none; in TLS 1.3, which current stacks negotiate first, a
		// missing certificate gets certificate_required (116) instead.
		// Go and Java clients withhold a certificate whose issuer the
		// server's request does not name, so a refused certificate
		// reads the same. A client that printed the server's request
		// (OpenSSL's "Acceptable client certificate CA names") got that
		// far: then the certificate comes first. Last, a server with no
		// usable key of its own (alertCauses).
		e.Causes = []string{cause.NoSharedCipher, cause.ClientCertRequired, cause.Version, cause.ClientCertRejected, cause.LoadFailed}
		switch m := certRequestSeen.FindStringSubmatch(text); {
		case m == nil:
		case m[1] != "" && m[1] != "0":
			// gnutls-cli sent a certificate, and the server refused it.
			e.Causes = []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.NoSharedCipher, cause.Version}
		default:
			e.Causes = []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.NoSharedCipher, cause.Version}
		}
	case a.Number == 50 && who != "server":
		// decode_error: a message the server could not parse. GnuTLS
		// servers (gnutls-serv, so QEMU and libvirt) send it in TLS 1.2
		// for the empty Certificate of a client that has none, when they
		// require one (measured with gnutls-serv 3.7.9 and gnutls-cli,
		// s_client, curl, Go and Python clients).
		e.Causes = []string{cause.ClientCertRequired, cause.Alert}
		e.Meaning += "; a GnuTLS server (QEMU, libvirt) answers a TLS 1.2 client that sends no certificate, where it requires one, with this alert"
	case a.Number == 51 && who != "server" && sentCertificate(text):
		// decrypt_error to a client that sent a certificate: the server
		// could not verify the client's CertificateVerify, signed with
		// a key that is not the certificate's (measured: gnutls-cli
		// with a mismatched key against nginx).
		e.Side = "printed by a client: the server could not verify this client's signature with its certificate"
		e.Causes = []string{cause.LoadFailed, cause.ClientCertRejected}
		e.Rules = []string{"key-mismatch"}
		e.Meaning += "; sent to a client that presented a certificate, it says the signature made with the client's key does not verify with that certificate: the key belongs to another certificate"
	case a.Number == 116:
		// Go and Java clients withhold a certificate whose issuer is not
		// among the CAs the server's request names, so "required" also
		// reaches clients that have one.
		e.Causes = []string{cause.ClientCertRequired, cause.ClientCertRejected}
		e.Meaning += "; a Go or Java client that has a certificate withholds it when its issuer is not among the CAs the server accepts, and then gets this alert too"
	case a.Number == 80 && who == "client":
		// A server held to TLS 1.0 by its own settings fails inside
		// OpenSSL 3, which at its default security level has no
		// signature algorithm for TLS 1.0 ("no suitable signature
		// algorithm"), and sends internal_error (measured: gunicorn 20.1
		// with --ssl-version TLSv1, Python's ssl, round 63; Twisted 22.4,
		// round 68; Tornado 6.2, round 74; OpenSSL 3 clients send it the
		// other way to nginx, openssl s_server and socat held to TLS 1.0
		// or 1.1, first rounds). That is the common case; a server that
		// fails inside its own TLS code for another reason follows
		// (OpenSMTPD 6.8 under OpenSSL 3, round 49).
		e.Side = "printed by a client: the server failed inside its handshake (its log says why)"
		e.Causes = []string{cause.Version, cause.ServerError}
		e.Meaning += "; a server limited to TLS 1.0 or 1.1 on OpenSSL 3 fails so with every client (at OpenSSL 3's default security level no signature algorithm is left for TLS 1.0 and 1.1: its log says \"no suitable signature algorithm\"); a server that fails internally for another reason sends it too"
	case a.Number == 80:
		// A server's log of an OpenSSL client that refused the server's
		// TLS version or parameters with internal_error, or whose own
		// verify callback refused the certificate (measured: syslog-ng
		// 3.38's name check, round 58); from a client, the server's own
		// failure.
		e.Side = "printed by the side that received internal_error: in a server's log, an OpenSSL client refused the server's TLS version or parameters, or its own certificate check refused the server's certificate (syslog-ng's name check sends internal_error); in a client's output, the server failed internally"
		e.Causes = []string{cause.Version, cause.NoSharedCipher, cause.NameMismatch, cause.ServerError}
	}
	if len(e.Causes) > 1 {
		e.TellApart = tellApart(e.Causes[0], e.Causes[1])
	}
}

// certRequestSeen: the client printed the server's certificate request,
// so the handshake got past the suites: openssl s_client's list of the
// CAs the server accepts, stunnel's (client mode) "Received trusted
// client CA: DN" for each, gnutls-cli's "- Successfully sent N
// certificate(s) to server" (printed only when the server asked; the
// number is the submatch). botan tls_client's "Certificate validation
// status: Verified" says it accepted the server's certificate, which
// comes after the suite is chosen (measured: Botan's client against an
// s_server that requires a certificate, round 24).
var certRequestSeen = lazyregexp.New(`Acceptable client certificate CA names|Client Certificate Types:|Received trusted client CA(?::| list not found)|Successfully sent (\d+) certificate\(s\) to server|Certificate validation status: Verified`)

// sentCertificate says the client printed that it sent a certificate.
func sentCertificate(text string) bool {
	m := certRequestSeen.FindStringSubmatch(text)
	return m != nil && m[1] != "" && m[1] != "0"
}

// serverCertRefusedCauses are the reasons a client refuses a server's
// certificate, most likely first, when nothing says which one: the
// server's side of a client that hung up or sent an alert it could not
// read right after the server's certificate. Last, the server's
// signature: a server whose key is not its certificate's signs with it
// anyway where its library does not check the pair (measured: lighttpd's
// mod_nss, round 32), and the client refuses that.
func serverCertRefusedCauses() []string {
	return []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.SelfSigned,
		cause.NotYetValid, cause.Weak, cause.ServerEKU, cause.CAInvalid, cause.CNOnly, cause.LoadFailed}
}

// refusedAfterHandshakeCauses are the reasons of a client that closed
// right after a completed handshake, in a server's log: it refused what
// it checks after the handshake, the name first (curl's OpenSSL back end
// and libpq check only the name then, GnuTLS clients such as lftp the
// whole certificate: measured against vsftpd, ProFTPD and pgpool-II),
// never a key the server could not load (the handshake completed), or it
// just hung up.
func refusedAfterHandshakeCauses() []string {
	cs := []string{cause.NameMismatch}
	for _, c := range serverCertRefusedCauses() {
		if c != cause.NameMismatch && c != cause.LoadFailed {
			cs = append(cs, c)
		}
	}
	return append(cs, cause.Reset)
}

// serverCertAlertCauses are the likely reasons a client refused the
// server's certificate with alert n. OpenSSL clients send unknown_ca for
// an issuer they cannot find (a self-signed certificate included),
// certificate_expired only for an expired certificate and
// bad_certificate for a name that does not match, a certificate not
// valid yet and a key or signature under the security level (ssl/
// statem/statem_lib.c, ssl_x509err2alert); Go clients send
// bad_certificate for every failure (crypto/tls handshake_client.go),
// Java clients certificate_unknown. A name that does not match is the
// one reading of bad_certificate common to both.
func serverCertAlertCauses(n uint8) []string {
	switch n {
	case 42:
		return []string{cause.NameMismatch, cause.UnknownCA, cause.Weak, cause.NotYetValid, cause.Expired, cause.CNOnly, cause.MissingIntermediate}
	case 46:
		return []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.Weak}
	case 43:
		return []string{cause.ServerEKU}
	case 44:
		return []string{cause.Revoked}
	case 45:
		return []string{cause.Expired, cause.NotYetValid}
	case 48:
		// OpenSSL also sends unknown_ca for a CA that may not sign and
		// for a chain over its path length.
		return []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.CAInvalid}
	}
	return []string{cause.UnknownCA}
}

// hangUpCauses orders the causes of a connection that ended without an
// alert: a plain-HTTP request to a TLS port; a truncation after a
// request; a refusal during the handshake.
func hangUpCauses(text string, afterRequest bool) []string {
	switch {
	case printedBy(text) == "server":
		// In a server's log the client hung up: the reasons that are
		// about what a client sees do not apply. A client that refuses
		// the server's certificate may close without an alert (Redis's
		// log of a name the client refused, round 12), and one that
		// waits for the server to speak first on an implicit-TLS port
		// gives up and closes (vsftpd's log, round 16).
		return []string{cause.Reset, cause.Truncated, cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.PlaintextToTLS}
	case qemuHandshakeFailed.MatchString(text):
		// QEMU printed it during the handshake. QEMU's servers check
		// a client's certificate only after the handshake, so a peer
		// that hangs up during it found no version or suite in common
		// (qemu-nbd 7.2, TLS 1.3 only, closes on a TLS 1.2-only
		// qemu-img without an alert, measured).
		// A QEMU migration destination without tls-creds reads the
		// ClientHello as its stream and closes too (measured, round 9).
		// nbd-server with a key that is not its certificate's hangs up
		// in the handshake too, and nbd-server (unlike QEMU's servers)
		// refuses a client's certificate in the handshake, which a
		// QEMU client may see as its write failing (measured, round
		// 15).
		return []string{cause.Version, cause.NoSharedCipher, cause.NotTLS, cause.Reset, cause.LoadFailed, cause.ClientCertRequired, cause.ClientCertRejected}
	case plainHTTPURL.MatchString(text):
		return []string{cause.PlaintextToTLS, cause.Truncated, cause.Reset}
	case plainSocketReset.MatchString(text):
		// A read without TLS reset: http:// against a TLS port, which
		// resets the plain request (measured: socat and stunnel). curl
		// names a reset under TLS so too when it comes after a TLS 1.3
		// handshake: ocserv 1.1 resets a client whose certificate it
		// refused, or that sent none (measured, round 71).
		return []string{cause.PlaintextToTLS, cause.Reset, cause.ClientCertRequired, cause.ClientCertRejected}
	case afterRequest:
		// A TLS 1.3 server checks the client's certificate after the
		// client sent its Finished, and with it, the request.
		return []string{cause.Truncated, cause.PlaintextToTLS, cause.Reset, cause.ClientCertRequired, cause.ClientCertRejected}
	case afterHandshake(text) && sentCertificate(text):
		// The server asked for a certificate, got one, and hung up
		// after the handshake: it refused the certificate (QEMU and
		// libvirt check it only then, and a TLS 1.3 server's refusal
		// reaches the client after its Finished).
		return []string{cause.ClientCertRejected, cause.Revoked, cause.AuthzDenied, cause.Expired, cause.Truncated}
	case afterHandshake(text) && certRequestSeen.MatchString(text):
		return []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Revoked, cause.AuthzDenied, cause.Truncated}
	case afterHandshake(text):
		// Whether the client sent a certificate is not in the words: a
		// server that checks it only after the handshake (libvirtd,
		// slapd, QEMU) refuses it for any of its states as it does
		// when it saw one (measured: a revoked and an expired client
		// certificate, a DN not allowed, rounds 6 and 11).
		causes := []string{cause.Truncated, cause.ClientCertRequired, cause.ClientCertRejected, cause.Revoked, cause.AuthzDenied, cause.Expired}
		if !alpnNegotiated.MatchString(text) {
			// No application protocol shown agreed: a server that
			// requires one the client did not offer may complete the
			// handshake and close without an alert (measured: chrony
			// 4.3's NTS-KE, which needs ntske/1, round 53).
			causes = append(causes, cause.ALPN)
		}
		return causes
	}
	// During the handshake: a server that refuses the client hangs up,
	// some without an alert; that includes a version floor above the
	// client's (measured: Dovecot 2.3 with ssl_min_protocol TLSv1.3 and
	// slapd 2.5 with GnuTLS close on a TLS 1.2-only client). Last, the
	// two ends not both speaking TLS: a TLS server resets a plain-text
	// request it read only the start of (socat and stunnel reset Python's
	// and Java's http:// requests, measured in round 3), and a plain
	// server resets a ClientHello it read as a command (Mosquitto's plain
	// listener, round 14). Words like these do not say whether the client
	// spoke TLS.
	// A client that printed the server's certificate request, or that it
	// accepted the server's certificate, was past the suites and the
	// server's certificate: the server refused the client. Last, a
	// server that cannot sign with its key (not its certificate's) and
	// hangs up (measured: lighttpd's mod_gnutls, nbd-server, rounds 15
	// and 32).
	if certRequestSeen.MatchString(text) {
		if sentCertificate(text) {
			return []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.Reset, cause.Expired, cause.Revoked, cause.Version, cause.LoadFailed}
		}
		return []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset, cause.Version, cause.LoadFailed}
	}
	// A server with no suite in common may close without an alert too
	// (measured: Murmur 1.3, Qt 5 over OpenSSL, round 55).
	return []string{cause.Reset, cause.ClientCertRequired, cause.ClientCertRejected, cause.Version, cause.NoSharedCipher, cause.Truncated, cause.PlaintextToTLS, cause.NotTLS, cause.LoadFailed}
}

// tlsChannelRefine reads QEMU's broken TLS channel by who printed it.
// QEMU's clients and servers (and libvirt's) check the peer's
// certificate after the handshake and hang up without an alert when they
// refuse it: in a server's log (qemu-nbd, a migration destination) the
// client refused the server's certificate; from a client (qemu-img, a
// migration source) the server refused the client.
func tlsChannelRefine(e *Explanation, _ []string, text string) bool {
	if printedBy(text) == "server" {
		clientHungUpOnServer(e, "qemu-img's, the migration source's", "tlscreds diagnose HOST:PORT --ca CA-FILE-OF-THE-CLIENT (with --starttls nbd for an NBD server)")
		return true
	}
	e.Side = "printed by the client: the server hung up after the handshake without an alert, as QEMU servers (verify-peer=on, tls-authz) and libvirtd (tls_allowed_dn_list) do when they refuse the client's certificate"
	e.Causes = []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.AuthzDenied, cause.Revoked, cause.Truncated, cause.Reset}
	e.Fix = "read the server's log (qemu-nbd's stderr, the destination QEMU's log, libvirtd's): \"Verify failed: No certificate was found.\" is a client without a certificate, or with one from a CA the server does not trust (GnuTLS clients then send none); \"TLS x509 authz check for DN is denied\" is a DN the authz object refuses; \"The certificate has been revoked\" is its CRL"
	return true
}

// clientHungUpOnServer explains a server's log of a client that hung up
// after the handshake without an alert, as QEMU's and libvirt's clients
// do when they refuse the server's certificate: client names the client's
// own message, probe the command that shows the refusal from here.
func clientHungUpOnServer(e *Explanation, client, probe string) {
	e.Side = "printed by the server: the client hung up after the handshake without an alert, as QEMU's and libvirt's clients do when they refuse the server's certificate"
	e.Causes = append(serverCertRefusedCauses(), cause.Reset)
	e.Fix = "read the client's own message (" + client + "): it names what it refused in the server's certificate, such as an unknown issuer or a host name the certificate does not list; " + probe + " shows it from here"
}

// libvirtRecvRefine reads libvirt's broken socket by who printed it: in
// libvirtd's log the client hung up after the handshake, refusing the
// server's certificate; from a client, libvirtd hung up.
func libvirtRecvRefine(e *Explanation, _ []string, text string) bool {
	if printedBy(text) == "server" {
		clientHungUpOnServer(e, "virsh's \"Certificate check failed ...\"", "tlscreds diagnose HOST:16514 --ca CA-FILE-OF-THE-CLIENT")
		return true
	}
	e.Causes = hangUpCauses(text, false)
	return true
}

// libvirtPeerRefine: libvirt's "Failed to verify peer's certificate" in
// libvirtd's log is about the client's certificate.
func libvirtPeerRefine(e *Explanation, _ []string, text string) bool {
	if printedBy(text) == "server" {
		e.Side = "printed by libvirtd: it refused the client's certificate (the \"Certificate check failed\" line before it says why)"
		e.Causes = []string{cause.ClientCertRejected}
	}
	return true
}

// qemuHandshakeFailed is QEMU's frame around a failed GnuTLS handshake.
var qemuHandshakeFailed = lazyregexp.New(`TLS handshake failed: `)

// hangUpRefine orders the causes of a hang-up message by its context;
// afterRequest says the message itself is printed only after a request
// was sent.
func hangUpRefine(afterRequest bool) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, _ []string, text string) bool {
		e.Causes = hangUpCauses(text, afterRequest)
		return true
	}
}

// writeFailedRefine: a client whose write fails right after the
// handshake met a TLS 1.3 server that refused its certificate (or
// none) and hung up.
func writeFailedRefine(e *Explanation, _ []string, text string) bool {
	if plainHTTPURL.MatchString(text) {
		e.Causes = []string{cause.PlaintextToTLS, cause.Reset}
		return true
	}
	// The server hung up after the handshake: it refused the client,
	// for no certificate, an untrusted one, or one whose own state it
	// checks (expired, revoked, not the pinned one); the client cannot
	// see which.
	e.Causes = []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired, cause.Revoked, cause.NotPinned, cause.Reset}
	return true
}

// tellApart names one command whose output tells cause a from cause b.
func tellApart(a, b string) string {
	pair := func(x, y string) bool { return a == x && b == y || a == y && b == x }
	switch {
	case pair(cause.UnknownCA, cause.MissingIntermediate), pair(cause.UnknownCA, cause.SelfSigned), pair(cause.MissingIntermediate, cause.SelfSigned),
		pair(cause.UnknownCA, cause.CAInvalid):
		return "tlscreds diagnose HOST:PORT --ca CA-FILE-OF-THE-CLIENT  (it shows the chain the server sends and names what is missing)"
	case pair(cause.Reset, cause.Truncated), pair(cause.Truncated, cause.PlaintextToTLS), pair(cause.PlaintextToTLS, cause.Reset):
		return "tlscreds diagnose https://HOST:PORT/  (it sees whether the handshake completed, and how the connection ended after the request)"
	case pair(cause.ClientCertRequired, cause.ClientCertRejected), pair(cause.ClientCertRequired, cause.NoSharedCipher),
		pair(cause.ClientCertRequired, cause.Reset), pair(cause.ClientCertRejected, cause.Reset), pair(cause.ClientCertRequired, cause.Truncated):
		return "tlscreds diagnose HOST:PORT --creds CLIENT-DIR  (it sees whether the server asks for a certificate, which CAs it accepts, and what it does with the one sent)"
	case pair(cause.Expired, cause.NotYetValid):
		return "date -u on both hosts, and tlscreds inspect CERT  (the validity dates against both clocks)"
	case pair(cause.NoSharedCipher, cause.Version):
		return "tlscreds diagnose HOST:PORT  (it retries with other versions and suite families and names what the server accepts)"
	case pair(cause.NotTLS, cause.PlaintextToTLS):
		return "tlscreds diagnose HOST:PORT  (it shows the first bytes the server sends)"
	case pair(cause.NameMismatch, cause.SNIDependent):
		return "tlscreds diagnose HOST:PORT --servername NAME  (connected by address, it asks again with each name the certificate lists and says which name gets which certificate)"
	}
	return "tlscreds diagnose HOST:PORT --creds CLIENT-DIR  (it connects as the client and names the cause from what the server does)"
}

// The chain as clients print it: gnutls-cli's "- Certificate[N] info:"
// with "subject `S', issuer `I'", openssl s_client's " N s:S" and
// "   i:I" lines.
var (
	gnutlsChainCert = lazyregexp.New("(?m)^\\s*- subject `([^']*)', issuer `([^']*)'")
	opensslChainS   = lazyregexp.New(`(?m)^\s*\d+ s:\s*(.*)$`)
	opensslChainI   = lazyregexp.New(`(?m)^\s+i:\s*(.*)$`)
)

// chainRefine reads an unknown issuer with the chain the program
// printed: a single certificate that is its own issuer is self-signed.
func chainRefine(e *Explanation, _ []string, text string) bool {
	var subj, iss []string
	for _, m := range gnutlsChainCert.FindAllStringSubmatch(text, -1) {
		subj, iss = append(subj, m[1]), append(iss, m[2])
	}
	if len(subj) == 0 {
		for _, m := range opensslChainS.FindAllStringSubmatch(text, -1) {
			subj = append(subj, strings.TrimSpace(m[1]))
		}
		for _, m := range opensslChainI.FindAllStringSubmatch(text, -1) {
			iss = append(iss, strings.TrimSpace(m[1]))
		}
	}
	switch {
	case len(subj) == 1 && len(iss) == 1 && subj[0] == iss[0]:
		e.Causes = []string{cause.SelfSigned, cause.UnknownCA}
		e.Meaning += "; the peer sent one certificate that is its own issuer: it is self-signed"
		e.TellApart = tellApart(e.Causes[0], e.Causes[1])
	case len(subj) >= 2 && len(subj) == len(iss) && linked(subj, iss):
		// The peer sent its chain, each certificate issued by the next:
		// no intermediate is missing below the last one, whose issuer
		// (a root when it is its own) the verifier does not trust.
		top := len(subj) - 1
		if subj[top] == iss[top] {
			e.Meaning += fmt.Sprintf("; the peer sent its whole chain up to the root %q, which the verifier does not trust", subj[top])
		} else {
			e.Meaning += fmt.Sprintf("; the peer sent its chain up to %q, whose issuer %q is not in the verifier's CA file", subj[top], iss[top])
		}
		e.Causes = []string{cause.UnknownCA}
		e.TellApart = ""
	default:
		// OpenSSL names the certificate whose issuer it could not find:
		// "depth=0" is the peer's own (its issuer neither sent nor
		// trusted: a missing intermediate or an unknown CA); a greater
		// depth is one the peer sent above it (measured with s_server
		// -cert_chain and s_client 3.0), so the chain is there and its
		// top's issuer is what the verifier lacks.
		if m := opensslIssuerDepth.FindStringSubmatch(text); m != nil && m[1] != "0" {
			e.Meaning += fmt.Sprintf("; OpenSSL stopped at depth %s (%s), a CA certificate above the peer's own: the chain was sent, and its top's issuer is not in the verifier's CA file", m[1], strings.TrimSpace(m[2]))
			e.Causes = []string{cause.UnknownCA}
			e.TellApart = ""
		}
	}
	if printedBy(text) == "server" && e.Causes[0] != cause.ClientCertRejected {
		// A server's words about a peer certificate are about the
		// client's (measured: QEMU 7.2's trace event vnc_auth_fail,
		// "reason=The certificate hasn't got a known issuer", for a
		// client certificate from another CA).
		e.Side = "printed by the server about the client's certificate: the client's certificate (or the server's CA file) is at fault"
		e.Causes = append([]string{cause.ClientCertRejected}, e.Causes...)
		e.TellApart = tellApart(e.Causes[0], e.Causes[1])
	}
	return true
}

// opensslIssuerDepth is OpenSSL's verify callback line for the
// certificate whose issuer was not found, and the error after it.
var opensslIssuerDepth = lazyregexp.New(`(?m)^depth=(\d+) (.*)\n\s*verify error:num=(?:2|20):`)

// linked says each certificate of a printed chain is issued by the next.
func linked(subj, iss []string) bool {
	for i := 0; i+1 < len(subj); i++ {
		if iss[i] != subj[i+1] {
			return false
		}
	}
	return true
}
