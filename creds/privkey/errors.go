package privkey

import "errors"

// Sentinel errors. Every error returned by this package matches at most one of
// them with [errors.Is]; its message carries the details (which PEM blocks were
// found, which cipher is unsupported, what to run instead). Messages never
// contain key material.
var (
	// ErrNoKey means the input holds no private-key PEM block: it is empty,
	// DER rather than PEM, or PEM holding only other blocks (certificates,
	// parameters). The message names the block types that were found.
	ErrNoKey = errors.New("privkey: no PEM private key")

	// ErrPasswordRequired means the key is encrypted and the password is empty.
	ErrPasswordRequired = errors.New("privkey: the key is encrypted and no password was given")

	// ErrIncorrectPassword means decryption failed: bad padding, or the
	// decrypted bytes are not a private key. With unauthenticated CBC the two
	// cannot be told apart from a corrupt ciphertext.
	ErrIncorrectPassword = errors.New("privkey: incorrect password (or the encrypted key is corrupt)")

	// ErrUnsupported means the input is well formed but uses something this
	// package does not implement: a PBES1 scheme GnuTLS cannot read either,
	// scrypt encryption, an unknown PRF
	// or cipher, an iteration count above the limit, a key algorithm or curve
	// Go cannot load, or a key that cannot sign (X25519).
	ErrUnsupported = errors.New("privkey: unsupported key or encryption")

	// ErrMalformed means a private-key block was found but its contents do
	// not parse: truncated PEM, corrupt base64, bad DER, or a block whose
	// type does not match its contents.
	ErrMalformed = errors.New("privkey: malformed private key")
)

// keyError is a detailed error that matches one sentinel (kind) and
// optionally wraps a lower-level cause (an asn1 or x509 error).
type keyError struct {
	kind  error
	msg   string
	cause error
	// gnutls is GnuTLS's error text for the same input, "" if unknown.
	gnutls string
}

func (e *keyError) Error() string {
	if e.cause != nil {
		return "privkey: " + e.msg + ": " + e.cause.Error()
	}
	return "privkey: " + e.msg
}

func (e *keyError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

func newError(kind error, msg string) error { return &keyError{kind: kind, msg: msg} }

func wrapError(kind error, msg string, cause error) error {
	return &keyError{kind: kind, msg: msg, cause: cause}
}

// GnuTLS 3.7.9's error texts (gnutls_strerror) for the keys it refuses,
// which QEMU up to 10.1 and libvirt quote.
const (
	gnutlsDecryptionFailed  = "Decryption has failed."
	gnutlsCipherUnsupported = "The cipher type is unsupported."
	gnutlsIllegalParameter  = "An illegal parameter was found."
)

// gnutlsError is newError for an input GnuTLS refuses with the error text gnutls.
func gnutlsError(kind error, msg, gnutls string) error {
	return &keyError{kind: kind, msg: msg, gnutls: gnutls}
}

// GnuTLSReason is the error text GnuTLS 3.7.9 gives (gnutls_strerror) when
// gnutls_x509_privkey_import2 refuses the key for which Parse returned err,
// where this package knows it, and "" otherwise: "Decryption has failed."
// for a missing or wrong password, "The cipher type is unsupported." for a
// PBES1 scheme GnuTLS cannot decrypt, "An illegal parameter was found."
// for an iteration count above [MaxIterations]. Measured with certtool
// --key-info and qemu-img 7.2, 10.0 and 10.1, which quote it.
func GnuTLSReason(err error) string {
	var ke *keyError
	switch {
	case errors.Is(err, ErrPasswordRequired), errors.Is(err, ErrIncorrectPassword):
		return gnutlsDecryptionFailed
	case errors.As(err, &ke):
		return ke.gnutls
	}
	return ""
}
