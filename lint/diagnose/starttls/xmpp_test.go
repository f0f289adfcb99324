package starttls

import (
	"errors"
	"strings"
	"testing"
)

// prosodyHeader is Prosody 0.12.3's answer to a stream header to
// localhost, its stream header and features with a certificate for the
// host (c2s_require_encryption: <required/>); prosodyProceed its answer
// to <starttls/>.
const (
	prosodyHeader  = "<?xml version='1.0'?><stream:stream xml:lang='en' from='localhost' id='cfc0a65e-099f-48bb-a3c5-5fc59a63fe2e' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
	prosodyTLS     = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>"
	prosodyProceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
)

// XMPP's STARTTLS stops exactly where TLS begins, and names the domain.
func TestNegotiateXMPPReadsNoTLSByte(t *testing.T) {
	c := script(prosodyHeader + prosodyTLS + prosodyProceed + tlsRecord)
	steps, err := NegotiateDomain(c, XMPP, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if rest := c.rest(); rest != tlsRecord {
		t.Errorf("left %q unread, want the TLS record %q", rest, tlsRecord)
	}
	for _, want := range []string{"to='localhost'", "version='1.0'", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"} {
		if !strings.Contains(c.wrote.String(), want) {
			t.Errorf("the client wrote %q, want it to contain %q", c.wrote.String(), want)
		}
	}
	if s := strings.Join(steps, "\n"); !strings.Contains(s, "starttls (starttls required)") || !strings.Contains(s, "TLS follows") {
		t.Errorf("steps %q", steps)
	}
	if _, err := Negotiate(script(prosodyHeader), XMPP); err == nil {
		t.Error("XMPP without a domain: no error")
	}
	// No domain can end the attribute it is written into.
	c = script(prosodyHeader + prosodyTLS + prosodyProceed)
	_, _ = NegotiateDomain(c, XMPP, "a'b\"<c>&")
	if w := c.wrote.String(); !strings.Contains(w, "to='a&apos;b&quot;&lt;c&gt;&amp;'") {
		t.Errorf("the client wrote %q, want the domain escaped", w)
	}
}

// The ways an XMPP server says no, and what is not one.
func TestNegotiateXMPPRefusals(t *testing.T) {
	for _, tt := range []struct {
		name, server, want string
		broken, tls        bool
	}{
		{"no-starttls", prosodyHeader + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>", "offers no <starttls/> in its stream features (mechanisms)", false, false},
		{"empty-features", prosodyHeader + "<stream:features/>", "offers no <starttls/> in its stream features (nothing)", false, false},
		{"failure", prosodyHeader + prosodyTLS + "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>", "<failure/>", true, false},
		{"host-unknown", "<?xml version='1.0'?><stream:stream xml:lang='en' from='127.0.0.1' id='x' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve 127.0.0.1</text></stream:error></stream:stream>", "with the error <host-unknown/>: This server does not serve 127.0.0.1: it does not serve the XMPP domain", false, false},
		{"prosody-no-tls-context", "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xml:lang='en' from='localhost' xmlns:stream='http://etherx.jabber.org/streams' id='x' version='1.0'><stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>No stream features to proceed with</text></stream:error></stream:stream>", "No TLS context available for c2s", true, false},
		{"direct-tls-port", "\x15\x03\x03\x00\x02\x02\x46", "speaks TLS directly", false, true},
		{"not-xmpp", "220 mail.example.net ESMTP Postfix\r\n", "is not XML", false, false},
		{"not-a-stream", "<html><body>", "<html> is not <stream:stream>", false, false},
	} {
		_, err := NegotiateDomain(script(tt.server), XMPP, "localhost")
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %v, want an *Error", tt.name, err)
			continue
		}
		if !strings.Contains(e.Msg, tt.want) || e.Broken != tt.broken || e.TLS != tt.tls {
			t.Errorf("%s: %+v, want %q, Broken %v, TLS %v", tt.name, e, tt.want, tt.broken, tt.tls)
		}
	}
}
