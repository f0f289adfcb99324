package cause_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
)

// Classify reads crypto/tls's server-side errors as the real handshakes in
// creds/serve's serve_test.go produce them; this table pins each branch, wrapped as
// crypto/tls and net wrap them, so that a change of order shows.
func TestClassify(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, cause.PlaintextToTLS},
		{fmt.Errorf("verify: %w", creds.ErrRevoked), cause.Revoked},
		{fmt.Errorf("verify: %w", creds.ErrNotPinned), cause.NotPinned},
		{fmt.Errorf("x: %w", creds.ErrAuthzDenied), cause.AuthzDenied},
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
	seen := map[string]bool{}
	for _, tt := range tests {
		got := cause.Classify(tt.err)
		if got != tt.want {
			t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
		}
		seen[got] = true
	}
	for _, c := range cause.ServerCauses {
		if !seen[c] {
			t.Errorf("no case gives cause %s", c)
		}
	}
}
