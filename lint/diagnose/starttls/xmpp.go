package starttls

import (
	"fmt"
	"io"
	"net"
	"strings"
)

// XMPP's STARTTLS (RFC 6120 section 5): the client opens a stream to the
// server's domain, the server answers with its own stream header and
// <stream:features>, which must offer <starttls/>; the client sends
// <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/> and the server
// answers <proceed/> (the handshake follows) or <failure/>. The XML is
// read one tag at a time, one byte at a time, never past the server's
// <proceed/>.

const (
	xmppTLSNS = "urn:ietf:params:xml:ns:xmpp-tls"
	// xmppMaxTags bounds how many tags the features may hold.
	xmppMaxTags = 500
	// xmppMaxTag bounds one tag's length.
	xmppMaxTag = 8192
)

// xmppReader reads the server's XML stream one tag at a time.
type xmppReader struct {
	r   io.Reader
	got []byte // everything read, for an error's evidence
}

// tag reads the next tag ("<...>", its text before it skipped) and
// returns it without its angle brackets. A TLS record where XML was
// expected ends the read at once.
func (x *xmppReader) tag(what string) (string, error) {
	var b [1]byte
	var t []byte
	in, quote := false, byte(0)
	for {
		if _, err := io.ReadFull(x.r, b[:]); err != nil {
			return "", readErr(what, x.got, err)
		}
		x.got = append(x.got, b[0])
		if len(x.got) <= 3 && x.got[0] >= 0x14 && x.got[0] <= 0x18 {
			// Perhaps a TLS record: decided on its first three bytes.
			if len(x.got) < 3 {
				continue
			}
			if LooksLikeTLSRecord(x.got) {
				return "", badPreamble(x.got, "reading %s: the server answered with a TLS record: it speaks TLS directly on this port (XMPP's direct TLS, 5223), not STARTTLS", what)
			}
		}
		if len(x.got) == 1 && !strings.ContainsRune("< \r\n\t\xef", rune(b[0])) || len(x.got) == 3 && x.got[0] >= 0x14 && x.got[0] <= 0x18 {
			return "", badPreamble(x.got, "reading %s: %q is not XML: this is not an XMPP server", what, clip(string(x.got)))
		}
		switch {
		case !in && b[0] == '<':
			in = true
		case !in:
			// Text between tags (whitespace keepalives).
		case quote != 0:
			if b[0] == quote {
				quote = 0
			}
			t = append(t, b[0])
		case b[0] == '\'' || b[0] == '"':
			quote = b[0]
			t = append(t, b[0])
		case b[0] == '>':
			return string(t), nil
		default:
			t = append(t, b[0])
		}
		if len(t) > xmppMaxTag {
			return "", badPreamble(x.got, "reading %s: a tag longer than %d bytes: this is not an XMPP server", what, xmppMaxTag)
		}
	}
}

// xmppName is a tag's name ("stream:features", "/stream:features",
// "starttls/" gives "starttls").
func xmppName(t string) string {
	f := strings.Fields(t)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], "/")
}

// xmppStartTLS opens a stream to domain and asks for TLS, as openssl
// s_client -starttls xmpp -xmpphost DOMAIN, gnutls-cli
// --starttls-proto=xmpp and XMPP clients do.
func xmppStartTLS(c net.Conn, domain string) ([]string, error) {
	// The domain is the user's host name; escaped all the same, so that
	// no input can end the attribute.
	attr := strings.NewReplacer("&", "&amp;", "'", "&apos;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(domain)
	header := fmt.Sprintf("<?xml version='1.0'?><stream:stream to='%s' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>", attr)
	if err := writeAll(c, []byte(header)); err != nil {
		return nil, fmt.Errorf("sending the stream header: %w", err)
	}
	steps := []string{fmt.Sprintf("opened an XMPP stream to %s", domain)}
	x := &xmppReader{r: c}
	// The server's stream header (after an XML declaration).
	for {
		t, err := x.tag("the server's stream header")
		if err != nil {
			return steps, err
		}
		if strings.HasPrefix(t, "?") {
			continue
		}
		if xmppName(t) != "stream:stream" {
			return steps, badPreamble(x.got, "reading the server's stream header: <%s> is not <stream:stream>: this is not an XMPP server", clip(xmppName(t)))
		}
		break
	}
	// The features, or a stream error (host-unknown: the server does
	// not serve that domain).
	var offered []string
	starttls, required := false, false
	t, err := x.tag("the server's stream features")
	if err != nil {
		return steps, err
	}
	switch xmppName(t) {
	case "stream:error":
		cond, text := xmppStreamError(x)
		msg := fmt.Sprintf("the server closed the stream before offering its features, with the error %s%s", cond, text)
		broken := false
		switch {
		case cond == "<host-unknown/>":
			msg += fmt.Sprintf(": it does not serve the XMPP domain %s (give the server's domain as the host, or as --servername)", domain)
		case strings.Contains(text, "No stream features to proceed with"):
			// Prosody 0.12 with c2s_require_encryption and no TLS
			// context for the host (a key that does not match its
			// certificate, a certificate OpenSSL refuses; measured):
			// it has nothing to offer before TLS.
			msg += ": the server has no TLS to offer and requires it (Prosody: no TLS context for c2s, its log says why: \"No TLS context available for c2s. Earlier error was: ...\")"
			broken = true
		}
		return steps, &Error{Msg: msg, Got: x.got, Broken: broken}
	case "stream:features":
	default:
		return steps, badPreamble(x.got, "reading the server's stream features: <%s> is not <stream:features>: this is not an XMPP server", clip(xmppName(t)))
	}
	if !strings.HasSuffix(t, "/") {
		depth := 0
		for range xmppMaxTags {
			t, err := x.tag("the server's stream features")
			if err != nil {
				return steps, err
			}
			name := xmppName(t)
			switch {
			case name == "/stream:features":
				depth = -1
			case depth == 0 && !strings.HasPrefix(name, "/"):
				offered = append(offered, name)
				if name == "starttls" {
					starttls = true
				}
			case depth == 1 && name == "required" && starttls && offered[len(offered)-1] == "starttls":
				required = true
			}
			if depth < 0 {
				break
			}
			switch {
			case strings.HasPrefix(name, "/"):
				depth--
			case !strings.HasSuffix(t, "/") && !strings.HasPrefix(t, "?"):
				depth++
			}
		}
		if depth >= 0 {
			return steps, &Error{Msg: fmt.Sprintf("reading the server's stream features: more than %d tags", xmppMaxTags), Got: x.got}
		}
	}
	steps = append(steps, "the server's features: "+orNone(offered))
	if !starttls {
		return steps, &Error{Msg: fmt.Sprintf("the server offers no <starttls/> in its stream features (%s): it has no TLS for the domain %s on this port, or none it could load (Prosody: ssl = { certificate, key } for the VirtualHost, its log says why; ejabberd: certfiles and starttls: true)", orNone(offered), domain), Got: x.got}
	}
	if required {
		steps[len(steps)-1] += " (starttls required)"
	}
	if err := writeAll(c, []byte("<starttls xmlns='"+xmppTLSNS+"'/>")); err != nil {
		return steps, fmt.Errorf("sending <starttls/>: %w", err)
	}
	t, err = x.tag("the answer to <starttls/>")
	if err != nil {
		return steps, err
	}
	switch xmppName(t) {
	case "proceed":
		return append(steps, "sent <starttls/>: the server answered <proceed/>: TLS follows"), nil
	case "failure":
		// RFC 6120 5.4.2.2: the server's own TLS failed to start.
		return steps, &Error{Msg: "the server answered <starttls/> with <failure/>: its TLS set-up failed (its log says why)", Got: x.got, Broken: true}
	case "stream:error":
		cond, text := xmppStreamError(x)
		return steps, &Error{Msg: fmt.Sprintf("the server answered <starttls/> with the stream error %s%s", cond, text), Got: x.got}
	}
	return steps, badPreamble(x.got, "the server answered <starttls/> with <%s>, not <proceed/>", clip(xmppName(t)))
}

// xmppStreamError reads the rest of a <stream:error>: its condition and
// text, as far as they arrive.
func xmppStreamError(x *xmppReader) (cond, text string) {
	for range xmppMaxTags {
		t, err := x.tag("the stream error")
		if err != nil {
			break
		}
		name := xmppName(t)
		if name == "/stream:error" {
			break
		}
		if cond == "" && !strings.HasPrefix(name, "/") && name != "text" {
			cond = name
		}
	}
	if cond == "" {
		cond = "(no condition)"
	}
	if i := strings.Index(string(x.got), "<text"); i >= 0 {
		s := string(x.got[i:])
		if j := strings.Index(s, ">"); j >= 0 {
			if k := strings.Index(s[j:], "</text>"); k >= 0 {
				text = ": " + clip(s[j+1:j+k])
			}
		}
	}
	return "<" + cond + "/>", text
}
