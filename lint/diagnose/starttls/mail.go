package starttls

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/lint"
)

// The mail protocols: the server speaks first (a greeting), the client
// asks for TLS with a command and reads one reply, and the handshake
// follows. The replies are text lines; they are read one byte at a time
// so that no byte of the handshake that follows is consumed.
const (
	// mailMaxLine and mailMaxLines bound a reply: RFC 5321 allows 512
	// bytes a line; servers list a few dozen capabilities.
	mailMaxLine  = 4096
	mailMaxLines = 200
)

// lineReader reads CRLF-terminated lines, never past the line's end.
type lineReader struct {
	r   io.Reader
	got []byte // everything read, for an error's evidence
}

// line reads one line without its CRLF. A TLS record where a line was
// expected (a port that speaks TLS directly and answered a command with
// an alert) ends the read at once.
func (l *lineReader) line(what string) (string, error) {
	start := len(l.got)
	var b [1]byte
	for {
		n, err := l.r.Read(b[:])
		if n == 1 {
			l.got = append(l.got, b[0])
			cur := l.got[start:]
			switch {
			case b[0] == '\n':
				return strings.TrimRight(string(cur), "\r\n"), nil
			case len(cur) == 3 && LooksLikeTLSRecord(cur):
				return "", badPreamble(cur, "reading %s: the server sent a TLS record: this port speaks TLS from the first byte", what)
			case len(cur) > mailMaxLine:
				return "", badPreamble(cur[:64], "reading %s: a line longer than %d bytes: this is not the protocol", what, mailMaxLine)
			}
		}
		if err != nil {
			return "", readErr(what, l.got[start:], err)
		}
	}
}

// smtpReply reads one SMTP reply (RFC 5321 section 4.2): lines "ddd-text"
// and a last line "ddd text". It returns the code and the lines' texts.
func smtpReply(l *lineReader, what string) (int, []string, error) {
	var texts []string
	for range mailMaxLines {
		s, err := l.line(what)
		if err != nil {
			return 0, texts, err
		}
		if len(s) < 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' || len(s) > 3 && s[3] != ' ' && s[3] != '-' {
			return 0, texts, badPreamble([]byte(s), "reading %s: %q is not an SMTP reply: this is not an SMTP server", what, clip(s))
		}
		code, _ := strconv.Atoi(s[:3])
		text := ""
		if len(s) > 4 {
			text = s[4:]
		}
		texts = append(texts, text)
		if len(s) == 3 || s[3] == ' ' {
			return code, texts, nil
		}
	}
	return 0, texts, &Error{Msg: fmt.Sprintf("reading %s: more than %d lines", what, mailMaxLines)}
}

// ehloName is the EHLO argument: the address literal of this end of the
// connection (RFC 5321 section 4.1.3), which every server accepts.
func ehloName(c net.Conn) string {
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok && a.IP != nil {
		if a.IP.To4() != nil {
			return "[" + a.IP.String() + "]"
		}
		return "[IPv6:" + a.IP.String() + "]"
	}
	return "[127.0.0.1]"
}

// smtpStartTLS reads the greeting, sends EHLO, looks for STARTTLS among
// the extensions, sends STARTTLS and reads its 220 (RFC 3207), as
// openssl s_client -starttls smtp and swaks --tls do.
func smtpStartTLS(c net.Conn) ([]string, error) {
	l := &lineReader{r: c}
	code, texts, err := smtpReply(l, "the SMTP greeting")
	if err != nil {
		return nil, err
	}
	steps := []string{fmt.Sprintf("the server greeted: %d %s", code, clip(texts[0]))}
	if code != 220 {
		return steps, &Error{Msg: fmt.Sprintf("the server's greeting is %d %q, not 220: it does not accept this client", code, clip(strings.Join(texts, " ")))}
	}
	ehlo := "EHLO " + ehloName(c)
	if err := writeAll(c, []byte(ehlo+"\r\n")); err != nil {
		return steps, fmt.Errorf("sending EHLO: %w", err)
	}
	code, texts, err = smtpReply(l, "the answer to EHLO")
	if err != nil {
		return steps, err
	}
	if code != 250 {
		return steps, &Error{Msg: fmt.Sprintf("the server answered %s with %d %q", ehlo, code, clip(strings.Join(texts, " ")))}
	}
	var exts []string
	offered := false
	for _, t := range texts[1:] {
		kw := firstWord(t)
		exts = append(exts, kw)
		offered = offered || kw == "STARTTLS"
	}
	steps = append(steps, fmt.Sprintf("sent %s: the server lists %s", ehlo, orNone(exts)))
	if !offered {
		return steps, &Error{Msg: "the server does not offer STARTTLS: its EHLO answer lists " + orNone(exts) + " (Postfix announces it only with smtpd_tls_security_level = may or encrypt and a certificate; Exim with tls_advertise_hosts and tls_certificate)"}
	}
	if err := writeAll(c, []byte("STARTTLS\r\n")); err != nil {
		return steps, fmt.Errorf("sending STARTTLS: %w", err)
	}
	code, texts, err = smtpReply(l, "the answer to STARTTLS")
	if err != nil {
		return steps, err
	}
	if code != 220 {
		msg := fmt.Sprintf("the server refused STARTTLS: %d %q", code, clip(strings.Join(texts, " ")))
		if code == 454 {
			msg += " (Postfix answers so when it cannot load its certificate or key: its log says which)"
		}
		return steps, &Error{Msg: msg, Broken: code == 454}
	}
	return append(steps, fmt.Sprintf("sent STARTTLS: the server answered %d: TLS follows", code)), nil
}

// imapResponse reads untagged lines up to the one tagged tag and returns
// the untagged lines and the tagged one's status and text.
func imapResponse(l *lineReader, tag, what string) (untagged []string, status, text string, err error) {
	for range mailMaxLines {
		s, err := l.line(what)
		if err != nil {
			return untagged, "", "", err
		}
		if strings.HasPrefix(s, "* ") || s == "*" {
			untagged = append(untagged, strings.TrimPrefix(s, "* "))
			continue
		}
		if rest, ok := strings.CutPrefix(s, tag+" "); ok {
			status, text, _ = strings.Cut(rest, " ")
			return untagged, strings.ToUpper(status), text, nil
		}
		if strings.HasPrefix(s, "+") {
			continue
		}
		return untagged, "", "", badPreamble([]byte(s), "reading %s: %q is not an IMAP response: this is not an IMAP server", what, clip(s))
	}
	return untagged, "", "", &Error{Msg: fmt.Sprintf("reading %s: more than %d lines", what, mailMaxLines)}
}

// imapCapabilities finds the capability list in a greeting's response
// code ("OK [CAPABILITY IMAP4rev1 STARTTLS ...] ready") or a CAPABILITY
// response.
func imapCapabilities(lines []string) []string {
	for _, s := range lines {
		u := strings.ToUpper(s)
		if i := strings.Index(u, "[CAPABILITY "); i >= 0 {
			list, _, _ := strings.Cut(u[i+len("[CAPABILITY "):], "]")
			return strings.Fields(list)
		}
		if rest, ok := strings.CutPrefix(u, "CAPABILITY "); ok {
			return strings.Fields(rest)
		}
	}
	return nil
}

// imapStartTLS reads the greeting, asks for the capabilities when the
// greeting does not carry them, and sends STARTTLS (RFC 9051 section
// 6.2.1), as openssl s_client -starttls imap does.
func imapStartTLS(c net.Conn) ([]string, error) {
	l := &lineReader{r: c}
	greet, err := l.line("the IMAP greeting")
	if err != nil {
		return nil, err
	}
	steps := []string{"the server greeted: " + clip(greet)}
	switch u := strings.ToUpper(greet); {
	case strings.HasPrefix(u, "* OK"):
	case strings.HasPrefix(u, "* PREAUTH"):
		return steps, &Error{Msg: "the server greeted with PREAUTH: the session is already authenticated, and STARTTLS is not allowed after that"}
	case strings.HasPrefix(u, "* BYE"):
		return steps, &Error{Msg: fmt.Sprintf("the server refused the connection: %q", clip(greet))}
	default:
		return steps, badPreamble([]byte(greet), "the greeting %q is not IMAP's: this is not an IMAP server", clip(greet))
	}
	caps := imapCapabilities([]string{strings.TrimPrefix(greet, "* ")})
	if caps == nil {
		if err := writeAll(c, []byte("a1 CAPABILITY\r\n")); err != nil {
			return steps, fmt.Errorf("sending CAPABILITY: %w", err)
		}
		untagged, status, text, err := imapResponse(l, "a1", "the answer to CAPABILITY")
		if err != nil {
			return steps, err
		}
		if status != "OK" {
			return steps, &Error{Msg: fmt.Sprintf("the server answered CAPABILITY with %s %q", status, clip(text))}
		}
		caps = imapCapabilities(untagged)
	}
	steps = append(steps, "the server's capabilities: "+orNone(caps))
	if !slices.Contains(caps, "STARTTLS") {
		return steps, &Error{Msg: "the server does not offer STARTTLS: its capabilities are " + orNone(caps) + " (Dovecot offers it with ssl = yes or required and ssl_cert / ssl_key)"}
	}
	if err := writeAll(c, []byte("a2 STARTTLS\r\n")); err != nil {
		return steps, fmt.Errorf("sending STARTTLS: %w", err)
	}
	_, status, text, err := imapResponse(l, "a2", "the answer to STARTTLS")
	if err != nil {
		return steps, err
	}
	if status != "OK" {
		return steps, &Error{Msg: fmt.Sprintf("the server refused STARTTLS: %s %q", status, clip(text))}
	}
	return append(steps, "sent STARTTLS: the server answered OK: TLS follows"), nil
}

// pop3Status reads a POP3 status line: "+OK ..." or "-ERR ...".
func pop3Status(l *lineReader, what string) (bool, string, error) {
	s, err := l.line(what)
	if err != nil {
		return false, "", err
	}
	switch u := strings.ToUpper(s); {
	case strings.HasPrefix(u, "+OK"):
		return true, strings.TrimSpace(s[3:]), nil
	case strings.HasPrefix(u, "-ERR"):
		return false, strings.TrimSpace(s[4:]), nil
	}
	return false, "", badPreamble([]byte(s), "reading %s: %q is not a POP3 status: this is not a POP3 server", what, clip(s))
}

// pop3StartTLS reads the greeting, lists the capabilities (CAPA) and
// sends STLS (RFC 2595 section 4), as openssl s_client -starttls pop3
// does.
func pop3StartTLS(c net.Conn) ([]string, error) {
	l := &lineReader{r: c}
	ok, text, err := pop3Status(l, "the POP3 greeting")
	if err != nil {
		return nil, err
	}
	steps := []string{"the server greeted: " + clip(text)}
	if !ok {
		return steps, &Error{Msg: fmt.Sprintf("the server refused the connection: -ERR %q", clip(text))}
	}
	if err := writeAll(c, []byte("CAPA\r\n")); err != nil {
		return steps, fmt.Errorf("sending CAPA: %w", err)
	}
	ok, text, err = pop3Status(l, "the answer to CAPA")
	if err != nil {
		return steps, err
	}
	if ok {
		var caps []string
		for range mailMaxLines {
			s, err := l.line("the capability list")
			if err != nil {
				return steps, err
			}
			if s == "." {
				break
			}
			caps = append(caps, firstWord(s))
		}
		steps = append(steps, "the server's capabilities: "+orNone(caps))
		if !slices.Contains(caps, "STLS") {
			return steps, &Error{Msg: "the server does not offer STLS: its capabilities are " + orNone(caps) + " (Dovecot offers it with ssl = yes or required and ssl_cert / ssl_key)"}
		}
	} else {
		steps = append(steps, fmt.Sprintf("the server does not list its capabilities (CAPA: -ERR %q)", clip(text)))
	}
	if err := writeAll(c, []byte("STLS\r\n")); err != nil {
		return steps, fmt.Errorf("sending STLS: %w", err)
	}
	ok, text, err = pop3Status(l, "the answer to STLS")
	if err != nil {
		return steps, err
	}
	if !ok {
		return steps, &Error{Msg: fmt.Sprintf("the server refused STLS: -ERR %q", clip(text))}
	}
	return append(steps, "sent STLS: the server answered +OK: TLS follows"), nil
}

// MailAfterTLS proves the mail session works over TLS: EHLO again for
// SMTP (RFC 3207 says the client starts over), CAPABILITY for IMAP, CAPA
// for POP3. This is the first read after the handshake, where a TLS 1.3
// server's refusal of the client certificate shows. A refusal in the
// protocol's words is an [*Error] carrying the server's text.
func MailAfterTLS(c io.ReadWriter, protocol string) (string, error) {
	l := &lineReader{r: c}
	name := strings.ToUpper(protocol)
	switch protocol {
	case SMTP:
		ehlo := "EHLO [127.0.0.1]"
		if nc, ok := c.(net.Conn); ok {
			ehlo = "EHLO " + ehloName(nc)
		}
		if err := writeAll(c, []byte(ehlo+"\r\n")); err != nil {
			return "", err
		}
		code, texts, err := smtpReply(l, "the answer to EHLO over TLS")
		if err != nil {
			return "", err
		}
		if code != 250 {
			return "", &Error{Msg: fmt.Sprintf("the server answered EHLO over TLS with %d %q", code, clip(strings.Join(texts, " ")))}
		}
	case IMAP:
		if err := writeAll(c, []byte("a3 CAPABILITY\r\n")); err != nil {
			return "", err
		}
		untagged, status, text, err := imapResponse(l, "a3", "the answer to CAPABILITY over TLS")
		if err != nil {
			return "", err
		}
		if status != "OK" {
			return "", &Error{Msg: fmt.Sprintf("the server answered CAPABILITY over TLS with %s %q %s", status, clip(text), clip(strings.Join(untagged, " ")))}
		}
	case POP3:
		if err := writeAll(c, []byte("CAPA\r\n")); err != nil {
			return "", err
		}
		ok, text, err := pop3Status(l, "the answer to CAPA over TLS")
		if err != nil {
			return "", err
		}
		if ok {
			for range mailMaxLines {
				s, err := l.line("the capability list over TLS")
				if err != nil {
					return "", err
				}
				if s == "." {
					break
				}
			}
		} else if strings.Contains(strings.ToLower(text), "certificate") {
			return "", &Error{Msg: fmt.Sprintf("the server answered CAPA over TLS with -ERR %q", clip(text))}
		}
	default:
		return "", fmt.Errorf("MailAfterTLS: %q is not a mail protocol", protocol)
	}
	return name + " over TLS works: the server answered " + map[string]string{SMTP: "EHLO", IMAP: "CAPABILITY", POP3: "CAPA"}[protocol], nil
}

// IsMail reports whether protocol is one of the mail protocols, whose
// server speaks first.
func IsMail(protocol string) bool {
	return protocol == SMTP || protocol == IMAP || protocol == POP3
}

// firstWord is a capability line's keyword, upper-cased ("" for a blank
// line).
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.ToUpper(f[0])
	}
	return ""
}

// clip shows at most 120 bytes of what a server sent, control bytes
// escaped.
func clip(s string) string {
	return lint.PrintableBytes([]byte(s), 120)
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "nothing"
	}
	return strings.Join(list, " ")
}
