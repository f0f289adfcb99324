package diagnose

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose/starttls"
)

// STARTTLS protocols [Probe] can speak before TLS (package starttls
// speaks them).
const (
	StartTLSNBD      = starttls.NBD
	StartTLSVNC      = starttls.VNC
	StartTLSPostgres = starttls.Postgres
	StartTLSLDAP     = starttls.LDAP
	StartTLSSMTP     = starttls.SMTP
	StartTLSIMAP     = starttls.IMAP
	StartTLSPOP3     = starttls.POP3
	StartTLSMySQL    = starttls.MySQL
	StartTLSFTP      = starttls.FTP
	StartTLSXMPP     = starttls.XMPP
)

// ProbeOptions say how [Probe] connects: as the client a credential
// object describes (see [ProbeOptions.UseObject]) or with loose files.
type ProbeOptions struct {
	// ServerName is sent as SNI (unless it is an IP address) and checked
	// against the server's certificate; default: the host of addr.
	ServerName string
	// CA is the bundle the server's chain is verified against, as a
	// tls-creds-x509 client's ca-cert.pem; nil means the system roots.
	// CAFile names it in findings.
	CA     []*x509.Certificate
	CAFile string
	// Certificate is the client identity sent when the server asks for
	// one (nil: none); CertFile names it. Intermediates in its chain also
	// help tell a missing intermediate from an unknown CA.
	Certificate *tls.Certificate
	CertFile    string
	// NoVerify is verify-peer=off: the server's certificate is still
	// checked and reported, but a failure does not end the handshake.
	NoVerify bool
	// MinVersion and MaxVersion bound the TLS versions offered (0: Go's
	// defaults, TLS 1.2 to 1.3). CipherSuites and CurvePreferences come
	// from an object's priority= string.
	MinVersion, MaxVersion uint16
	CipherSuites           []uint16
	CurvePreferences       []tls.CurveID
	// ALPN lists the application protocols offered; ALPNImplied says
	// they come from the request (a URL), not from the user, so a server
	// that ignores ALPN is not worth a warning.
	ALPN        []string
	ALPNImplied bool
	// StartTLS is "", [StartTLSNBD], [StartTLSVNC], [StartTLSPostgres],
	// [StartTLSLDAP], [StartTLSSMTP], [StartTLSIMAP], [StartTLSPOP3],
	// [StartTLSMySQL], [StartTLSFTP] or [StartTLSXMPP] (whose stream
	// names ServerName as the server's domain).
	StartTLS string
	// User is the user a PostgreSQL StartupMessage names after the
	// handshake (StartTLSPostgres); default: the client certificate's
	// common name, as PostgreSQL's cert authentication maps it, else
	// "postgres".
	User string
	// Timeout bounds each connection: resolving, connecting, STARTTLS and
	// the handshake (default 10 s). ReadWait is how long the first read
	// after the handshake waits for the server (default 500 ms): silence
	// is fine, an alert or a hang-up is not.
	Timeout, ReadWait time.Duration
	// Send is written after the handshake, before the first read (an
	// HTTP request, a protocol's greeting); the read then waits ReadWait
	// (default 5 s) for the answer. HTTP says Send is an HTTP request, so
	// the answer is read as an HTTP response.
	Send []byte
	HTTP bool
	// PlainHTTP says the user named an http:// URL: the probe finds out
	// whether the port speaks TLS (then http:// is the mistake) or not.
	PlainHTTP bool
	// Time is the clock certificates are checked against (nil: now).
	Time func() time.Time
	// Object names the client object in findings ("" for loose files).
	Object string
	// IdentityErr says the client's certificate and key did not load (a
	// key that belongs to another certificate, a certificate without its
	// key): no client given those files gets as far as sending them, so
	// the diagnosis names this first. The probe goes on without a client
	// certificate, to see the server. CertFile names the certificate.
	IdentityErr error
	// Resolver resolves host names (nil: net.DefaultResolver).
	Resolver *net.Resolver
}

func (o *ProbeOptions) defaults(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w (want HOST:PORT)", addr, err)
	}
	if o.ServerName == "" {
		o.ServerName = strings.Trim(host, "[]")
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.ReadWait <= 0 {
		o.ReadWait = 500 * time.Millisecond
		if o.Send != nil {
			o.ReadWait = 5 * time.Second
		}
	}
	if o.Time == nil {
		o.Time = time.Now
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.StartTLS != "" && !slices.Contains(starttls.Protocols, o.StartTLS) {
		return fmt.Errorf("unknown STARTTLS protocol %q (want %s)", o.StartTLS, strings.Join(starttls.Protocols, ", "))
	}
	if o.StartTLS == StartTLSPostgres && o.User == "" {
		o.User = "postgres"
		if c := o.Certificate; c != nil && len(c.Certificate) > 0 {
			if leaf, err := x509.ParseCertificate(c.Certificate[0]); err == nil && leaf.Subject.CommonName != "" {
				o.User = leaf.Subject.CommonName
			}
		}
	}
	return nil
}

// Probe connects to addr (HOST:PORT) as a TLS client and records what
// happens, from name resolution to the first read after the handshake.
// When the handshake fails in a way a second look can narrow down, it
// makes further connections (without SNI, with static-RSA suites, with
// other versions, without the STARTTLS preamble) and records them as
// [Retry]s. It never returns an error: a failure is what the report is
// about. Pass the report to [Diagnose].
func Probe(ctx context.Context, addr string, o ProbeOptions) Report {
	start := time.Now()
	r := Report{Addr: addr, StartTLS: o.StartTLS}
	if err := o.defaults(addr); err != nil {
		r.Stage, r.err, r.Error = StageResolve, err, err.Error()
		return r
	}
	r.opts = o
	r.ServerName, r.SNI, r.Time, r.ALPNOffered = o.ServerName, sniFor(o.ServerName), o.Time().UTC(), o.ALPN
	a := attempt(ctx, addr, o, variant{verify: !o.NoVerify, sni: o.ServerName})
	if len(o.ALPN) > 0 && a.stage == StageHandshake && a.err != nil && strings.Contains(a.err.Error(), "unadvertised ALPN protocol") {
		// The server chose a protocol the client did not offer, which
		// ends the handshake before the certificate is read: probe again
		// without ALPN, as a client that offers none (openssl s_client,
		// gnutls-cli, most libraries) connects, so that the rest of the
		// server's configuration is diagnosed too (measured: Botan's
		// tls_server answers every ALPN offer with its own "echo/0.1",
		// round 24). Diagnose reports the ALPN answer after the rest.
		r.ALPNRefused = a.err.Error()
		o.ALPN, o.ALPNImplied = nil, false
		r.opts = o
		a = attempt(ctx, addr, o, variant{verify: !o.NoVerify, sni: o.ServerName})
	} else if al, ok := alertOf(a.err); ok && al.Number == 120 && len(o.ALPN) > 0 && a.stage == StageHandshake {
		// no_application_protocol: the server supports none of the
		// protocols offered (an HTTP client at a DNS-over-TLS port:
		// Knot Resolver answers any list without "dot" so, measured in
		// round 42), which also ends the handshake before the
		// certificate: probe again without ALPN, and report the answer
		// after the rest, as above.
		r.ALPNNone = a.err.Error()
		o.ALPN, o.ALPNImplied = nil, false
		r.opts = o
		a = attempt(ctx, addr, o, variant{verify: !o.NoVerify, sni: o.ServerName})
	}
	a.fill(&r)
	r.fetchIssuer(ctx)
	r.retry(ctx, addr)
	r.Elapsed = time.Since(start)
	return r
}

// variant is what one connection changes from the options.
type variant struct {
	verify   bool   // fail the handshake when the server's chain does not verify
	sni      string // name sent as SNI
	direct   bool   // skip the STARTTLS preamble
	rsaKex   bool   // offer only TLS 1.2 static-RSA suites
	anyVer   bool   // offer TLS 1.0 to 1.3
	skipRead bool   // skip the first read
}

// outcome is one connection's record.
type outcome struct {
	stage      Stage
	err        error
	resolved   []string
	remote     string
	steps      []string
	state      tls.ConnectionState
	handshaked bool
	peer       []*x509.Certificate
	chains     [][]*x509.Certificate
	verr       error
	requested  bool
	accepted   [][]byte
	sent       bool
	alert      *Alert
	alertStage Stage
	firstRead  string
	readNote   string
	rec        recorded
	preamble   *starttls.Error
	// sentRequest says Send was written; response is the HTTP answer.
	sentRequest bool
	response    *httpAnswer
}

func attempt(ctx context.Context, addr string, o ProbeOptions, v variant) outcome {
	var out outcome
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	host, port, _ := net.SplitHostPort(addr)
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) == nil {
		// Resolve first, to tell a name that does not resolve from an
		// address that does not answer; the dialer then tries every
		// address the name has.
		addrs, err := o.Resolver.LookupHost(ctx, host)
		if err != nil {
			out.stage, out.err = StageResolve, err
			return out
		}
		out.resolved = addrs
	}
	d := net.Dialer{Resolver: o.Resolver}
	raw, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		out.stage, out.err = StageConnect, err
		return out
	}
	defer raw.Close()
	out.remote = raw.RemoteAddr().String()
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	conn := &recorder{Conn: raw}
	if o.StartTLS != "" && !v.direct {
		out.steps, err = starttls.NegotiateDomain(conn, o.StartTLS, o.ServerName)
		if err != nil {
			out.stage, out.err = StageStartTLS, err
			errors.As(err, &out.preamble)
			out.rec = conn.snapshot()
			return out
		}
		conn.restart()
	}

	cfg := o.tlsConfig(v, &out)
	tc := tls.Client(conn, cfg)
	err = tc.HandshakeContext(ctx)
	out.rec = conn.snapshot()
	out.state = tc.ConnectionState()
	if err != nil {
		out.stage, out.err = StageHandshake, err
		if a, ok := alertOf(err); ok {
			out.alert, out.alertStage = &a, StageHandshake
		}
		var rhe tls.RecordHeaderError
		if errors.As(err, &rhe) {
			// Let the server finish its plain-text answer.
			_ = raw.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			_, _ = io.Copy(io.Discard, io.LimitReader(conn, maxRecorded))
			out.rec = conn.snapshot()
		}
		return out
	}
	out.handshaked = true
	if v.skipRead {
		out.stage = StageDone
		return out
	}
	out.stage, out.err = StageRead, firstRead(tc, conn, raw, o, &out)
	out.rec = conn.snapshot()
	if out.err == nil {
		out.stage = StageDone
	}
	_ = tc.Close()
	return out
}

// firstRead reads after the handshake, where a TLS 1.3 server's
// rejection of the client certificate shows, and classifies how it ended.
func firstRead(tc *tls.Conn, conn *recorder, raw net.Conn, o ProbeOptions, out *outcome) error {
	_ = raw.SetDeadline(time.Now().Add(max(o.ReadWait, 2*time.Second)))
	var err error
	switch o.StartTLS {
	case StartTLSNBD:
		out.readNote, err = starttls.NBDAfterTLS(tc)
		if err == nil {
			out.firstRead = "data"
			return nil
		}
	case StartTLSPostgres:
		// libpq sends its StartupMessage right after the handshake; a
		// server that refuses the client's certificate, or requires one
		// (pg_hba.conf cert), answers it with an ErrorResponse.
		_ = raw.SetWriteDeadline(time.Now().Add(o.Timeout))
		out.readNote, err = starttls.PgAfterTLS(tc, o.User)
		if err == nil {
			out.firstRead = "data"
			return nil
		}
		out.sentRequest = true
	case StartTLSLDAP:
		// A "Who am I?" request: the first read after the handshake,
		// where a TLS 1.3 server's refusal of the client shows.
		_ = raw.SetWriteDeadline(time.Now().Add(o.Timeout))
		out.readNote, err = starttls.LDAPAfterTLS(tc)
		if err == nil {
			out.firstRead = "data"
			return nil
		}
		out.sentRequest = true
	case StartTLSSMTP, StartTLSIMAP, StartTLSPOP3:
		// The session starts over (EHLO, CAPABILITY, CAPA): the first
		// read after the handshake, where a TLS 1.3 server's refusal
		// of the client shows.
		_ = raw.SetWriteDeadline(time.Now().Add(o.Timeout))
		out.readNote, err = starttls.MailAfterTLS(tc, o.StartTLS)
		if err == nil {
			out.firstRead = "data"
			return nil
		}
		out.sentRequest = true
	default:
		if o.Send != nil {
			_ = raw.SetWriteDeadline(time.Now().Add(o.Timeout))
			if _, err = tc.Write(o.Send); err != nil {
				out.readNote = "writing the request failed"
				break
			}
			out.sentRequest = true
		}
		_ = raw.SetReadDeadline(time.Now().Add(o.ReadWait))
		buf := make([]byte, 4096)
		var n int
		n, err = tc.Read(buf)
		if n > 0 {
			out.firstRead, out.readNote = "data", fmt.Sprintf("the server sent %d byte(s) after the handshake", n)
			if line, _, _ := bytes.Cut(buf[:n], []byte("\n")); isText(buf[:n]) && len(bytes.TrimSpace(line)) > 0 {
				// A greeting (smtps, imaps, pop3s, a banner): say it.
				out.readNote += fmt.Sprintf(": \"%s\"", lint.PrintableBytes(bytes.TrimRight(line, "\r"), 80))
			}
			if o.StartTLS == StartTLSVNC && n == 4 {
				out.readNote = "the VNC server sent its SecurityResult: VNC over TLS works"
			}
			if o.HTTP {
				out.response = httpResponse(buf[:n])
				out.readNote = "the server answered the request: " + out.response.summary()
			}
			return nil
		}
	}
	rec := conn.snapshot()
	var ne net.Error
	switch {
	case err == nil:
		out.firstRead = "data"
		return nil
	case errors.As(err, &ne) && ne.Timeout():
		out.firstRead, out.readNote = "silence", fmt.Sprintf("the server sent nothing within %s after the handshake, and did not hang up", o.ReadWait)
		if out.sentRequest {
			out.readNote = fmt.Sprintf("the server sent nothing within %s after the request, and did not hang up", o.ReadWait)
		}
		return nil
	}
	if a, ok := alertOf(err); ok {
		out.alert, out.alertStage, out.firstRead = &a, StageRead, "alert"
		return err
	}
	switch {
	case rec.reset:
		out.firstRead = "reset"
	case errors.Is(err, io.EOF) && !rec.eof:
		out.firstRead = "close_notify"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		out.firstRead = "eof"
	default:
		out.firstRead = "error"
	}
	return err
}

// tlsConfig builds the probe's client config. It verifies the server's
// chain itself in VerifyConnection, as the creds client does, so that the
// chain is captured whether or not it verifies.
func (o ProbeOptions) tlsConfig(v variant, out *outcome) *tls.Config {
	var roots *x509.CertPool
	if o.CA != nil {
		roots = x509.NewCertPool()
		for _, c := range o.CA {
			roots.AddCert(c)
		}
	}
	cfg := &tls.Config{
		ServerName:         v.sni,
		InsecureSkipVerify: true, // verified in VerifyConnection, like creds.ClientConfig
		MinVersion:         o.MinVersion,
		MaxVersion:         o.MaxVersion,
		CipherSuites:       o.CipherSuites,
		CurvePreferences:   o.CurvePreferences,
		NextProtos:         o.ALPN,
		Time:               o.Time,
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			out.requested, out.accepted = true, cri.AcceptableCAs
			if o.Certificate == nil {
				return &tls.Certificate{}, nil
			}
			out.sent = true
			return o.Certificate, nil
		},
		VerifyConnection: func(cs tls.ConnectionState) error {
			out.peer = cs.PeerCertificates
			out.chains, out.verr = creds.VerifyServer(roots, cs.PeerCertificates, o.ServerName, o.Time())
			if out.verr != nil && v.verify {
				return out.verr
			}
			return nil
		},
	}
	if v.rsaKex {
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		cfg.CipherSuites = rsaKexSuites
	}
	if v.anyVer {
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS10, tls.VersionTLS13
	}
	return cfg
}

// rsaKexSuites are the static-RSA key exchange suites crypto/tls
// implements but offers only when configured explicitly (GODEBUG
// tlsrsakex; removed from the defaults in Go 1.22).
var rsaKexSuites = []uint16{
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
}

// retry makes the extra connections that narrow a failure down.
func (r *Report) retry(ctx context.Context, addr string) {
	o := r.opts
	switch r.Stage {
	case StageResolve, StageConnect, StageDone:
		if r.Stage != StageDone || r.verr == nil {
			return
		}
	case StageStartTLS:
		var pe *starttls.Error
		var ne net.Error
		// A TLS server answers the preamble with an alert (OpenSSL,
		// GnuTLS), hangs up (Go) or waits for a ClientHello.
		if errors.As(r.err, &pe) && pe.TLS || errors.As(r.err, &ne) && ne.Timeout() || isEOFOrReset(r.err) {
			r.addRetry("direct-tls", "a TLS handshake without the STARTTLS preamble, to see whether the port speaks TLS from the first byte",
				attempt(ctx, addr, o, variant{sni: o.ServerName, direct: true, skipRead: true}))
		}
		return
	}
	switch {
	case r.verr != nil && r.SNI != "":
		r.addRetry("no-sni", "the same handshake without SNI, as a client connecting by IP address sends it, to see whether the server's certificate depends on the name",
			attempt(ctx, addr, o, variant{sni: "", skipRead: true}))
	case r.Alert != nil && r.Alert.Number == 112 && r.SNI != "":
		r.addRetry("no-sni", "the same handshake without SNI, to see whether the server has a default certificate",
			attempt(ctx, addr, o, variant{sni: "", skipRead: true}))
	}
	// Connected by address, or with a name the certificate does not
	// list: ask again with each DNS name the certificate holds, to see
	// which name gets which certificate.
	var he x509.HostnameError
	if errors.As(r.verr, &he) && len(r.peer) > 0 {
		tried := 0
		for _, name := range r.peer[0].DNSNames {
			if tried == 3 || strings.EqualFold(name, r.SNI) || strings.HasPrefix(name, "*.") {
				continue
			}
			tried++
			v := o
			v.ServerName = name
			r.addRetry("sni:"+name, fmt.Sprintf("the same handshake with SNI %q, a name the server's certificate lists", name),
				attempt(ctx, addr, v, variant{sni: name, skipRead: true}))
		}
	}
	r.retryAddressNames(ctx, addr, he)
	if r.Stage != StageHandshake || r.helloOK {
		return
	}
	switch {
	case !(r.Alert != nil && (r.Alert.Number == 40 || r.Alert.Number == 71) || r.Alert == nil && isEOFOrReset(r.err)):
	case o.StartTLS == "":
		to := r.RemoteAddr
		if to == "" {
			to = addr
		}
		r.Suites = probeSuites(ctx, to, sniFor(o.ServerName), min(o.Timeout, 5*time.Second))
	default:
		// After a STARTTLS preamble only crypto/tls can speak.
		r.addRetry("rsa-key-exchange", "offering only TLS 1.2 static-RSA suites, which Go does not offer by default, to see whether that is all the server has",
			attempt(ctx, addr, o, variant{sni: o.ServerName, rsaKex: true, skipRead: true}))
	}
	if r.Alert != nil && r.Alert.Number == 70 || strings.Contains(r.Error, "unsupported protocol version") || r.Alert == nil && isEOFOrReset(r.err) {
		r.addRetry("any-version", "offering TLS 1.0 to 1.3, to see which version the server speaks",
			attempt(ctx, addr, o, variant{sni: o.ServerName, anyVer: true, skipRead: true}))
	}
}

func isEOFOrReset(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err)
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// sniFor is the SNI crypto/tls sends for a server name: none for an IP
// address (RFC 6066 section 3).
func sniFor(name string) string {
	if net.ParseIP(name) != nil {
		return ""
	}
	return name
}

// retryAddressNames: connected by address, a client sends no SNI, and a
// server that picks its certificate by SNI sends its default one. When
// that certificate does not cover the address, ask again with SNI set to
// the names the address resolves back to (at most two), still verifying
// for the address: a different certificate that verifies is the one a
// client connecting by name gets.
func (r *Report) retryAddressNames(ctx context.Context, addr string, he x509.HostnameError) {
	o := r.opts
	if he.Certificate == nil || r.SNI != "" || net.ParseIP(o.ServerName) == nil {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	names, err := o.Resolver.LookupAddr(lctx, o.ServerName)
	cancel()
	if err != nil {
		return
	}
	tried := 0
	for _, n := range names {
		name := strings.TrimSuffix(n, ".")
		if tried == 2 || name == "" || net.ParseIP(name) != nil {
			continue
		}
		if _, done := r.retryFor("sni:" + name); done {
			continue
		}
		tried++
		r.addRetry("sni-addr:"+name, fmt.Sprintf("the same handshake with SNI %q, the name %s resolves back to, as a client that connects by that name sends it (still verified for %s)", name, o.ServerName, o.ServerName),
			attempt(ctx, addr, o, variant{sni: name, skipRead: true}))
	}
}
