package cause

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// Error is an error that carries its cause: creds' sentinels
// (creds.ErrRevoked, creds.ErrNotPinned, creds.ErrAuthzDenied) are Errors,
// so [Classify] knows them without this package importing creds.
type Error struct {
	ID  string // the cause
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Cause returns e's cause ID.
func (e *Error) Cause() string { return e.ID }

// New returns an error with text msg and cause id, for sentinels.
func New(id, msg string) error { return &Error{ID: id, Msg: msg} }

// Causes a server-side handshake error can be classified as. The names
// say what the server saw; the values are causes of the registry.
const (
	// The client's certificate is valid, but its extendedKeyUsage lacks
	// clientAuth: the server rejects the client's certificate.
	wrongEKU = ClientCertRejected
	// The client sent an alert: it rejected the server.
	rejectedServer = Alert
	// The client hung up during the handshake.
	closed = Reset
)

// ServerCauses lists every cause [Classify] can return.
var ServerCauses = []string{
	ClientCertRequired, UnknownCA, Expired, wrongEKU, Revoked, NotPinned,
	AuthzDenied, Version, NoSharedCipher, ALPN, PlaintextToTLS, rejectedServer,
	Timeout, closed, UnrecognizedName, Unexplained,
}

// serverRules read a server's handshake error, in order: the first that
// matches gives the cause. Errors without a type to match are known by
// crypto/tls's texts (Go 1.26, crypto/tls/handshake_server.go and
// handshake_server_tls13.go).
var serverRules = []struct {
	cause string
	match func(err error, msg string) bool
}{
	{PlaintextToTLS, func(err error, _ string) bool { return isA[tls.RecordHeaderError](err) }},
	{"", func(err error, _ string) bool { return isA[interface{ Cause() string }](err) }}, // an [Error]: its own cause
	{AuthzDenied, contains("authz check for")},                                            // QEMU's wording, from authz callbacks
	{UnknownCA, func(err error, _ string) bool { return isA[x509.UnknownAuthorityError](err) }},
	{Expired, invalid(x509.Expired)},
	{wrongEKU, invalid(x509.IncompatibleUsage)},
	{ClientCertRequired, contains("client didn't provide a certificate")},
	{Version, contains("unsupported versions")},
	{NoSharedCipher, contains("no cipher suite supported", "no mutually supported")},
	{ALPN, contains("unsupported application protocols")},
	{UnrecognizedName, contains("no certificates configured")},
	{rejectedServer, func(err error, _ string) bool {
		var oe *net.OpError
		return errors.As(err, &oe) && oe.Op == "remote error"
	}},
	// An OpenSSL client (s_client, curl, Python) that refuses the
	// server's certificate in TLS 1.3 sends an alert the server cannot
	// decrypt: Go reports "local error: tls: bad record MAC" (measured
	// with OpenSSL 3.0 clients against tlscreds serve; gnutls-serv says
	// "Decryption has failed" for the same). In a handshake it is the
	// client aborting, not a corrupted record.
	{rejectedServer, contains("local error: tls: bad record MAC")},
	{Timeout, func(err error, _ string) bool {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout()
	}},
	{closed, func(err error, _ string) bool {
		return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF)
	}},
}

// Classify reads the error of a TLS server's handshake (tls.Conn's
// HandshakeContext on the server side, or a creds verifier's error within
// it): one of [ServerCauses], "" for nil. It is the one reading of
// crypto/tls's server-side errors in tlscreds.
func Classify(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, r := range serverRules {
		if !r.match(err, msg) {
			continue
		}
		if r.cause == "" {
			var ce interface{ Cause() string }
			errors.As(err, &ce)
			return ce.Cause()
		}
		return r.cause
	}
	return Unexplained
}

func isA[T any](err error) bool {
	var t T
	return errors.As(err, &t)
}

func contains(texts ...string) func(error, string) bool {
	return func(_ error, msg string) bool {
		for _, t := range texts {
			if strings.Contains(msg, t) {
				return true
			}
		}
		return false
	}
}

func invalid(reason x509.InvalidReason) func(error, string) bool {
	return func(err error, _ string) bool {
		var inv x509.CertificateInvalidError
		return errors.As(err, &inv) && inv.Reason == reason
	}
}
