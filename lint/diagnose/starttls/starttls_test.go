package starttls

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// scripted is a connection whose server side is a fixed byte string: it
// reads from it (io.EOF at its end) and records what the client writes.
type scripted struct {
	r     *bytes.Reader
	wrote bytes.Buffer
}

func (s *scripted) Read(b []byte) (int, error)       { return s.r.Read(b) }
func (s *scripted) Write(b []byte) (int, error)      { return s.wrote.Write(b) }
func (s *scripted) Close() error                     { return nil }
func (s *scripted) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (s *scripted) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (s *scripted) SetDeadline(time.Time) error      { return nil }
func (s *scripted) SetReadDeadline(time.Time) error  { return nil }
func (s *scripted) SetWriteDeadline(time.Time) error { return nil }
func script(server string) *scripted                 { return &scripted{r: bytes.NewReader([]byte(server))} }
func (s *scripted) rest() string                     { b, _ := io.ReadAll(s.r); return string(b) }

// What qemu-nbd and QEMU's VNC server send up to the TLS handshake,
// followed by the first bytes of a ServerHello-sized TLS record.
const (
	nbdUpToTLS = "NBDMAGICIHAVEOPT\x00\x03" + // greeting: fixed newstyle, no zeroes
		"\x00\x03\xe8\x89\x04\x55\x65\xa9\x00\x00\x00\x05\x00\x00\x00\x01\x00\x00\x00\x00" // NBD_REP_ACK to NBD_OPT_STARTTLS
	vncUpToTLS = "RFB 003.008\n" + "\x01\x13" + // one security type: VeNCrypt
		"\x00\x02" + "\x00" + // VeNCrypt 0.2, accepted
		"\x01\x00\x00\x01\x04" + "\x01" // one subtype, X509None (260), accepted
	tlsRecord = "\x16\x03\x03\x00\x2a"
	// ldapStartTLSRequest is ldapsearch -ZZ's first message; slapd 2.5
	// answers success with the StartTLS OID as responseName, its
	// lengths in liblber's four-byte long form (here, as a server may).
	ldapStartTLSRequest = "\x30\x1d\x02\x01\x01\x77\x18\x80\x16" + "1.3.6.1.4.1.1466.20037"
	ldapStartTLSOK      = "\x30\x84\x00\x00\x00\x28\x02\x01\x01\x78\x84\x00\x00\x00\x1f\x0a\x01\x00\x04\x00\x04\x00\x8a\x16" + "1.3.6.1.4.1.1466.20037"
	// ldapNoTLS is slapd 2.5's answer without TLS configured (measured).
	ldapNoTLS = "0*\x02\x01\x01x%\n\x01\x02\x04\x00\x04\x1eunsupported extended operation"
	// pgSSLRequest is what psql sends first: length 8, code 80877103.
	pgSSLRequest = "\x00\x00\x00\x08\x04\xd2\x16\x2f"
	// Postfix 3.7's and Dovecot 2.3's words up to TLS, as Debian 12
	// configures them (smtpd_tls_security_level = may; ssl = yes).
	postfixGreeting = "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"
	postfixEHLO     = "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
	smtpUpToTLS     = postfixGreeting + postfixEHLO + "220 2.0.0 Ready to start TLS\r\n"
	imapUpToTLS     = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] Dovecot (Debian) ready.\r\n" +
		"a2 OK Begin TLS negotiation now.\r\n"
	// mariadbGreeting is MariaDB 10.11's Initial Handshake with TLS
	// configured (CLIENT_SSL in its capabilities); mariadbNoTLS without.
	mariadbGreeting = "\x64\x00\x00\x00" + "\x0a" + "5.5.5-10.11.14-MariaDB-0+deb12u2\x00" + "\x03\x00\x00\x00" + "abcdefgh" + "\x00" +
		"\xfe\xff" + "\x2d" + "\x02\x00" + "\xff\x81" + "\x15" + "\x00\x00\x00\x00\x00\x00" + "\x1d\x00\x00\x00" + "ijklmnopqrst\x00" + "mysql_native_password\x00"
	mariadbNoTLS = "\x64\x00\x00\x00" + "\x0a" + "5.5.5-10.11.14-MariaDB-0+deb12u2\x00" + "\x03\x00\x00\x00" + "abcdefgh" + "\x00" +
		"\xfe\xf7" + "\x2d" + "\x02\x00" + "\xff\x81" + "\x15" + "\x00\x00\x00\x00\x00\x00" + "\x1d\x00\x00\x00" + "ijklmnopqrst\x00" + "mysql_native_password\x00"
	// ftpUpToTLS is vsftpd 3.0.3's greeting and its answer to AUTH TLS
	// (ssl_enable=YES), a multi-line greeting first as ProFTPD may send.
	ftpUpToTLS  = "220-Welcome\r\n  to files\r\n220 (vsFTPd 3.0.3)\r\n" + "234 Proceed with negotiation.\r\n"
	pop3UpToTLS = "+OK Dovecot (Debian) ready.\r\n" + "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nSASL\r\n.\r\n" +
		"+OK Begin TLS negotiation now.\r\n"
)

// Negotiate stops exactly where TLS begins: the TLS bytes stay unread.
func TestNegotiateReadsNoTLSByte(t *testing.T) {
	for _, tt := range []struct {
		proto, server, wrote, step string
	}{
		{NBD, nbdUpToTLS, "IHAVEOPT\x00\x00\x00\x05\x00\x00\x00\x00", "STARTTLS"},
		{VNC, vncUpToTLS, "RFB 003.008\n\x13\x00\x02\x00\x00\x01\x04", "chose X509None"},
		{Postgres, "S", pgSSLRequest, "TLS follows"},
		{LDAP, ldapStartTLSOK, ldapStartTLSRequest, "TLS follows"},
		{SMTP, smtpUpToTLS, "EHLO [127.0.0.1]\r\nSTARTTLS\r\n", "TLS follows"},
		{IMAP, imapUpToTLS, "a2 STARTTLS\r\n", "TLS follows"},
		{POP3, pop3UpToTLS, "CAPA\r\nSTLS\r\n", "TLS follows"},
		{MySQL, mariadbGreeting, "\x20\x00\x00\x01\x85\xae\x7f\x00\x00\x00\x00\x01\x21", "TLS follows"},
		{FTP, ftpUpToTLS, "AUTH TLS\r\n", "TLS follows"},
	} {
		c := script(tt.server + tlsRecord)
		steps, err := Negotiate(c, tt.proto)
		if err != nil {
			t.Fatalf("%s: %v", tt.proto, err)
		}
		if rest := c.rest(); rest != tlsRecord {
			t.Errorf("%s: left %q unread, want the TLS record %q", tt.proto, rest, tlsRecord)
		}
		if !strings.Contains(c.wrote.String(), tt.wrote) {
			t.Errorf("%s: the client wrote %q, want it to contain %q", tt.proto, c.wrote.String(), tt.wrote)
		}
		if !strings.Contains(strings.Join(steps, "\n"), tt.step) {
			t.Errorf("%s: steps %q lack %q", tt.proto, steps, tt.step)
		}
	}
}

// A port that speaks TLS from the first byte answers neither protocol:
// the error says so (Error.TLS), with what the server sent.
func TestNegotiateOnATLSPort(t *testing.T) {
	for _, proto := range []string{NBD, VNC, Postgres, LDAP, SMTP, IMAP, POP3, MySQL, FTP} {
		_, err := Negotiate(script(tlsRecord+"\x02\x00\x00\x26\x03\x03abcdefgh"), proto)
		var e *Error
		if !errors.As(err, &e) || !e.TLS || len(e.Got) == 0 {
			t.Errorf("%s: %v, want an *Error with TLS set and the bytes received", proto, err)
		}
	}
	if _, err := Negotiate(script(""), "gopher"); err == nil || !strings.Contains(err.Error(), "unknown STARTTLS protocol") {
		t.Errorf("Negotiate(gopher) = %v", err)
	}
}

// FuzzNegotiate feeds the NBD, VNC and PostgreSQL preamble readers, and
// the PostgreSQL reader after TLS, whatever a server might send: they
// must neither panic nor succeed without steps.
func FuzzNegotiate(f *testing.F) {
	f.Add(uint8(0), []byte(nbdUpToTLS))
	f.Add(uint8(0), []byte("NBDMAGIC\x00\x00\x42\x02\x81\x86\x12\x53"))
	f.Add(uint8(1), []byte(vncUpToTLS))
	f.Add(uint8(1), []byte("RFB 003.008\n\x00\x00\x00\x00\x05hello"))
	f.Add(uint8(2), []byte("E\x00\x00\x00\x1dSFATAL\x00Munsupported frontend protocol\x00\x00"))
	f.Add(uint8(3), []byte(pgError("connection requires a valid client certificate")))
	f.Add(uint8(4), []byte(ldapStartTLSOK))
	f.Add(uint8(4), []byte(ldapNoTLS))
	f.Add(uint8(6), []byte(smtpUpToTLS))
	f.Add(uint8(7), []byte(imapUpToTLS))
	f.Add(uint8(8), []byte(pop3UpToTLS))
	f.Add(uint8(9), []byte("250-x\r\n250 OK\r\n"))
	f.Add(uint8(5+12), []byte(mariadbGreeting))
	f.Add(uint8(5+24), []byte(ftpUpToTLS))
	f.Fuzz(func(t *testing.T, which uint8, server []byte) {
		switch which % 12 {
		case 9, 10, 11:
			note, err := MailAfterTLS(script(string(server)), []string{SMTP, IMAP, POP3}[which%12-9])
			if err == nil && note == "" {
				t.Fatal("success without a note")
			}
			return
		case 3:
			note, err := PgAfterTLS(script(string(server)), "postgres")
			if err == nil && note == "" {
				t.Fatal("success without a note")
			}
			return
		case 5:
			note, err := LDAPAfterTLS(script(string(server)))
			if err == nil && note == "" {
				t.Fatal("success without a note")
			}
			return
		}
		proto := []string{NBD, VNC, Postgres, "", LDAP, "", SMTP, IMAP, POP3}[which%12]
		if which >= 12 && which%12 < 9 {
			proto = MySQL
		}
		if which >= 24 && which%12 < 9 {
			proto = FTP
		}
		steps, err := Negotiate(script(string(server)), proto)
		if err == nil && len(steps) == 0 {
			t.Fatal("success without steps")
		}
	})
}

// A PostgreSQL server without TLS answers the SSLRequest with 'N'; one
// that predates it, with an error.
func TestPostgresRefusesTLS(t *testing.T) {
	for server, want := range map[string]string{
		"N": "ssl = off",
		"E\x00\x00\x00\x1dSFATAL\x00Munsupported frontend protocol\x00\x00": "an error",
	} {
		_, err := Negotiate(script(server), Postgres)
		var e *Error
		if !errors.As(err, &e) || e.TLS || !strings.Contains(e.Msg, want) {
			t.Errorf("server %q: %v, want an *Error saying %q", server, err, want)
		}
	}
}

// pgError is an ErrorResponse as postgres 15 sends it to a client
// without the certificate pg_hba.conf's cert method requires.
func pgError(msg string) string {
	body := "SFATAL\x00VFATAL\x00C28000\x00M" + msg + "\x00Fauth.c\x00\x00"
	n := len(body) + 4
	return "E" + string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + body
}

// After the handshake the probe sends a StartupMessage for its user and
// reads the server's first answer: an authentication request means TLS
// passed; an ErrorResponse is the server's refusal, in its words.
func TestPgAfterTLS(t *testing.T) {
	c := script("R\x00\x00\x00\x08\x00\x00\x00\x0a")
	note, err := PgAfterTLS(c, "alice")
	if err != nil || !strings.Contains(note, "SCRAM") || !strings.Contains(note, `"alice"`) {
		t.Errorf("authentication request: %q, %v", note, err)
	}
	if w := c.wrote.String(); !strings.Contains(w, "\x00\x03\x00\x00user\x00alice\x00database\x00alice\x00") {
		t.Errorf("StartupMessage %q lacks protocol 3.0 and the user", w)
	}
	_, err = PgAfterTLS(script(pgError("connection requires a valid client certificate")), "postgres")
	var e *Error
	if !errors.As(err, &e) || e.Msg != "FATAL:  connection requires a valid client certificate (SQLSTATE 28000)" {
		t.Errorf("ErrorResponse: %v", err)
	}
	// Truncated or absurd messages are said, not trusted.
	for _, server := range []string{"E\x00\x00", "E\xff\xff\xff\xff", "Z"} {
		if _, err := PgAfterTLS(script(server), "postgres"); err == nil {
			t.Errorf("server %q: no error", server)
		}
	}
}

// An LDAP server without TLS configured refuses StartTLS with its
// reason; after TLS, "Who am I?" is answered.
func TestLDAP(t *testing.T) {
	_, err := Negotiate(script(ldapNoTLS), LDAP)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, `protocolError (2), "unsupported extended operation"`) {
		t.Errorf("no TLS: %v", err)
	}
	c := script("\x30\x0c\x02\x01\x02\x78\x07\x0a\x01\x00\x04\x00\x04\x00")
	note, err := LDAPAfterTLS(c)
	if err != nil || !strings.Contains(note, "LDAP over TLS works") || !strings.Contains(c.wrote.String(), "1.3.6.1.4.1.4203.1.11.3") {
		t.Errorf("who am I: %q, %v (sent %q)", note, err, c.wrote.String())
	}
	for _, server := range []string{"", "\x30", "\x31\x00", "\x30\x85\x00\x00\x00\x00\x01", "\x30\x84\x7f\xff\xff\xff", "\x30\x03\x02\x01\x01", "\x30\x05\x02\x01\x01\x78\x00"} {
		if _, err := Negotiate(script(server), LDAP); err == nil {
			t.Errorf("server %q: no error", server)
		}
	}
}

// Mail servers that do not offer TLS, or refuse it, say so in their
// words; what is not the protocol is named as such.
func TestMailRefusals(t *testing.T) {
	for _, tt := range []struct{ proto, server, want string }{
		// Postfix without a certificate does not announce STARTTLS.
		{SMTP, postfixGreeting + strings.Replace(postfixEHLO, "250-STARTTLS\r\n", "", 1), "does not offer STARTTLS: its EHLO answer lists PIPELINING SIZE"},
		// Postfix that cannot load its key answers 454.
		{SMTP, postfixGreeting + postfixEHLO + "454 4.7.0 TLS not available due to local problem\r\n", "454"},
		{SMTP, "554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied\r\n", "does not accept this client"},
		{SMTP, "+OK Dovecot ready.\r\n", "not an SMTP reply"},
		{IMAP, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot (Debian) ready.\r\n", "does not offer STARTTLS"},
		// No capabilities in the greeting: asked for.
		{IMAP, "* OK ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\n", "does not offer STARTTLS: its capabilities are IMAP4REV1 AUTH=PLAIN"},
		{IMAP, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\na2 BAD TLS support isn't enabled.\r\n", "refused STARTTLS: BAD"},
		{IMAP, "* BYE Too many connections\r\n", "refused the connection"},
		{IMAP, postfixGreeting, "not IMAP's"},
		{POP3, "+OK ready\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", "does not offer STLS"},
		{POP3, "+OK ready\r\n-ERR unknown command\r\n-ERR TLS support isn't enabled.\r\n", "refused STLS"},
		{POP3, "-ERR go away\r\n", "refused the connection"},
		// A server that hangs up mid-reply, or never ends a line.
		{SMTP, "220 mail ESMTP\r\n250-mail\r\n", "EOF"},
		{IMAP, "* OK " + strings.Repeat("x", 5000), "longer than"},
	} {
		_, err := Negotiate(script(tt.server), tt.proto)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s server %q: %v, want an error saying %q", tt.proto, tt.server, err, tt.want)
		}
	}
	// Over TLS: the session works, or the server refuses it in words.
	for _, tt := range []struct{ proto, server, want string }{
		{SMTP, postfixEHLO, "SMTP over TLS works"},
		{IMAP, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na3 OK done\r\n", "IMAP over TLS works"},
		{POP3, "+OK\r\nUSER\r\n.\r\n", "POP3 over TLS works"},
	} {
		c := script(tt.server)
		note, err := MailAfterTLS(c, tt.proto)
		if err != nil || !strings.Contains(note, tt.want) || c.wrote.Len() == 0 {
			t.Errorf("%s after TLS: %q, %v", tt.proto, note, err)
		}
	}
	_, err := MailAfterTLS(script("421 4.7.1 Client certificate required\r\n"), SMTP)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "Client certificate required") {
		t.Errorf("SMTP refusal over TLS: %v", err)
	}
}

// A MariaDB without TLS, one that refuses the host, and what is not
// MySQL are named as such.
func TestMySQLRefusals(t *testing.T) {
	for _, tt := range []struct{ server, want string }{
		{mariadbNoTLS, "does not offer TLS: its greeting lacks the CLIENT_SSL capability"},
		{"\x44\x00\x00\x00\xff\x6a\x04Host '192.0.2.1' is not allowed to connect to this MariaDB server", "ERROR 1130: Host '192.0.2.1' is not allowed"},
		{"\x05\x00\x00\x00\x09abcd", "not a MySQL protocol 10 handshake"},
		{"\xff\xff\xff\x00\x0a", "not a MySQL or MariaDB server"},
		{mariadbGreeting[:20], "EOF"},
	} {
		_, err := Negotiate(script(tt.server), MySQL)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("server %q: %v, want an error saying %q", tt.server, err, tt.want)
		}
	}
	if !LooksLikeMySQLGreeting([]byte(mariadbGreeting)) || LooksLikeMySQLGreeting([]byte("HTTP/1.1 400 Bad Request")) {
		t.Error("LooksLikeMySQLGreeting misreads a greeting")
	}
}

// An FTP server without TLS (vsftpd without ssl_enable answers AUTH TLS
// as any command before a login), one whose TLS set-up failed (431),
// one that refuses the client and what is not FTP are named as such.
func TestFTPRefusals(t *testing.T) {
	for _, tt := range []struct{ server, want string }{
		{"220 (vsFTPd 3.0.3)\r\n530 Please login with USER and PASS.\r\n", `refused AUTH TLS: 530 "Please login with USER and PASS.": it has no TLS`},
		{"220 ProFTPD Server\r\n500 AUTH not understood\r\n", "refused AUTH TLS: 500"},
		{"220 x\r\n431 Unable to accept security mechanism\r\n", "its TLS set-up failed"},
		{"421 Too many connections\r\n", `greeting is 421 "Too many connections", not 220`},
		{"SSH-2.0-OpenSSH_9.2p1\r\n", "not an FTP reply"},
		{"220-x\r\n", "EOF"},
	} {
		_, err := Negotiate(script(tt.server), FTP)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("server %q: %v, want an error saying %q", tt.server, err, tt.want)
		}
		var e *Error
		if broken := strings.Contains(tt.server, "431"); broken != (errors.As(err, &e) && e.Broken) {
			t.Errorf("server %q: Broken is %v, want %v", tt.server, !broken, broken)
		}
	}
}
