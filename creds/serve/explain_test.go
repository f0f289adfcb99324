package serve

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
)

// Cause reads crypto/tls's server-side errors as the real handshakes in
// serve_test.go produce them; this table pins each branch, wrapped as
// crypto/tls and net wrap them, so that a change of order shows.
func TestCause(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, CausePlaintext},
		{fmt.Errorf("verify: %w", creds.ErrRevoked), CauseRevoked},
		{fmt.Errorf("verify: %w", creds.ErrNotPinned), CauseNotPinned},
		{fmt.Errorf("x: %w", creds.ErrAuthzDenied), CauseDenied},
		{errors.New(`authz check for "CN=x" failed`), CauseDenied},
		{&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, CauseUntrusted},
		{&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}, CauseExpired},
		{&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.IncompatibleUsage}}, CauseWrongEKU},
		{errors.New("tls: client didn't provide a certificate"), CauseNoClientCert},
		{errors.New("tls: client offered only unsupported versions: [302 301]"), CauseVersion},
		{errors.New("tls: no cipher suite supported by both client and server"), CauseCipher},
		{errors.New("tls: no ECDHE curve supported by both client and server; no mutually supported group"), CauseCipher},
		{errors.New("tls: client requested unsupported application protocols ([h3])"), CauseALPN},
		{errors.New("tls: no certificates configured"), CauseNoCertForName},
		{&net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}, CauseRejectedServer},
		{timeout, CauseTimeout},
		{io.EOF, CauseClosed},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), CauseClosed},
		{errors.New("something new in crypto/tls"), CauseOther},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		got := Cause(tt.err)
		if got != tt.want {
			t.Errorf("Cause(%v) = %q, want %q", tt.err, got, tt.want)
		}
		seen[got] = true
	}
	for _, c := range Causes {
		if !seen[c] {
			t.Errorf("no case gives cause %s", c)
		}
	}
	// Explain never fails to word a cause, with or without a client
	// certificate at hand.
	for _, tt := range tests[1:] {
		cause, msg := Explain(tt.err, tls.ConnectionState{})
		if cause != tt.want || msg == "" || !slices.Contains(Causes, cause) {
			t.Errorf("Explain(%v) = %q, %q", tt.err, cause, msg)
		}
	}
}
