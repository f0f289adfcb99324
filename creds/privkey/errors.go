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
	// package does not implement: PBES1 or scrypt encryption, an unknown PRF
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
