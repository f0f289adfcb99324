package diagnose

import (
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// xmppServer speaks the server's side of XMPP's STARTTLS (RFC 6120) as
// Prosody 0.12.3 words it (the live recordings of round 19 run the real
// Prosody): its stream header and features with <starttls/> required,
// <proceed/> and a handshake with cfg, after which it waits for the
// client's new stream. answer, when set, is what it sends instead of
// the features.
func xmppServer(t *testing.T, cfg *tls.Config, answer string) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		var got []byte
		b := make([]byte, 1)
		for !strings.HasSuffix(string(got), "version='1.0'>") {
			if _, err := io.ReadFull(c, b); err != nil {
				return
			}
			got = append(got, b[0])
		}
		from := "localhost"
		if i := strings.Index(string(got), "to='"); i >= 0 {
			from = strings.SplitN(string(got[i+4:]), "'", 2)[0]
		}
		_, _ = c.Write([]byte("<?xml version='1.0'?><stream:stream xml:lang='en' from='" + from + "' id='x' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"))
		if from != "localhost" {
			_, _ = c.Write([]byte("<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve " + from + "</text></stream:error></stream:stream>"))
			return
		}
		if answer != "" {
			_, _ = c.Write([]byte(answer))
			return
		}
		_, _ = c.Write([]byte("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>"))
		want := "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
		buf := make([]byte, len(want))
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != want {
			return
		}
		_, _ = c.Write([]byte("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		_, _ = tc.Read(b)
		_ = tc.Close()
	})
}

// TestProbeXMPP: diagnose --starttls xmpp opens a stream to the server
// name, asks for <starttls/>, and names a server without it, one without
// a TLS context, a domain the server does not serve, and the certificate
// checks as for any server.
func TestProbeXMPP(t *testing.T) {
	t.Parallel()
	cfg, otherCA, cliDir := starttlsPKI(t)
	opts := func(t *testing.T, name string) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = StartTLSXMPP, name
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, xmppServer(t, cfg, ""), opts(t, "localhost"))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
	})
	t.Run("no-starttls", func(t *testing.T) {
		_, fs := probe(t, xmppServer(t, cfg, "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"), opts(t, "localhost"))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "offers no <starttls/>", "Prosody")
	})
	t.Run("no-tls-context", func(t *testing.T) {
		_, fs := probe(t, xmppServer(t, cfg, "<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>No stream features to proceed with</text></stream:error></stream:stream>"), opts(t, "localhost"))
		wantCauses(t, fs, "handshake-load-failed")
	})
	t.Run("host-unknown", func(t *testing.T) {
		_, fs := probe(t, xmppServer(t, cfg, ""), opts(t, "chat.example.org"))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "<host-unknown/>", "--servername")
	})
	t.Run("unknown-ca", func(t *testing.T) {
		_, fs := probe(t, xmppServer(t, otherCA, ""), opts(t, "localhost"))
		wantCauses(t, fs, "handshake-unknown-ca")
	})
}
