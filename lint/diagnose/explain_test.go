package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
)

// TestExplain feeds Explain messages as people paste them.
func TestExplain(t *testing.T) {
	cases := []struct {
		text   string
		causes []string // each must be among the explanations' causes
		rules  []string // each must be among their lint rules
		alert  int      // a TLS alert number that must be recognised, or 0
		in     string   // a text one explanation's meaning must contain
		// sources, when set, are the explanations' sources in order.
		sources []string
	}{
		// QEMU and libvirt (QEMU crypto/tlscredsx509.c and crypto/tlssession.c;
		// libvirt src/rpc/virnettlscontext.c).
		{text: "qemu-system-x86_64: TLS handshake failed: The certificate hasn't got a known issuer",
			causes: []string{"handshake-unknown-ca", "handshake-missing-intermediate"}, rules: []string{"chain-no-issuer"}, in: "GnuTLS's reason follows"},
		{text: "qemu-kvm: Verify failed: No certificate was found.", causes: []string{"handshake-client-cert-required"}},
		{text: "Unable to access credentials /etc/pki/qemu/ca-cert.pem: No such file or directory", rules: []string{"file-missing"}},
		{text: "error: The server certificate /etc/pki/libvirt/servercert.pem is not yet active", causes: []string{"handshake-not-yet-valid"}, rules: []string{"cert-not-yet-valid"}},
		{text: "error: The CA certificate /etc/pki/CA/cacert.pem has expired", causes: []string{"handshake-expired"}, rules: []string{"cert-expired"}, in: "the CA certificate /etc/pki/CA/cacert.pem has expired"},
		{text: "Certificate does not match the hostname 192.168.122.5", causes: []string{"handshake-name-mismatch"}, rules: []string{"host-not-covered"}},
		{text: "Certificate [session] owner does not match the hostname 10.0.0.2", rules: []string{"host-not-covered"}},
		{text: "Cannot load certificate '/x/server-cert.pem' & key '/x/server-key.pem': The certificate and the given key do not match.", rules: []string{"key-mismatch"}},
		{text: "Cert 'C=UK,CN=qemu' has no issuer in CA chain", rules: []string{"chain-no-issuer"}},
		{text: "Certificate /etc/pki/qemu/server-cert.pem purpose does not allow use with a TLS server", causes: []string{"handshake-server-eku"}, rules: []string{"leaf-eku-wrong-purpose"}},
		{text: "Client's Distinguished Name is not on the list of allowed clients (tls_allowed_dn_list).", causes: []string{"handshake-authz-denied"}},
		{text: "TLS x509 authz check for CN=client,O=Example is denied", causes: []string{"handshake-client-cert-rejected"}, in: "CN=client,O=Example"},
		{text: "error: Cannot write to TLS channel: Input/output error", causes: []string{"handshake-client-cert-required"}},
		// GnuTLS.
		{text: "*** Fatal error: A TLS fatal alert has been received.\n*** Received alert [116]: Certificate is required", causes: []string{"handshake-client-cert-required"}, alert: 116},
		{text: "*** Verifying server certificate failed...\n*** Fatal error: Error in the certificate verification.", causes: []string{"handshake-unknown-ca"}},
		{text: "The TLS connection was non-properly terminated.", causes: []string{"handshake-truncated"}},
		{text: "Could not negotiate a supported cipher suite.", causes: []string{"handshake-no-shared-cipher"}},
		// OpenSSL.
		{text: "40E7:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1584:SSL alert number 48",
			causes: []string{"handshake-unknown-ca"}, alert: 48},
		{text: "error:0A00045C:SSL routines::tlsv13 alert certificate required", causes: []string{"handshake-client-cert-required"}, alert: 116},
		{text: "SSL alert number 70", causes: []string{"handshake-version"}, alert: 70},
		{text: "verify error:num=20:unable to get local issuer certificate", causes: []string{"handshake-unknown-ca", "handshake-missing-intermediate"}},
		{text: "verify error:num=21:unable to verify the first certificate", causes: []string{"handshake-missing-intermediate"}},
		{text: "error:0A000086:SSL routines::certificate verify failed", causes: []string{"handshake-unknown-ca"}},
		{text: "error:0A00010B:SSL routines::wrong version number", causes: []string{"handshake-not-tls"}},
		{text: "error:0A0000C1:SSL routines::no shared cipher", causes: []string{"handshake-no-shared-cipher"}},
		// Go.
		{text: "tls: failed to verify certificate: x509: certificate signed by unknown authority", causes: []string{"handshake-unknown-ca", "handshake-self-signed"}, rules: []string{"chain-no-issuer"}},
		{text: "remote error: tls: bad certificate", causes: []string{"handshake-client-cert-rejected"}, alert: 42},
		{text: "x509: certificate relies on legacy Common Name field, use SANs instead", causes: []string{"handshake-cn-only"}, rules: []string{"server-no-san"}},
		{text: "http: TLS handshake error from 10.0.0.3:5555: tls: first record does not look like a TLS handshake", causes: []string{"handshake-not-tls", "handshake-plaintext-to-tls"}},
		{text: "tls: failed to verify certificate: x509: certificate is valid for localhost, not db.example", causes: []string{"handshake-name-mismatch"}, in: "covers localhost, not db.example"},
		{text: "x509: certificate has expired or is not yet valid: current time 2026-03-01T12:00:00Z is after 2026-03-01T11:00:00Z",
			causes: []string{"handshake-expired"}, rules: []string{"cert-expired"}, in: "a clock is off", sources: []string{"Go"}},
		{text: "error:0A000086:SSL routines::certificate verify failed\nverify error:num=10:certificate has expired", causes: []string{"handshake-expired"}, sources: []string{"OpenSSL", "OpenSSL"}},
		{text: "x509: cannot validate certificate for 10.1.2.3 because it doesn't contain any IP SANs", causes: []string{"handshake-name-mismatch"}},
		{text: "tls: client didn't provide a certificate", causes: []string{"handshake-client-cert-required"}},
		// A TLS 1.3 server that refuses the client hangs up while the client writes its request.
		{text: `Get "https://localhost:4433/": write tcp 127.0.0.1:4433->127.0.0.1:5555: write: broken pipe`, causes: []string{"handshake-client-cert-required", "handshake-client-cert-rejected", "handshake-reset"}},
		{text: "curl: (55) Send failure: Broken pipe", causes: []string{"handshake-client-cert-required", "handshake-client-cert-rejected", "handshake-reset"}},
		{text: "x509: certificate signed by unknown authority (possibly because of \"x509: cannot verify signature: insecure algorithm SHA1-RSA\" while trying to verify candidate authority certificate \"CA\")",
			causes: []string{"handshake-weak"}, rules: []string{"cert-weak-signature"}},
		// curl.
		{text: "curl: (60) SSL certificate problem: unable to get local issuer certificate", causes: []string{"handshake-unknown-ca", "handshake-missing-intermediate"}, in: "curl exit code 60"},
		{text: "curl: (35) error:0A000410:SSL routines::sslv3 alert handshake failure", causes: []string{"handshake-no-shared-cipher"}, alert: 40},
		{text: "curl: (58) unable to set private key file: 'key.pem' type PEM", causes: []string{"handshake-load-failed"}, rules: []string{"key-mismatch"}},
		{text: "curl: (7) Failed to connect to 127.0.0.1 port 9: Connection refused", causes: []string{"handshake-refused"}},
	}
	for _, c := range cases {
		es := Explain(c.text)
		if len(es) == 0 {
			t.Errorf("%q: not recognised", c.text)
			continue
		}
		var causes, rules, meanings []string
		alerts := map[int]bool{}
		for _, e := range es {
			causes = append(causes, e.Causes...)
			rules = append(rules, e.Rules...)
			meanings = append(meanings, e.Meaning)
			if e.Alert != nil {
				alerts[int(e.Alert.Number)] = true
			}
			if e.Fix == "" || e.Side == "" || e.Meaning == "" || e.Source == "" {
				t.Errorf("%q: incomplete explanation %+v", c.text, e)
			}
		}
		for _, want := range c.causes {
			if !slices.Contains(causes, want) {
				t.Errorf("%q: causes %v lack %s", c.text, causes, want)
			}
		}
		for _, want := range c.rules {
			if !slices.Contains(rules, want) {
				t.Errorf("%q: lint rules %v lack %s", c.text, rules, want)
			}
		}
		if c.alert != 0 && !alerts[c.alert] {
			t.Errorf("%q: alert %d not recognised", c.text, c.alert)
		}
		var sources []string
		for _, e := range es {
			sources = append(sources, e.Source)
		}
		if c.sources != nil && !slices.Equal(sources, c.sources) {
			t.Errorf("%q: sources %v, want %v", c.text, sources, c.sources)
		}
		if c.in != "" && !strings.Contains(strings.Join(meanings, "\n"), c.in) {
			t.Errorf("%q: no meaning mentions %q: %q", c.text, c.in, meanings)
		}
	}
}

func TestExplainUnknown(t *testing.T) {
	for _, text := range []string{"", "the quick brown fox", "remote error: tls: no such alert name", "SSL alert number 999"} {
		if es := Explain(text); len(es) != 0 {
			t.Errorf("%q: recognised as %+v", text, es)
		}
	}
}

// TestExplainEveryConsumerMessage: every lint rule with a QEMU or libvirt
// message is explained by that message, with a path where it has %s.
func TestExplainEveryConsumerMessage(t *testing.T) {
	for _, r := range lint.Rules() {
		for _, msg := range append([]string{r.QEMU, r.Libvirt}, lint.QEMUWordings(r)...) {
			if msg == "" {
				continue
			}
			text := "qemu-system-x86_64: " + strings.ReplaceAll(msg, "%s", "/etc/pki/qemu/server-cert.pem")
			found := false
			for _, e := range Explain(text) {
				found = found || slices.Contains(e.Rules, r.ID)
			}
			if !found {
				t.Errorf("%s: its message %q is not explained with the rule", r.ID, msg)
			}
		}
	}
}

// TestExplainNested keeps a message inside a frame and drops a generic
// pattern that only repeats a specific one.
func TestExplainNested(t *testing.T) {
	es := Explain("Our own certificate /a/server-cert.pem failed validation against /a/ca-cert.pem: The certificate hasn't got a known issuer.")
	var sources []string
	for _, e := range es {
		sources = append(sources, e.Source+":"+strings.Join(e.Rules, ","))
	}
	if len(es) != 1 || !slices.Contains(es[0].Rules, "chain-no-issuer") {
		t.Errorf("explanations %v, want the chain-no-issuer rule's alone", sources)
	}
}

func TestAlerts(t *testing.T) {
	for name, n := range map[string]uint8{
		"bad_certificate": 42, "bad certificate": 42, "unknown ca": 48, "unknown certificate authority": 48,
		"CA is unknown": 48, "certificate required": 116, "Certificate is required": 116, "protocol version": 70,
		"protocol version not supported": 70, "handshake failure": 40, "no application protocol": 120,
	} {
		a, ok := AlertByName(name)
		if !ok || a.Number != n {
			t.Errorf("AlertByName(%q) = %d, %v; want %d", name, a.Number, ok, n)
		}
	}
	seen := map[string]bool{}
	for _, a := range alerts {
		if seen[a.Name] || a.Meaning == "" {
			t.Errorf("alert %d %q: duplicate or without meaning", a.Number, a.Name)
		}
		seen[a.Name] = true
	}
}

func FuzzExplain(f *testing.F) {
	for _, s := range []string{
		"SSL alert number 48", "remote error: tls: bad certificate", "curl: (60) SSL certificate problem: x",
		"Cert '%s' has no issuer in CA chain", "current time 2026-01-01T00:00:00Z is after 2025-01-01T00:00:00Z",
		"Received alert [255]", "TLS handshake failed: TLS handshake failed: ",
		"received fatal alert: UnrecognisedName", "Authentication failed because the remote party sent a TLS alert: 'X'",
		"The remote certificate is invalid according to the validation procedure: , ", "PeerIncompatible(Tls12NotOffered",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, e := range Explain(text) {
			if e.start < 0 || e.end > len(text) || e.start > e.end {
				t.Fatalf("span %d..%d outside %d bytes", e.start, e.end, len(text))
			}
			if e.Meaning == "" || e.Causes == nil || e.Rules == nil {
				t.Fatalf("incomplete explanation %+v", e)
			}
		}
	})
}

// TestExplainHeadlineFirst: the cause explain puts first for messages as
// real programs printed them (fixtures/recorder's round-2 recordings and
// the runs named), where the order is the point.
func TestExplainHeadlineFirst(t *testing.T) {
	checkHeadlines(t, []headlineCase{
		// Name resolution, in each program's words.
		{"40574CA3DA7F0000:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:746:Temporary failure in name resolution\nconnect:errno=11", cause.DNS, ""},
		{"Cannot resolve db.tlscreds.invalid:37537: Temporary failure in name resolution\nProcessed 1 CA certificate(s).", cause.DNS, ""},
		{`Get "https://db.tlscreds.invalid:37537/": dial tcp: lookup db.tlscreds.invalid on 10.255.255.53:53: dial udp 10.255.255.53:53: connect: network is unreachable`, cause.DNS, ""},
		// handshake_failure: no common suite first, unless the client
		// printed the server's certificate request.
		{`Get "https://localhost:8443/": remote error: tls: handshake failure`, cause.NoSharedCipher, cause.ClientCertRequired},
		{"- Status: The certificate is trusted. \n- Successfully sent 0 certificate(s) to server.\n*** Received alert [40]: Handshake failed", cause.ClientCertRequired, cause.NoSharedCipher},
		{"- Status: The certificate is trusted. \n- Successfully sent 1 certificate(s) to server.\n*** Received alert [40]: Handshake failed", cause.ClientCertRejected, cause.ClientCertRequired},
		// access_denied from a GnuTLS server: any refused client
		// certificate, a revoked one among them.
		{`Get "https://localhost:8443/": remote error: tls: access denied`, cause.ClientCertRejected, cause.Revoked},
		{"Error in handshake: Error in the certificate.", cause.ClientCertRejected, cause.Revoked},
		// The server's side of a client that refused its certificate.
		{"|<0x5597ae6f6bb0>| Discarded message[0] due to invalid decryption\nError in handshake: Decryption has failed.", cause.UnknownCA, cause.ServerEKU},
		{`2026-12-05T18:47:28Z 127.0.0.1:46566 FAILED handshake-alert TLS 1.3 sni "localhost": the client aborted the handshake after the server's certificate with an alert the server could not decrypt`, cause.UnknownCA, cause.SelfSigned},
		{`2026-12-05T18:47:26Z 127.0.0.1:46560 FAILED handshake-alert TLS 1.3 sni "localhost": the client rejected the server's certificate (tls: bad certificate); check the client trusts the server's CA`, cause.NameMismatch, cause.Alert},
		// A GnuTLS server's answer to a TLS 1.2 client without the
		// certificate it requires (round 3, gnutls-serv 3.7.9).
		{"40F77D3FBF7F0000:error:0A00041A:SSL routines:ssl3_read_bytes:tlsv1 alert decode error:../ssl/record/rec_layer_s3.c:1602:SSL alert number 50", cause.ClientCertRequired, cause.Alert},
		{`Get "https://localhost:8443/": remote error: tls: error decoding message`, cause.ClientCertRequired, cause.Alert},
		// nginx's 400 pages about client certificates.
		{"HTTP 400 Bad Request: <html>\n<head><title>400 The SSL certificate error</title></head>", cause.ClientCertRejected, cause.Revoked},
		{"HTTP 400 Bad Request: <html>\n<head><title>400 No required SSL certificate was sent</title></head>", cause.ClientCertRequired, cause.ClientCertRejected},
		// A Go server refuses a revoked client certificate with
		// bad_certificate.
		{`Get "https://localhost:8443/": remote error: tls: bad certificate`, cause.ClientCertRejected, cause.Revoked},
		// No DNS name in the SANs (an IP address only), as Go and Java say it.
		{`Get "https://localhost:8443/": tls: failed to verify certificate: x509: certificate is not valid for any names, but wanted to match localhost`, cause.NameMismatch, cause.CNOnly},
		{"javax.net.ssl.SSLHandshakeException: (certificate_unknown) No name matching localhost found", cause.NameMismatch, cause.CNOnly},
		// OpenSSL's SNI callback (s_server -servername_fatal).
		{"4057B23A527F0000:error:0A0000EA:SSL routines:final_server_name:callback failed:../ssl/statem/extensions.c:964:", cause.UnrecognizedName, ""},
	})
}

// TestWithGnuTLSDescriptions: a GnuTLS error name gets its description
// once, on its own line, and text that already has it is left alone.
func TestWithGnuTLSDescriptions(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"failed: GNUTLS_E_SESSION_EOF (-328)", "failed: GNUTLS_E_SESSION_EOF: Peer has terminated the connection (-328)"},
		{"(GNUTLS_E_CERTIFICATE_KEY_MISMATCH) The certificate and the given key do not match.", "(GNUTLS_E_CERTIFICATE_KEY_MISMATCH) The certificate and the given key do not match."},
		{"GNUTLS_E_AGAIN\nGNUTLS_E_NOT_A_NAME x", "GNUTLS_E_AGAIN: Resource temporarily unavailable, try again.\nGNUTLS_E_NOT_A_NAME x"},
		{"no names here", "no names here"},
		{"GNUTLS_E_", "GNUTLS_E_"},
	} {
		if got := withGnuTLSDescriptions(tt.in); got != tt.want {
			t.Errorf("withGnuTLSDescriptions(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
