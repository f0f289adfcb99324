// Package starttls speaks the plain-text part of the protocols whose TLS
// starts inside the connection, up to the first byte of the TLS
// handshake, for lint/diagnose's probe:
//
//   - NBD: fixed newstyle negotiation up to NBD_OPT_STARTTLS, as qemu-nbd
//     and QEMU's NBD server expect (NetworkBlockDevice/nbd doc/proto.md;
//     QEMU nbd/server.c);
//   - VNC: RFB 3.8 with the VeNCrypt security type and an x509 subtype, as
//     QEMU's VNC server offers it (RFC 6143; QEMU ui/vnc-auth-vencrypt.c);
//   - PostgreSQL: the SSLRequest a libpq client sends before TLS (the
//     PostgreSQL protocol's "SSL Session Encryption", as psql with
//     sslmode=require or stricter sends it);
//   - LDAP: the StartTLS extended operation (RFC 4511 section 4.14), as
//     ldapsearch -ZZ sends it;
//   - SMTP, IMAP and POP3: the greeting, the capabilities and STARTTLS
//     (STLS for POP3), as openssl s_client -starttls and swaks send them;
//   - MySQL and MariaDB: the server's greeting and the client's
//     SSLRequest, as the mariadb client with --ssl sends it;
//   - FTP: the greeting and AUTH TLS (RFC 4217), as curl ftp://
//     --ssl-reqd and lftp send it;
//   - XMPP: a stream to the server's domain, its features and
//     <starttls/> (RFC 6120), as openssl s_client -starttls xmpp sends
//     it.
//
// [Negotiate] reads exactly what the protocol defines, never more, so no
// TLS byte is lost. Its failures are [*Error] values carrying what the
// server sent.
package starttls

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/lint"
)

// The protocols [Negotiate] speaks.
const (
	NBD      = "nbd"      // NBD fixed newstyle negotiation up to NBD_OPT_STARTTLS (qemu-nbd, QEMU's NBD server)
	VNC      = "vnc"      // RFB 3.8 with the VeNCrypt security type and an x509 subtype (QEMU's VNC server)
	Postgres = "postgres" // PostgreSQL's SSLRequest (libpq, psql)
	LDAP     = "ldap"     // LDAP's StartTLS extended operation (ldapsearch -ZZ)
	SMTP     = "smtp"     // SMTP's EHLO and STARTTLS (RFC 3207: openssl s_client -starttls smtp, swaks --tls)
	IMAP     = "imap"     // IMAP's STARTTLS (RFC 9051 6.2.1: openssl s_client -starttls imap)
	POP3     = "pop3"     // POP3's STLS (RFC 2595: openssl s_client -starttls pop3)
	MySQL    = "mysql"    // MySQL's and MariaDB's SSLRequest (mariadb --ssl, openssl s_client -starttls mysql)
	FTP      = "ftp"      // FTP's AUTH TLS (RFC 4217: curl ftp:// --ssl-reqd, openssl s_client -starttls ftp)
	XMPP     = "xmpp"     // XMPP's STARTTLS (RFC 6120: openssl s_client -starttls xmpp -xmpphost DOMAIN)
)

// Protocols lists what [Negotiate] speaks, for usage messages.
var Protocols = []string{NBD, VNC, Postgres, LDAP, SMTP, IMAP, POP3, MySQL, FTP, XMPP}

// Error is a STARTTLS negotiation that failed: the server said no, or
// said something that is not the protocol.
type Error struct {
	Msg string
	Got []byte // what the server sent where the protocol was expected
	TLS bool   // Got looks like a TLS record: the port speaks TLS directly
	// Broken: the server says its own TLS set-up failed (SMTP's 454
	// "TLS not available due to local problem": it could not load its
	// certificate or key; FTP's 431; XMPP's <failure/>).
	Broken bool
}

func (e *Error) Error() string { return e.Msg }

func badPreamble(got []byte, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Got: got, TLS: LooksLikeTLSRecord(got)}
}

// LooksLikeTLSRecord reports whether b starts like a TLS record: a
// content type from change_cipher_spec (20) to heartbeat (24) and a
// legacy version 3.x with x ≤ 4 (RFC 8446 5.1).
func LooksLikeTLSRecord(b []byte) bool {
	return len(b) >= 3 && b[0] >= 0x14 && b[0] <= 0x18 && b[1] == 0x03 && b[2] <= 0x04
}

// Negotiate runs the plain-text part of protocol (one of [Protocols]) on c and
// returns the steps taken, for a report. After it returns nil, the next
// bytes on c are a TLS handshake. It reads exactly what the protocol
// defines, never more, so no TLS byte is lost. The caller bounds it with
// a deadline on c.
func Negotiate(c net.Conn, protocol string) ([]string, error) {
	return NegotiateDomain(c, protocol, "")
}

// NegotiateDomain is [Negotiate] for the protocols whose preamble names
// the server's domain (XMPP's stream header): domain is that name.
func NegotiateDomain(c net.Conn, protocol, domain string) ([]string, error) {
	switch protocol {
	case NBD:
		return nbdStartTLS(c)
	case VNC:
		return vncStartTLS(c)
	case Postgres:
		return pgStartTLS(c)
	case LDAP:
		return ldapStartTLS(c)
	case SMTP:
		return smtpStartTLS(c)
	case IMAP:
		return imapStartTLS(c)
	case POP3:
		return pop3StartTLS(c)
	case MySQL:
		return mysqlStartTLS(c)
	case FTP:
		return ftpStartTLS(c)
	case XMPP:
		if domain == "" {
			return nil, fmt.Errorf("XMPP's STARTTLS needs the server's domain")
		}
		return xmppStartTLS(c, domain)
	}
	return nil, fmt.Errorf("unknown STARTTLS protocol %q (want %s)", protocol, strings.Join(Protocols, ", "))
}

// NBD protocol constants (NetworkBlockDevice/nbd doc/proto.md).
const (
	nbdMagic            = "NBDMAGIC"
	nbdOptMagic         = 0x49484156454F5054 // "IHAVEOPT"
	nbdOldstyleMagic    = 0x00420281861253
	nbdReplyMagic       = 0x3e889045565a9
	nbdFlagFixed        = 1 << 0 // NBD_FLAG_FIXED_NEWSTYLE
	nbdFlagNoZeroes     = 1 << 1 // NBD_FLAG_NO_ZEROES
	nbdOptAbort         = 2
	nbdOptList          = 3
	nbdOptStartTLS      = 5
	nbdRepAck           = 1
	nbdRepServer        = 2
	nbdRepFlagError     = 1 << 31
	nbdRepErrUnsup      = nbdRepFlagError | 1
	nbdRepErrPolicy     = nbdRepFlagError | 2
	nbdRepErrInvalid    = nbdRepFlagError | 3
	nbdRepErrTLSReqd    = nbdRepFlagError | 5
	nbdMaxReplyPayload  = 64 << 10
	nbdMaxErrorTextShow = 200
)

var nbdReplyNames = map[uint32]string{
	nbdRepAck: "NBD_REP_ACK", nbdRepServer: "NBD_REP_SERVER", nbdRepErrUnsup: "NBD_REP_ERR_UNSUP",
	nbdRepErrPolicy: "NBD_REP_ERR_POLICY", nbdRepErrInvalid: "NBD_REP_ERR_INVALID", nbdRepErrTLSReqd: "NBD_REP_ERR_TLS_REQD",
}

func nbdReplyName(t uint32) string {
	if n, ok := nbdReplyNames[t]; ok {
		return n
	}
	return fmt.Sprintf("reply type %#x", t)
}

// nbdStartTLS: the server greets with "NBDMAGIC", "IHAVEOPT" and its
// handshake flags; the client answers with its flags and sends option
// NBD_OPT_STARTTLS (5) with no data; the server replies NBD_REP_ACK and
// the TLS handshake starts.
func nbdStartTLS(c net.Conn) ([]string, error) {
	var steps []string
	greet := make([]byte, 18)
	if n, err := io.ReadFull(c, greet[:8]); err != nil {
		return steps, readErr("the NBD greeting", greet[:n], err)
	}
	if string(greet[:8]) != nbdMagic {
		return steps, badPreamble(greet[:8], "the server did not greet with %q: this is not an NBD server", nbdMagic)
	}
	if n, err := io.ReadFull(c, greet[8:]); err != nil {
		return steps, readErr("the NBD greeting", greet[:8+n], err)
	}
	magic := binary.BigEndian.Uint64(greet[8:16])
	if magic == nbdOldstyleMagic {
		return steps, badPreamble(nil, "the server speaks the oldstyle NBD handshake, which has no STARTTLS (qemu-nbd -o / --old-style?)")
	}
	if magic != nbdOptMagic {
		return steps, badPreamble(greet[8:16], "the NBD greeting has magic %#x, not IHAVEOPT", magic)
	}
	flags := binary.BigEndian.Uint16(greet[16:18])
	steps = append(steps, fmt.Sprintf("NBD newstyle greeting, handshake flags %#04x", flags))
	if flags&nbdFlagFixed == 0 {
		return steps, badPreamble(nil, "the NBD server does not offer the fixed newstyle handshake, so it cannot do NBD_OPT_STARTTLS")
	}
	clientFlags := uint32(nbdFlagFixed)
	if flags&nbdFlagNoZeroes != 0 {
		clientFlags |= nbdFlagNoZeroes
	}
	if err := writeAll(c, binary.BigEndian.AppendUint32(nil, clientFlags)); err != nil {
		return steps, err
	}
	if err := nbdSendOption(c, nbdOptStartTLS); err != nil {
		return steps, err
	}
	steps = append(steps, "sent NBD_OPT_STARTTLS")
	typ, payload, err := nbdReadReply(c, nbdOptStartTLS)
	if err != nil {
		return steps, err
	}
	if typ != nbdRepAck {
		msg := fmt.Sprintf("the NBD server answered NBD_OPT_STARTTLS with %s", nbdReplyName(typ))
		if len(payload) > 0 {
			msg += fmt.Sprintf(" (%q)", lint.PrintableBytes(payload, nbdMaxErrorTextShow))
		}
		switch typ {
		case nbdRepErrUnsup, nbdRepErrPolicy:
			msg += ": TLS is not enabled on it (qemu-nbd needs --object tls-creds-x509,... --tls-creds ID)"
		}
		return steps, badPreamble(nil, "%s", msg)
	}
	steps = append(steps, "server answered NBD_REP_ACK: TLS handshake follows")
	return steps, nil
}

// nbdReadReply reads one option reply: magic, option, type, length, data.
func nbdReadReply(c io.Reader, opt uint32) (uint32, []byte, error) {
	h := make([]byte, 20)
	if n, err := io.ReadFull(c, h); err != nil {
		return 0, nil, readErr("the NBD option reply", h[:n], err)
	}
	if m := binary.BigEndian.Uint64(h[:8]); m != nbdReplyMagic {
		return 0, nil, badPreamble(h[:8], "the NBD option reply has magic %#x, not %#x", m, uint64(nbdReplyMagic))
	}
	if o := binary.BigEndian.Uint32(h[8:12]); o != opt {
		return 0, nil, badPreamble(nil, "the NBD server replied to option %d, not %d", o, opt)
	}
	typ, n := binary.BigEndian.Uint32(h[12:16]), binary.BigEndian.Uint32(h[16:20])
	if n > nbdMaxReplyPayload {
		return 0, nil, badPreamble(nil, "the NBD option reply claims %d bytes of data", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(c, payload); err != nil {
		return 0, nil, readErr("the NBD option reply", nil, err)
	}
	return typ, payload, nil
}

// NBDAfterTLS proves the NBD session works over TLS: it asks for the
// export list (NBD_OPT_LIST) and reads replies up to NBD_REP_ACK, then
// sends NBD_OPT_ABORT. This is the first read after the handshake, where
// a TLS 1.3 server's rejection of the client certificate shows.
func NBDAfterTLS(c io.ReadWriter) (string, error) {
	if err := nbdSendOption(c, nbdOptList); err != nil {
		return "", err
	}
	var exports []string
	for i := 0; i < 1000; i++ {
		typ, payload, err := nbdReadReply(c, nbdOptList)
		if err != nil {
			return "", err
		}
		switch {
		case typ == nbdRepServer && len(payload) >= 4:
			n := binary.BigEndian.Uint32(payload[:4])
			if int(n) <= len(payload)-4 {
				exports = append(exports, lint.PrintableBytes(payload[4:4+n], 64))
			}
			continue
		case typ == nbdRepAck:
			_ = nbdSendOption(c, nbdOptAbort)
			return fmt.Sprintf("NBD over TLS works: the server lists %d export(s) %q", len(exports), exports), nil
		default:
			_ = nbdSendOption(c, nbdOptAbort)
			return fmt.Sprintf("NBD over TLS works: the server answered NBD_OPT_LIST with %s", nbdReplyName(typ)), nil
		}
	}
	return "", errors.New("the NBD server sent more than 1000 export list replies")
}

// nbdSendOption sends option opt with no data.
func nbdSendOption(w io.Writer, opt uint32) error {
	b := binary.BigEndian.AppendUint64(nil, nbdOptMagic)
	b = binary.BigEndian.AppendUint32(b, opt)
	b = binary.BigEndian.AppendUint32(b, 0)
	_, err := w.Write(b)
	return err
}

// RFB and VeNCrypt constants (RFC 6143; VeNCrypt as QEMU's ui/vnc-auth-vencrypt.c speaks it).
const (
	rfbSecVeNCrypt    = 19
	vencryptX509None  = 260
	vencryptX509VNC   = 261
	vencryptX509Plain = 262
	vencryptX509SASL  = 264
	rfbMaxReason      = 4096
)

var vencryptNames = map[uint32]string{
	256: "Plain", 257: "TLSNone", 258: "TLSVnc", 259: "TLSPlain",
	260: "X509None", 261: "X509Vnc", 262: "X509Plain", 263: "TLSSASL", 264: "X509SASL",
}

func vencryptName(t uint32) string {
	if n, ok := vencryptNames[t]; ok {
		return n
	}
	return fmt.Sprintf("subtype %d", t)
}

// vncStartTLS: the server sends its RFB version, the client answers
// "RFB 003.008", the server lists security types and the client picks
// VeNCrypt (19); both agree on VeNCrypt 0.2; the server lists subtypes and
// the client picks an x509 one (X509None first); after the server's
// acceptance byte the TLS handshake starts.
func vncStartTLS(c net.Conn) ([]string, error) {
	var steps []string
	ver := make([]byte, 12)
	if n, err := io.ReadFull(c, ver); err != nil {
		return steps, readErr("the RFB version", ver[:n], err)
	}
	if !bytes.HasPrefix(ver, []byte("RFB ")) || ver[11] != '\n' {
		return steps, badPreamble(ver, "the server did not send an RFB version: this is not a VNC server")
	}
	var major, minor int
	if _, err := fmt.Sscanf(string(ver[4:11]), "%03d.%03d", &major, &minor); err != nil || major != 3 {
		return steps, badPreamble(ver, "the server sent an RFB version %q this client does not speak", lint.PrintableBytes(ver, 12))
	}
	steps = append(steps, fmt.Sprintf("server speaks %s", lint.PrintableBytes(ver[:11], 12)))
	if minor < 7 {
		return steps, badPreamble(nil, "RFB %d.%d lets the server choose the security type; VeNCrypt needs RFB 3.7 or later", major, minor)
	}
	reply := []byte("RFB 003.008\n")
	if minor == 7 {
		reply = []byte("RFB 003.007\n")
	}
	if err := writeAll(c, reply); err != nil {
		return steps, err
	}
	var n [1]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return steps, readErr("the RFB security types", nil, err)
	}
	if n[0] == 0 {
		return steps, badPreamble(nil, "the VNC server refused the connection: %s", rfbReason(c))
	}
	types := make([]byte, n[0])
	if _, err := io.ReadFull(c, types); err != nil {
		return steps, readErr("the RFB security types", nil, err)
	}
	steps = append(steps, fmt.Sprintf("security types offered: %v", types))
	if !slices.Contains(types, rfbSecVeNCrypt) {
		return steps, badPreamble(nil, "the VNC server does not offer VeNCrypt (security type 19), so it has no TLS: start QEMU with -vnc ...,tls-creds=ID (offered: %v; 1 = None, 2 = VNC password)", types)
	}
	if err := writeAll(c, []byte{rfbSecVeNCrypt}); err != nil {
		return steps, err
	}
	var sv [2]byte
	if _, err := io.ReadFull(c, sv[:]); err != nil {
		return steps, readErr("the VeNCrypt version", nil, err)
	}
	if sv[0] != 0 || sv[1] < 2 {
		return steps, badPreamble(nil, "the server speaks VeNCrypt %d.%d; this client speaks 0.2", sv[0], sv[1])
	}
	if err := writeAll(c, []byte{0, 2}); err != nil {
		return steps, err
	}
	var ok [1]byte
	if _, err := io.ReadFull(c, ok[:]); err != nil {
		return steps, readErr("the VeNCrypt version acknowledgement", nil, err)
	}
	if ok[0] != 0 {
		return steps, badPreamble(nil, "the server refused VeNCrypt version 0.2")
	}
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return steps, readErr("the VeNCrypt subtypes", nil, err)
	}
	raw := make([]byte, 4*int(n[0]))
	if _, err := io.ReadFull(c, raw); err != nil {
		return steps, readErr("the VeNCrypt subtypes", nil, err)
	}
	var subs []uint32
	var names []string
	for i := 0; i+4 <= len(raw); i += 4 {
		s := binary.BigEndian.Uint32(raw[i:])
		subs = append(subs, s)
		names = append(names, vencryptName(s))
	}
	steps = append(steps, fmt.Sprintf("VeNCrypt 0.2, subtypes offered: %v", names))
	pick := uint32(0)
	for _, want := range []uint32{vencryptX509None, vencryptX509VNC, vencryptX509Plain, vencryptX509SASL} {
		if slices.Contains(subs, want) {
			pick = want
			break
		}
	}
	if pick == 0 {
		return steps, badPreamble(nil, "the VNC server offers no x509 VeNCrypt subtype (offered: %v): TLSNone/TLSVnc are anonymous TLS (tls-creds-anon), which Go cannot speak; use tls-creds-x509 on the server", names)
	}
	if err := writeAll(c, binary.BigEndian.AppendUint32(nil, pick)); err != nil {
		return steps, err
	}
	if _, err := io.ReadFull(c, ok[:]); err != nil {
		return steps, readErr("the VeNCrypt subtype acknowledgement", nil, err)
	}
	if ok[0] != 1 {
		return steps, badPreamble(nil, "the server refused VeNCrypt subtype %s", vencryptName(pick))
	}
	steps = append(steps, fmt.Sprintf("chose %s: TLS handshake follows", vencryptName(pick)))
	return steps, nil
}

// rfbReason reads the reason string of a refused RFB connection.
func rfbReason(r io.Reader) string {
	var l [4]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return "(no reason given)"
	}
	n := min(binary.BigEndian.Uint32(l[:]), rfbMaxReason)
	b := make([]byte, n)
	k, _ := io.ReadFull(r, b)
	return fmt.Sprintf("%q", lint.PrintableBytes(b[:k], 200))
}

func writeAll(c io.Writer, b []byte) error {
	_, err := c.Write(b)
	return err
}

// readErr words a failed read during a preamble; got is what arrived.
func readErr(what string, got []byte, err error) error {
	if len(got) > 0 {
		return &Error{Msg: fmt.Sprintf("reading %s: %v after %d bytes", what, err, len(got)), Got: got, TLS: LooksLikeTLSRecord(got)}
	}
	return fmt.Errorf("reading %s: %w", what, err)
}

// PostgreSQL protocol constants (the PostgreSQL documentation's
// "Message Formats" and "SSL Session Encryption").
const (
	pgSSLRequestCode = 80877103 // 1234 << 16 | 5679
	pgProtocol30     = 3 << 16
	pgMaxMessage     = 64 << 10
)

// pgStartTLS sends the SSLRequest (length 8, code 80877103) and reads the
// server's one-byte answer: 'S', and the TLS handshake starts; 'N', the
// server has no TLS (ssl = off). A server that answers with an
// ErrorResponse ('E') predates the SSLRequest or is not PostgreSQL.
func pgStartTLS(c net.Conn) ([]string, error) {
	req := binary.BigEndian.AppendUint32(nil, 8)
	req = binary.BigEndian.AppendUint32(req, pgSSLRequestCode)
	if err := writeAll(c, req); err != nil {
		return nil, fmt.Errorf("sending the SSLRequest: %w", err)
	}
	steps := []string{"sent the PostgreSQL SSLRequest"}
	b := make([]byte, 1)
	if n, err := io.ReadFull(c, b); err != nil {
		return steps, readErr("the answer to the SSLRequest", b[:n], err)
	}
	switch b[0] {
	case 'S':
		return append(steps, "the server answered 'S': TLS follows"), nil
	case 'N':
		return steps, &Error{Msg: "the server answered 'N' to the SSLRequest: it does not offer TLS (PostgreSQL with ssl = off)", Got: b}
	case 'E':
		msg := pgReadError(c, true)
		return steps, &Error{Msg: "the server answered the SSLRequest with an error: " + msg, Got: b}
	}
	// Not PostgreSQL: keep what else arrives at once, to show it (a TLS
	// server answers the request's bytes with an alert record).
	got := append(b, readSoon(c, 64)...)
	return steps, badPreamble(got, "the server did not answer the SSLRequest with 'S' or 'N': this is not a PostgreSQL server")
}

// readSoon reads what the server sends within a moment, at most max
// bytes.
func readSoon(c net.Conn, max int) []byte {
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	b := make([]byte, max)
	n, _ := io.ReadAtLeast(c, b, max)
	return b[:n]
}

// PgAfterTLS proves the PostgreSQL session works over TLS: it sends a
// StartupMessage (protocol 3.0) for user and database user, and reads the
// server's first message. An authentication request ('R') means TLS and
// the client certificate passed and the server now asks the user to
// authenticate (diagnose goes no further); an ErrorResponse ('E') is the
// server's refusal, such as "connection requires a valid client
// certificate": it is returned as an [*Error] whose Msg is the server's
// severity and message.
func PgAfterTLS(c io.ReadWriter, user string) (string, error) {
	var body []byte
	body = binary.BigEndian.AppendUint32(body, pgProtocol30)
	for _, kv := range [][2]string{{"user", user}, {"database", user}, {"application_name", "tlscreds-diagnose"}} {
		body = append(append(append(append(body, kv[0]...), 0), kv[1]...), 0)
	}
	body = append(body, 0)
	msg := binary.BigEndian.AppendUint32(nil, uint32(len(body)+4))
	if err := writeAll(c, append(msg, body...)); err != nil {
		return "", err
	}
	t := make([]byte, 1)
	if _, err := io.ReadFull(c, t); err != nil {
		return "", err
	}
	switch t[0] {
	case 'R':
		code, ok := pgReadAuth(c)
		if !ok {
			return "PostgreSQL over TLS works: the server asks the client to authenticate", nil
		}
		return fmt.Sprintf("PostgreSQL over TLS works: the server asks user %q to authenticate (%s)", user, code), nil
	case 'E':
		return "", &Error{Msg: pgReadError(c, false), Got: t}
	}
	return "", &Error{Msg: fmt.Sprintf("the server answered the StartupMessage with message type %q, not an authentication request or an error", t[0]), Got: t}
}

// pgAuthNames are the AuthenticationXXX codes of an 'R' message.
var pgAuthNames = map[uint32]string{
	0: "AuthenticationOk: it trusts this connection", 2: "Kerberos V5", 3: "a clear-text password", 5: "an MD5 password",
	7: "GSSAPI", 9: "SSPI", 10: "SASL (SCRAM-SHA-256)",
}

// pgReadAuth reads an authentication request after its type byte and
// names it.
func pgReadAuth(r io.Reader) (string, bool) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", false
	}
	code := binary.BigEndian.Uint32(h[4:])
	if n, ok := pgAuthNames[code]; ok {
		return n, true
	}
	return fmt.Sprintf("authentication request %d", code), true
}

// pgReadError reads an ErrorResponse after its type byte and returns its
// severity, message and SQLSTATE as the server's log shows them
// ("FATAL:  message (SQLSTATE 28000)"). A server that predates protocol
// 3.0 answers with a bare string (legacy).
func pgReadError(r io.Reader, legacy bool) string {
	var l [4]byte
	if n, err := io.ReadFull(r, l[:]); err != nil {
		return fmt.Sprintf("(unreadable: %q)", lint.PrintableBytes(l[:n], 8))
	}
	n := binary.BigEndian.Uint32(l[:])
	if n < 4 || n > pgMaxMessage {
		if legacy {
			return fmt.Sprintf("%q", lint.PrintableBytes(l[:], 8))
		}
		return fmt.Sprintf("(an error message of %d bytes)", n)
	}
	b := make([]byte, n-4)
	k, _ := io.ReadFull(r, b)
	fields := map[byte]string{}
	for _, f := range bytes.Split(b[:k], []byte{0}) {
		if len(f) > 1 {
			fields[f[0]] = lint.PrintableBytes(f[1:], 300)
		}
	}
	sev := fields['V']
	if sev == "" {
		sev = fields['S']
	}
	out := fields['M']
	if sev != "" {
		out = sev + ":  " + out
	}
	if c := fields['C']; c != "" {
		out += " (SQLSTATE " + c + ")"
	}
	return out
}

// LDAP (RFC 4511): the StartTLS and "Who am I?" (RFC 4532) extended
// operations, BER-encoded.
const (
	ldapStartTLSOID = "1.3.6.1.4.1.1466.20037"
	ldapWhoAmIOID   = "1.3.6.1.4.1.4203.1.11.3"
	ldapMaxMessage  = 64 << 10
)

// ldapResultNames are the LDAP result codes a StartTLS or Who am I?
// request meets (RFC 4511 appendix A).
var ldapResultNames = map[int]string{
	0: "success", 1: "operationsError", 2: "protocolError", 8: "strongerAuthRequired", 12: "unavailableCriticalExtension",
	13: "confidentialityRequired", 48: "inappropriateAuthentication", 49: "invalidCredentials", 50: "insufficientAccessRights",
	51: "busy", 52: "unavailable", 53: "unwillingToPerform", 80: "other",
}

func ldapResultName(code int) string {
	if n, ok := ldapResultNames[code]; ok {
		return fmt.Sprintf("%s (%d)", n, code)
	}
	return fmt.Sprintf("result code %d", code)
}

// ldapExtendedRequest is an LDAPMessage with id carrying an
// ExtendedRequest ([APPLICATION 23]) for oid, without a value.
func ldapExtendedRequest(id byte, oid string) []byte {
	name := append([]byte{0x80, byte(len(oid))}, oid...) // requestName [0]
	op := append([]byte{0x77, byte(len(name))}, name...)
	body := append([]byte{0x02, 0x01, id}, op...) // messageID
	return append([]byte{0x30, byte(len(body))}, body...)
}

// ldapExtendedResult reads one LDAPMessage and returns the result code
// and diagnostic message of the ExtendedResponse ([APPLICATION 24]) it
// carries. got is what was read, for an error.
func ldapExtendedResult(r io.Reader) (code int, diag string, got []byte, err error) {
	hdr := make([]byte, 2)
	if n, err := io.ReadFull(r, hdr); err != nil {
		return 0, "", hdr[:n], err
	}
	got = hdr
	if hdr[0] != 0x30 {
		// A TLS record header is five bytes; three tell it apart (an
		// LDAP message is longer than that).
		more := make([]byte, 1)
		m, _ := io.ReadFull(r, more)
		got = append(got, more[:m]...)
		return 0, "", got, badPreamble(got, "the server did not answer with an LDAP message")
	}
	n := int(hdr[1])
	if hdr[1]&0x80 != 0 {
		// OpenLDAP's liblber writes lengths in the long form with four
		// bytes (0x84 00 00 00 0c): BER, not DER.
		k := int(hdr[1] & 0x7f)
		if k == 0 || k > 4 {
			return 0, "", got, badPreamble(got, "the server's LDAP message has a length LDAP does not use")
		}
		lb := make([]byte, k)
		if m, err := io.ReadFull(r, lb); err != nil {
			return 0, "", append(got, lb[:m]...), err
		}
		got = append(got, lb...)
		n = 0
		for _, b := range lb {
			n = n<<8 | int(b)
		}
	}
	if n > ldapMaxMessage {
		return 0, "", got, badPreamble(got, "the server's LDAP message claims %d bytes", n)
	}
	body := make([]byte, n)
	if m, err := io.ReadFull(r, body); err != nil {
		return 0, "", append(got, body[:m]...), err
	}
	got = append(got, body...)
	// messageID, then the ExtendedResponse: resultCode, matchedDN,
	// diagnosticMessage, ...
	tag, _, rest, ok := berNext(body)
	if !ok || tag != 0x02 {
		return 0, "", got, badPreamble(got, "the server's LDAP message has no message ID")
	}
	tag, op, _, ok := berNext(rest)
	if !ok || tag != 0x78 {
		return 0, "", got, badPreamble(got, "the server did not answer with an LDAP ExtendedResponse")
	}
	tag, rc, fields, ok := berNext(op)
	if !ok || tag != 0x0a || len(rc) == 0 || len(rc) > 2 {
		return 0, "", got, badPreamble(got, "the server's LDAP ExtendedResponse has no result code")
	}
	for _, b := range rc {
		code = code<<8 | int(b)
	}
	if _, _, fields, ok = berNext(fields); ok { // matchedDN
		if _, msg, _, ok := berNext(fields); ok {
			diag = lint.PrintableBytes(msg, 200)
		}
	}
	return code, diag, got, nil
}

// berNext splits the first BER element (a one-byte tag, a definite
// length in the short or long form) off b.
func berNext(b []byte) (tag byte, content, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag, n, i := b[0], int(b[1]), 2
	if b[1]&0x80 != 0 {
		k := int(b[1] & 0x7f)
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, false
		}
		n = 0
		for _, x := range b[2 : 2+k] {
			n = n<<8 | int(x)
		}
		i += k
	}
	if n < 0 || n > len(b)-i {
		return 0, nil, nil, false
	}
	return tag, b[i : i+n], b[i+n:], true
}

// ldapStartTLS sends the StartTLS extended request; a success answer
// starts the TLS handshake. A server without TLS configured answers with
// an error (slapd: protocolError or unavailable, with its reason).
func ldapStartTLS(c net.Conn) ([]string, error) {
	if err := writeAll(c, ldapExtendedRequest(1, ldapStartTLSOID)); err != nil {
		return nil, fmt.Errorf("sending the StartTLS request: %w", err)
	}
	steps := []string{"sent the LDAP StartTLS extended request"}
	code, diag, got, err := ldapExtendedResult(c)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return steps, e
		}
		return steps, readErr("the answer to StartTLS", got, err)
	}
	if code != 0 {
		msg := "the server refused StartTLS: " + ldapResultName(code)
		if diag != "" {
			msg += fmt.Sprintf(", %q", diag)
		}
		// The answer is decoded in Msg; its bytes would add nothing.
		return steps, &Error{Msg: msg + " (an LDAP server without TLS configured answers so)"}
	}
	return append(steps, "the server answered success: TLS follows"), nil
}

// LDAPAfterTLS proves the LDAP session works over TLS with a "Who am
// I?" request (RFC 4532): the answer names the identity the server gives
// this connection (empty: anonymous; a client certificate may map to
// one with SASL EXTERNAL). This is the first read after the handshake,
// where a TLS 1.3 server's rejection of the client certificate shows.
func LDAPAfterTLS(c io.ReadWriter) (string, error) {
	if err := writeAll(c, ldapExtendedRequest(2, ldapWhoAmIOID)); err != nil {
		return "", err
	}
	code, diag, _, err := ldapExtendedResult(c)
	if err != nil {
		return "", err
	}
	if code != 0 {
		return fmt.Sprintf("LDAP over TLS works: the server answered \"Who am I?\" with %s %q", ldapResultName(code), diag), nil
	}
	return "LDAP over TLS works: the server answered \"Who am I?\"", nil
}
