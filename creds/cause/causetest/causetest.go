// Package causetest holds errors shaped as crypto/tls and net return them
// to a server, one or more per cause of package creds/cause, for the tests
// of every package that reads such errors (as net/http/httptest serves
// the tests of HTTP code).
package causetest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
)

// Case is an error a server's handshake returns and the cause
// [cause.Classify] gives it.
type Case struct {
	Err   error
	Cause string
}

// ServerErrors returns errors wrapped as crypto/tls and net wrap them in a
// server's handshake, covering every cause of [cause.ServerCauses].
func ServerErrors() []Case {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	return []Case{
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, cause.PlaintextToTLS},
		{fmt.Errorf("verify: %w", creds.ErrRevoked), cause.Revoked},
		{fmt.Errorf("verify: %w", creds.ErrNotPinned), cause.NotPinned},
		{fmt.Errorf("x: %w", creds.ErrAuthzDenied), cause.AuthzDenied},
		{&creds.AuthzError{Identity: "CN=x"}, cause.AuthzDenied},
		{errors.New(`authz check for "CN=x" failed`), cause.AuthzDenied},
		{&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, cause.UnknownCA},
		{&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}, cause.Expired},
		{&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.IncompatibleUsage}}, cause.ClientCertRejected},
		{errors.New("tls: client didn't provide a certificate"), cause.ClientCertRequired},
		{errors.New("tls: client offered only unsupported versions: [302 301]"), cause.Version},
		{errors.New("tls: no cipher suite supported by both client and server"), cause.NoSharedCipher},
		{errors.New("tls: no ECDHE curve supported by both client and server; no mutually supported group"), cause.NoSharedCipher},
		{errors.New("tls: client requested unsupported application protocols ([h3])"), cause.ALPN},
		{errors.New("tls: no certificates configured"), cause.UnrecognizedName},
		{&net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}, cause.Alert},
		{timeout, cause.Timeout},
		{io.EOF, cause.Reset},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), cause.Reset},
		{errors.New("something new in crypto/tls"), cause.Unexplained},
	}
}
