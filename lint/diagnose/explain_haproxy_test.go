package diagnose

import (
	"slices"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainHAProxy: HAProxy 2.6.12's log of a bind with ssl, as
// measured with curl against haproxy -db (log stdout, option httplog):
// the line and the cause of each.
func TestExplainHAProxy(t *testing.T) {
	checkHeadlines(t, []headlineCase{
		// curl with a certificate from another CA, and with a revoked
		// one (crl-file): both "not trusted".
		{"127.0.0.1:33948 [06/Dec/2026:05:22:55.171] fe/1: SSL client certificate not trusted", cause.ClientCertRejected, cause.Revoked},
		// curl without a client certificate (verify required); curl
		// refusing HAProxy's certificate; plain HTTP to the bind: all
		// the same words.
		{"127.0.0.1:33946 [06/Dec/2026:05:22:55.158] fe/1: SSL handshake failure", cause.UnknownCA, cause.ClientCertRequired},
		{"127.0.0.1:40880 [06/Dec/2026:05:22:55.217] fe/2: SSL handshake failure", cause.UnknownCA, cause.PlaintextToTLS},
		// A client that connected and sent nothing (timeout client 3s).
		{"127.0.0.1:53448 [06/Dec/2026:05:23:14.002] fe/1: Timeout during SSL handshake", cause.Timeout, cause.PlaintextToTLS},
		// A client that sent part of a ClientHello and closed: the
		// server's log of a client hang-up.
		{"127.0.0.1:53462 [06/Dec/2026:05:23:18.134] fe/1: Connection closed during SSL handshake", cause.Reset, ""},
		{"127.0.0.1:53470 [06/Dec/2026:05:23:19.001] https-in/public: SSL client CA chain cannot be verified", cause.ClientCertRejected, cause.Expired},
	})
	// In a server's log a client hung up: the reasons about what a
	// client sees do not apply.
	if h := Headline(Explain("fe/1: Connection closed during SSL handshake")); slices.Contains(h, cause.ClientCertRequired) {
		t.Errorf("a client's hang-up in HAProxy's log reads as a client's view: %v", h)
	}
}
