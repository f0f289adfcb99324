package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainReadsWhoPrinted holds explain's first cause on lines whose
// meaning turns on who printed them and when: recorded lines (from the
// tuned part of testdata/recordings) and lines as the programs' sources
// spell them (OpenSSL ssl_x509err2alert, nginx ngx_http_request.c and
// ngx_event_openssl.c, Go net/http's server log, GnuTLS's strerror).
func TestExplainReadsWhoPrinted(t *testing.T) {
	cases := []struct {
		name, text string
		first      string
		also       string // another cause that must be listed, or ""
		side       string // a text the first explanation's side must contain, or ""
	}{
		// Recorded: openssl s_server's log of the client's alert. A bare
		// OpenSSL error line does not say who printed it: the server's
		// reading leads, the client's follows.
		{"s_server, alert 45", "40B796C7F37F0000:error:0A000415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired:../ssl/record/rec_layer_s3.c:1602:SSL alert number 45",
			cause.Expired, cause.ClientCertRejected, "in a server's log, the client refused the server's certificate"},
		{"s_server, alert 43", "40D758A5DF7F0000:error:0A000413:SSL routines:ssl3_read_bytes:sslv3 alert unsupported certificate:../ssl/record/rec_layer_s3.c:1602:SSL alert number 43",
			cause.ServerEKU, cause.ClientCertRejected, ""},
		// OpenSSL clients send bad_certificate for a name that does not
		// match, Go clients for everything: the name leads.
		{"s_server, alert 42", "40C79596227F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/record/rec_layer_s3.c:1602:SSL alert number 42",
			cause.NameMismatch, cause.Weak, ""},
		{"s_server, alert 80", "40777BC7247F0000:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:../ssl/record/rec_layer_s3.c:1602:SSL alert number 80",
			cause.Version, cause.ServerError, ""},
		{"nginx, alert 48", "2026/12/04 17:09:12 [info] 23102#23102: *4 SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:PORT",
			cause.UnknownCA, cause.MissingIntermediate, "the client refused the server's certificate"},
		// Recorded: a client told its own certificate was refused, as
		// expired: its expiry is the cause, the refusal follows.
		{"curl, alert 45", "curl: (56) OpenSSL SSL_read: OpenSSL/3.0.22: error:0A000415:SSL routines::sslv3 alert certificate expired, errno 0",
			cause.Expired, cause.ClientCertRejected, "this client's own certificate"},
		// Recorded: s_server refused a revoked client certificate.
		{"s_server, client revoked", "depth=0 O = tlscreds test PKI, CN = client\nverify error:num=23:certificate revoked\n4047949E767F0000:error:0A000086:SSL routines:tls_process_client_certificate:certificate verify failed:../ssl/statem/statem_srvr.c:3530:",
			cause.Revoked, cause.ClientCertRejected, ""},
		// Recorded: socat's log of a hang-up and of its child killed.
		{"socat, EPIPE", "2026/12/04 17:10:14 socat[25281] E write(5, 0x562397ae9000, 7): Broken pipe", cause.Reset, "", ""},
		{"socat, child killed", "2026/12/04 17:10:16 socat[25296] E waitpid(): child 25305 exited on signal 9", cause.Truncated, "", "not a TLS failure"},

		// Measured: a TLS migration between two qemu-system-x86_64 7.2
		// (-machine none, migrate-set-parameters tls-creds, migrate).
		// The destination's log when the source refused its certificate
		// (tls-hostname not in it): the client refused the server.
		{"migration destination, source hung up", "qemu-system-x86_64: Cannot read from TLS channel: Input/output error\nqemu-system-x86_64: Cannot read from TLS channel: Input/output error\nqemu-system-x86_64: Not a migration stream\nqemu-system-x86_64: load of migration failed: Invalid argument",
			cause.UnknownCA, cause.NameMismatch, "the client"},
		{"migration source, host name", "qemu-system-x86_64: Certificate does not match the hostname db.example", cause.NameMismatch, "", ""},
		{"migration destination, source without a certificate", "qemu-system-x86_64: Verify failed: No certificate was found.", cause.ClientCertRequired, "", ""},
		{"migration destination, source without TLS", "qemu-system-x86_64: TLS handshake failed: An unexpected TLS packet was received.", cause.NotTLS, cause.PlaintextToTLS, ""},
		// Recorded (round 9): a source without TLS against a destination
		// with it, and a destination without TLS against a source with it.
		{"migration source without TLS", "query-migrate: {\"status\":\"failed\",\"error-desc\":\"Unable to write to socket: Connection reset by peer\"}\nqemu-system-x86_64: Unable to write to socket: Connection reset by peer", cause.PlaintextToTLS, cause.Reset, ""},
		{"migration destination without TLS", "qemu-system-x86_64: Not a migration stream\nqemu-system-x86_64: load of migration failed: Invalid argument", cause.NotTLS, "", ""},
		{"migration source, destination without TLS", "qemu-system-x86_64: TLS handshake failed: The TLS connection was non-properly terminated.", cause.Version, cause.NotTLS, ""},
		// A migration source whose own certificate is not issued by a
		// CA of its ca-cert.pem: QEMU refuses its own files.
		{"migration source, own certificate", "qemu-system-x86_64: Our own certificate /etc/pki/qemu/client-cert.pem failed validation against /etc/pki/qemu/ca-cert.pem: The certificate hasn't got a known issuer",
			cause.UnknownCA, "", "own files"},

		// As the sources spell them.
		{"Go server, EOF", "2026/12/05 08:00:00 http: TLS handshake error from 127.0.0.1:5555: EOF", cause.Reset, "", ""},
		{"Go server, client certificate unknown", "2026/12/05 08:00:00 http: TLS handshake error from 127.0.0.1:5555: tls: failed to verify certificate: x509: certificate signed by unknown authority",
			cause.ClientCertRejected, cause.UnknownCA, "the client's certificate"},
		{"Go server, client certificate expired", "http: TLS handshake error from 127.0.0.1:5555: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-05T08:00:00Z is after 2026-12-04T08:00:00Z",
			cause.Expired, cause.ClientCertRejected, "the client's certificate"},
		{"nginx, plain text to its TLS port", "2026/12/05 08:00:00 [info] 1#1: *3 SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking, client: 127.0.0.1, server: 0.0.0.0:443",
			cause.PlaintextToTLS, cause.NotTLS, ""},
		{"curl, plain text from the server", "curl: (35) OpenSSL/3.0.22: error:0A00010B:SSL routines::wrong version number", cause.NotTLS, "", ""},
		{"nginx, TLS to its plain port", "2026/12/05 08:00:00 [info] 1#1: *1 client sent invalid method while reading client request line, client: 127.0.0.1, server: localhost", cause.NotTLS, "", ""},
		{"nginx, client hung up", "2026/12/05 08:00:00 [info] 1#1: *3 peer closed connection in SSL handshake while SSL handshaking, client: 127.0.0.1", cause.Reset, "", ""},
		{"nginx, worker crashed", "2026/12/05 08:00:00 [alert] 1#1: worker process 1234 exited on signal 11 (core dumped)", cause.Truncated, "", ""},
		{"gnutls-serv, old client", "Error in handshake: A packet with illegal or unsupported version was received.", cause.Version, cause.NotTLS, ""},
		{"gnutls-cli, not TLS", "*** Fatal error: A packet with illegal or unsupported version was received.", cause.NotTLS, cause.Version, ""},
		{"Java, internal_error", "javax.net.ssl.SSLHandshakeException: Received fatal alert: internal_error", cause.Version, cause.ServerError, "the server failed inside its handshake"},
		{"nginx, key of another certificate", `2026/12/05 08:00:00 [emerg] 1#1: SSL_CTX_use_PrivateKey("/etc/nginx/k.pem") failed (SSL: error:05800074:x509 certificate routines::key values mismatch)`, cause.LoadFailed, "", "nginx about its own configuration"},
		{"nginx, key unreadable", `2026/12/05 08:00:00 [emerg] 1#1: cannot load certificate key "/etc/nginx/k.pem": BIO_new_file() failed (SSL: error:8000000D:system library::Permission denied:calling fopen(/etc/nginx/k.pem, r))`, cause.LoadFailed, "", ""},
		{"Apache's mod_ssl log, alert 48", "[ssl:info] [pid 1] SSL Library Error: error:0A000418:SSL routines::tlsv1 alert unknown ca (SSL alert number 48)", cause.UnknownCA, "", "the client refused the server's certificate"},
		{"gnutls-cli, alert 42", "*** Fatal error: A TLS fatal alert has been received.\n*** Received alert [42]: Certificate is bad", cause.ClientCertRejected, "", "this client's own certificate"},
		// nginx as a client of its upstream: the certificate refused is the
		// upstream server's; an alert it receives is about its own.
		{"nginx, upstream unknown CA", "2024/11/28 18:04:05 [error] 1280#0: *20004 upstream SSL certificate verify error: (20:unable to get local issuer certificate) while SSL handshaking to upstream, client: 192.168.194.1, server: kong",
			cause.UnknownCA, cause.MissingIntermediate, "refused the upstream server's certificate"},
		{"nginx, upstream name", `2026/12/05 08:00:00 [error] 1#1: *5 upstream SSL certificate does not match "backend.internal" while SSL handshaking to upstream`, cause.NameMismatch, "", ""},
		{"nginx, upstream refused its certificate", "2026/12/05 08:00:00 [error] 1#1: *5 SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking to upstream",
			cause.ClientCertRejected, "", "this client's own certificate"},
		// OpenSSL's function names say which side's state machine failed.
		{"s_server 1.1, client certificate expired", "verify error:num=10:certificate has expired\n139:error:1417C086:SSL routines:tls_process_client_certificate:certificate verify failed:../ssl/statem/statem_srvr.c:3729:",
			cause.Expired, cause.ClientCertRejected, ""},
		{"s_client 1.1, server certificate expired", "verify error:num=10:certificate has expired\n139:error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1915:",
			cause.Expired, "", ""},
		// OpenSSL 1.0's function names in capitals: a server's state.
		{"s_server 1.0, client certificate unknown", "verify error:num=20:unable to get local issuer certificate\n140:error:14089086:SSL routines:SSL3_GET_CLIENT_CERTIFICATE:certificate verify failed:s3_srvr.c:3288:",
			cause.ClientCertRejected, cause.UnknownCA, "the client's certificate"},
		{"wget", "ERROR: cannot verify h.example's certificate, issued by 'CN=Example CA':\n  Issued certificate has expired.\nTo connect to h.example insecurely, use `--no-check-certificate'.", cause.Expired, "", ""},
		{"git over https", "fatal: unable to access 'https://git.example/r.git/': SSL certificate problem: self-signed certificate", cause.SelfSigned, "", ""},
		// QEMU's broken TLS channel (io/channel-tls.c: GnuTLS's premature
		// termination as ECONNABORTED): the peer hung up after the
		// handshake. Recorded (round 4) from qemu-nbd 7.2's log and from
		// qemu-img 7.2 as its NBD client.
		{"qemu-nbd, client hung up", "qemu-nbd: option negotiation failed: Failed to read opts magic: Cannot read from TLS channel: Software caused connection abort",
			cause.UnknownCA, cause.NameMismatch, "the client hung up after the handshake"},
		{"qemu-img, server hung up", "qemu-img: Could not open 'driver=nbd,server.type=inet,server.host=localhost,server.port=PORT,export=disk0,tls-creds=tls0': Failed to read option reply: Cannot read from TLS channel: Software caused connection abort",
			cause.ClientCertRequired, cause.AuthzDenied, "refuse the client's certificate"},
		{"qemu-img, NBD server without TLS", "qemu-img: Could not open 'driver=nbd,server.type=inet,server.host=localhost,server.port=PORT,export=disk0,tls-creds=tls0': Denied by server for option 5 (starttls)\nserver reported: TLS not configured",
			cause.StartTLS, "", ""},
		{"qemu-nbd, client certificate from another CA", "qemu-nbd: option negotiation failed: Verify failed: No certificate was found.",
			cause.ClientCertRequired, cause.ClientCertRejected, ""},
		// Round 5 (recorded, measured held out, then read): Java names
		// the alert it sends before its reason; gnutls-cli that sent a
		// certificate with another certificate's key gets decrypt_error;
		// QEMU's client of a server with no TLS version in common sees a
		// hang-up during the handshake.
		{"Java, unknown critical extension", "javax.net.ssl.SSLHandshakeException: (certificate_unknown) PKIX path validation failed: java.security.cert.CertPathValidatorException: unrecognized critical extension(s)",
			cause.CertInvalid, "", ""},
		{"Java, CA without keyCertSign", "javax.net.ssl.SSLHandshakeException: (certificate_unknown) PKIX path validation failed: java.security.cert.CertPathValidatorException: CA key usage check failed: keyCertSign bit is not set",
			cause.CAInvalid, "", ""},
		{"gnutls-cli, key of another certificate", "- Status: The certificate is trusted. \n- Successfully sent 1 certificate(s) to server.\n*** Received alert [51]: Decrypt error", cause.LoadFailed, "", ""},
		{"qemu-img, no common version", "qemu-img: Could not open 'driver=nbd,server.type=inet,server.host=localhost,server.port=PORT,export=disk0,tls-creds=tls0': TLS handshake failed: The TLS connection was non-properly terminated.",
			cause.Version, cause.NoSharedCipher, ""},
		{"nginx, client gave up", "2026/12/05 22:40:09 [info] 150#150: *2 client closed connection while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:PORT", cause.Reset, cause.LoadFailed, ""},
		// Round 6 (libvirt 9.0, recorded, measured held out, then read).
		{"virsh, libvirtd refused the client", "error: failed to connect to the hypervisor\nerror: Unable to read TLS confirmation: Input/output error", cause.ClientCertRequired, cause.Revoked, "libvirtd closed the connection"},
		{"libvirtd, client hung up", "2026-12-05 22:44:24.121+0000: 145: info : virNetTLSContextValidCertificate:1057 : RPC_TLS_CONTEXT_SESSION_ALLOW: ctxt=0x5631276ad0f0 sess=0x7fa3d000b740 dname=O=tlscreds test PKI,CN=client\n2026-12-05 22:44:24.122+0000: 145: error : virNetSocketReadWire:1778 : Cannot recv data: Input/output error",
			cause.UnknownCA, cause.NameMismatch, "the client hung up after the handshake"},
		{"virsh, expired server certificate", "warning : virNetTLSContextCheckCertificate:1086 : Certificate check failed Certificate failed validation: The certificate is not trusted.\nerror: failed to connect to the hypervisor\nerror: authentication failed: Failed to verify peer's certificate", cause.Expired, "", ""},
		{"libvirtd, client sent no certificate", "warning : virNetTLSContextCheckCertificate:1086 : Certificate check failed Unable to verify TLS peer: No certificate was found.\n2026-12-05 22:44:24.145+0000: 147: error : virNetTLSContextCheckCertificate:1088 : authentication failed: Failed to verify peer's certificate\n2026-12-05 22:44:24.145+0000: 147: debug : daemonRemoveAllClientStreams:519 : stream=(nil)",
			cause.ClientCertRequired, cause.ClientCertRejected, ""},
		{"gnutls-cli, refused after sending a certificate", "- Successfully sent 1 certificate(s) to server.\n- Handshake was completed\n\n*** Fatal error: Error in the pull function.\n*** Server has terminated the connection abnormally.", cause.ClientCertRejected, cause.Revoked, ""},
		{"bare alert name", "bad_certificate", cause.NameMismatch, cause.ClientCertRejected, ""},
		{"bare alert number", "alert 46", cause.UnknownCA, cause.ClientCertRejected, ""},
	}
	for _, c := range cases {
		es := Explain(c.text)
		h := Headline(es)
		if len(h) == 0 || h[0] != c.first {
			t.Errorf("%s: causes %v, want %s first", c.name, h, c.first)
			continue
		}
		if c.also != "" && !slices.Contains(h, c.also) {
			t.Errorf("%s: causes %v, want %s among them", c.name, h, c.also)
		}
		if c.side != "" && !slices.ContainsFunc(es, func(e Explanation) bool { return strings.Contains(e.Side, c.side) }) {
			t.Errorf("%s: no explanation's side says %q: %+v", c.name, c.side, es)
		}
	}
}

// TestExplainTellApartNBD: the command that tells causes apart speaks NBD
// when the text comes from an NBD server or client, and only then.
func TestExplainTellApartNBD(t *testing.T) {
	for _, c := range []struct {
		text string
		nbd  bool
	}{
		{"qemu-nbd: option negotiation failed: Verify failed: No certificate was found.", true},
		{"qemu-img: Could not open 'driver=nbd,server.type=inet,tls-creds=tls0': Failed to read option reply: Cannot read from TLS channel: Software caused connection abort", true},
		{"error: Cannot write to TLS channel: Input/output error", false},
		{"curl: (60) SSL certificate problem: unable to get local issuer certificate", false},
	} {
		var b strings.Builder
		es := Explain(c.text)
		if err := WriteExplainTable(&b, es); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "to tell them apart: tlscreds diagnose HOST:PORT") {
			t.Errorf("%q: no diagnose command to tell the causes apart:\n%s", c.text, out)
			continue
		}
		if got := strings.Contains(out, "HOST:PORT --starttls nbd"); got != c.nbd {
			t.Errorf("%q: --starttls nbd in the commands = %v, want %v:\n%s", c.text, got, c.nbd, out)
		}
	}
}

// TestExplainOtherStacks: stacks the recorder does not run. The Node.js
// lines were printed by Node 20.20 (its bundled OpenSSL 3.0) against
// openssl s_server serving tlscreds gen's broken sets (2026-12-05); the
// others are worded as their sources print them (.NET SslStream's
// SR strings, rustls's Error Display, libpq's fe-secure-common.c, the
// browsers' error codes).
func TestExplainOtherStacks(t *testing.T) {
	for _, c := range []struct {
		text, first, also string
	}{
		{"Error: unable to verify the first certificate\n  code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'", cause.MissingIntermediate, cause.UnknownCA},
		{"Error: certificate has expired\n  code: 'CERT_HAS_EXPIRED'", cause.Expired, ""},
		{"Error: certificate is not yet valid\n  code: 'CERT_NOT_YET_VALID'", cause.NotYetValid, ""},
		{"Error: self-signed certificate\n  code: 'DEPTH_ZERO_SELF_SIGNED_CERT'", cause.SelfSigned, ""},
		{"Error: unsuitable certificate purpose\n  code: 'INVALID_PURPOSE'", cause.ServerEKU, cause.CAInvalid},
		{"Error: Hostname/IP does not match certificate's altnames: Host: db.example. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1\n  code: 'ERR_TLS_CERT_ALTNAME_INVALID'", cause.NameMismatch, ""},
		{"Error: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: \n  code: 'ERR_TLS_CERT_ALTNAME_INVALID'", cause.NameMismatch, ""},
		{"Error: Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: cn-only.example\n  code: 'ERR_TLS_CERT_ALTNAME_INVALID'", cause.NameMismatch, cause.CNOnly},
		{"X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", cause.UnknownCA, cause.MissingIntermediate},
		{"The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch, RemoteCertificateChainErrors", cause.NameMismatch, cause.UnknownCA},
		{"The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", cause.UnknownCA, cause.SelfSigned},
		{"The remote certificate is invalid because of errors in the certificate chain: NotTimeValid", cause.Expired, cause.NotYetValid},
		{"Authentication failed because the remote party sent a TLS alert: 'HandshakeFailure'.", cause.NoSharedCipher, ""},
		{"invalid peer certificate: UnknownIssuer", cause.UnknownCA, cause.MissingIntermediate},
		{`invalid peer certificate: certificate not valid for name "wrong.host.badssl.com"; certificate is only valid for DnsName("*.badssl.com")`, cause.NameMismatch, ""},
		{"invalid peer certificate: CertNotValidForName", cause.NameMismatch, ""},
		{"received fatal alert: CertificateRequired", cause.ClientCertRequired, ""},
		{`psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: server certificate for "localhost" does not match host name "db"`, cause.NameMismatch, ""},
		{"psql: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: server does not support SSL, but SSL was required", cause.StartTLS, ""},
		// libpq is a client: an alert it received is about its own
		// certificate.
		{`psql: error: connection to server at "127.0.0.1", port 5432 failed: SSL error: tlsv1 alert unknown ca`, cause.ClientCertRejected, ""},
		{`psql: error: connection to server at "127.0.0.1", port 5432 failed: SSL SYSCALL error: EOF detected`, cause.Reset, ""},
		{"SEC_ERROR_UNKNOWN_ISSUER", cause.UnknownCA, cause.MissingIntermediate},
		{"SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", cause.Expired, ""},
		{"NET::ERR_CERT_COMMON_NAME_INVALID", cause.NameMismatch, cause.CNOnly},
		{"ERR_SSL_VERSION_OR_CIPHER_MISMATCH", cause.NoSharedCipher, cause.Version},

		// wget built with GnuTLS (Debian 12's 1.21.3), as its binary
		// spells the status lines and recorded (round 7).
		{"ERROR: The certificate of \u2018localhost\u2019 is not trusted.\nERROR: The certificate of \u2018localhost\u2019 doesn't have a known issuer.", cause.UnknownCA, cause.MissingIntermediate},
		{"ERROR: The certificate of 'db.example' is not trusted.\nERROR: The certificate of 'db.example' has been revoked.", cause.Revoked, ""},
		{"ERROR: The certificate signer of 'db.example' was not a CA.", cause.CAInvalid, ""},
		{"ERROR: The certificate of 'db.example' is not trusted.\nERROR: The certificate of 'db.example' was signed using an insecure algorithm.", cause.Weak, ""},
		{"ERROR: The certificate of \u2018localhost\u2019 is not trusted.\nERROR: The certificate of \u2018localhost\u2019 is not yet activated.\nThe certificate has not yet been activated", cause.NotYetValid, ""},
		{"The certificate's owner does not match hostname \u2018127.0.0.1\u2019", cause.NameMismatch, ""},
		// A client's received alert, however it capitalises it.
		{"Connecting to localhost (localhost)|127.0.0.1|:443... connected.\nGnuTLS: A TLS fatal alert has been received.\nGnuTLS: received alert [40]: Handshake failed\nUnable to establish SSL connection.", cause.NoSharedCipher, cause.Version},
		{"GnuTLS: received alert [116]: Certificate is required\nUnable to establish SSL connection.", cause.ClientCertRequired, ""},
		{"HTTP request sent, awaiting response... Read error (The TLS connection was non-properly terminated.) in headers.\nGiving up.", cause.Truncated, ""},
		// Node.js 20 (round 7).
		{"Error: socket hang up\n    at TLSSocket.socketOnEnd (node:_http_client:528:25) {\n  code: 'ECONNRESET'\n}", cause.Truncated, cause.Reset},
		// Measured (Node.js 20.20.2, a server that closes after reading
		// the ClientHello): a hang-up during the handshake.
		{"Error: Client network socket disconnected before secure TLS connection was established\n    at TLSSocket.onConnectEnd (node:_tls_wrap:1752:19) {\n  code: 'ECONNRESET',", cause.Reset, ""},
		{"Error: write EPROTO 80ACA876A77F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 40\n\n    at WriteWrap.onWriteComplete [as oncomplete] (node:internal/stream_base_commons:95:16) {\n  code: 'EPROTO'", cause.NoSharedCipher, cause.Version},
		// A name check against an IP address: the client sent no SNI, so
		// a server choosing its certificate by SNI sent its default one
		// (round 8's openssl-sni-default-cert).
		{"Get \"https://127.0.0.1:8443/\": tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs", cause.NameMismatch, cause.SNIDependent},
		{"fatal: unable to access 'https://127.0.0.1:8443/repo.git/': SSL: certificate subject name (db.example) does not match target host name '127.0.0.1'", cause.NameMismatch, cause.SNIDependent},
		// git over https: Debian's libcurl with GnuTLS (round 8).
		{"fatal: unable to access 'https://h:8443/repo.git/': gnutls_handshake() failed: The server name sent was not recognized", cause.UnrecognizedName, ""},
		{"fatal: unable to access 'https://h:8443/repo.git/': gnutls_handshake() failed: Certificate was revoked", cause.Revoked, cause.ClientCertRejected},
		{"fatal: unable to access 'https://h:8443/repo.git/': gnutls_handshake() failed: Certificate is not supported", cause.ClientCertRejected, ""},
		{"fatal: unable to access 'https://h:8443/repo.git/': gnutls_handshake() failed: Handshake failed", cause.NoSharedCipher, cause.Version},
		{"fatal: unable to access 'https://h:8443/repo.git/': GnuTLS recv error (-12): A TLS fatal alert has been received.", cause.ClientCertRequired, cause.ClientCertRejected},
		{"fatal: unable to access 'https://h:8443/repo.git/': server certificate verification failed. CAfile: /etc/ssl/certs/ca-certificates.crt CRLfile: none", cause.UnknownCA, cause.Expired},
		// Not an alert name: GnuTLS's own error, read as such.
		{"fatal: unable to access 'https://h:8443/repo.git/': gnutls_handshake() failed: The TLS connection was non-properly terminated.", cause.Reset, ""},
		{"Failed writing HTTP request: The specified session has been invalidated for some reason..\nGiving up.", cause.ClientCertRequired, cause.ClientCertRejected},
		// Python requests is a client: an alert it received is about its
		// own certificate; socat's SSL_accept() is a server.
		{"requests.exceptions.SSLError: HTTPSConnectionPool(host='localhost', port=8443): Max retries exceeded with url: / (Caused by SSLError(SSLError(1, '[SSL: SSLV3_ALERT_UNSUPPORTED_CERTIFICATE] sslv3 alert unsupported certificate (_ssl.c:1006)')))", cause.ClientCertRejected, ""},
		{"2026/12/06 03:10:49 socat[306] E SSL_accept(): error:0A000086:SSL routines::certificate verify failed", cause.ClientCertRejected, ""},
		// Plain HTTP to a TLS port: the answer is a TLS record.
		{"Error: Parse Error: Expected HTTP/, RTSP/ or ICE/\n  code: 'HPE_INVALID_CONSTANT',\n  rawPacket: <Buffer 15 03 03 00 02 02 0a>", cause.PlaintextToTLS, ""},
		{`Get "http://localhost:8443/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "\x15\x03\x03\x00\x02\x02"`, cause.PlaintextToTLS, ""},
		{"curl: (1) Received HTTP/0.9 when not allowed", cause.PlaintextToTLS, ""},
		{"http.client.BadStatusLine: \x15\x03\x03\x00\x02\x02\n", cause.PlaintextToTLS, ""},
		// TLS to a plain port, in the plain server's log (Python's
		// http.server, recorded in round 7).
		{`127.0.0.1 - - [06/Dec/2026 02:38:15] code 400, message Bad request version ("b\x05\x00>")` + "\n" + `127.0.0.1 - - [06/Dec/2026 02:38:15] "\x16\x03\x01\x016\x01\x00\x012\x03\x03py" 400 -`, cause.NotTLS, ""},
	} {
		h := Headline(Explain(c.text))
		if len(h) == 0 || h[0] != c.first {
			t.Errorf("%q: causes %v, want %s first", c.text, h, c.first)
			continue
		}
		if c.also != "" && !slices.Contains(h, c.also) {
			t.Errorf("%q: causes %v, want %s among them", c.text, h, c.also)
		}
	}
	// Names inside longer words are not codes.
	for _, text := range []string{"MY_CERT_HAS_EXPIRED_FLAG", "invalid peer certificate: Frobnicated"} {
		if es := Explain(text); len(es) > 0 {
			t.Errorf("%q read as %+v", text, es)
		}
	}
}
