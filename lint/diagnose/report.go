package diagnose

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/tlscreds/tlscreds/creds/certname"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/lint"
)

// Stage is how far a probe got.
type Stage string

// Stages, in order.
const (
	StageResolve   Stage = "resolve"
	StageConnect   Stage = "connect"
	StageStartTLS  Stage = "starttls"
	StageHandshake Stage = "handshake"
	StageRead      Stage = "read"
	StageDone      Stage = "done"
)

// Report is everything a probe saw. Diagnose explains it.
type Report struct {
	Addr       string    `json:"addr"`
	ServerName string    `json:"server_name"`   // the name checked
	SNI        string    `json:"sni,omitempty"` // the name sent ("" for an IP address)
	StartTLS   string    `json:"starttls,omitempty"`
	Time       time.Time `json:"time"` // the clock certificates were checked against
	// Stage is where the probe ended; OK means it got through the
	// handshake and the first read.
	Stage Stage  `json:"stage"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`

	Resolved      []string `json:"resolved,omitempty"`
	RemoteAddr    string   `json:"remote_addr,omitempty"`
	StartTLSSteps []string `json:"starttls_steps,omitempty"`

	// TLS parameters, once the handshake got that far.
	Version     string   `json:"version,omitempty"`
	CipherSuite string   `json:"cipher_suite,omitempty"`
	ALPNOffered []string `json:"alpn_offered,omitempty"`
	ALPN        string   `json:"alpn,omitempty"`
	// ALPNRefused is the client's error when the server selected a
	// protocol it did not offer; the rest of the report is then of a
	// second handshake without ALPN.
	ALPNRefused string `json:"alpn_refused,omitempty"`
	// ALPNNone is the client's error when the server answered the
	// protocols offered with no_application_protocol (it supports none
	// of them); the rest of the report is then of a second handshake
	// without ALPN.
	ALPNNone string `json:"alpn_none,omitempty"`
	// Chain is the server's certificate chain as sent.
	Chain     []CertSummary `json:"chain,omitempty"`
	Verified  bool          `json:"verified"`
	VerifyErr string        `json:"verify_error,omitempty"`
	// CertRequested says whether the server asked for a client
	// certificate, AcceptableCAs lists the CA names it accepts, and
	// ClientCertSent whether one was sent.
	CertRequested  bool     `json:"client_cert_requested"`
	AcceptableCAs  []string `json:"acceptable_cas,omitempty"`
	ClientCertSent bool     `json:"client_cert_sent"`
	// Alert is the alert the server sent, if any, and when.
	Alert      *Alert `json:"alert,omitempty"`
	AlertStage Stage  `json:"alert_stage,omitempty"`
	// FirstRead says how the read after the handshake ended: "data",
	// "silence" (nothing within ReadWait), "close_notify", "eof" (closed
	// without close_notify), "reset" or "alert".
	FirstRead string `json:"first_read,omitempty"`
	ReadNote  string `json:"read_note,omitempty"`
	// RequestSent says the request (--http, --send, a URL) was written
	// after the handshake; Response is the HTTP answer to it.
	RequestSent bool        `json:"request_sent,omitempty"`
	Response    *httpAnswer `json:"response,omitempty"`
	// ServerBytes is the start of what the server sent when it was not
	// TLS, made safe to print.
	ServerBytes string `json:"server_bytes,omitempty"`
	// IssuerFetch is the issuer the chain lacks, fetched from the
	// caIssuers URL of its top certificate.
	IssuerFetch *IssuerFetch `json:"issuer_fetch,omitempty"`
	// Suites is what the server answered to TLS 1.2 ClientHellos
	// offering one suite family at a time, written by diagnose itself
	// (crypto/tls cannot offer DHE, CCM, ARIA or Camellia), when it
	// refused every suite Go offers.
	Suites []SuiteProbe `json:"suite_probe,omitempty"`
	// Retries are the extra connections made to narrow the cause down.
	Retries []Retry       `json:"retries,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`

	opts     ProbeOptions
	err      error // what ended the probe
	peer     []*x509.Certificate
	chains   [][]*x509.Certificate
	verr     error
	accepted [][]byte
	rec      recorded
	helloOK  bool // the server answered the ClientHello with a ServerHello
}

// CertSummary describes one certificate of a chain.
type CertSummary struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DNSNames  []string  `json:"dns_names,omitempty"`
	IPs       []string  `json:"ip_addresses,omitempty"`
	KeyUsage  []string  `json:"ext_key_usage,omitempty"`
	Signature string    `json:"signature_algorithm"`
	PublicKey string    `json:"public_key"`
}

func summarize(c *x509.Certificate) CertSummary {
	s := CertSummary{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
		DNSNames: c.DNSNames, Signature: c.SignatureAlgorithm.String(), PublicKey: keyDescription(c),
	}
	for _, ip := range c.IPAddresses {
		s.IPs = append(s.IPs, ip.String())
	}
	for _, u := range c.ExtKeyUsage {
		s.KeyUsage = append(s.KeyUsage, certname.Usage(u))
	}
	return s
}

// Retry is one extra connection a probe made, and what it found.
type Retry struct {
	// Purpose is "no-sni", "rsa-key-exchange", "any-version" or
	// "direct-tls".
	Purpose string `json:"purpose"`
	Detail  string `json:"detail"`
	OK      bool   `json:"ok"` // the handshake completed
	Version string `json:"version,omitempty"`
	Suite   string `json:"cipher_suite,omitempty"`
	Leaf    string `json:"leaf,omitempty"`
	Error   string `json:"error,omitempty"`

	leaf     *x509.Certificate
	leafErr  error // verifying leaf's chain for the probe's name
	version  uint16
	helloOK  bool
	sawAlert *Alert
}

// Err is the error that ended the probe (nil when OK).
func (r *Report) Err() error { return r.err }

// PeerCertificates is the server's chain as sent.
func (r *Report) PeerCertificates() []*x509.Certificate { return r.peer }

func (a outcome) fill(r *Report) {
	r.Stage, r.err = a.stage, a.err
	if a.err != nil {
		r.Error = a.err.Error()
	}
	r.OK = a.stage == StageDone
	r.Resolved, r.RemoteAddr, r.StartTLSSteps = a.resolved, a.remote, a.steps
	if a.state.Version != 0 {
		r.Version = tls.VersionName(a.state.Version)
		r.CipherSuite = tls.CipherSuiteName(a.state.CipherSuite)
		r.ALPN = a.state.NegotiatedProtocol
	}
	r.peer, r.chains, r.verr = a.peer, a.chains, a.verr
	for _, c := range a.peer {
		r.Chain = append(r.Chain, summarize(c))
	}
	r.Verified = a.peer != nil && a.verr == nil
	if a.verr != nil {
		r.VerifyErr = a.verr.Error()
	}
	r.CertRequested, r.accepted, r.ClientCertSent = a.requested, a.accepted, a.sent
	for _, dn := range a.accepted {
		r.AcceptableCAs = append(r.AcceptableCAs, dnString(dn))
	}
	r.Alert, r.AlertStage = a.alert, a.alertStage
	r.FirstRead, r.ReadNote = a.firstRead, a.readNote
	r.RequestSent, r.Response = a.sentRequest, a.response
	r.rec = a.rec
	r.helloOK = serverHelloSeen(a.rec.first) || a.peer != nil
	var rhe tls.RecordHeaderError
	if errors.As(a.err, &rhe) || a.preamble != nil && len(a.preamble.Got) > 0 {
		b := a.rec.first
		if len(b) == 0 && a.preamble != nil {
			b = a.preamble.Got
		}
		r.ServerBytes = lint.PrintableBytes(b, 120)
	}
}

func (r *Report) addRetry(purpose, detail string, a outcome) {
	rt := Retry{Purpose: purpose, Detail: detail, OK: a.handshaked, helloOK: serverHelloSeen(a.rec.first) || a.peer != nil, sawAlert: a.alert}
	if a.state.Version != 0 {
		rt.version = a.state.Version
		rt.Version = tls.VersionName(a.state.Version)
		rt.Suite = tls.CipherSuiteName(a.state.CipherSuite)
	}
	if a.err != nil {
		rt.Error = a.err.Error()
	}
	if len(a.peer) > 0 {
		rt.leaf, rt.leafErr = a.peer[0], a.verr
		rt.Leaf = a.peer[0].Subject.String()
	}
	r.Retries = append(r.Retries, rt)
}

func (r *Report) retryFor(purpose string) (Retry, bool) {
	for _, rt := range r.Retries {
		if rt.Purpose == purpose {
			return rt, true
		}
	}
	return Retry{}, false
}

// keyDescription names a certificate's public key type and size or
// curve: "RSA 2048", "ECDSA P-256", "Ed25519".
func keyDescription(c *x509.Certificate) string {
	alg, bits, curve := privkey.Describe(c.PublicKey)
	switch {
	case curve != "":
		return alg + " " + curve
	case alg == "RSA":
		return fmt.Sprintf("RSA %d", bits)
	case alg != "":
		return alg
	}
	return c.PublicKeyAlgorithm.String()
}
