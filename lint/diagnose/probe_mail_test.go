package diagnose

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"
)

// mailServer speaks the server's side of SMTP, IMAP or POP3 up to
// STARTTLS as Postfix 3.7 and Dovecot 2.3 word it (the live recordings of
// round 13 run the real servers): greeting, capabilities (STARTTLS or
// STLS listed only when offer is set), the go-ahead and a handshake with
// cfg; after it, it answers the session's first command. refuse, when
// set, is the answer to the STARTTLS command instead of the go-ahead.
func mailServer(t *testing.T, proto string, cfg *tls.Config, offer bool, refuse string) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(c)
		say := func(s string) { _, _ = c.Write([]byte(s)) }
		read := func() string { s, _ := br.ReadString('\n'); return strings.TrimSpace(s) }
		var goAhead string
		switch proto {
		case StartTLSSMTP:
			say("220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n")
			if !strings.HasPrefix(read(), "EHLO ") {
				return
			}
			if offer {
				say("250-mail.example.org\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 CHUNKING\r\n")
			} else {
				say("250-mail.example.org\r\n250-PIPELINING\r\n250 CHUNKING\r\n")
			}
			if read() != "STARTTLS" {
				return
			}
			goAhead = "220 2.0.0 Ready to start TLS\r\n"
		case StartTLSIMAP:
			caps := "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN"
			if offer {
				caps = "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED"
			}
			say("* OK [CAPABILITY " + caps + "] Dovecot (Debian) ready.\r\n")
			if read() != "a2 STARTTLS" {
				return
			}
			goAhead = "a2 OK Begin TLS negotiation now.\r\n"
		case StartTLSPOP3:
			say("+OK Dovecot (Debian) ready.\r\n")
			if read() != "CAPA" {
				return
			}
			if offer {
				say("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL\r\n.\r\n")
			} else {
				say("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\n.\r\n")
			}
			if read() != "STLS" {
				return
			}
			goAhead = "+OK Begin TLS negotiation now.\r\n"
		}
		if refuse != "" {
			say(refuse)
			return
		}
		say(goAhead)
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		tr := bufio.NewReader(tc)
		cmd, err := tr.ReadString('\n')
		if err != nil {
			return
		}
		switch proto {
		case StartTLSSMTP:
			_, _ = tc.Write([]byte("250-mail.example.org\r\n250 CHUNKING\r\n"))
		case StartTLSIMAP:
			tag, _, _ := strings.Cut(cmd, " ")
			_, _ = tc.Write([]byte("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK Pre-login capabilities listed, post-login capabilities have more.\r\n"))
		case StartTLSPOP3:
			_, _ = tc.Write([]byte("+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n"))
		}
		_, _ = tr.ReadString('\n')
		_ = tc.Close()
	})
}

// TestProbeMail: diagnose --starttls smtp, imap and pop3 speak up to
// STARTTLS, prove the session over TLS, and name a server that does not
// offer TLS, one that refuses it, a port that speaks TLS directly, and
// the certificate checks as for any server.
func TestProbeMail(t *testing.T) {
	t.Parallel()
	cfg, otherCA, cliDir := starttlsPKI(t)
	opts := func(t *testing.T, proto string) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = proto, "localhost"
		return o
	}
	for _, proto := range []string{StartTLSSMTP, StartTLSIMAP, StartTLSPOP3} {
		t.Run(proto+"/ok", func(t *testing.T) {
			r, fs := probe(t, mailServer(t, proto, cfg, true, ""), opts(t, proto))
			if !r.OK {
				t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
			}
			wantCauses(t, fs)
			if !strings.Contains(r.ReadNote, strings.ToUpper(proto)+" over TLS works") {
				t.Errorf("read note %q, want the session over TLS proven", r.ReadNote)
			}
		})
		t.Run(proto+"/not-offered", func(t *testing.T) {
			_, fs := probe(t, mailServer(t, proto, cfg, false, ""), opts(t, proto))
			wantCauses(t, fs, "handshake-starttls")
			wantMessage(t, fs, "handshake-starttls", "does not offer")
		})
		t.Run(proto+"/unknown-ca", func(t *testing.T) {
			_, fs := probe(t, mailServer(t, proto, otherCA, true, ""), opts(t, proto))
			wantCauses(t, fs, "handshake-unknown-ca")
		})
	}
	t.Run("smtp/454", func(t *testing.T) {
		_, fs := probe(t, mailServer(t, StartTLSSMTP, cfg, true, "454 4.7.0 TLS not available due to local problem\r\n"), opts(t, StartTLSSMTP))
		wantCauses(t, fs, "handshake-load-failed")
		wantMessage(t, fs, "handshake-load-failed", `454 "4.7.0 TLS not available`, "certificate or key")
	})
	t.Run("smtp/tls-port", func(t *testing.T) {
		// smtps (465): the server waits for a ClientHello while the
		// client waits for a greeting; the direct handshake works.
		o := opts(t, StartTLSSMTP)
		o.Timeout = time.Second
		_, fs := probe(t, tlsServer(t, cfg), o)
		wantCauses(t, fs, "handshake-plaintext-to-tls")
	})
	t.Run("imap/direct-tls-to-starttls-port", func(t *testing.T) {
		// imaps:// to the STARTTLS port: the greeting answers the
		// ClientHello, and diagnose says which protocol it is.
		o := opts(t, "")
		_, fs := probe(t, mailServer(t, StartTLSIMAP, cfg, true, ""), o)
		wantCauses(t, fs, "handshake-not-tls")
		wantMessage(t, fs, "handshake-not-tls", "IMAP", "--starttls imap")
	})
	t.Run("smtp/client-cert-required-tls13", func(t *testing.T) {
		// A TLS 1.3 server that requires a client certificate refuses
		// it after the handshake: the session's first read shows it.
		c := cfg.Clone()
		c.ClientAuth = tls.RequireAnyClientCert
		o := opts(t, StartTLSSMTP)
		o.Certificate = nil
		_, fs := probe(t, mailServer(t, StartTLSSMTP, c, true, ""), o)
		wantCauses(t, fs, "handshake-client-cert-required")
	})
}
