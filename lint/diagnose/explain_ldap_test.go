package diagnose

import (
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// TestExplainOpenLDAPApacheStunnel: libldap's words as ldapsearch prints
// them, with and without -d 1 (measured against Debian's slapd 2.5, the
// bare ones recorded in round 11), slapd's log at -d stats, Apache's page
// for plain HTTP, a 400 read by its URL's scheme, and stunnel's checkHost.
func TestExplainOpenLDAPApacheStunnel(t *testing.T) {
	checkHeadlines(t, []headlineCase{
		// One sentence for every failure to connect over ldaps://.
		{"ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)", cause.UnknownCA, cause.Refused},
		// After the request was sent: plain LDAP to a TLS port.
		{"ldap_result: Can't contact LDAP server (-1)", cause.PlaintextToTLS, cause.Reset},
		// -ZZ to a port that speaks TLS directly.
		{"ldap_start_tls: Can't contact LDAP server (-1)", cause.PlaintextToTLS, ""},
		// StartTLS accepted, then the handshake failed.
		{"ldap_start_tls: Connect error (-11)\n\tadditional info: (unknown error code)", cause.UnknownCA, cause.Expired},
		// With -d 1: GnuTLS's verify status, decoded.
		{"TLS: peer cert untrusted or revoked (0x42)\nTLS: can't connect: (unknown error code).\nldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)", cause.UnknownCA, cause.MissingIntermediate},
		{"TLS: peer cert untrusted or revoked (0x402)\nTLS: can't connect: (unknown error code).\nldap_start_tls: Connect error (-11)\n\tadditional info: (unknown error code)", cause.Expired, ""},
		{"TLS: peer cert untrusted or revoked (0x22)", cause.Revoked, ""},
		{"TLS: hostname (vm) does not match common name in certificate (localhost).\nTLS: can't connect: (unknown error code).\nldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)", cause.NameMismatch, ""},
		{"ldap_is_socket_ready: error on socket 3: errno: 111 (Connection refused)\nldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)", cause.Refused, ""},
		// A slapd without a certificate refuses StartTLS.
		{"ldap_start_tls: Protocol error (2)\n\tadditional info: unsupported extended operation", cause.StartTLS, ""},
		{"STARTTLS failed, LDAP Result Code: 2", cause.StartTLS, ""},
		{"conn=1001 op=0 EXT oid=1.3.6.1.4.1.1466.20037\nconn=1001 op=0 do_extended: unsupported operation \"1.3.6.1.4.1.1466.20037\"", cause.StartTLS, ""},
		// slapd's log.
		{"conn=1003 fd=11 ACCEPT from IP=127.0.0.1:41438 (IP=127.0.0.1:636)\nconn=1003 fd=11 TLS established tls_ssf=256 ssf=256 tls_proto=TLS1.3 tls_cipher=AES-256-GCM\nconn=1003 fd=11 closed (connection lost)", cause.UnknownCA, cause.NameMismatch},
		{"conn=1002 fd=11 ACCEPT from IP=127.0.0.1:41438 (IP=127.0.0.1:636)\nTLS: can't accept: No certificate was found..\nconn=1002 fd=11 closed (TLS negotiation failure)", cause.ClientCertRequired, ""},
		{"conn=1002 fd=11 ACCEPT from IP=127.0.0.1:41438 (IP=127.0.0.1:636)\nTLS: can't accept: (unknown error code).\nconn=1002 fd=11 closed (TLS negotiation failure)", cause.ClientCertRejected, cause.Revoked},
		{"conn=1001 fd=11 ACCEPT from IP=127.0.0.1:41438 (IP=127.0.0.1:636)\nTLS: can't accept: An unexpected TLS packet was received..\nconn=1001 fd=11 closed (TLS negotiation failure)", cause.PlaintextToTLS, ""},
		// Apache's 400 page for plain HTTP, and a bare 400 by its URL.
		{"HTTP 400 Bad Request: <p>Your browser sent a request that this server could not understand.<br />\nReason: You're speaking plain HTTP to an SSL-enabled server port.<br />", cause.PlaintextToTLS, ""},
		{"requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: http://localhost:8443/", cause.PlaintextToTLS, cause.ClientCertRequired},
		{"fatal: unable to access 'http://localhost:8443/repo.git/': The requested URL returned error: 400", cause.PlaintextToTLS, ""},
		{"--2026-12-06 05:00:00--  http://localhost:8443/\nHTTP request sent, awaiting response... 400 Bad Request\n2026-12-06 05:00:00 ERROR 400: Bad Request.", cause.PlaintextToTLS, ""},
		{"fatal: unable to access 'https://localhost:8443/repo.git/': The requested URL returned error: 400", cause.ClientCertRequired, cause.PlaintextToTLS},
		// stunnel's checkHost.
		{"LOG4[0]: CERT: Subject checks failed\nLOG4[0]: Rejected by CERT at depth=0: O=tlscreds test PKI, CN=www.example.org\nLOG3[0]: SSL_connect: ../ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed", cause.NameMismatch, ""},
	})
	// The fix for libldap's bare sentence says how to see the reason.
	ex := Explain("ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)")
	if len(ex) == 0 || !strings.Contains(ex[0].Fix, "-d 1") {
		t.Errorf("explain(ldap_sasl_bind ...) fix = %+v, want the -d 1 advice", ex)
	}
}
