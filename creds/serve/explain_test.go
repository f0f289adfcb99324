package serve

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

// Explain words every cause cause.Classify gives, with or without a
// client certificate at hand.
func TestExplainWordsEveryCause(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	errs := []error{
		tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"},
		fmt.Errorf("verify: %w", creds.ErrRevoked),
		fmt.Errorf("verify: %w", creds.ErrNotPinned),
		fmt.Errorf("x: %w", creds.ErrAuthzDenied),
		&creds.AuthzError{Identity: "CN=x"},
		&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}},
		&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}},
		&tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.IncompatibleUsage}},
		errors.New("tls: client didn't provide a certificate"),
		errors.New("tls: client offered only unsupported versions: [302 301]"),
		errors.New("tls: no cipher suite supported by both client and server"),
		errors.New("tls: client requested unsupported application protocols ([h3])"),
		errors.New("tls: no certificates configured"),
		&net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")},
		timeout,
		io.EOF,
		fmt.Errorf("read: %w", syscall.ECONNRESET),
		errors.New("something new in crypto/tls"),
	}
	seen := map[string]bool{}
	for _, err := range errs {
		id, msg := Explain(err, tls.ConnectionState{})
		if id != cause.Classify(err) || msg == "" {
			t.Errorf("Explain(%v) = %q, %q", err, id, msg)
		}
		seen[id] = true
	}
	for _, id := range cause.ServerCauses {
		if !seen[id] {
			t.Errorf("no case gives cause %s", id)
		}
	}
}
