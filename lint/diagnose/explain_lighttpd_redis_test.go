package diagnose

import (
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainLighttpdRedisAndEmptyReplies: lighttpd's and Redis's logs
// (measured in round 12), redis-cli's reset, and a server that closed
// after the request without a reply as more clients word it, read by
// the URL or socket they name.
func TestExplainLighttpdRedisAndEmptyReplies(t *testing.T) {
	checkHeadlines(t, []headlineCase{
		{"(mod_openssl.c.1701) SSL:Private key does not match the certificate public key, reason: error:0480006C:PEM routines::no start line /etc/lighttpd/srv.pem /etc/lighttpd/other.key\n(server.c.1454) Initialization of plugins failed. Going down.", cause.LoadFailed, ""},
		// Redis's log is the server's: a client certificate refused,
		// a client without TLS.
		{"M - Accepted 127.0.0.1:50312\nM # Error accepting a client connection: error:0A000086:SSL routines::certificate verify failed", cause.ClientCertRejected, cause.Expired},
		{"M - Accepted 127.0.0.1:50312\nM # Error accepting a client connection: error:0A00010B:SSL routines::wrong version number", cause.PlaintextToTLS, ""},
		{"Error: Connection reset by peer", cause.PlaintextToTLS, cause.ClientCertRequired},
		// No reply after the request: on http://, plain HTTP to TLS.
		{"fatal: unable to access 'http://localhost:8443/repo.git/': Empty reply from server", cause.PlaintextToTLS, ""},
		{"fatal: unable to access 'https://localhost:8443/repo.git/': Empty reply from server", cause.Truncated, ""},
		{"--2026-12-06 12:00:00--  http://localhost:8443/\nConnecting to localhost (localhost)|127.0.0.1|:8443... connected.\nHTTP request sent, awaiting response... No data received.\nRetrying.", cause.PlaintextToTLS, ""},
		{"requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))", cause.Truncated, cause.PlaintextToTLS},
		{"Error: socket hang up\n    at Socket.socketOnEnd (node:_http_client:528:25)\n    at Socket.emit (node:events:536:35) {\n  code: 'ECONNRESET'\n}", cause.PlaintextToTLS, ""},
		{"Error: socket hang up\n    at TLSSocket.socketOnEnd (node:_http_client:528:25) {\n  code: 'ECONNRESET'\n}", cause.Truncated, ""},
	})
}
