package starttls

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// FTP's explicit TLS (RFC 4217, "FTPS" on the control port 21): the
// server greets first (220), the client sends AUTH TLS and reads one
// reply, 234, and the handshake follows. The replies are text lines,
// read one byte at a time as the mail protocols' are.

// ftpReply reads one FTP reply (RFC 959 section 4.2): a line "ddd text",
// or a first line "ddd-text", any lines, and a last line "ddd text" with
// the same code. It returns the code and the lines' texts.
func ftpReply(l *lineReader, what string) (int, []string, error) {
	s, err := l.line(what)
	if err != nil {
		return 0, nil, err
	}
	if len(s) < 3 || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' || len(s) > 3 && s[3] != ' ' && s[3] != '-' {
		return 0, nil, badPreamble([]byte(s), "reading %s: %q is not an FTP reply: this is not an FTP server", what, clip(s))
	}
	code, _ := strconv.Atoi(s[:3])
	texts := []string{strings.TrimSpace(s[min(len(s), 4):])}
	if len(s) == 3 || s[3] == ' ' {
		return code, texts, nil
	}
	for range mailMaxLines {
		s, err := l.line(what)
		if err != nil {
			return 0, texts, err
		}
		if strings.HasPrefix(s, strconv.Itoa(code)+" ") || s == strconv.Itoa(code) {
			return code, append(texts, strings.TrimSpace(s[3:])), nil
		}
		texts = append(texts, strings.TrimSpace(strings.TrimPrefix(s, strconv.Itoa(code)+"-")))
	}
	return 0, texts, &Error{Msg: fmt.Sprintf("reading %s: more than %d lines", what, mailMaxLines)}
}

// ftpStartTLS reads the greeting (a 120 "ready in a while" first, if
// any), sends AUTH TLS and reads its 234 (RFC 4217 section 4), as curl
// ftp:// --ssl-reqd, lftp with ftp:ssl-force, openssl s_client -starttls
// ftp and gnutls-cli --starttls-proto=ftp do.
func ftpStartTLS(c net.Conn) ([]string, error) {
	l := &lineReader{r: c}
	code, texts, err := ftpReply(l, "the FTP greeting")
	if err != nil {
		return nil, err
	}
	steps := []string{fmt.Sprintf("the server greeted: %d %s", code, clip(texts[0]))}
	if code == 120 {
		if code, texts, err = ftpReply(l, "the FTP greeting after 120"); err != nil {
			return steps, err
		}
		steps = append(steps, fmt.Sprintf("then: %d %s", code, clip(texts[0])))
	}
	if code != 220 {
		return steps, &Error{Msg: fmt.Sprintf("the server's greeting is %d %q, not 220: it does not accept this client", code, clip(strings.Join(texts, " ")))}
	}
	if err := writeAll(c, []byte("AUTH TLS\r\n")); err != nil {
		return steps, fmt.Errorf("sending AUTH TLS: %w", err)
	}
	code, texts, err = ftpReply(l, "the answer to AUTH TLS")
	if err != nil {
		return steps, err
	}
	text := clip(strings.Join(texts, " "))
	switch {
	case code == 234:
		return append(steps, fmt.Sprintf("sent AUTH TLS: the server answered %d: TLS follows", code)), nil
	case code == 431:
		// RFC 2228: "Need some unavailable resource to process
		// security": the server's own TLS set-up failed.
		return steps, &Error{Msg: fmt.Sprintf("the server refused AUTH TLS: %d %q (its TLS set-up failed: its log says why)", code, text), Broken: true}
	case code >= 500:
		// vsftpd without ssl_enable answers 530 "Please login with
		// USER and PASS.", as to any command it does not know before
		// a login; others 500, 502 or 504 (not implemented), 534
		// (refused by policy).
		return steps, &Error{Msg: fmt.Sprintf("the server refused AUTH TLS: %d %q: it has no TLS on this port, or refuses it (vsftpd: ssl_enable=YES with rsa_cert_file; ProFTPD: TLSEngine on; Pure-FTPd: --tls=1)", code, text)}
	}
	return steps, &Error{Msg: fmt.Sprintf("the server answered AUTH TLS with %d %q, not 234", code, text)}
}
