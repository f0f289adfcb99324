package diagnose

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/certname"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose/starttls"
)

// Diagnose explains a probe's report: for a failed probe, the cause (or
// causes) with the evidence and the fix; for a successful one, what
// works here but will break elsewhere (a missing intermediate, a weak
// key). Findings about the server carry the address as their Object,
// findings about the client the client object's id.
func Diagnose(r Report) []lint.Finding {
	d := &diagnosis{r: &r, o: r.opts}
	if d.o.IdentityErr != nil {
		d.identityLoad()
	}
	if d.o.PlainHTTP && d.plainHTTP() {
		return d.fs
	}
	switch r.Stage {
	case StageResolve:
		d.resolve()
	case StageConnect:
		d.connect()
	case StageStartTLS:
		d.startTLS()
	case StageHandshake:
		d.handshake()
	case StageRead:
		d.read()
	case StageDone:
		d.done()
	}
	d.sniDependence()
	d.sniByAddressName()
	d.sniByName()
	if r.ALPNRefused != "" {
		d.server(cause.ALPN, fmt.Sprintf("the server selected an application protocol the client did not offer (%s); the client offered %s, and every client that offers ALPN (curl, browsers, Go) stops there; the findings before this one are from a handshake without ALPN", r.ALPNRefused, quoteList(r.ALPNOffered)))
	}
	if r.ALPNNone != "" {
		d.server(cause.ALPN, fmt.Sprintf("the server answered with a no_application_protocol alert: it supports none of the application protocols the client offered (%s), and a client that offers them stops there; it serves another protocol on this port (DNS over TLS is \"dot\", HTTP/2 \"h2\"): point the client at the right port, or the server at the protocol; the findings before this one are from a handshake without ALPN", quoteList(r.ALPNOffered)))
	}
	return d.fs
}

type diagnosis struct {
	r  *Report
	o  ProbeOptions
	fs []lint.Finding
}

func (d *diagnosis) add(f lint.Finding) { d.fs = append(d.fs, f) }

// server reports a cause about the server at the probed address.
func (d *diagnosis) server(id, msg string, rules ...string) {
	d.add(finding(id, lint.Error, lint.SubjectServer, d.r.Addr, "", msg, rules...))
}

// client reports a cause about the client (the probe's own identity).
func (d *diagnosis) client(id, msg string, rules ...string) {
	d.add(finding(id, lint.Error, lint.SubjectClient, d.clientObject(), d.o.CertFile, msg, rules...))
}

// identityLoad names a client identity that does not load: every client
// refuses to start with it (curl: "unable to set private key file", Go:
// "tls: private key does not match public key", QEMU: "The certificate
// and the given key do not match"), so the server never sees it.
func (d *diagnosis) identityLoad() {
	err := d.o.IdentityErr
	rule := ""
	switch {
	case errors.Is(err, creds.ErrKeyMismatch):
		rule = "key-mismatch"
	case errors.Is(err, creds.ErrUnpaired):
		rule = "identity-unpaired"
	}
	msg := fmt.Sprintf("the client's certificate and key do not load: %v; a client given these files stops before it connects (curl: \"unable to set private key file\"; Go: \"tls: private key does not match public key\"; QEMU refuses to create the object), so the server never sees its certificate; the probe went on without one", err)
	if d.o.CertFile != "" {
		msg += fmt.Sprintf("; give the key that belongs to %s (or the certificate that belongs to the key)", d.o.CertFile)
	}
	d.add(finding(cause.LoadFailed, lint.Error, lint.SubjectClient, d.clientObject(), d.o.CertFile, msg, rule))
}

func (d *diagnosis) clientObject() string {
	if d.o.Object != "" {
		return d.o.Object
	}
	return "client"
}

func (d *diagnosis) serverVerifier() *verifier {
	v := &verifier{
		subject: lint.SubjectServer, object: d.r.Addr, certs: d.r.peer,
		ca: d.o.CA, caFile: d.o.CAFile, name: d.o.ServerName, now: d.r.Time, lax: d.o.NoVerify,
	}
	if chain := d.clientChain(); len(chain) > 1 {
		v.known, v.knownFile = chain[1:], d.o.CertFile
	}
	v.fetched = d.r.IssuerFetch
	return v
}

func (d *diagnosis) resolve() {
	var de *net.DNSError
	if !errors.As(d.r.err, &de) {
		d.server(cause.Unexplained, fmt.Sprintf("the probe could not start: %v", d.r.err))
		return
	}
	host := de.Name
	switch {
	case de.IsNotFound:
		d.server(cause.DNS, fmt.Sprintf("the name %q does not resolve (%v): there is no such host, or the resolver does not know it", host, de))
	case de.IsTimeout:
		d.server(cause.DNS, fmt.Sprintf("resolving %q timed out (%v): the DNS server does not answer", host, de))
	default:
		d.server(cause.DNS, fmt.Sprintf("resolving %q failed: %v", host, de))
	}
}

func (d *diagnosis) connect() {
	r, err := d.r, d.r.err
	var ne net.Error
	target := r.Addr
	if host, _, _ := net.SplitHostPort(r.Addr); len(r.Resolved) > 0 {
		target = fmt.Sprintf("%s (%s resolves to %s)", r.Addr, host, strings.Join(r.Resolved, ", "))
	}
	var de *net.DNSError
	switch {
	case errors.As(err, &de):
		d.resolve()
	case errors.Is(err, syscall.ECONNREFUSED):
		d.server(cause.Refused, fmt.Sprintf("nothing listens on %s: the connection was refused (the host is up, the port is closed or a firewall rejects it)", target))
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		d.server(cause.Unreachable, fmt.Sprintf("%s cannot be reached: %v", target, err))
	case errors.As(err, &ne) && ne.Timeout():
		d.server(cause.Timeout, fmt.Sprintf("the TCP connection to %s did not complete within %s: the host is down, or a firewall drops the packets", target, d.o.Timeout))
	default:
		d.server(cause.Unexplained, fmt.Sprintf("connecting to %s failed: %v", target, err))
	}
}

// protoName is a STARTTLS protocol as people write it.
func protoName(p string) string {
	switch p {
	case StartTLSPostgres:
		return "PostgreSQL"
	case StartTLSMySQL:
		return "MySQL"
	}
	return strings.ToUpper(p)
}

func (d *diagnosis) startTLS() {
	r, proto := d.r, protoName(d.o.StartTLS)
	direct, tried := r.retryFor("direct-tls")
	if tried && direct.helloOK {
		d.client(cause.PlaintextToTLS, fmt.Sprintf("the server did not speak the %s preamble (%v), but it answers a TLS ClientHello directly (%s): it speaks TLS from the first byte, so a client that starts with the plain-text %s negotiation gets nowhere; drop --starttls %s",
			proto, r.err, orWord(direct.Version, "a ServerHello"), proto, d.o.StartTLS))
		return
	}
	var pe *starttls.Error
	var ne net.Error
	switch {
	case errors.As(r.err, &ne) && ne.Timeout():
		d.server(cause.Timeout, fmt.Sprintf("the server accepted the connection but did not complete the %s STARTTLS negotiation within %s (%v); it does not speak %s on this port", proto, d.o.Timeout, r.err, proto))
	case errors.As(r.err, &pe) && pe.Broken:
		d.server(cause.LoadFailed, fmt.Sprintf("%s STARTTLS failed: %s: the server's own TLS set-up failed", proto, pe.Msg))
	case errors.As(r.err, &pe):
		msg := fmt.Sprintf("%s STARTTLS failed: %s", proto, pe.Msg)
		if len(pe.Got) > 0 {
			msg += fmt.Sprintf("; the server sent \"%s\"", lint.PrintableBytes(pe.Got, 60))
			// Another protocol's greeting: the port of another service.
			if what, hint := identify(pe.Got); hint != "" && !strings.Contains(hint, "--starttls "+d.o.StartTLS+" ") && !strings.Contains(hint, "--starttls "+d.o.StartTLS+")") {
				msg += ", which looks like " + what + hint
			}
		}
		d.server(cause.StartTLS, msg)
	case isEOFOrReset(r.err):
		d.server(cause.Reset, fmt.Sprintf("the server hung up during the %s STARTTLS negotiation (%v): it is not a %s server, or it refuses this client", proto, r.err, proto))
	default:
		d.server(cause.StartTLS, fmt.Sprintf("%s STARTTLS failed: %v", proto, r.err))
	}
}

func (d *diagnosis) handshake() {
	r, err := d.r, d.r.err
	var (
		rhe tls.RecordHeaderError
		cve *tls.CertificateVerificationError
		ne  net.Error
	)
	switch {
	case errors.As(err, &rhe):
		d.notTLS(rhe)
	case errors.As(err, &cve):
		d.fs = append(d.fs, d.serverVerifier().explain(err)...)
	case r.Alert != nil:
		d.alert(*r.Alert, StageHandshake)
	case errors.As(err, &ne) && ne.Timeout():
		if r.rec.total == 0 {
			// Silence after a ClientHello is most often a service that
			// reads it as the start of its own protocol and waits for
			// the rest (measured: Redis, ngIRCd, Unbound's plain DNS and
			// rsyslog's plain imtcp, rounds 12, 22, 27 and 34); a stuck
			// TLS server is the other reading.
			d.server(cause.NotTLS, fmt.Sprintf("the server accepted the TCP connection but did not answer the ClientHello within %s: it does not speak TLS here (a service that waits for its own protocol, or one that needs a STARTTLS preamble: try --starttls nbd, vnc, postgres, ldap, smtp, imap, pop3, mysql, ftp or xmpp), or it is stuck", d.o.Timeout))
		} else {
			d.server(cause.Timeout, fmt.Sprintf("the handshake stalled after the server sent %d bytes and did not finish within %s", r.rec.total, d.o.Timeout))
		}
	case isEOFOrReset(err):
		d.hangUp(StageHandshake)
	default:
		d.localError(err)
	}
}

// localError explains an error crypto/tls raised on the client side
// without an alert from the server.
func (d *diagnosis) localError(err error) {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unsupported protocol version"):
		d.version()
	case strings.Contains(msg, "unadvertised ALPN protocol"):
		d.server(cause.ALPN, fmt.Sprintf("the server selected an application protocol the client did not offer (%v); the client offered %s", err, quoteList(d.o.ALPN)))
	case strings.Contains(msg, "unconfigured cipher suite"):
		d.server(cause.NoSharedCipher, fmt.Sprintf("the server chose a cipher suite the client did not offer (%v)", err))
	case strings.Contains(msg, "insecure"):
		d.server(cause.Weak, fmt.Sprintf("the client refused the server's key or signature: %v", err))
	case strings.Contains(msg, "invalid signature by the server certificate"):
		// The server signed the handshake with a key that is not its
		// certificate's: a server that does not check the pair as it
		// loads them (Tomcat's JSSE connector, round 21) serves them.
		d.server(cause.LoadFailed, fmt.Sprintf("the server's handshake signature does not verify with its certificate's key (%v): it signs with a key that is not its certificate's; give it the key that belongs to its certificate (`tlscreds lint` on its files finds the pair that does not match)", err), "key-mismatch")
	default:
		d.server(cause.Unexplained, fmt.Sprintf("the handshake failed: %v", err))
	}
}

// notTLS explains a server that answered the ClientHello with something
// that is not TLS.
func (d *diagnosis) notTLS(rhe tls.RecordHeaderError) {
	b := d.r.rec.first
	if len(b) == 0 {
		b = rhe.RecordHeader[:]
	}
	what, hint := identify(b)
	d.server(cause.NotTLS, fmt.Sprintf("the server does not speak TLS on %s: it answered the ClientHello with \"%s\", which looks like %s%s", d.r.Addr, lint.PrintableBytes(b, 60), what, hint))
}

// identify guesses the protocol behind a server's first bytes.
func identify(b []byte) (what, hint string) {
	switch {
	case bytes.HasPrefix(b, []byte("HTTP/")):
		return "an HTTP server", "; use http://, or the port where the server speaks HTTPS"
	case bytes.HasPrefix(b, []byte("NBDMAGIC")):
		return "an NBD server", "; NBD negotiates TLS after a plain-text greeting: use --starttls nbd"
	case bytes.HasPrefix(b, []byte("RFB ")):
		return "a VNC server", "; VNC negotiates TLS after a plain-text greeting (VeNCrypt): use --starttls vnc"
	case starttls.LooksLikeMySQLGreeting(b):
		return "a MySQL or MariaDB server's greeting", "; MySQL negotiates TLS after its greeting: use --starttls mysql (or mysql://HOST:PORT)"
	case bytes.HasPrefix(b, []byte("SSH-")):
		return "an SSH server", ""
	case bytes.HasPrefix(b, []byte("220")) && bytes.Contains(bytes.ToUpper(b), []byte("SMTP")):
		return "an SMTP server's greeting", "; SMTP negotiates TLS after its greeting: use --starttls smtp (or smtp://HOST:PORT), or the port where it speaks TLS directly (smtps, 465)"
	case bytes.HasPrefix(b, []byte("220")) && bytes.Contains(bytes.ToUpper(b), []byte("FTP")):
		return "an FTP server's greeting", "; FTP negotiates TLS after its greeting (AUTH TLS): use --starttls ftp (or ftp://HOST:PORT), or the port where it speaks TLS directly (ftps, 990)"
	case bytes.HasPrefix(b, []byte("220")):
		return "an SMTP or FTP server's greeting", "; SMTP and FTP negotiate TLS after their greeting: use --starttls smtp or --starttls ftp"
	case bytes.HasPrefix(b, []byte("* OK")), bytes.HasPrefix(b, []byte("* PREAUTH")):
		return "an IMAP server's greeting", "; IMAP negotiates TLS after its greeting: use --starttls imap (or imap://HOST:PORT), or the port where it speaks TLS directly (imaps, 993)"
	case bytes.HasPrefix(b, []byte("+OK")):
		return "a POP3 server's greeting", "; POP3 negotiates TLS after its greeting: use --starttls pop3 (or pop3://HOST:PORT), or the port where it speaks TLS directly (pop3s, 995)"
	case isText(b):
		return "a plain-text protocol", ""
	}
	return "a binary protocol", ""
}

// hangUp explains a connection that ended without an alert.
func (d *diagnosis) hangUp(stage Stage) {
	r := d.r
	how := "closed the connection"
	if r.rec.reset || isReset(r.err) {
		how = "reset the connection"
	}
	if stage == StageHandshake && !r.helloOK {
		if rt, ok := r.retryFor("rsa-key-exchange"); ok && rt.helloOK || r.suiteAccepted() {
			d.noSharedCipher(how)
			return
		}
		if rt, ok := r.retryFor("any-version"); ok && rt.helloOK && rt.version != 0 && !d.versionAllowed(rt.version) {
			d.version()
			return
		}
		sni := "its address"
		if r.SNI != "" {
			sni = fmt.Sprintf("its address or the SNI name %q", r.SNI)
		}
		d.server(cause.Reset, fmt.Sprintf("the server %s right after the ClientHello, without a TLS alert and without answering (%v): it does not speak TLS on this port, refuses this client for %s, or found nothing it accepts in the ClientHello; its log says which", how, r.err, sni))
		return
	}
	when := "during the handshake"
	if stage == StageRead {
		when = "right after the handshake, before sending anything,"
		if r.RequestSent {
			when = "after reading the request, before answering it,"
		}
	}
	switch {
	case r.CertRequested && !r.ClientCertSent:
		d.client(cause.ClientCertRequired, fmt.Sprintf("the server asked for a client certificate, the client had none to send, and the server %s %s and without an alert: servers that check the client after the handshake do this (QEMU with verify-peer=on logs \"Verify failed: No certificate was found.\")%s", how, when, d.acceptableNote()))
	case r.ClientCertSent:
		d.clientCertRejected(nil, fmt.Sprintf("the server %s %s after the client sent its certificate, and without an alert: it most likely refused the certificate in a check after the handshake (QEMU verify-peer or authz, libvirt tls_allowed_dn_list)", how, when))
	case stage == StageRead && r.RequestSent:
		d.server(cause.Truncated, fmt.Sprintf("the server %s %s and without close_notify (%v): a truncation; the handshake succeeded, so the server's application (or the backend behind a proxy) died, timed out or rejected the request; read its log", how, when, r.err))
	case stage == StageRead:
		d.server(cause.Truncated, fmt.Sprintf("the server %s %s and without close_notify (%v): the handshake itself succeeded, so the server's application refused the connection or crashed; read its log", how, when, r.err))
	default:
		d.server(cause.Reset, fmt.Sprintf("the server %s %s without a TLS alert (%v)", how, when, r.err))
	}
}

// alert explains an alert the server sent.
func (d *diagnosis) alert(a Alert, stage Stage) {
	r := d.r
	when := "during the handshake"
	if stage == StageRead {
		when = "right after the handshake, on the first read (a TLS 1.3 server checks the client certificate after the client has finished its part)"
	}
	got := fmt.Sprintf("the server sent alert %d %s %s", a.Number, a.Name, when)
	switch a.Number {
	case 116:
		d.client(cause.ClientCertRequired, fmt.Sprintf("%s: it requires a client certificate and the client sent none%s", got, d.acceptableNote()))
	case 40:
		switch {
		case r.CertRequested && !r.ClientCertSent:
			d.client(cause.ClientCertRequired, fmt.Sprintf("%s, after asking for a client certificate the client did not have: in TLS 1.2 that is how a server says a certificate is required%s", got, d.acceptableNote()))
		case !r.helloOK:
			d.noSharedCipher(got)
		case r.ClientCertSent:
			d.clientCertRejected(&a, got)
		default:
			d.server(cause.Alert, fmt.Sprintf("%s (%s), after agreeing on %s %s", got, a.Meaning, r.Version, r.CipherSuite))
		}
	case 42, 43, 45, 46, 48, 49:
		if r.ClientCertSent {
			d.clientCertRejected(&a, got)
			return
		}
		if r.CertRequested {
			// A certificate alert after a request the client could not
			// meet is about the certificate it did not send: older Go
			// servers answer a missing required certificate with
			// bad_certificate in TLS 1.3 and 1.2 alike (measured: Caddy
			// 2.6, built with Go 1.19, round 20; Go 1.26 sends
			// certificate_required and handshake_failure).
			d.client(cause.ClientCertRequired, fmt.Sprintf("%s, after asking for a client certificate the client did not have: the server requires one (servers built with older Go, such as Caddy 2.6, say so with bad_certificate)%s", got, d.acceptableNote()))
			return
		}
		d.server(cause.Alert, fmt.Sprintf("%s (%s), although the client sent no certificate", got, a.Meaning))
	case 44:
		if r.ClientCertSent {
			d.add(finding(cause.Revoked, lint.Error, lint.SubjectClient, d.clientObject(), d.o.CertFile,
				fmt.Sprintf("%s: the client certificate %s is listed in the server's CRL", got, d.clientLeafName())))
			return
		}
		d.server(cause.Alert, fmt.Sprintf("%s (%s)", got, a.Meaning))
	case 70:
		d.version()
	case 71:
		d.noSharedCipher(got)
	case 112:
		d.unrecognizedName(got)
	case 120:
		d.server(cause.ALPN, fmt.Sprintf("%s: it supports none of the application protocols the client offered (%s)", got, quoteList(d.o.ALPN)))
	case 80:
		d.server(cause.ServerError, fmt.Sprintf("%s: it failed internally (a certificate callback that returned an error, an unusable key); its log says why", got))
	default:
		if r.CertRequested && !r.ClientCertSent {
			// GnuTLS servers (gnutls-serv, so QEMU and libvirt) answer
			// the empty Certificate of a TLS 1.2 client that has none
			// with decode_error where they require one (measured with
			// gnutls-serv 3.7.9): whatever alert follows a request the
			// client could not meet, the missing certificate comes first.
			d.client(cause.ClientCertRequired, fmt.Sprintf("%s (%s), after asking for a client certificate the client did not have: the server requires one (a GnuTLS server says so in TLS 1.2 with decode_error)%s", got, a.Meaning, d.acceptableNote()))
			return
		}
		d.server(cause.Alert, fmt.Sprintf("%s: %s", got, a.Meaning))
	}
}

func (d *diagnosis) version() {
	r := d.r
	offered := fmt.Sprintf("%s to %s", tls.VersionName(orVersion(d.o.MinVersion, tls.VersionTLS12)), tls.VersionName(orVersion(d.o.MaxVersion, tls.VersionTLS13)))
	msg := fmt.Sprintf("the server accepts none of the TLS versions the client offered (%s)", offered)
	if r.Alert != nil {
		msg = fmt.Sprintf("the server answered with alert %d protocol_version: it accepts none of the TLS versions the client offered (%s)", r.Alert.Number, offered)
	} else if r.err != nil && strings.Contains(r.err.Error(), "unsupported protocol version") {
		msg = fmt.Sprintf("the server chose a TLS version the client did not offer (%v; the client offered %s)", r.err, offered)
	}
	if rt, ok := r.retryFor("any-version"); ok && rt.version != 0 {
		msg += fmt.Sprintf("; offered TLS 1.0 to 1.3, the server chose %s", rt.Version)
		switch {
		case rt.version < tls.VersionTLS12:
			msg += ", which is obsolete (RFC 8996) and refused by default by Go, OpenSSL and GnuTLS: enable TLS 1.2 or 1.3 on the server"
		default:
			msg += fmt.Sprintf(": allow %s on the client (--min-tls/--max-tls, or the object's priority=)", rt.Version)
		}
	}
	d.server(cause.Version, msg)
}

func (d *diagnosis) versionAllowed(v uint16) bool {
	return v >= orVersion(d.o.MinVersion, tls.VersionTLS12) && v <= orVersion(d.o.MaxVersion, tls.VersionTLS13)
}

func orVersion(v, def uint16) uint16 {
	if v == 0 {
		return def
	}
	return v
}

func (d *diagnosis) noSharedCipher(got string) {
	msg := got + ", before choosing any parameters: it shares no cipher suite or key-exchange group with the client"
	if len(d.o.CipherSuites) > 0 || len(d.o.CurvePreferences) > 0 {
		msg += " (the client's priority= string limits what it offers)"
	}
	if len(d.r.Suites) > 0 {
		msg += "; " + suiteFindings(d.r.Suites)
	} else if rt, ok := d.r.retryFor("rsa-key-exchange"); ok {
		if rt.helloOK {
			msg += fmt.Sprintf("; offered only static-RSA suites, the server accepted %s: static RSA is all it offers, and Go (since 1.22) and TLS 1.3 do not use it; enable ECDHE suites on the server (OpenSSL -cipher 'ECDHE+AESGCM', GnuTLS priority NORMAL)", orWord(rt.Suite, "one"))
		} else {
			msg += "; it refused static-RSA suites as well: the server's suite set is unknown (after a STARTTLS preamble diagnose cannot offer the suites crypto/tls does not implement)"
		}
	}
	d.server(cause.NoSharedCipher, msg)
}

func (d *diagnosis) unrecognizedName(got string) {
	msg := fmt.Sprintf("%s: it has no certificate for the name %q the client sent as SNI", got, d.r.SNI)
	if rt, ok := d.r.retryFor("no-sni"); ok {
		if rt.leaf != nil {
			msg += fmt.Sprintf("; without SNI it sends %s, valid for %s", certname.Of(rt.leaf), sanList(rt.leaf))
		} else {
			msg += "; without SNI it refuses too"
		}
	}
	d.server(cause.UnrecognizedName, msg)
}

func (d *diagnosis) read() {
	r := d.r
	if r.Alert != nil {
		d.alert(*r.Alert, StageRead)
		return
	}
	if r.FirstRead == "close_notify" {
		// A clean close is not a TLS failure; say what it likely means.
		if r.CertRequested && !r.ClientCertSent {
			d.client(cause.ClientCertRequired, fmt.Sprintf("the server closed the connection (with close_notify) right after the handshake; it had asked for a client certificate and the client had none, so it most likely refused the client for that%s", d.acceptableNote()))
			return
		}
		d.server(cause.Truncated, "the server closed the connection cleanly (close_notify) right after the handshake without sending anything: its application refused the connection; read its log")
		return
	}
	var pe *starttls.Error
	if errors.As(r.err, &pe) && d.o.StartTLS == StartTLSPostgres {
		d.postgresRefusal(pe.Msg)
		return
	}
	if errors.As(r.err, &pe) {
		msg := fmt.Sprintf("TLS works, but the %s session over it failed: %s", protoName(d.o.StartTLS), pe.Msg)
		// The server's words may name a TLS cause (a mail server's
		// "Client certificate required").
		if h := Headline(Explain(pe.Msg)); len(h) > 0 && h[0] != cause.StartTLS {
			d.client(h[0], msg+d.acceptableNote())
			return
		}
		d.server(cause.StartTLS, msg)
		return
	}
	if isEOFOrReset(r.err) {
		d.hangUp(StageRead)
		return
	}
	d.server(cause.Unexplained, fmt.Sprintf("the first read after the handshake failed: %v", r.err))
}

// postgresRefusal reads the ErrorResponse a PostgreSQL server sent to
// the StartupMessage after the handshake, in the server's own words, as
// explain reads them: a client certificate it requires (pg_hba.conf
// cert) or refuses, or a certificate that does not name the user. Any
// other refusal (no pg_hba.conf line, an unknown role or database) is not
// TLS's, and is said as such.
func (d *diagnosis) postgresRefusal(msg string) {
	got := fmt.Sprintf("TLS works, but the PostgreSQL server refused the session for user %q: %s", d.o.User, msg)
	h := Headline(Explain(msg))
	switch {
	case len(h) == 0:
		d.add(finding(cause.Unexplained, lint.Warning, lint.SubjectServer, d.r.Addr, "",
			got+": not a TLS failure (pg_hba.conf, the role or the database); diagnose names the certificate's common name as the user, as cert authentication maps it"))
	case h[0] == cause.ClientCertRequired:
		d.client(cause.ClientCertRequired, got+": it requires a client certificate (pg_hba.conf cert, or clientcert=verify-ca/verify-full) and the client sent none"+d.acceptableNote())
	case h[0] == cause.AuthzDenied:
		d.client(cause.AuthzDenied, got+": the certificate verified, but its common name is not the user (cert authentication), and no pg_ident.conf map allows it")
	default:
		d.client(h[0], got)
	}
}

// done reports what works here but will break elsewhere, and what the
// server answered to the request.
func (d *diagnosis) done() {
	r := d.r
	v := d.serverVerifier()
	if r.verr != nil {
		d.fs = append(d.fs, v.explain(r.verr)...)
	} else {
		d.fs = append(d.fs, v.warnings(r.chains)...)
	}
	d.response()
	if r.CertRequested && !r.ClientCertSent {
		// Measured: Dovecot (auth_ssl_require_client_cert) and MariaDB
		// (REQUIRE X509) complete the handshake without the
		// certificate they asked for and refuse the login after it,
		// which diagnose does not attempt.
		d.add(finding(cause.ClientCertRequired, lint.Info, lint.SubjectClient, r.Addr, "",
			"the server asked for a client certificate and accepted the handshake without one; servers that check after the handshake (Dovecot's auth_ssl_require_client_cert, MariaDB's REQUIRE X509) refuse the login instead, so if the login or the request is refused, give the client a certificate (--creds, or --cert and --key)"+d.acceptableNote()))
	}
	if len(d.o.ALPN) > 0 && r.ALPN == "" && !d.o.ALPNImplied {
		d.add(finding(cause.ALPN, lint.Warning, lint.SubjectServer, r.Addr, "",
			fmt.Sprintf("the server ignored ALPN: it selected none of %s and went on without an application protocol", quoteList(d.o.ALPN))))
	}
}

// sniDependence compares the certificate served with and without SNI.
func (d *diagnosis) sniDependence() {
	r := d.r
	rt, ok := r.retryFor("no-sni")
	if !ok || rt.leaf == nil || len(r.peer) == 0 || rt.leaf.Equal(r.peer[0]) {
		return
	}
	msg := fmt.Sprintf("the server picks its certificate by SNI: for %q it sends %s (%s), without SNI it sends %s (%s)",
		r.SNI, certname.Of(r.peer[0]), sanList(r.peer[0]), certname.Of(rt.leaf), sanList(rt.leaf))
	if rt.leafErr == nil {
		msg += fmt.Sprintf("; the certificate sent without SNI verifies for %q, so the server's certificate for the name %q is the wrong one", d.o.ServerName, r.SNI)
	}
	sev := lint.Error
	if d.o.NoVerify {
		sev = lint.Warning
	}
	d.add(finding(cause.SNIDependent, sev, lint.SubjectServer, r.Addr, "", msg))
}

// response reads what the server answered to the request: the TLS
// handshake worked, but a server can still refuse the client in HTTP
// (nginx answers 400 for a missing or refused client certificate).
func (d *diagnosis) response() {
	r := d.r
	a := r.Response
	switch {
	case r.RequestSent && r.FirstRead == "silence":
		d.add(finding(cause.Timeout, lint.Warning, lint.SubjectServer, r.Addr, "", r.ReadNote+": the TLS session works, but the application behind it did not answer within --read-wait (a slow backend, or a protocol that expects something else)"))
	case a == nil:
	case strings.Contains(a.Title, "No required SSL certificate"):
		d.client(cause.ClientCertRequired, fmt.Sprintf("the handshake succeeded, but the server answered %s: it requires a client certificate (nginx ssl_verify_client on) and the client sent none%s", a.summary(), d.acceptableNote()))
	case strings.Contains(a.Title, "SSL certificate error"):
		d.refusedClientCert(nil, true, fmt.Sprintf("the handshake succeeded, but the server answered %s (nginx ssl_verify_client: an issuer not in ssl_client_certificate, expired, wrong purpose or revoked)", a.summary()))
	}
}

// plainHTTP explains a probe of an http:// URL: a port that speaks TLS
// is the mistake; a port that answers in plain HTTP is fine. It reports
// whether it said all there is to say.
func (d *diagnosis) plainHTTP() bool {
	r := d.r
	host, port, _ := net.SplitHostPort(r.Addr)
	switch {
	case r.helloOK:
		d.client(cause.PlaintextToTLS, fmt.Sprintf("the URL says http://, but %s speaks TLS (it answered a ClientHello with %s): a plain-HTTP client gets nothing or an error page here; use https://%s/",
			r.Addr, orWord(r.Version, "a ServerHello"), net.JoinHostPort(host, port)))
		return true
	case r.Stage == StageHandshake && bytes.HasPrefix(r.rec.first, []byte("HTTP/")):
		d.add(finding(cause.NotTLS, lint.Info, lint.SubjectServer, r.Addr, "",
			fmt.Sprintf("%s speaks plain HTTP, not TLS: http:// is right for it and TLS is not involved (it answered a ClientHello with %q)", r.Addr, lint.PrintableBytes(r.rec.first, 40))))
		return true
	}
	return false
}

// sniByAddressName: probed by address (no SNI), the server sent a
// certificate that does not cover the address, and with SNI set to the
// address's name (retries "sni-addr:NAME") it sends another that does:
// the server picks its certificate by SNI, and clients that connect by
// address get its default one. That is the cause, ahead of the name
// mismatch it produces.
func (d *diagnosis) sniByAddressName() {
	r := d.r
	if len(r.peer) == 0 {
		return
	}
	for _, rt := range r.Retries {
		name, ok := strings.CutPrefix(rt.Purpose, "sni-addr:")
		if !ok || rt.leaf == nil || rt.leafErr != nil || rt.leaf.Equal(r.peer[0]) {
			continue
		}
		msg := fmt.Sprintf("the server picks its certificate by SNI: connected by address %s the client sends no SNI and gets %s (%s), which does not cover %s; with SNI %q, the name the address resolves to, it sends %s (%s), which does. Connect by name (or set the client's server name, --servername %s), or make the right certificate the server's default one",
			d.o.ServerName, certname.Of(r.peer[0]), sanList(r.peer[0]), d.o.ServerName, name, certname.Of(rt.leaf), sanList(rt.leaf), name)
		sev := lint.Error
		if d.o.NoVerify {
			sev = lint.Warning
		}
		f := finding(cause.SNIDependent, sev, lint.SubjectServer, r.Addr, "", msg)
		i := slices.IndexFunc(d.fs, func(f lint.Finding) bool { return f.Rule == cause.NameMismatch && f.Severity == lint.Error })
		if i < 0 {
			i = len(d.fs)
		}
		d.fs = slices.Insert(d.fs, i, f)
		return
	}
}

// sniByName reports which certificate the server sends for each name its
// certificate lists (retries "sni:NAME"): the name to connect by, and
// whether the server's certificates depend on the name.
func (d *diagnosis) sniByName() {
	r := d.r
	var parts []string
	for _, rt := range r.Retries {
		host, ok := strings.CutPrefix(rt.Purpose, "sni:")
		if !ok {
			continue
		}
		switch {
		case rt.leaf == nil:
			parts = append(parts, fmt.Sprintf("for %q the handshake failed (%s)", host, orWord(rt.Error, "no certificate")))
		case rt.leafErr == nil:
			parts = append(parts, fmt.Sprintf("for %q it sends %s, which verifies for that name: connect by %q (--servername %s)", host, certname.Of(rt.leaf), host, host))
		default:
			parts = append(parts, fmt.Sprintf("for %q it sends %s, which does not verify either (%v)", host, certname.Of(rt.leaf), unwrapVerify(rt.leafErr)))
		}
	}
	if len(parts) == 0 {
		return
	}
	d.add(finding(cause.NameMismatch, lint.Info, lint.SubjectServer, r.Addr, "",
		"asked again with the names its certificate lists: "+strings.Join(parts, "; ")))
}
