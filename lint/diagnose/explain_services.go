package diagnose

import (
	"slices"
	"strings"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/internal/lazyregexp"
)

// servicePatterns are the words of mail, database and MQTT programs
// about TLS, as they print them (measured: Postfix 3.7, Dovecot 2.3,
// swaks, curl's smtp:// and imap://, Python's smtplib and imaplib in
// round 13; MariaDB 10.11, its client, PyMySQL, Mosquitto 2.0 and
// mosquitto_pub in round 14).
func servicePatterns() []*pattern {
	const (
		mailNoTLS     = "the mail server does not offer STARTTLS: Postfix announces it only with smtpd_tls_security_level = may or encrypt and a certificate (smtpd_tls_chain_files, or smtpd_tls_cert_file and smtpd_tls_key_file), Dovecot with ssl = yes or required and ssl_cert / ssl_key"
		mailNoTLSF    = "give the server its certificate and key and enable TLS (Postfix: smtpd_tls_security_level = may with smtpd_tls_chain_files; Dovecot: ssl = yes with ssl_cert and ssl_key), or connect to the port that speaks TLS from the first byte (465, 993) with smtps:// or imaps://; `tlscreds diagnose smtp://HOST:PORT` (imap://) shows what the server lists"
		mailNeedTLS   = "the server requires TLS before this command, and the client did not start it"
		ftpHungUpSide = "printed by the FTP server: the client hung up after the TLS handshake, before any FTP command"
		ftpHungUpFix  = "read the client's error: curl's \"SSL: no alternative certificate subject name matches\", lftp's \"certificate common name doesn't match\"; give the server a certificate that names the host the clients connect to (tlscreds gen server --dns NAME), or connect by a name it lists"
		ftpNoTLSF     = "enable TLS on the FTP server (vsftpd: ssl_enable = YES with rsa_cert_file and rsa_private_key_file), or connect without requiring it"
		ftpNeedTLSF   = "make the client use TLS: curl ftp:// --ssl-reqd (or ftps:// where the server has implicit TLS), lftp with ftp:ssl-force true, Python's FTP_TLS with auth() and prot_p()"
		mailNeedTLSF  = "make the client use STARTTLS (swaks --tls, curl --ssl-reqd, smtplib's starttls(), imaplib's starttls()) or the port that speaks TLS from the first byte (smtps://, imaps://)"
	)
	return []*pattern{
		// STARTTLS that is not offered, as each client says it.
		{source: "swaks", re: re(`\*\*\* Host did not advertise STARTTLS`), side: sideClientSees, meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "curl", re: re(`STARTTLS not (?:supported|available)\.?`), side: sideClientSees, meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "Python", re: re(`STARTTLS extension not supported by server|IMAP4\.abort: TLS not supported by server|STLS not supported by server`), side: sideClientSees, meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "OpenSSL", first: true, re: re(`Didn't find STARTTLS in server response, trying anyway`), side: "printed by openssl s_client -starttls: the server did not list STARTTLS; s_client asked anyway and read the server's refusal as a TLS record (\"wrong version number\")", meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "OpenSSL", first: true, re: re(`MySQL server does not support SSL`), side: sideClientSees, meaning: "the MySQL or MariaDB server has no TLS configured: its greeting lacks CLIENT_SSL", causes: []string{cause.StartTLS}, fix: "give the server ssl_cert and ssl_key (and ssl_ca to check clients) in its [mariadbd] / [mysqld] section, and restart it; `tlscreds diagnose mysql://HOST:PORT` shows its greeting"},
		// The server's refusal of STARTTLS: 454 is Postfix's own TLS
		// set-up failing (its log names the file).
		// Exim's words for the same (measured: tls_privatekey the key
		// of another certificate, round 26).
		{source: "SMTP", re: re(`TLS not available due to local problem|STARTTLS denied, code 454|454 TLS currently unavailable|\(454, b'TLS currently unavailable'\)`), side: "the SMTP server's answer to STARTTLS: it could not set up TLS (Postfix and Exim, when they cannot load their certificate or key)", meaning: "the server offered STARTTLS but could not start TLS: Postfix answers 454 when it cannot load smtpd_tls_cert_file / smtpd_tls_key_file, Exim when tls_certificate / tls_privatekey do not load (missing, unreadable, or a key that is not the certificate's); its log says which", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "read Postfix's log (`warning: TLS library problem`, `cannot get ... private key`, `cannot load certificate`), fix smtpd_tls_chain_files (or cert_file and key_file), `tlscreds lint` them, and `postfix reload`"},
		{source: "curl", re: re(`STARTTLS denied, code (\d+)`), side: sideClientSees, meaning: "the server refused STARTTLS with code $1", causes: []string{cause.StartTLS}},
		// gnutls-cli --starttls-proto waits for the go-ahead (220, a OK)
		// that a server that refused or did not offer STARTTLS never
		// sends; a port that speaks TLS directly sends nothing at all.
		{source: "GnuTLS", re: re(`error receiving '([^'\n]*)': Timeout`), side: "printed by gnutls-cli --starttls-proto: it waited for the server's go-ahead ($1) to its STARTTLS and none came", meaning: "the server did not accept STARTTLS: it does not offer it, refused it with an error gnutls-cli does not show, or the port speaks TLS from the first byte and waits silently", causes: []string{cause.StartTLS, cause.PlaintextToTLS, cause.LoadFailed}, fix: "see the server's answer: `tlscreds diagnose smtp://HOST:PORT` (imap://, pop3://) or openssl s_client -starttls smtp -connect HOST:PORT"},
		// A client that did not start TLS where the server requires it.
		{source: "SMTP", re: re(`Must issue a STARTTLS command first|MAIL failed: 530\b`), side: "the SMTP server's answer: it requires TLS (Postfix smtpd_tls_security_level = encrypt) and the client sent its message in plain text", meaning: mailNeedTLS, causes: []string{cause.StartTLS}, fix: mailNeedTLSF},
		{source: "Dovecot", re: re(`Plaintext authentication disallowed on non-secure \(SSL/TLS\) connections`), side: "Dovecot's answer to a login: ssl = required (or disable_plaintext_auth) and the connection has no TLS", meaning: mailNeedTLS, causes: []string{cause.StartTLS}, fix: mailNeedTLSF},
		{source: "curl", re: re(`curl: \(67\) Login denied`), side: sideClientSees, meaning: "the mail server refused the login: besides a wrong user or password, Dovecot refuses a plain-text login without TLS (ssl = required) and one without the client certificate it requires (auth_ssl_require_client_cert)", causes: []string{cause.StartTLS, cause.ClientCertRequired}, fix: "use --ssl-reqd (STARTTLS) or imaps://, with --cert and --key if the server requires a client certificate; the server's log says which"},
		// Client certificates, refused after the handshake.
		// Exim (GnuTLS) logs a failed handshake as "TLS error on
		// connection from HOST (WHAT): GnuTLS's error" (measured, round
		// 26). "Decryption has failed" in the handshake is a TLS 1.3
		// client's alert after the server's certificate, which it refused
		// (as Go's "bad record MAC" and Erlang's record_type_mismatch).
		// InspIRCd 3's ssl_gnutls module quits a client whose handshake
		// failed with GnuTLS's words (its debug log, round 43): as for
		// Exim and gnutls-serv, a record it cannot decrypt after its
		// certificate is a TLS 1.3 client that refused the certificate.
		{source: "InspIRCd", re: re(`'Handshake Failed - Decryption has failed\.?'`), side: sideServerRefused, meaning: "InspIRCd's GnuTLS could not read what the client sent after the server's certificate: a TLS 1.3 client that refused the server's certificate aborts so (the client's own output says why)", causes: serverCertRefusedCauses()},
		// WeeChat 3.8's relay (round 76) reads relay.network.ssl_cert_key
		// when the first TLS client connects; a missing file or a key that
		// is not the certificate's leaves it without one, it says so and
		// keeps listening, failing every handshake (GnuTLS -87 or -24).
		{source: "WeeChat", re: re(`relay: warning: no SSL certificate/key found \(option relay\.network\.ssl_cert_key\)`), side: "printed by WeeChat's relay: it could not load the certificate and key of relay.network.ssl_cert_key", meaning: "WeeChat's relay has no certificate: the PEM file relay.network.ssl_cert_key names is missing, unreadable, or holds a key that is not the certificate's; it keeps listening and every TLS handshake fails", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "put the certificate (chain) and its private key in the one PEM file relay.network.ssl_cert_key names (default ${weechat_config_dir}/ssl/relay.pem), `tlscreds lint` it, then /relay sslcertkey in WeeChat"},
		// mini_httpd 1.30 (round 80) logs no TLS word of a failed
		// handshake: it goes on to read a request, reads none and logs
		// its combined-format line with UNKNOWN for the method and the
		// path, the same for a certificate the client refused, no suite
		// in common and plain HTTP on its TLS port.
		{source: "mini_httpd", re: re(`"UNKNOWN  UNKNOWN" 400 `), side: "printed by mini_httpd: it read no request line from a connection; on its TLS port (-S) the handshake failed first, and mini_httpd logs no TLS reason", meaning: "a connection on which mini_httpd read no request: on its TLS port most often a client that refused its certificate, else no cipher suite in common or a client that spoke plain HTTP", causes: append(serverCertRefusedCauses(), cause.NoSharedCipher, cause.PlaintextToTLS), fix: "read the client's error for the reason (mini_httpd logs none); tlscreds diagnose HOST:PORT names it from the client's side"},
		// Puma 5.6's MiniSSL (round 73) peeks at the first bytes and
		// names a plain HTTP request on its TLS port.
		{source: "Puma", re: re(`Puma::MiniSSL::SSLError: HTTP connection\?`), side: sideServerSees, meaning: "what the client sent on Puma's ssl:// listener was a plain HTTP request: Puma's MiniSSL saw an HTTP method where a TLS ClientHello belongs, and keeps the connection unanswered until the client gives up", causes: []string{cause.PlaintextToTLS, cause.NotTLS}, fix: "use https:// for this port, or give plain HTTP its own tcp:// bind in Puma"},
		{source: "InspIRCd", re: re(`'Handshake Failed - An unexpected TLS packet was received\.?'`), side: sideServerSees, meaning: "what the client sent on InspIRCd's TLS port is not TLS: a plain-text IRC client on the TLS port", causes: []string{cause.PlaintextToTLS, cause.NotTLS}, fix: "point plain-text IRC clients at the plain port (6667), or make them use TLS here (6697)"},
		{source: "Exim", re: re(`TLS error on connection from [^\n]*\(gnutls_handshake\): Decryption has failed`), side: sideServerRefused, meaning: "Exim's GnuTLS could not read what the client sent after the server's certificate: a TLS 1.3 client that refused the server's certificate aborts so (the client's own output says why)", causes: serverCertRefusedCauses()},
		{source: "Exim", re: re(`TLS error on connection from [^\n]*\(gnutls_handshake\): An unexpected TLS packet was received`), side: sideServerSees, meaning: "what the client sent on Exim's TLS port is not TLS: a plain-text (STARTTLS) client on the implicit-TLS port", causes: []string{cause.PlaintextToTLS, cause.NotTLS}},
		{source: "Exim", re: re(`TLS error on connection from [^\n]*\(certificate verification failed\): certificate invalid`), side: sideServerSees, meaning: "Exim (tls_verify_certificates) could not verify the client's certificate: an issuer it does not trust, expired, revoked", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}},
		// swaks says whether it had a certificate to send; a TLS 1.3
		// server that refuses the client's certificate (or its absence)
		// hangs up after the handshake, at the first command (measured:
		// Exim, round 26).
		{source: "swaks", re: re(`(?s)=== TLS no local certificate set\b.*?\*\*\* Remote host closed connection unexpectedly`), side: sideClientSees, meaning: "the server hung up after the TLS handshake, and swaks had no client certificate: a TLS 1.3 server that requires one says so only after the handshake", causes: []string{cause.ClientCertRequired, cause.Truncated}},
		{source: "swaks", re: re(`(?s)=== TLS local DN="[^\n]*.*?\*\*\* Remote host closed connection unexpectedly`), side: sideClientSees, meaning: "the server hung up after the TLS handshake in which swaks sent its client certificate: a TLS 1.3 server that refuses the certificate says so only after the handshake", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked, cause.Truncated}},
		// Unbound (OpenSSL) logs a client that aborted its handshake with
		// an empty OpenSSL error queue: every client that refused its
		// certificate, whatever the reason (measured: an unknown CA,
		// self-signed, expired, not yet valid, a name mismatch, a missing
		// intermediate, an RSA 1024-bit key, round 27).
		{source: "Unbound", re: re(`ssl handshake failed crypto error:00000000:lib\(0\)::reason\(0\)`), side: sideServerRefused, meaning: "the client aborted the TLS handshake without an error of the server's own: it refused the server's certificate (the client's output says why)", causes: serverCertRefusedCauses()},
		// kdig (Knot DNS, GnuTLS): its certificate check's failure in
		// GnuTLS's generic words, a connection that failed, and a peer
		// that never answered the ClientHello (measured, round 27).
		{source: "kdig", re: re(`TLS, handshake failed \(Error in the certificate\.?\)`), side: sideClientSees, meaning: "kdig refused the server's certificate (its +tls-ca / +tls-hostname check); it does not say why: `gnutls-cli --x509cafile CA -p PORT HOST` does", causes: serverCertRefusedCauses()},
		{source: "kdig", re: re(`;; WARNING: can't connect to \S+\(TCP\)`), side: sideClientSees, meaning: "kdig could not open the TCP connection: nothing listens there (a server that cannot load its certificate or key exits as it starts)", causes: []string{cause.Refused, cause.LoadFailed, cause.Unreachable}},
		{source: "kdig", re: re(`TLS, peer took too long to respond`), side: sideClientSees, meaning: "the server accepted the connection and never answered kdig's ClientHello: it does not speak TLS on that port (plain DNS), or it is stuck", causes: []string{cause.Timeout, cause.NotTLS}},
		// dnsdist (its -v log; measured with the OpenSSL provider,
		// round 37): a client that closed the TLS connection in the
		// handshake refused the server's certificate; a plain listener
		// that read a ClientHello as a DNS message's length waits for the
		// rest and times out.
		{source: "dnsdist", re: re(`Got an exception while handling \((?:reading|writing)\) TCP query from \S+: TLS connection closed by remote end`), side: sideServerRefused, meaning: "the client closed the TLS connection during the handshake: it refused the server's certificate (the client's output says why)", causes: append(serverCertRefusedCauses(), cause.Reset)},
		{source: "dnsdist", re: re(`Timeout while reading from TCP client \S+|Timeout \(read\) from remote TCP client`), side: sideServerSees, meaning: "the client sent less than the DNS-over-TCP length it announced: a TLS client on a plain-DNS port (its ClientHello read as a length) waits for the server's answer as the server waits for the rest, or a stalled client", causes: []string{cause.NotTLS, cause.Timeout}, fix: "point DNS-over-TLS clients at the TLS listener (addTLSLocal, port 853), or plain DNS clients here"},
		// Knot Resolver 5.6 (kresd, GnuTLS; log_groups tls and io, round
		// 42) logs a failed handshake of a client of its TLS listener by
		// GnuTLS's error name: the client hung up (it refused the
		// server's certificate), sent what is not a TLS record (plain
		// DNS over TCP: a two-byte length), or offered versions the
		// server does not accept.
		{source: "Knot Resolver", re: re(`\[tls +\] gnutls_handshake failed: GNUTLS_E_(?:SESSION_EOF|PREMATURE_TERMINATION|PULL_ERROR|PUSH_ERROR)\b(?:: [^(\n]*)?`), side: sideServerRefused, meaning: "the client hung up during the handshake with kresd's TLS listener: it refused the server's certificate (the client's output says why)", causes: append(serverCertRefusedCauses(), cause.Reset)},
		{source: "Knot Resolver", re: re(`\[tls +\] gnutls_handshake failed: GNUTLS_E_(?:UNEXPECTED_PACKET|UNEXPECTED_PACKET_LENGTH)\b(?:: [^(\n]*)?`), side: sideServerSees, meaning: "kresd's TLS listener read something other than a TLS handshake record: a client speaking plain DNS over TCP to the DNS-over-TLS port", causes: []string{cause.PlaintextToTLS}, fix: "point plain DNS clients at the plain port (53), or make them speak TLS here (kdig +tls, dig +tls)"},
		{source: "Knot Resolver", re: re(`\[tls +\] gnutls_handshake failed: GNUTLS_E_UNSUPPORTED_VERSION_PACKET\b(?:: [^(\n]*)?`), side: sideServerSees, meaning: "kresd's TLS listener refused the client's ClientHello for its version: the client offers only TLS versions the server's GnuTLS priorities disable (or it is not a TLS client)", causes: []string{cause.Version, cause.PlaintextToTLS}},
		// coturn 4.6 (-v, round 45) logs no OpenSSL reason for a failed
		// handshake: a TLS connection that closes before any TURN
		// message (its usage line counts none) with a socket buffer
		// error is a client that hung up in the handshake, having
		// refused the certificate, or a server that could not complete
		// it.
		{source: "coturn", re: re(`usage: realm=<[^>\n]*>, username=<[^>\n]*>, rp=0, rb=0, sp=0, sb=0\n(?:[^\n]*\n){0,2}[^\n]*reason: TLS/TCP socket buffer operation error`), side: sideServerRefused, meaning: "the TLS connection closed before any TURN message: the client hung up during the handshake, having refused the server's certificate (the client's output says why), or the handshake failed on the server's side (its start-up log says whether it refused its own key)", causes: append(serverCertRefusedCauses(), cause.Reset)},
		// NSD 4.6 (OpenSSL; verbosity 3, round 46) logs a failed
		// handshake of a client of its TLS port with OpenSSL's error: an
		// empty error queue (00000000, reason(0)) is a client that
		// closed the connection in the handshake, having refused the
		// certificate; "wrong version number" is what it read from a
		// plain DNS client.
		{source: "NSD", re: re(`nsd\[\w+\]: error: TLS handshake failed from \S+ crypto error:0+:lib\(0\)::reason\(0\)`), side: sideServerRefused, meaning: "the client closed the connection during the handshake with NSD's TLS port: it refused the server's certificate (the client's output says why)", causes: append(serverCertRefusedCauses(), cause.Reset)},
		{source: "NSD", re: re(`nsd\[\w+\]: error: TLS handshake failed from \S+ crypto error:[0-9A-F]+:SSL routines:[^\n]*wrong version number`), side: sideServerSees, meaning: "NSD's TLS port read something other than a TLS record: a client speaking plain DNS over TCP to the DNS-over-TLS port", causes: []string{cause.PlaintextToTLS}, fix: "point plain DNS clients at the plain port (53), or make them speak TLS here (kdig +tls, dig +tls)"},
		// Plain DNS over TCP (dig +tcp, kdig without +tls) that the
		// server closed or never answered: a TLS port drops a plain
		// query (measured: dnsdist's TLS listener, round 37).
		{source: "dig", re: re(`communications error to \S+: (?:end of file|connection reset)`), side: sideClientSees, meaning: "the server closed or reset the TCP connection without answering the query: a DNS-over-TLS port drops a plain-text query (use +tls), or the server failed", causes: []string{cause.PlaintextToTLS, cause.Reset, cause.Truncated}, refine: digPlainRefine},
		{source: "kdig", re: re(`;; WARNING: can't receive reply from \S+\(TCP\)`), side: sideClientSees, meaning: "the server accepted the TCP connection and did not answer the query: a DNS-over-TLS port drops a plain-text query (use +tls), or the server failed", causes: []string{cause.PlaintextToTLS, cause.Reset, cause.Timeout}, refine: digPlainRefine},
		{source: "Postfix", re: re(`No client certificate presented`), side: "printed by Postfix (smtpd_tls_req_ccert = yes), and sent to the client as 421: it checks the client's certificate after the handshake", meaning: "Postfix requires a client certificate and the client sent none", causes: []string{cause.ClientCertRequired}},
		// Dovecot's login process says why it disconnected a client
		// that never logged in, and what the connection was: ", TLS,"
		// once the handshake completed (a TLS 1.3 client that refused
		// the certificate hangs up right after it), no TLS at all (a
		// client that wanted STARTTLS and found none), or invalid
		// commands (a TLS client's ClientHello read as IMAP; round 41).
		{source: "Dovecot", re: re(`Disconnected: Connection closed \(no auth attempts in \d+ secs\): user=<[^>\n]*>, rip=\S+, lip=\S+, TLS, session=`), side: sideServerRefused, meaning: "the client completed the TLS handshake and hung up without logging in: a TLS 1.3 client that refused the server's certificate does so (the client's output says why)", causes: serverCertRefusedCauses()},
		{source: "Dovecot", re: re(`Disconnected: Connection closed \(no auth attempts in \d+ secs\): user=<[^>\n]*>, rip=\S+, lip=\S+, (?:secured, )?session=`), side: sideServerSees, meaning: "the client hung up without TLS and without logging in: a client that requires TLS and found no STARTTLS offered (ssl = no), or one refused a plain-text login", causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "Dovecot", re: re(`Disconnected: Too many invalid commands \(no auth attempts`), side: sideServerSees, meaning: "the client sent what Dovecot cannot read as IMAP commands: a client speaking TLS at once (imaps) to the plain IMAP port, whose ClientHello is read as commands", causes: []string{cause.NotTLS}, fix: "point TLS-at-once clients (imaps://, fetchmail --ssl, mbsync SSLType IMAPS) at the imaps port (993), or use STARTTLS on this one"},
		{source: "Dovecot", re: re(`BAD TLS support isn't enabled`), side: "Dovecot's answer to STARTTLS: ssl = no", meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		// isync's mbsync (OpenSSL), measured in round 41.
		{source: "mbsync", re: re(`IMAP error: SSL support not available`), side: sideClientSees, meaning: "mbsync (SSLType STARTTLS) found no STARTTLS in the server's CAPABILITY: " + mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "mbsync", re: re(`Error, certificate owner does not match hostname (\S+)`), side: sideVerifier, meaning: "the server's certificate names neither $1 in its subject alternative names nor in its common name", causes: []string{cause.NameMismatch}},
		{source: "Dovecot", re: re(`Client didn't present valid SSL certificate|client didn't send a cert`), side: "printed by Dovecot (ssl_verify_client_cert and auth_ssl_require_client_cert): it checks the client's certificate at login", meaning: "Dovecot requires a valid client certificate and the client sent none or one it did not accept", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}},
		{source: "Dovecot", re: re(`Failed to initialize SSL server context: ([^\n]*)`), side: "printed by Dovecot's login process: it cannot load its own certificate or key (it answers STARTTLS, then cannot speak TLS)", meaning: "Dovecot cannot set up TLS: $1", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable"}, fix: "fix ssl_cert / ssl_key (`<` followed by the path) so that the key is the certificate's and readable by root, `tlscreds lint` them, and `doveadm reload`"},
		// A TLS ClientHello where Postfix expects a command.
		{source: "Postfix", re: re(`improper command pipelining after CONNECT from [^:\n]*: \\026\\003`), side: "printed by Postfix: a client sent a TLS ClientHello where smtpd expects SMTP", meaning: "a client spoke TLS at once to a STARTTLS port (smtps:// or implicit TLS to 25 or 587, instead of 465)", causes: []string{cause.NotTLS}, fix: "connect with STARTTLS (smtp://, swaks --tls) to this port, or use the port with smtpd_tls_wrappermode = yes (465) for smtps://"},
		// A greeting that never came: a port that speaks TLS directly.
		{source: "swaks", re: re(`(?s)=== Connected to [^\n]*\n<\*\* Timeout \(\d+ secs\) waiting for server response`), side: sideClientSees, meaning: "the server accepted the connection but sent no greeting: a port that speaks TLS from the first byte (smtps, 465) waiting for a ClientHello, or a stuck server", causes: []string{cause.PlaintextToTLS, cause.Timeout}, fix: "use swaks --tlsc (smtps) for a port that speaks TLS from the first byte, or --tls against the STARTTLS port (25, 587)"},
		// msmtp (GnuTLS) and s-nail (OpenSSL), as they print their own
		// checks and the server's answers (measured against Postfix,
		// round 35).
		{source: "msmtp", re: re(`the server does not support TLS via the STARTTLS command`), side: sideClientSees, meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		{source: "s-nail", re: re(`TLS certificate does not match: (\S+)`), side: sideClientSees, meaning: "the server's certificate does not cover $1, the host name the client connected to", causes: []string{cause.NameMismatch}},
		// Postfix answers a command it does not take with 502: STARTTLS
		// when its TLS is off (s-nail prints the answer, not the command).
		{source: "Postfix", generic: true, re: re(`502 5\.5\.1 Error: command not implemented`), side: "the SMTP server's answer to a command it does not take: Postfix answers STARTTLS so when it has no TLS (smtpd_tls_security_level = none)", meaning: mailNoTLS, causes: []string{cause.StartTLS}, fix: mailNoTLSF},
		// Postfix checks a required client certificate after the
		// handshake, logs it and answers 421 (measured, round 35).
		{source: "Postfix", re: re(`Client certificate not trusted`), side: "printed by Postfix (smtpd_tls_req_ccert = yes), and sent to the client as 421: it checks the client's certificate after the handshake", meaning: "Postfix requires a client certificate from a CA in smtpd_tls_CAfile and the client's is not", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}},
		{source: "Postfix", re: re(`postfix/smtpd(?:\[\d+\])?: certificate verification failed for \S+: ([^\n]+)`), side: "printed by Postfix about a client's certificate", meaning: "Postfix did not verify the client's certificate: $1", causes: []string{cause.ClientCertRejected, cause.Expired}},
		// The server closed the connection after the handshake, where
		// the client waited for its answer: a server that checks the
		// client's certificate then (Postfix, round 35) hangs up so.
		{source: "msmtp", re: re(`msmtp: the server sent an empty reply`), side: sideClientSees, meaning: "the server closed the connection without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "Python", re: re(`(?m)SMTPServerDisconnected: Connection unexpectedly closed\s*$`), side: sideClientSees, meaning: "the mail server closed the connection without answering", causes: []string{cause.Truncated}, refine: hangUpRefine(true)},
		{source: "Python", re: re(`SMTPServerDisconnected: Connection unexpectedly closed: timed out`), side: sideClientSees, meaning: "smtplib waited for the greeting and none came: a port that speaks TLS from the first byte (smtps, 465) waiting for a ClientHello, or a stuck server", causes: []string{cause.PlaintextToTLS, cause.Timeout}, fix: "use smtplib.SMTP_SSL for a port that speaks TLS from the first byte, SMTP(...).starttls() for 25 and 587"},

		// MySQL and MariaDB.
		{source: "MariaDB", re: re(`SSL is required,? but the server does(?: not|n't) support it`), side: sideClientSees, meaning: "the client requires TLS (--ssl, ssl-mode=REQUIRED) and the server has none configured", causes: []string{cause.StartTLS}, fix: "give the server ssl_cert and ssl_key (and ssl_ca) and restart it, or drop --ssl if this server is meant to be plain"},
		{source: "MariaDB", re: re(`TLS/SSL error: Validation of SSL server certificate failed`), side: sideClientSees, meaning: "the server's certificate passed the chain check but not MariaDB Connector/C's own: the host name (--ssl-verify-server-cert) is not among its names", causes: []string{cause.NameMismatch, cause.UnknownCA}},
		{source: "MariaDB", re: re(`Can't connect to (?:MySQL )?server on '[^']*' \((?:115|111|\[Errno 111\] Connection refused)\)`), side: sideClientSees, meaning: "nothing listens there: the server is down, or exited as it started (MariaDB does when it cannot load its --ssl-cert or --ssl-key)", causes: []string{cause.Refused, cause.LoadFailed}, fix: "read the server's error log (`SSL error: Unable to get private key`, `Failed to setup SSL`) and check it runs on that port"},
		{source: "MariaDB", re: re(`X509 subject mismatch: should be '([^']*)' but is '([^']*)'`), side: "printed by MariaDB (log_warnings ≥ 3): the client's certificate verified but is not the one the account's REQUIRE SUBJECT names", meaning: "the account requires the subject $1, the client's certificate is $2", causes: []string{cause.AuthzDenied}, fix: "issue the client a certificate with the subject the account requires, or ALTER USER ... REQUIRE SUBJECT to the certificate's"},
		{source: "MariaDB", re: re(`Access denied for user '[^']*'@'[^']*' \(using password: (?:YES|NO)\)`), side: "MariaDB's or MySQL's answer to a login, after the TLS handshake worked", meaning: "the server refused the login: a wrong password, or the account's REQUIRE X509 / SUBJECT / ISSUER not met by the client's certificate (MySQL words them alike; its log at log_warnings ≥ 3 says 'X509 subject mismatch')", causes: []string{cause.AuthzDenied, cause.ClientCertRequired}, fix: "check the account (SHOW CREATE USER): give the client the certificate its REQUIRE clause asks for (--ssl-cert, --ssl-key), or fix the password"},
		{source: "MariaDB", re: re(`\[Warning\] Aborted connection \d+ to db: 'unconnected' user: 'unauthenticated' host: '[^']*' \(This connection closed normally without authentication\)`), side: "printed by MariaDB: a client hung up before it logged in, which is where a TLS client that refused the server stops", meaning: "the client closed the connection before logging in: most often it refused the server's certificate during the handshake (MariaDB does not log why), or it gave up on TLS", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.ClientCertRejected}, fix: "read the client's error, or check the server from the client's side: `tlscreds diagnose mysql://HOST:PORT --ca CLIENT-CA-FILE`"},
		{source: "MariaDB", re: re(`SSL error: Unable to get private key|SSL error: Unable to get certificate|Failed to setup SSL`), side: "printed by MariaDB as it starts: it cannot load its own certificate or key, and does not start", meaning: "MariaDB cannot load --ssl-cert / --ssl-key (missing, unreadable, or a key that is not the certificate's)", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}},

		// Mosquitto and libmosquitto.
		{source: "mosquitto_pub", re: re(`A TLS error occurred\.?`), side: "printed by libmosquitto (mosquitto_pub, mosquitto_sub): the TLS handshake failed on the client's side, without the reason", meaning: "the handshake with the broker failed: most often the broker's certificate was refused (--cafile, the host name), or no TLS version in common", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Version, cause.MissingIntermediate, cause.Expired, cause.NotTLS}, fix: "see the reason: `tlscreds diagnose HOST:8883 --ca CAFILE` or openssl s_client -connect HOST:8883 -CAfile CAFILE; the broker's log (log_type all) prints OpenSSL's error"},
		{source: "mosquitto_pub", re: re(`(?m)^Error: Protocol error$`), side: "printed by libmosquitto: the broker closed the connection after the handshake", meaning: "the broker dropped the client after TLS: a broker that requires a client certificate (require_certificate true) got none, or refused the one sent", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired}, fix: "give mosquitto_pub --cert and --key issued by a CA in the listener's cafile; the broker's log says why (OpenSSL Error[0]: ...)"},
		{source: "mosquitto_pub", re: re(`(?m)^Error: The connection was lost\.$`), side: "printed by libmosquitto: the broker closed the connection", meaning: "the broker closed the connection: plain MQTT (no --cafile) to a TLS listener, or a TLS 1.3 broker that requires a client certificate refusing the client after the handshake (none sent, or one it does not accept: which of this and 'Protocol error' is printed depends on timing, measured)", causes: []string{cause.PlaintextToTLS, cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired, cause.Reset}, fix: "use --cafile (TLS) for a TLS listener, with --cert and --key when it requires a certificate; the broker's log says why"},
		{source: "Mosquitto", re: re(`Client <unknown> disconnected due to protocol error\.?`), side: "printed by Mosquitto on a listener without TLS: a client sent what is not MQTT", meaning: "a client sent bytes that are not MQTT to a plain listener: most often a TLS client (port 1883 instead of 8883, or a listener without certfile)", causes: []string{cause.NotTLS}, fix: "point the TLS client at the broker's TLS listener, or give this listener cafile, certfile and keyfile"},

		// nbd-server 3.24 (GnuTLS) and libnbd's nbdinfo (measured in
		// round 15).
		{source: "nbd-server", re: re(`(?m)^Error: Error in the certificate\.`), side: "printed by nbd-server: it refused the client's certificate during the handshake (it asks for one whenever it has TLS)", meaning: "nbd-server's GnuTLS check of the client's certificate failed: none sent, an issuer it does not trust (cacertfile), or one expired or revoked; it logs no reason", causes: []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.Expired, cause.Revoked}},
		{source: "nbd-server", first: true, re: re(`(?s)Error: could not receive data: The TLS connection was non-properly terminated\.\s*\nError: Negotiation failed`), side: "printed by nbd-server: the client hung up during or right after the TLS handshake without an alert", meaning: "the client dropped the connection at TLS: QEMU's and libnbd's clients close without an alert when they refuse the server's certificate (an unknown issuer, a missing intermediate, expired or not yet valid, a name the certificate lacks, a SHA-1 signature); the client's own message says which", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.MissingIntermediate, cause.NotYetValid, cause.Weak, cause.Reset}},
		{source: "nbd-server", re: re(`(?m)^Error: Session terminated by client`), side: "printed by nbd-server: the client ended the negotiation itself (NBD_OPT_ABORT)", meaning: "the client gave up during the NBD negotiation: a client that requires TLS where the server has none, or one without TLS where the server requires it (force_tls), ends it this way", causes: []string{cause.StartTLS}},
		{source: "libnbd", re: re(`nbd_connect_uri: connection is closed`), side: sideClientSees, meaning: "the NBD server closed the connection during the negotiation: with nbds:// (TLS required), a server without TLS closes when asked for it (nbd-server without certfile), or the server stopped", causes: []string{cause.StartTLS, cause.Reset}},
		{source: "libnbd", re: re(`(?s)server replied with error to opt_go request.*newstyle-fixed without TLS`), side: sideClientSees, meaning: "the NBD server refused the export to a client without TLS: it requires TLS (nbd-server force_tls) and the client did not ask for it (nbd:// rather than nbds://)", causes: []string{cause.StartTLS}, fix: "connect with TLS: nbdinfo 'nbds://HOST/EXPORT?tls-certificates=DIR', qemu-img with --object tls-creds-x509,... and tls-creds="},
		{source: "libnbd", re: re(`gnutls_handshake: Error in the certificate verification\.`), side: sideClientSees, meaning: "libnbd refused the server's certificate without saying why (GnuTLS's verification error covers every reason)", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NotYetValid, cause.NameMismatch, cause.Weak}},

		// QEMU's words for the server's certificate (crypto/tlssession.c):
		// an unknown issuer, a revocation and an insecure algorithm have
		// their own; "not trusted" alone is the rest of GnuTLS's INVALID,
		// above all a certificate outside its validity period.
		{source: "QEMU", first: true, re: re(`(?m)^qemu-[\w-]+: Could not open '[^\n]*': The certificate is not trusted$`), side: sideClientSees, meaning: "QEMU refused the peer's certificate with no more specific reason: QEMU names an unknown issuer, a revocation and an insecure algorithm on their own, so this is a certificate outside its validity period, or one whose chain is otherwise invalid", causes: []string{cause.Expired, cause.NotYetValid, cause.CAInvalid, cause.CertInvalid}},
		// NBD clients in the handshake after NBD_OPT_STARTTLS was
		// accepted: the server speaks TLS, so bytes that are not TLS
		// are its refusal in plain text (nbd-server refusing the
		// client's certificate, measured).
		{source: "NBD", first: true, re: re(`(?:Could not open 'driver=nbd[^\n]*|nbd_connect_uri: gnutls_handshake): (?:TLS handshake failed: )?An unexpected TLS packet was received`), side: sideClientSees, meaning: "the NBD server accepted STARTTLS, then sent something that is not TLS during the handshake: nbd-server does so when it refuses the client's certificate (none sent, an issuer it does not trust, expired)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired, cause.NotTLS}},

		// Prosody 0.12 (LuaSec, OpenSSL) and slixmpp (measured in round
		// 19). slixmpp will not send a password (PLAIN) over a stream
		// without TLS (its unencrypted_plain is off), so a server that
		// offered no STARTTLS leaves it without a login method
		// (measured against ejabberd, round 44).
		{source: "slixmpp", re: re(`No appropriate login method\.?`), side: sideClientSees, meaning: "slixmpp found no login method it would use: it sends no password over a stream without TLS, so the server offered no STARTTLS (or only mechanisms slixmpp does not support)", causes: []string{cause.StartTLS}, fix: "enable STARTTLS on the XMPP server (ejabberd: starttls or starttls_required in the c2s listener with certfiles; Prosody: a certificate for the host), or connect with direct TLS to its TLS port"},
		// amqp-tools (librabbitmq 0.11 with OpenSSL) name only the step
		// that failed (measured against RabbitMQ, round 23): opening the
		// socket includes the TLS handshake and loses its reason; a
		// login that fails with an SSL error came after a TLS 1.3
		// handshake whose server then refused the client's certificate;
		// a plain client's login fails on the TLS port's reset.
		{source: "amqp-tools", re: re(`(?m)^opening socket to \S+:\S+\s*$`), side: "printed by amqp-tools (librabbitmq): opening the connection failed, the TLS handshake included, and it does not say why", meaning: "the TCP connection or the TLS handshake failed; librabbitmq keeps no reason: most often a server certificate the client refuses", causes: append(append(serverCertRefusedCauses(), cause.LoadFailed, cause.Version, cause.ClientCertRequired, cause.NotTLS), cause.Refused), fix: "run tlscreds diagnose HOST:PORT --ca CACERT (with --creds for a client certificate) to see which step fails and why"},
		{source: "amqp-tools", re: re(`logging in to AMQP server: a SSL error occurred`), side: "printed by amqp-tools (librabbitmq): the TLS handshake completed, then the connection failed under TLS as it logged in", meaning: "the server refused the client after a TLS 1.3 handshake: a missing or refused client certificate is checked after the client's Finished", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Truncated}},
		{source: "amqp-tools", re: re(`logging in to AMQP server: a socket error occurred`), side: "printed by amqp-tools (librabbitmq): the connection failed as it logged in", meaning: "the server reset the connection at the AMQP login: a plain AMQP client (no --ssl) on a TLS port", causes: []string{cause.PlaintextToTLS, cause.Reset}},
		// ngIRCd 26 (GnuTLS) logs every failed TLS accept in the same
		// words, whatever failed (measured, round 22): a client that
		// refused its certificate, no version in common, a plain-text
		// client. The clients' own words say which.
		{source: "ngIRCd", re: re(`SSL accept error, closing socket`), side: "printed by ngIRCd: a client's TLS handshake failed; ngIRCd logs no reason (the client's own output, or tlscreds diagnose, says which)", meaning: "ngIRCd's TLS accept failed: most often a client that refused its certificate, else no TLS version or suite in common, or a client that spoke plain text to its TLS port", causes: append(serverCertRefusedCauses(), cause.Version, cause.NoSharedCipher, cause.PlaintextToTLS), fix: "run tlscreds diagnose HOST:PORT --ca CA-FILE-OF-THE-CLIENTS against ngIRCd's TLS port, and `tlscreds lint` on its CertFile, KeyFile and CAFile"},
		{source: "Prosody", first: true, re: re(`(?m)^\S*c2s\S*\s+info\s+Client disconnected: unexpected eof while reading`), side: "printed by Prosody: a client left during the TLS handshake", meaning: "the client dropped the connection in the handshake: clients that refuse Prosody's certificate (an unknown issuer, expired, a name it lacks, a missing intermediate) close it, and Prosody logs the end of the stream, not their alert", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.MissingIntermediate, cause.Reset}},
		{source: "Prosody", re: re(`private key does not match public key`), side: "printed by Prosody (LuaSec) when it builds its TLS context: it then offers no STARTTLS", meaning: "Prosody's ssl.key is not the key of its ssl.certificate; it starts anyway and offers clients no stream features where encryption is required", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}},
		{source: "XMPP", re: re(`No stream features to proceed with`), side: sideClientSees, meaning: "the XMPP server offered no stream features, not even STARTTLS: Prosody does so when c2s requires encryption and its TLS context failed to load (a key that is not its certificate's, a key too weak for OpenSSL 3); its log says \"No TLS context available\"", causes: []string{cause.LoadFailed, cause.Weak, cause.StartTLS}, fix: "read the server's log for the TLS context error, fix its ssl.key / ssl.certificate (tlscreds lint them), and restart it"},

		// FTP over TLS (measured in round 16: vsftpd 3.0.3, curl's
		// ftp:// and ftps://, Python's ftplib, lftp with GnuTLS).
		{source: "FTP", re: re(`\b530 (?:Non-anonymous|Anonymous) sessions must use encryption`), side: "vsftpd's answer to a login without TLS: force_local_logins_ssl or force_anon_logins_ssl", meaning: "the FTP server requires TLS before the login, and the client logged in without AUTH TLS", causes: []string{cause.StartTLS}, fix: ftpNeedTLSF},
		{source: "FTP", re: re(`\b530 Please login with USER and PASS`), side: "vsftpd's answer to a command before the login; to AUTH TLS, it means TLS is off (ssl_enable = NO)", meaning: "the FTP server does not offer TLS: vsftpd without ssl_enable = YES answers AUTH TLS (and AUTH SSL) with 530, as any command before a login", causes: []string{cause.StartTLS}, fix: ftpNoTLSF},
		// syslog-ng 3.38 as a TLS client (a network() destination,
		// round 58): its verify callback's name check, and a connection
		// that breaks right after it was established without a TLS error
		// of its own (a TLS 1.3 receiver refusing its certificate, or
		// the lack of one, after the handshake), or that the receiver
		// closes while it is idle (it sent plain text to a TLS port).
		{source: "syslog-ng", re: re(`Certificate subject does not match configured hostname; hostname='[^'\n]*', certificate='[^'\n]*'`), side: sideVerifier, meaning: "syslog-ng's own check of the peer certificate's names (its destination's hostname, or tls(trusted-dn())) refused it: the certificate does not name the host it connects to", causes: []string{cause.NameMismatch}},
		{source: "syslog-ng", re: re(`Syslog connection established; [^\n]*\n(?:[^\n]*(?:I/O error|write)[^\n]*\n)?[^\n]*Syslog connection broken; `), side: sideClientSees, meaning: "the receiver broke the connection right after it was established, without a TLS error on this side: a TLS 1.3 receiver that refuses the sender's certificate (or its lack of one, with peer-verify(required-trusted)) does so after the handshake", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}, fix: "read the receiver's log (syslog-ng: \"Certificate validation failed\" or \"peer did not return a certificate\"), and give the sender a certificate from a CA the receiver trusts: tls(key-file() cert-file()) in its destination"},
		{source: "syslog-ng", re: re(`EOF occurred while idle; fd='?\d+'?[^\n]*\n[^\n]*Syslog connection closed; `), side: sideClientSees, meaning: "the receiver closed the connection while this sender was idle, after it had sent: a receiver that speaks TLS on that port gives up on plain text this way", causes: []string{cause.PlaintextToTLS, cause.Truncated, cause.Reset}, fix: "use transport(\"tls\") with tls(ca-file()) in the destination when the receiver's port speaks TLS (or send to its plain port)"},
		// NTPsec 1.2's ntpd (round 60) logs a failed NTS-KE handshake
		// without OpenSSL's reason or the client's alert; a refused
		// TLS version it logs on its own line ("unsupported protocol").
		// NTS-KE has no client certificates: the client refused the
		// server's certificate (measured: an unknown CA, an expired
		// certificate, a name, a missing intermediate).
		{source: "ntpd", re: re(`NTSs: SSL accept from \S+ failed, took [^\n]*`), side: sideServerRefused, meaning: "ntpd's NTS-KE handshake with a client failed; ntpd does not log why: a client that refused its certificate (NTS-KE has no client certificates), or one without TLS 1.3", causes: append(serverCertRefusedCauses(), cause.Version), fix: "read the client's error (chronyd logs \"TLS handshake with ... failed : ...\"), or check ntpd's certificate from the client's side: `tlscreds diagnose HOST:4460 --ca CLIENT-CA-FILE`"},
		// Pure-FTPd 1.0.50 (round 57), OpenSSL: it answers AUTH TLS so
		// when it runs without TLS (-Y 0), and greets a client with 421
		// when it requires TLS (-Y 2) and the client did not ask for it.
		// After a TLS handshake that failed (its "SNI: [...]" line shows
		// one began) it logs the same words, whatever the cause (measured:
		// a client refusing its certificate, no suite in common).
		{source: "Pure-FTPd", re: re(`\b500 This security scheme is not implemented`), side: "Pure-FTPd's answer to AUTH TLS: it runs without TLS (-Y 0, or no certificate)", meaning: "the FTP server does not offer TLS: Pure-FTPd started without TLS support answers AUTH TLS with 500", causes: []string{cause.StartTLS}, fix: "start pure-ftpd with -Y 1 (TLS allowed) or -Y 2 (required for logins) and its certificate (-2 CERTFILE,KEYFILE, or /etc/ssl/private/pure-ftpd.pem)"},
		{source: "Pure-FTPd", re: re(`\[INFO\] SNI: \[[^\]\n]*\]\n(?:[^\n]*\n)*?[^\n]*\[WARNING\] Sorry, cleartext sessions and weak ciphers are not accepted on this server\.?`), first: true, side: sideServerSees, meaning: "Pure-FTPd's TLS handshake with a client failed after the ClientHello (the SNI line): Pure-FTPd logs the same words for every failed handshake, most often a client that refused its certificate, else no suite in common with its -J cipher list", causes: append(serverCertRefusedCauses(), cause.NoSharedCipher, cause.Version), fix: "read the client's error (curl, lftp and ftplib say what they refused), or check the server's certificate from the client's side: `tlscreds diagnose ftp://HOST:PORT --ca CLIENT-CA-FILE`"},
		{source: "Pure-FTPd", re: re(`\b421[- ]Sorry, cleartext sessions and weak ciphers are not accepted on this server\.?`), side: "Pure-FTPd's greeting to a client that did not start TLS: it requires TLS (-Y 2 or -Y 3)", meaning: "the FTP server requires TLS before the login, and the client connected without AUTH TLS", causes: []string{cause.StartTLS}, fix: ftpNeedTLSF},
		{source: "Pure-FTPd", re: re(`\[ERROR\] Sorry, but that file doesn't exist: \[[^\]\n]*\]`), side: "printed by pure-ftpd as it starts: it could not load the certificate or key file named (missing, or a key that is not the certificate's: measured, it says the same)", meaning: "pure-ftpd cannot use its TLS certificate and key, and exits", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "give -2 the certificate file and its own key (-2 CERT,KEY), readable by root: `tlscreds lint DIR` names which of the two is wrong"},
		{source: "Pure-FTPd", re: re(`\[INFO\] TLS: Enabled TLSv[\d.]+ with [^\n]*\n[^\n]*\[INFO\] Logout\.`), side: ftpHungUpSide, meaning: "the client completed the TLS handshake on the control connection and left without a command: it refused the server's certificate after the handshake, most often its name (curl checks the name after the handshake)", causes: refusedAfterHandshakeCauses(), fix: ftpHungUpFix},
		{source: "curl", re: re(`curl: \(64\) Requested SSL level failed`), side: sideClientSees, meaning: "curl --ssl-reqd asked for TLS (FTP's AUTH TLS, or STARTTLS) and the server refused it: TLS is not enabled there, or it could not set TLS up", causes: []string{cause.StartTLS, cause.LoadFailed}, fix: ftpNoTLSF},
		{source: "curl", re: re(`curl: \(67\) Access denied: 530`), side: sideClientSees, meaning: "the FTP server refused the login (530): besides a wrong user or password, a server that requires TLS refuses a login without it (vsftpd's force_local_logins_ssl) and one that requires a client certificate refuses a login without one", causes: []string{cause.StartTLS, cause.ClientCertRequired}, fix: ftpNeedTLSF},
		{source: "lftp", re: re(`ftp:ssl-force is set and server does not support or allow SSL`), side: sideClientSees, meaning: "lftp requires TLS (ftp:ssl-force) and the server refused AUTH TLS or did not list it in FEAT", causes: []string{cause.StartTLS}, fix: ftpNoTLSF},
		{source: "lftp", re: re(`Fatal error: max-retries exceeded(?:\s*$|\n)`), side: sideClientSees, meaning: "lftp gave up after retrying, every try ending the same way without an error to show: the server accepted the connection but did not answer in time (net:timeout): a port that speaks TLS from the first byte (ftps, 990) waits for a ClientHello while lftp waits for the FTP greeting", causes: []string{cause.Timeout, cause.PlaintextToTLS}, fix: "open ftps://HOST:PORT for a port with implicit TLS, or the server's explicit port (21) with ftp:ssl-force"},
		// lftp names the GnuTLS call, not the alert: during the
		// handshake the server refused the client (its certificate, or
		// the version or suites); after it (record_recv), a TLS 1.3
		// server refused the client's certificate.
		// aria2c and kdig (GnuTLS) say the same in their words (measured,
		// rounds 25 and 27), and sipsak (round 66).
		{source: "lftp", re: re(`(?:(?:gnutls_handshake|SSL/TLS handshake failure|msmtp: TLS handshake failed|GnuTLS error): |TLS, handshake failed \()A TLS fatal alert has been received`), side: sideClientSees, meaning: "the server aborted the handshake with an alert the client (lftp, aria2c) does not name: it refused the client's certificate (or its absence), or found no version or suite in common; the server's log says which", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.NoSharedCipher, cause.Version, cause.Expired, cause.Alert}},
		// aria2c's words for the same (measured: hitch, round 29).
		{source: "lftp", re: re(`(?:gnutls_record_recv: |Failed to receive data, cause: )A TLS fatal alert has been received`), side: sideClientSees, meaning: "the server sent a fatal alert after the handshake: a TLS 1.3 server refuses the client's certificate (or its absence) only once the client has finished", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Expired, cause.Revoked, cause.Alert}},
		// gnutls-cli --starttls-proto=ftp sends FEAT first: a TLS port
		// resets the plain text.
		{source: "GnuTLS", re: re(`error receiving '[^'\n]*': Connection reset by peer`), side: "printed by gnutls-cli --starttls-proto: the server hung up on the plain-text negotiation", meaning: "the server reset the connection when the client spoke the plain-text protocol: a port that speaks TLS from the first byte resets plain text; a server that cannot start TLS (its certificate or key failed to load: Prosody) drops the STARTTLS request", causes: []string{cause.PlaintextToTLS, cause.StartTLS, cause.LoadFailed, cause.Reset}},
		{source: "vsftpd", first: true, re: re(`FTP command: Client "[^"]*", "\?{6,}`), side: "printed by vsftpd (log_ftp_protocol): a client sent binary bytes where a command belongs", meaning: "a client spoke TLS at once (ftps://, implicit TLS) to a port where vsftpd expects FTP (explicit TLS with AUTH TLS, or none): vsftpd logs the ClientHello as a command", causes: []string{cause.NotTLS}, fix: "point the client at the port with implicit_ssl, or use ftp:// with AUTH TLS (curl --ssl-reqd, lftp ftp:ssl-force) here"},
		{source: "vsftpd", re: re(`500 OOPS: SSL: cannot load (?:RSA |DSA )?private key`), side: "printed by vsftpd as it starts (to its standard input's terminal or log): it cannot load its private key", meaning: "vsftpd cannot load rsa_private_key_file: missing, unreadable, not PEM, or not the key of rsa_cert_file; it does not start", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}},
		{source: "vsftpd", re: re(`500 OOPS: SSL: cannot load (?:RSA |DSA )?certificate`), side: "printed by vsftpd as it starts: it cannot load its certificate", meaning: "vsftpd cannot load rsa_cert_file: missing, unreadable or not PEM, or refused by OpenSSL 3's security level (an RSA key under 2048 bits, a SHA-1 signature: \"ee key too small\"); it does not start", causes: []string{cause.LoadFailed, cause.Weak}, rules: []string{"key-rsa-too-small", "file-missing", "file-unreadable", "file-invalid"}},
		// A session that ends right after a completed handshake, before
		// the client's first command: the client refused what it checks
		// after the handshake. curl's OpenSSL back end checks the host
		// name after it, GnuTLS clients (lftp, gnutls-cli) the whole
		// certificate (measured: round 16's vsftpd, round 47's ProFTPD,
		// curl and lftp on a certificate for another name).
		{source: "vsftpd", re: re(`"SSL version: TLSv[\d.]+, SSL cipher: [^"\n]*"(?:\n[^\n]*FTP response: [^\n]*)?\s*\z`), side: ftpHungUpSide, meaning: "the client completed the TLS handshake and then closed the session without a command (this is the session's last line): it refused the server's certificate after the handshake, most often its name (curl checks the name after the handshake, GnuTLS clients such as lftp the whole certificate)", causes: refusedAfterHandshakeCauses(), fix: ftpHungUpFix},
		{source: "ProFTPD", re: re(`mod_tls/[\d.]+\[[^\]\n]*\]: TLSv[\d.]+ connection accepted, using cipher [^\n]*\n[^\n]*\bFTP session closed\.`), side: ftpHungUpSide, meaning: "the client completed the TLS handshake on the control connection and closed the session without a command: it refused the server's certificate after the handshake, most often its name (curl checks the name after the handshake, GnuTLS clients such as lftp the whole certificate)", causes: refusedAfterHandshakeCauses(), fix: ftpHungUpFix},
		// ProFTPD 1.3.8's mod_tls (round 47) logs the OpenSSL error of a
		// failed handshake (read by the library's own patterns) and, when
		// its certificate and key do not load, refuses every session.
		{source: "ProFTPD", re: re(`mod_tls\.c: error initializing session|error initializing OpenSSL context for this session`), side: "printed by ProFTPD for each session: mod_tls could not set up TLS with its certificate and key (the line before says why), so it closes every session before its greeting", meaning: "ProFTPD's mod_tls cannot load TLSRSACertificateFile / TLSECCertificateFile and their key (missing, unreadable, not the certificate's key): it starts, but closes every session before the 220 greeting", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}},
		// CUPS 2.4's cupsd (GnuTLS, round 56) reads its certificate and
		// key from ServerKeychain as ServerName.crt and .key; when they
		// are not there it makes a self-signed pair (CreateSelfSignedCerts,
		// its default) or, without that, fails every handshake reading
		// the files (measured).
		{source: "CUPS", re: re(`Unable to encrypt connection: Error while reading file\.?`), side: "printed by cupsd: it could not read the certificate or key of its keychain for the handshake", meaning: "cupsd found no readable ServerName.crt / ServerName.key in its ServerKeychain (with CreateSelfSignedCerts No; with Yes it serves a self-signed certificate it makes instead), so every TLS handshake fails", causes: []string{cause.LoadFailed}, rules: []string{"file-missing", "file-unreadable", "file-invalid"}, fix: "put the certificate and key in ServerKeychain (cups-files.conf; /etc/cups/ssl by default) named after ServerName (cupsd.conf): NAME.crt and NAME.key, readable by root; cupsd ignores the name the client sends (SNI)"},
		// lpstat (libcups) says only this for any failure to reach the
		// scheduler, TLS included (measured against a cupsd failing
		// every handshake and one refusing TLS 1.2, round 56).
		{source: "CUPS", re: re(`(?m)^scheduler is not running$`), side: sideClientSees, meaning: "lpstat could not talk to cupsd: nothing listens there, or (with -E, encryption) the TLS handshake failed; lpstat does not say which", causes: []string{cause.Refused, cause.LoadFailed, cause.Version, cause.Reset}, fix: "`ipptool -tv ipps://HOST:PORT/ get-printers.test` prints the connection's error, and `tlscreds diagnose https://HOST:PORT/` names the TLS cause; the scheduler's error_log (LogLevel warn) shows \"Unable to encrypt connection: ...\" when TLS failed"},
		// uWSGI 2.0's HTTPS router loads --https's certificate and key
		// as it starts and exits when it cannot (measured: the key of
		// another certificate, a missing file, round 65); its words are
		// those of uwsgi-core 2.0.21's ssl code.
		{source: "uWSGI", re: re(`\[uwsgi-ssl\] unable to assign (key|certificate) \S+ for context "[^"\n]*"`), side: "printed by uWSGI as it starts: it could not load the certificate or key of an --https socket, and it exits before it listens", meaning: "uWSGI cannot use the $1 of its --https option (a key that is not the certificate's, a missing or unreadable file, not PEM): it exits, so clients get a refused connection", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "make --https ADDR,CERT,KEY the certificate (chain) and its own private key, readable by the user uWSGI runs as: `tlscreds lint` their directory names which, then start uWSGI again"},
		{source: "uWSGI", re: re(`\[uwsgi-ssl\] unable to set ssl verify locations \(([^)\n]*)\)`), side: "printed by uWSGI as it starts: it could not load the CA file of an --https socket (its fifth field)", meaning: "uWSGI cannot read $1, the CA file it verifies client certificates with (missing, unreadable or not PEM)", causes: []string{cause.LoadFailed}, rules: []string{"file-missing", "file-unreadable", "file-invalid"}, fix: "make the fifth field of --https (after !, which requires a client certificate) a readable PEM file of the CAs that issue client certificates"},
		// NRPE 4.1 (nrpe and check_nrpe, OpenSSL) says only that the
		// handshake failed, with SSL_get_error's number (1, SSL_ERROR_SSL)
		// and never OpenSSL's reason: nrpe logs it only with ssl_logging
		// 0x10 or 0x20, check_nrpe never (measured for every failure of
		// round 67: an unknown issuer, an expired certificate, a missing
		// intermediate, TLS 1.3 against TLS 1.2, a client certificate
		// missing or from another CA, a plain client). check_nrpe checks
		// the chain only with -A, and never the name.
		{source: "NRPE", re: re(`CHECK_NRPE: \(ssl_err != \d+\) Error - Could not complete SSL handshake with ([^:\s]+)`), side: "printed by check_nrpe: its TLS handshake with nrpe on $1 failed, and it does not say why", meaning: "check_nrpe's handshake failed: with -A it refused nrpe's certificate (an issuer not in -A's file, a chain without its intermediate, dates; it never checks the name), or nrpe refused its TLS version (ssl_version), its suites or its certificate (ssl_client_certs=2 and -C/-K)", causes: []string{cause.UnknownCA, cause.Expired, cause.MissingIntermediate, cause.Version, cause.ClientCertRequired, cause.ClientCertRejected, cause.NoSharedCipher}, fix: "see the reason: `tlscreds diagnose HOST:5666 --ca CA` (or openssl s_client -connect HOST:5666 -CAfile CA), or set ssl_logging=0x10 (0x20 for client certificates) in nrpe.cfg and read nrpe's log"},
		{source: "NRPE", re: re(`Error: \(!log_opts\) Could not complete SSL handshake with ([^:\s]+)`), side: "printed by nrpe: a client's TLS handshake failed, and nrpe at ssl_logging=0 does not say why", meaning: "a client's handshake with nrpe failed: most often the client refused nrpe's certificate (its issuer, a missing intermediate, dates), or nrpe refused the client's TLS version, its certificate (ssl_client_certs=2: none, or not issued by ssl_cacert_file), or a client without TLS (check_nrpe -n)", causes: []string{cause.UnknownCA, cause.Expired, cause.MissingIntermediate, cause.Version, cause.ClientCertRequired, cause.ClientCertRejected, cause.PlaintextToTLS}, fix: "set ssl_logging=0x10 (0x20 for client certificates) in nrpe.cfg: nrpe then logs OpenSSL's reason; or check its certificate from the client's side: `tlscreds diagnose HOST:5666 --ca CA`"},
		{source: "NRPE", re: re(`CHECK_NRPE: Error sending query to host\.?`), side: "printed by check_nrpe: the handshake completed, then sending its query failed", meaning: "nrpe closed the connection right after the handshake: a TLS 1.3 nrpe refuses the client's certificate (ssl_client_certs=2: none, or not issued by ssl_cacert_file) only after the handshake", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}, fix: "give check_nrpe a certificate nrpe trusts (-C CERT -K KEY, issued by a CA in nrpe's ssl_cacert_file), or set ssl_client_certs=0"},
		{source: "NRPE", re: re(`CHECK_NRPE: Receive header underflow - only -?\d+ bytes received \(4 expected\)\.?`), side: "printed by check_nrpe: nrpe closed the connection before its answer's header", meaning: "nrpe hung up instead of answering: a check_nrpe without TLS (-n) against an nrpe with TLS (or the reverse), or a TLS 1.3 nrpe that refused the client's certificate after the handshake", causes: []string{cause.PlaintextToTLS, cause.ClientCertRequired, cause.ClientCertRejected, cause.Reset}, fix: "use TLS on both sides (drop -n, or nrpe's -n / ssl settings), then give check_nrpe a certificate nrpe trusts if nrpe requires one (ssl_client_certs=2)"},
		// Twisted checks its ssl: endpoint's privateKey against certKey
		// as it starts and exits with this (measured: twist web 22.4,
		// round 68).
		{source: "Twisted", re: re(`(?:twisted\.internet\.error\.)?VerifyError: Certificate public and private keys do not match\.?`), side: "printed by Twisted as it starts: the ssl: endpoint's privateKey is not the key of its certKey, and it exits", meaning: "the private key Twisted was given (privateKey=) is not the key of its certificate (certKey=): Twisted exits before it listens, so clients get a refused connection", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}, fix: "give the endpoint the certificate's own key (privateKey=), its certificate (certKey=) and the intermediates (extraCertChain=): `tlscreds lint` their directory names the pair that matches"},
		// openconnect 9 (GnuTLS) names GnuTLS's verdict on the VPN
		// server's certificate (measured against ocserv 1.1, round 71:
		// "certificate expired", "certificate does not match hostname",
		// "signer not found").
		{source: "openconnect", first: true, re: re(`Server certificate verify failed: ([^\n]+)`), side: sideClientSees, meaning: "openconnect refused the VPN server's certificate: $1", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch}, refine: openconnectVerifyRefine, fix: "fix the server's certificate as the reason says (or give openconnect the CA that issued it: --cafile), then check it: `tlscreds diagnose https://HOST:PORT/ --ca CA`; --servercert pins a certificate instead of verifying it"},
		// ocserv 1.1 at -d 1 logs GnuTLS's error for a worker's failed
		// handshake: a client that refused ocserv's certificate hangs
		// up, which GnuTLS reads as its pull failing; a client
		// certificate ocserv refuses is "Error in the certificate"
		// (measured, round 71).
		{source: "ocserv", re: re(`GnuTLS error \(at worker-vpn\.c:\d+\): Error in the pull function\.?`), side: sideServerRefused, meaning: "the client hung up during the handshake without an alert: it refused ocserv's certificate (an issuer it does not trust, a missing intermediate, another name, dates: the client's own output says which)", causes: serverCertRefusedCauses(), fix: "check ocserv's certificate as its clients do: `tlscreds diagnose https://HOST:PORT/ --ca CLIENT-CA`; server-cert should hold the certificate and its intermediates"},
		{source: "ocserv", re: re(`GnuTLS error \(at worker-vpn\.c:\d+\): Error in the certificate\.?`), side: sideServerSees, meaning: "ocserv refused the client's certificate: its issuer is not ocserv's ca-cert, or it is expired or revoked (auth = \"certificate\")", causes: []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}, fix: "give the client a certificate issued by the CA in ocserv's ca-cert (openconnect -c CERT -k KEY), valid and not revoked"},
		// Mongrel2 1.12 (mbedTLS 2.28) logs mbedTLS's bare error number
		// for a failed handshake (measured, round 72).
		{source: "Mongrel2", re: re(`Handshake failed with error code: (-\d+)`), side: sideServerSees, meaning: "Mongrel2's handshake failed with mbedTLS error $1", causes: []string{cause.Alert}, refine: mbedtlsServerCodeRefine},
		// Kamailio 5.6's tls module (OpenSSL) logs OpenSSL's error
		// queue after its own words: "TLS accept:" for a client's
		// handshake (its verdict on a certificate is the client's), and
		// load_cert() / load_private_key() as it starts, after which it
		// exits (measured, round 66).
		{source: "Kamailio", re: re(`TLSs<[^>\n]*>: Unable to load (certificate|private key)(?: file)? '([^'\n]*)'`), side: "printed by Kamailio's tls module as it starts: it could not load a TLS domain's certificate or key, and Kamailio exits", meaning: "Kamailio cannot use the $1 $2 of its tls.cfg (a missing or unreadable file, a key that is not the certificate's: the error line after it says which): it exits, so clients get a refused connection", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "make tls.cfg's certificate the certificate (chain) and private_key its own key, readable by Kamailio's user: `tlscreds lint` their directory, then start Kamailio again"},
		// sipsak 0.9.8 (GnuTLS) checks the server's certificate at -vvv
		// and says "not trustworthy" for any verdict, then "hasn't got a
		// known issuer" only for an unknown one (measured: an expired
		// certificate prints the first line alone, round 66).
		{source: "sipsak", re: re(`The server certificate's owner does not match hostname '([^'\n]*)'`), side: sideClientSees, meaning: "the server's certificate does not name $1, the host sipsak asked for", causes: []string{cause.NameMismatch, cause.CNOnly}},
		{source: "sipsak", re: re(`The certificate is not trustworthy\.?`), side: sideClientSees, meaning: "GnuTLS refused the server's certificate; sipsak adds \"hasn't got a known issuer\" when that is why, so without it the certificate is out of its validity period or signed with an algorithm GnuTLS refuses", causes: []string{cause.Expired, cause.NotYetValid, cause.Weak, cause.UnknownCA}, refine: sipsakTrustRefine},
		{source: "sipsak", re: re(`send to: TCP:[^\n]*\n(?:[^\n]*\n)*?nothing received, select returned error`), side: sideClientSees, meaning: "sipsak sent its SIP request in plain TCP and the server closed without an answer: the port speaks TLS (sipsak's --transport=tls, a sips: URI)", causes: []string{cause.PlaintextToTLS, cause.Reset}},
		// Icecast 2.4 loads <ssl-certificate> (certificate and key in
		// one PEM file) as it starts; when it cannot, it warns and goes
		// on serving plain HTTP on its ssl listen-sockets, so TLS
		// clients wait until their own timeout (measured: Icecast 2.4.4,
		// round 64).
		// Apache Traffic Server 9.2 (round 75) checks its certificate's
		// dates as it loads ssl_multicert.config (CheckServerCertNow:
		// "invalid certificate PATH: certificate expired", "notBefore date
		// is in the future") and refuses it; with no other certificate it
		// exits ("FATAL: failed to load SSL certificate file"), so its
		// clients find nothing listening.
		{source: "Apache Traffic Server", re: re(`invalid certificate \S+: certificate expired`), side: "printed by Apache Traffic Server as it loads ssl_multicert.config: its own certificate has expired", meaning: "Traffic Server refused the certificate ssl_multicert.config names because its notAfter date has passed; with no other certificate it exits as it starts (FATAL: failed to load SSL certificate file), and clients find nothing listening on its TLS port", causes: []string{cause.Expired, cause.LoadFailed}, rules: []string{"cert-expired"}, fix: "renew the certificate ssl_multicert.config names (ssl_cert_name) and restart traffic_server; `tlscreds lint` the directory first"},
		{source: "Apache Traffic Server", re: re(`invalid certificate \S+: notBefore date is in the future`), side: "printed by Apache Traffic Server as it loads ssl_multicert.config: its own certificate is not valid yet", meaning: "Traffic Server refused the certificate ssl_multicert.config names because its notBefore date is still ahead (or this host's clock is behind); with no other certificate it exits as it starts, and clients find nothing listening on its TLS port", causes: []string{cause.NotYetValid, cause.LoadFailed}, rules: []string{"cert-not-yet-valid"}, fix: "check this host's clock (timedatectl), or issue a certificate valid from now and restart traffic_server"},
		{source: "Icecast", re: re(`get_ssl_certificate Invalid (?:cert|private key) file \S+|get_ssl_certificate No SSL capability on any configured ports`), side: "printed by Icecast as it starts: it could not load its <ssl-certificate> file, and serves its ssl ports in plain HTTP", meaning: "Icecast cannot use the certificate and key in <ssl-certificate> (one PEM file holding both: a missing or unreadable file, a key that is not the certificate's): it starts anyway and speaks plain HTTP on the ports with <ssl>1</ssl>, so TLS clients' handshakes hang until they time out", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "make <ssl-certificate> one PEM file with the certificate (chain) and its private key, readable by the user Icecast changes to: `tlscreds lint` the directory, then restart Icecast"},
		// Murmur 1.3 (Mumble's server, round 55) exits at start when its
		// sslCert and sslKey do not load: "Failed to find certificate
		// matching private key." for another certificate's key, "Failed
		// to read FILE" for a key it may not read, then "Failed to load
		// SSL settings." (measured): clients see a refused connection.
		{source: "Murmur", re: re(`MetaParams: (?:Failed to find certificate matching private key\.?|Failed to read \S+|Failed to load SSL settings\.?[^\n]*)`), side: "printed by murmurd as it starts: it could not load sslCert / sslKey, and it exits before it listens", meaning: "murmurd cannot use its certificate and key (a key that is not the certificate's, a file it may not read, not PEM): it exits, so clients get a refused connection", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}, fix: "make sslCert the certificate (chain) and sslKey its private key, readable by the user murmurd runs as (mumble-server): `tlscreds lint DIR` names which; murmurd generates its own self-signed certificate only when sslCert is not set at all"},
		// memcached 1.6 (-Z, round 54) tries the TLS handshake once, as
		// it accepts a connection, and logs with -v only a failure at
		// that first try: SSL_ERROR_SSL ("error code : 1") with errno 0.
		// What fails there is what the client sent by then: a ClientHello
		// it refuses (measured: a TLS 1.2 client against
		// ssl_min_version=3), plain text, or the alert of a client that
		// refused its certificate (measured in a whole replay: a chain
		// without its intermediate). A handshake that fails later is not
		// logged at all.
		{source: "memcached", re: re(`SSL connection failed with error code : 1 : \w[^\n]*`), side: sideServerSees, meaning: "memcached's TLS handshake with a client failed at its first try, as it accepted the connection: a TLS version or suites its ssl_min_version / ssl_ciphers exclude, a client speaking plain text to the TLS port, or a client's alert refusing memcached's certificate (memcached logs nothing of handshakes that fail later)", causes: []string{cause.Version, cause.NoSharedCipher, cause.PlaintextToTLS, cause.UnknownCA, cause.MissingIntermediate, cause.Expired, cause.NameMismatch}, fix: "compare the client's TLS versions with memcached's -o ssl_min_version (0 TLS 1.0 ... 3 TLS 1.3; 1.6.18 takes the number only) and ssl_ciphers; `tlscreds diagnose HOST:PORT` names the versions and suites the server accepts"},
		// A server that looks up its client's address after the client
		// has gone: the client closed right after connecting, as a TLS
		// client does once it refuses the server's certificate
		// (measured: memcached 1.6 -v, a client refusing a chain without
		// its intermediate, round 54).
		{source: "libc", re: re(`getpeername: Transport endpoint is not connected`), side: "printed by a server: the client had closed the connection before the server looked at it", meaning: "a client connected and left at once: most often a TLS client that refused the server's certificate and closed (its own error says why), or a port check", causes: []string{cause.UnknownCA, cause.MissingIntermediate, cause.NameMismatch, cause.Expired, cause.Reset}, fix: "read the client's error, or check the server's certificate from the client's side: `tlscreds diagnose HOST:PORT --ca CLIENT-CA-FILE`"},
		// QEMU 7.2 logs nothing of a failed handshake on a TLS chardev, on
		// either end (round 51): a client QEMU's chardev reads as
		// disconnected in `info chardev` (HMP) or query-chardev (QMP).
		{source: "QEMU", re: re(`(?m)^\w[\w-]*: filename=disconnected:tcp:\S+`), side: "printed by QEMU's info chardev: the chardev socket is not connected; QEMU logs nothing of a failed TLS handshake on a chardev, on either end", meaning: "the chardev's connection was closed: with tls-creds, most often its TLS session failed, the client refusing the server's certificate (an unknown issuer, another name, expired, a missing intermediate) or the server refusing the client (no certificate with verify-peer=on, one from another CA, a DN its tls-authz denies), or no TLS version in common", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired, cause.MissingIntermediate, cause.ClientCertRequired, cause.ClientCertRejected, cause.AuthzDenied, cause.Version, cause.Reset}, fix: "QEMU 7.2 does not log why (measured); its trace events show where it failed (-trace 'qio_channel_tls_*' -trace 'qcrypto_tls_session_*': qio_channel_tls_handshake_fail for the handshake itself; qcrypto_tls_session_check_creds status=fail and qio_channel_tls_credentials_deny when QEMU refused the peer's certificate after it, measured with a client without a certificate against verify-peer=on), and `tlscreds diagnose HOST:PORT --creds CLIENT-DIR` from the client's side names the check that fails"},
		// OpenSMTPD 6.8 (Debian 12's, round 49) fails every TLS handshake
		// under OpenSSL 3 as it signs with its private key (with -v it
		// logs "missing private key"), whatever the certificate: an
		// internal_error alert to the client.
		{source: "OpenSMTPD", re: re(`disconnected reason="io-error: [^"\n]*SSL routines::EVP lib"`), side: "printed by OpenSMTPD's smtpd: its TLS handshake failed inside OpenSSL's crypto layer (EVP), on its own side", meaning: "smtpd could not complete the handshake's signature with its private key: OpenSMTPD 6.8 (Debian 12's) does so under OpenSSL 3 with every certificate and key (measured: RSA and ECDSA; with -v it logs \"missing private key\"), and its clients get an internal_error alert", causes: []string{cause.ServerError, cause.LoadFailed}, rules: []string{}, fix: "OpenSMTPD 6.8 cannot serve TLS with OpenSSL 3 (upstream issues 1171 and 1239): run OpenSMTPD 7 or later, or another MTA; the certificate and key are not at fault (tlscreds lint DIR checks them)"},
		// Squid 5.7 (squid-openssl, round 48) logs a failed TLS accept
		// at its default level without the reason: the 0x...*1 is an
		// error detail's address and count. debug_options 83,7 logs
		// OpenSSL's code ("ErrorDetail: got 0xa000418", measured).
		{source: "Squid", re: re(`ERROR: failure while (?:SslBump-)?accepting a TLS connection on conn\w*`), side: "printed by Squid: the TLS handshake with a client of its https_port failed; at its default debug level Squid does not log why (the 0x...*1 after it is no error code)", meaning: "a client's TLS handshake with Squid failed: most often the client refused Squid's certificate (its own output says why), else no TLS version in common, a client certificate that clientca= requires and the client did not send, or a client that does not speak TLS", causes: append(serverCertRefusedCauses(), cause.Version, cause.ClientCertRequired, cause.PlaintextToTLS, cause.Reset), fix: "read the client's error; to have Squid log the reason, set debug_options ALL,1 83,7: cache.log then shows OpenSSL's error code (\"ErrorDetail: got 0xa000418\"), which `openssl errstr a000418` names (tlsv1 alert unknown ca: the client refused the certificate)"},
		{source: "Squid", re: re(`FATAL: No valid signing certificate configured for HTTPS?_port`), side: "printed by Squid as it starts: it could not use the certificate and key of an https_port, and it exits", meaning: "Squid cannot use https_port's tls-cert and tls-key (cert= and key= before Squid 4): the key is not the certificate's, or a file is missing, unreadable or not PEM; Squid does not start", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch", "file-missing", "file-unreadable", "file-invalid"}},
	}
}

// digPlainRefine: where the output shows the client spoke TLS (kdig's
// and dig's TLS lines), a closed connection is not a plain query to a
// TLS port.
func digPlainRefine(e *Explanation, _ []string, text string) bool {
	if dnsClientSpokeTLS.MatchString(text) {
		e.Causes = []string{cause.Reset, cause.NotTLS, cause.Truncated}
	}
	return true
}

var dnsClientSpokeTLS = lazyregexp.New(`;; WARNING: TLS|\+tls\b|TLS peer certificate`)

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
		{source: "rsyslog", re: re(`peer name not authorized,? -? *not permitted to talk to`), side: sideVerifier, meaning: "rsyslog (StreamDriverAuthMode x509/name) found none of the peer certificate's names among its permitted peers", causes: []string{cause.NameMismatch, cause.AuthzDenied}, fix: "make the peer's certificate carry a name in the permitted peers (StreamDriverPermittedPeers on the action, PermittedPeer on imtcp), or list the name it has", refine: byPrinterRefine(sideServerSees, "the receiver (imtcp, StreamDriver.Authmode x509/name) found none of the sender's certificate's names among its PermittedPeer list", []string{cause.AuthzDenied, cause.ClientCertRejected})},
		// omfwd's words for the receiver hanging up: a sender without
		// a certificate of its own (rsyslog warns that it has none) was
		// refused for that.
		// nsd_gtls's own words for an alert it received, without its
		// name: a sender that has no certificate (rsyslog warns that it
		// has none) was refused for that (measured: syslog-ng 3.38 with
		// peer-verify(required-trusted), round 58).
		{source: "rsyslog", re: re(`unexpected GnuTLS error -12 in nsd_gtls\.c:\d+: A TLS fatal alert has been received\.?`), side: sideClientSees, meaning: "the peer refused the TLS handshake with a fatal alert (rsyslog does not name it): a receiver that requires a certificate refuses a sender without one, or with one it does not trust", causes: []string{cause.ClientCertRejected, cause.ClientCertRequired, cause.NoSharedCipher, cause.Version}, refine: rsyslogSenderRefine},
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

// sipsakTrustRefine: sipsak prints "not trustworthy" for every verdict
// and the issuer's line after it only when the issuer is unknown.
func sipsakTrustRefine(e *Explanation, _ []string, text string) bool {
	switch {
	case strings.Contains(text, "hasn't got a known issuer"):
		e.Causes = []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}
	case strings.Contains(text, "has been revoked"):
		e.Causes = []string{cause.Revoked}
	}
	return true
}

// openconnectVerifyRefine reads openconnect's reason for refusing the
// server's certificate (GnuTLS's verify status, as openconnect words it).
func openconnectVerifyRefine(e *Explanation, sub []string, _ string) bool {
	why := strings.ToLower(sub[1])
	switch {
	case strings.Contains(why, "expired"):
		e.Causes = []string{cause.Expired}
	case strings.Contains(why, "not yet activated"):
		e.Causes = []string{cause.NotYetValid}
	case strings.Contains(why, "does not match hostname"):
		e.Causes = []string{cause.NameMismatch, cause.CNOnly}
	case strings.Contains(why, "revoked"):
		e.Causes = []string{cause.Revoked}
	case strings.Contains(why, "insecure algorithm"):
		e.Causes = []string{cause.Weak}
	case strings.Contains(why, "signer not found"):
		e.Causes = []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned}
	case strings.Contains(why, "signer not a ca"):
		e.Causes = []string{cause.CAInvalid}
	}
	return true
}

// mbedtlsServerCodes are mbedTLS 2.28's error numbers (ssl.h, x509.h) as
// a server that logs them meets them, with what each says there
// (measured with Mongrel2 1.12, round 72).
var mbedtlsServerCodes = map[string]struct {
	name, meaning string
	causes        []string
	fix           string // Mongrel2's own setting, where one is at fault
}{
	"-30592": {"MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE", "the client sent a fatal alert: it refused the server's certificate (an issuer it does not trust, a missing intermediate, another name, dates, or a signature made with a key that is not the certificate's); the client's own output says which", serverCertRefusedCauses(), ""},
	"-29824": {"MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE", "the server requires a client certificate and the client sent none", []string{cause.ClientCertRequired}, "give the client a certificate issued by a CA in Mongrel2's ssl.ca_chain, or drop ssl.verify_required if clients without certificates are intended"},
	"-9984":  {"MBEDTLS_ERR_X509_CERT_VERIFY_FAILED", "the server refused the client's certificate: its issuer is not in the server's CA chain, or it is expired or revoked", []string{cause.ClientCertRejected, cause.Expired, cause.Revoked}, "give the client a valid certificate issued by a CA in Mongrel2's ssl.ca_chain (or add its CA there)"},
	"-30976": {"MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO", "what the client sent is not a TLS ClientHello: a plain-text request (http://) on the TLS port", []string{cause.PlaintextToTLS, cause.NotTLS}, ""},
	"-27008": {"MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE", "no cipher suite the client offered is usable with the server's certificate and settings (a suite list for another key type, TLS versions apart)", []string{cause.NoSharedCipher, cause.Version}, "make Mongrel2's ssl_ciphers list suites for its certificate's key type (ECDHE-ECDSA for an ECDSA key), or drop the setting"},
	"-29312": {"MBEDTLS_ERR_SSL_CONN_EOF", "the client closed the connection during the handshake", []string{cause.Reset, cause.UnknownCA, cause.NameMismatch}, ""},
}

func mbedtlsServerCodeRefine(e *Explanation, sub []string, _ string) bool {
	c, ok := mbedtlsServerCodes[sub[1]]
	if !ok {
		return true
	}
	e.Meaning = "mbedTLS error " + sub[1] + " (" + c.name + "): " + c.meaning
	e.Causes = slices.Clone(c.causes)
	if c.fix != "" {
		e.Fix = c.fix
	}
	return true
}
