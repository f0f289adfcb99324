package diagnose

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
)

// PairOptions control [Pair].
type PairOptions struct {
	// Time is both sides' clock (nil: now); tests pass fixtures.TestClock.
	Time func() time.Time
	// Versions are the TLS versions tried, each on its own (default TLS
	// 1.2 and TLS 1.3).
	Versions []uint16
	// Timeout bounds each handshake (default 10 s).
	Timeout time.Duration
	// Server and Client, when set, are the options the configs are built
	// with (a manifest endpoint's SNI, authz and pins); Time still comes
	// from these PairOptions.
	Server *creds.ServerOptions
	Client *creds.ClientOptions
}

// PairResult is one handshake between two objects at one TLS version.
type PairResult struct {
	Version string `json:"version"`
	OK      bool   `json:"ok"`
	// Skipped says why the version was not tried (a priority= string
	// that disables it); OK is false then.
	Skipped        string         `json:"skipped,omitempty"`
	CipherSuite    string         `json:"cipher_suite,omitempty"`
	ClientCertSent bool           `json:"client_cert_sent"`
	ServerError    string         `json:"server_error,omitempty"`
	ClientError    string         `json:"client_error,omitempty"`
	Findings       []lint.Finding `json:"findings"`
}

// Pair runs the handshake between a server and a client object
// in-process (over an in-memory connection, no network), with the configs
// [creds.ServerConfig] and [creds.ClientConfig] build from them, once per
// TLS version, and explains each side's view of a failure. host is the
// name the client connects to; "" takes it from the server's certificate
// (see [DefaultHost]). After a handshake the client reads once, so that a
// TLS 1.3 server's rejection of the client certificate shows.
func Pair(server, client *creds.Source, host string, o PairOptions) []PairResult {
	if o.Time == nil {
		o.Time = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if len(o.Versions) == 0 {
		o.Versions = []uint16{tls.VersionTLS12, tls.VersionTLS13}
	}
	if host == "" {
		host = DefaultHost(server.Current())
	}
	p := &pairing{server: server, client: client, host: host, o: o}
	out := make([]PairResult, 0, len(o.Versions))
	skipped := 0
	for _, v := range o.Versions {
		r := p.run(v)
		if r.Skipped != "" {
			skipped++
		}
		out = append(out, r)
	}
	if skipped == len(out) {
		// No version both sides allow: that is the failure.
		var why []string
		for _, r := range out {
			for _, part := range strings.Split(r.Skipped, "; ") {
				if part != "" && !slices.Contains(why, part) {
					why = append(why, part)
				}
			}
		}
		f := finding(cause.Version, lint.Error, lint.SubjectObject, server.ID(), "",
			fmt.Sprintf("the server object %s and the client object %s share no TLS version: %s", server.ID(), client.ID(), strings.Join(why, "; ")))
		for i := range out {
			out[i].Findings = append(out[i].Findings, f)
		}
	}
	return out
}

// DefaultHost is the name a client would use for a server object: the
// first DNS name of its certificate, else its first IP address, else its
// common name, else "localhost".
func DefaultHost(server *creds.Object) string {
	id := server.Identity()
	if id == nil {
		return "localhost"
	}
	leaf := id.Leaf()
	switch {
	case len(leaf.DNSNames) > 0:
		return leaf.DNSNames[0]
	case len(leaf.IPAddresses) > 0:
		return leaf.IPAddresses[0].String()
	case leaf.Subject.CommonName != "":
		return leaf.Subject.CommonName
	}
	return "localhost"
}

type pairing struct {
	server, client *creds.Source
	host           string
	o              PairOptions
}

// side is what one end of a handshake saw.
type side struct {
	err   error
	state tls.ConnectionState
	done  bool
}

func (p *pairing) run(v uint16) PairResult {
	res := PairResult{Version: tls.VersionName(v), Findings: []lint.Finding{}}
	so, co := creds.ServerOptions{}, creds.ClientOptions{}
	if p.o.Server != nil {
		so = *p.o.Server
	}
	if p.o.Client != nil {
		co = *p.o.Client
		co.SessionCache = nil // every pairing is a full handshake
	}
	so.Time, co.Time = p.o.Time, p.o.Time
	scfg, err := creds.ServerConfig(p.server, so)
	if err != nil {
		res.Findings = append(res.Findings, configFailure(p.server, "server", err))
		return res
	}
	base, err := creds.ClientConfig(p.client, p.host, co)
	if err != nil {
		res.Findings = append(res.Findings, configFailure(p.client, "client", err))
		return res
	}
	if why := versionOff(scfg, v, "server", p.server.ID()) + versionOff(base, v, "client", p.client.ID()); why != "" {
		res.Skipped = why
		return res
	}
	ccfg := base.Clone()
	ccfg.MinVersion, ccfg.MaxVersion = v, v
	var peer []*x509.Certificate
	getCert := ccfg.GetClientCertificate
	ccfg.GetClientCertificate = func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
		c, err := getCert(cri)
		res.ClientCertSent = c != nil && len(c.Certificate) > 0
		return c, err
	}
	verify := ccfg.VerifyConnection
	ccfg.VerifyConnection = func(cs tls.ConnectionState) error {
		peer = cs.PeerCertificates
		if verify != nil {
			return verify(cs)
		}
		return nil
	}

	sc, cc := memPipe()
	deadline := time.Now().Add(p.o.Timeout)
	_ = sc.SetDeadline(deadline)
	_ = cc.SetDeadline(deadline)
	srv := make(chan side, 1)
	go func() {
		defer sc.Close()
		tc := tls.Server(sc, scfg)
		var s side
		if s.err = tc.Handshake(); s.err == nil {
			s.done = true
			s.state = tc.ConnectionState()
			_, _ = tc.Write([]byte("ok\n"))
			_ = tc.Close()
		}
		srv <- s
	}()
	var cli side
	tc := tls.Client(cc, ccfg)
	if cli.err = tc.Handshake(); cli.err == nil {
		cli.done = true
		cli.state = tc.ConnectionState()
		// The first read: where a TLS 1.3 server's rejection shows. Data
		// may come with io.EOF when close_notify follows it.
		if n, err := tc.Read(make([]byte, 3)); n == 0 && err != nil {
			cli.err = err
		}
	}
	_ = cc.Close()
	s := <-srv

	if s.err != nil {
		res.ServerError = s.err.Error()
	}
	if cli.err != nil {
		res.ClientError = cli.err.Error()
	}
	res.OK = s.err == nil && cli.err == nil
	if cli.state.Version != 0 {
		res.CipherSuite = tls.CipherSuiteName(cli.state.CipherSuite)
	}
	if res.OK {
		res.Findings = append(res.Findings, p.warnings(peer, s.state)...)
		return res
	}
	res.Findings = append(res.Findings, p.explain(s, cli, peer, res.ClientCertSent)...)
	return res
}

// configFailure reports an object the factories cannot make a config of:
// an anon or psk object (Go has no such suites), the wrong endpoint, a
// client without a server name.
func configFailure(src *creds.Source, role string, err error) lint.Finding {
	rule := ""
	if errors.Is(err, creds.ErrUnsupportedKind) {
		rule = "object-not-usable-in-go"
	}
	return finding(cause.LoadFailed, lint.Error, lint.SubjectObject, src.ID(), src.Spec().Dir,
		fmt.Sprintf("no %s config can be built from object %s: %v", role, src.ID(), err), rule)
}

// versionOff says why a config cannot do TLS version v ("" if it can).
func versionOff(cfg *tls.Config, v uint16, role, id string) string {
	lo, hi := orVersion(cfg.MinVersion, tls.VersionTLS12), orVersion(cfg.MaxVersion, tls.VersionTLS13)
	if v < lo || v > hi {
		allowed := tls.VersionName(lo) + " to " + tls.VersionName(hi)
		if lo == hi {
			allowed = tls.VersionName(lo) + " only"
		}
		return fmt.Sprintf("the %s object %s allows %s (priority=); ", role, id, allowed)
	}
	return ""
}

func (p *pairing) serverVerifier(certs []*x509.Certificate, lax bool) *verifier {
	srv, cli := p.server.Current(), p.client.Current()
	v := &verifier{
		subject: lint.SubjectServer, object: srv.ID(), certs: certs,
		ca: cli.CA, caFile: cli.CAFile, name: p.host, now: p.o.Time(), lax: lax,
	}
	if id := srv.Identity(); id != nil {
		v.file = id.CertFile
	}
	if id := cli.Identity(); id != nil && len(id.TLS.Certificate) > 1 {
		v.known, v.knownFile = id.Chain()[1:], id.CertFile
	}
	return v
}

func (p *pairing) clientVerifier(certs []*x509.Certificate) *verifier {
	srv, cli := p.server.Current(), p.client.Current()
	v := &verifier{
		subject: lint.SubjectClient, object: cli.ID(), certs: certs,
		ca: srv.CA, caFile: srv.CAFile, now: p.o.Time(),
	}
	if id := cli.Identity(); id != nil {
		v.file = id.CertFile
	}
	if id := srv.Identity(); id != nil && len(id.TLS.Certificate) > 1 {
		v.known, v.knownFile = id.Chain()[1:], id.CertFile
	}
	return v
}

// explain turns both sides' errors into findings. The side that aborted
// knows why; the other side only saw an alert.
func (p *pairing) explain(s, cli side, peer []*x509.Certificate, sent bool) []lint.Finding {
	srv, c := p.server.Current(), p.client.Current()
	var cve *tls.CertificateVerificationError
	seen := fmt.Sprintf(" (the server saw: %v; the client saw: %v)", errText(s.err), errText(cli.err))
	if errors.As(cli.err, &cve) {
		return p.serverVerifier(cve.UnverifiedCertificates, false).explain(cve.Err)
	}
	if errors.As(s.err, &cve) {
		return p.clientVerifier(cve.UnverifiedCertificates).explain(cve.Err)
	}
	clientFile := ""
	if id := c.Identity(); id != nil {
		clientFile = id.CertFile
	}
	// The server's error, read as `tlscreds serve` reads it; the
	// client-side errors are the client objects' own (pins) or alerts.
	switch cause.Classify(s.err) {
	case cause.AuthzDenied:
		return []lint.Finding{finding(cause.AuthzDenied, lint.Error, lint.SubjectClient, c.ID(), clientFile,
			fmt.Sprintf("the server endpoint over %s refuses the client object %s: %v", srv.ID(), c.ID(), s.err))}
	case cause.NotPinned:
		return []lint.Finding{finding(cause.NotPinned, lint.Error, lint.SubjectClient, c.ID(), clientFile,
			fmt.Sprintf("the server endpoint over %s refuses the client object %s: its certificate matches none of the pins", srv.ID(), c.ID()))}
	}
	if errors.Is(cli.err, creds.ErrNotPinned) {
		return []lint.Finding{finding(cause.NotPinned, lint.Error, lint.SubjectServer, srv.ID(), "",
			fmt.Sprintf("the client object %s refuses the server object %s: its certificate matches none of the client's pins", c.ID(), srv.ID()))}
	}
	switch cause.Classify(s.err) {
	case cause.Revoked:
		return []lint.Finding{finding(cause.Revoked, lint.Error, lint.SubjectClient, c.ID(), clientFile,
			fmt.Sprintf("the server object %s refuses the client certificate: %v", srv.ID(), s.err), "")}
	case cause.ClientCertRequired:
		msg := fmt.Sprintf("the server object %s requires a client certificate (verify-peer=on) and the client object %s has none", srv.ID(), c.ID())
		if sent {
			msg = fmt.Sprintf("the server object %s requires a client certificate and received none from %s", srv.ID(), c.ID())
		}
		return []lint.Finding{finding(cause.ClientCertRequired, lint.Error, lint.SubjectClient, c.ID(), clientFile, msg)}
	case cause.Version:
		return []lint.Finding{finding(cause.Version, lint.Error, lint.SubjectObject, srv.ID(), "",
			fmt.Sprintf("the two objects' priority= strings share no TLS version (the server said: %v)", s.err))}
	case cause.NoSharedCipher:
		return []lint.Finding{finding(cause.NoSharedCipher, lint.Error, lint.SubjectObject, srv.ID(), "",
			fmt.Sprintf("the two objects' priority= strings share no cipher suite or group (the server said: %v)", s.err))}
	case cause.UnrecognizedName:
		return []lint.Finding{finding(cause.UnrecognizedName, lint.Error, lint.SubjectServer, srv.ID(), "",
			fmt.Sprintf("the server object %s has no certificate for %q", srv.ID(), p.host))}
	}
	if a, ok := alertOf(cli.err); ok && s.err == nil {
		return []lint.Finding{finding(cause.Alert, lint.Error, lint.SubjectServer, srv.ID(), "",
			fmt.Sprintf("the server sent alert %d %s (%s)%s", a.Number, a.Name, a.Meaning, seen))}
	}
	// A certificate GnuTLS (QEMU) loads but Go cannot parse (lint's
	// cert-go-unparseable): crypto/tls says "failed to parse certificate".
	for _, e := range []struct {
		err     error
		subject lint.Subject
		id      string
	}{{cli.err, lint.SubjectServer, srv.ID()}, {s.err, lint.SubjectClient, c.ID()}} {
		if e.err != nil && strings.Contains(e.err.Error(), "failed to parse") && strings.Contains(e.err.Error(), "certificate") {
			return []lint.Finding{finding(cause.Unexplained, lint.Error, e.subject, e.id, "",
				fmt.Sprintf("a Go peer cannot parse the certificate of object %s, which QEMU loads%s", e.id, seen), "cert-go-unparseable")}
		}
	}
	return []lint.Finding{finding(cause.Unexplained, lint.Error, lint.SubjectObject, srv.ID(), "", "the handshake failed"+seen)}
}

// warnings are findings about a handshake that succeeded.
func (p *pairing) warnings(peer []*x509.Certificate, server tls.ConnectionState) []lint.Finding {
	var fs []lint.Finding
	c := p.client.Current()
	if len(peer) > 0 {
		chains, err := creds.VerifyServer(c.CAPool, peer, p.host, p.o.Time())
		v := p.serverVerifier(peer, true)
		if err != nil {
			// Only reachable with verify-peer=off on the client.
			fs = append(fs, v.explain(unwrapVerify(err))...)
		} else {
			fs = append(fs, v.warnings(chains)...)
		}
	}
	if len(server.PeerCertificates) > 0 {
		fs = append(fs, p.clientVerifier(server.PeerCertificates).warnings(server.VerifiedChains)...)
	}
	return fs
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}
