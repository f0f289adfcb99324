package diagnose

import (
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainPostgresStunnelAndPlainReads: PostgreSQL's and libpq's own
// words (read from Debian's postgres 15 and libpq 5 binaries, the first
// of each pair recorded in round 10), stunnel's client-mode log of a
// certificate request, servers that exited at start, and resets that the
// client names as reads without TLS.
func TestExplainPostgresStunnelAndPlainReads(t *testing.T) {
	checkHeadlines(t, []headlineCase{
		// The server requires a client certificate (pg_hba.conf cert);
		// its log and psql print the same FATAL.
		{"FATAL:  connection requires a valid client certificate", cause.ClientCertRequired, ""},
		{`psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  connection requires a valid client certificate`, cause.ClientCertRequired, ""},
		// postgres's log: the client's certificate did not verify.
		{"LOG:  could not accept SSL connection: certificate verify failed", cause.ClientCertRejected, cause.Revoked},
		// The client refused the server's certificate.
		{"LOG:  could not accept SSL connection: tlsv1 alert unknown ca", cause.UnknownCA, cause.MissingIntermediate},
		{"LOG:  could not accept SSL connection: EOF detected", cause.Reset, ""},
		// Its own files, at start: it does not start.
		{"FATAL:  private key file \"/var/lib/postgresql/server.key\" has group or world access\nDETAIL:  File must have permissions u=rw (0600) or less if owned by the database user, or permissions u=rw,g=r (0640) or less if owned by root.\nLOG:  database system is shut down", cause.LoadFailed, ""},
		{`FATAL:  private key file "server.key" must be owned by the database user or root`, cause.LoadFailed, ""},
		{`FATAL:  could not load server certificate file "server.crt": No such file or directory`, cause.LoadFailed, ""},
		{`LOG:  could not load root certificate file "root.crt": No such file or directory`, cause.LoadFailed, ""},
		// The reason inside names the cause.
		{`FATAL:  could not load private key file "server.key": ee key too small`, cause.Weak, cause.LoadFailed},
		// cert authentication: the certificate is valid, the user is not it.
		{`FATAL:  certificate authentication failed for user "alice"`, cause.AuthzDenied, ""},
		{`FATAL:  certificate validation (clientcert=verify-full) failed for user "bob": CN mismatch`, cause.AuthzDenied, ""},
		// libpq about the client's own files.
		{`psql: error: connection to server at "db", port 5432 failed: certificate present, but not private key file "/root/.postgresql/postgresql.key"`, cause.LoadFailed, ""},
		{`psql: error: connection to server at "db", port 5432 failed: certificate does not match private key file "/root/.postgresql/postgresql.key": key values mismatch`, cause.LoadFailed, ""},
		{`psql: error: connection to server at "db", port 5432 failed: SSL connection has been closed unexpectedly`, cause.Reset, ""},
		// psql names no verify reason: an issuer not found first, the
		// intermediate the server does not send beside it.
		{`psql: error: connection to server at "127.0.0.1", port 5432 failed: SSL error: certificate verify failed`, cause.UnknownCA, cause.MissingIntermediate},
		// stunnel in client mode logs the CAs of the server's
		// certificate request: handshake_failure after it is a
		// certificate the server requires.
		{"LOG6[0]: Received trusted client CA: O=tlscreds test PKI, CN=tlscreds test CA\nLOG3[0]: SSL_connect: ../ssl/record/rec_layer_s3.c:1602: error:0A000410:SSL routines::sslv3 alert handshake failure", cause.ClientCertRequired, cause.NoSharedCipher},
		// Nothing listens: the server may have exited at start.
		{"Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)", cause.Refused, cause.LoadFailed},
		{"fatal: unable to access 'https://localhost:8443/repo.git/': Failed to connect to localhost port 8443 after 0 ms: Couldn't connect to server", cause.Refused, cause.LoadFailed},
		{`Get "https://localhost:8443/": dial tcp 127.0.0.1:8443: connect: connection refused`, cause.Refused, cause.LoadFailed},
		// A reset read without TLS: plain HTTP to a TLS port. The same
		// resets under TLS are the server's hang-up.
		{"curl: (56) Recv failure: Connection reset by peer", cause.PlaintextToTLS, cause.Reset},
		{"Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:218:20) {\n  errno: -104,", cause.PlaintextToTLS, cause.Reset},
		{"curl: (35) Recv failure: Connection reset by peer", cause.Reset, ""},
		{"Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:218:20) {\n  errno: -104,", cause.Reset, ""},
	})
}
