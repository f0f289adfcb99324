package creds

import (
	"encoding/asn1"
	"errors"
	"strings"
)

// plainError is a file's parse error as people read it, after the path
// the [FileError] around it gives: Go's package prefixes ("privkey: ",
// "x509: ") dropped, and an encoding/asn1 message (a struct dump, or
// "syntax error: sequence truncated") replaced by what the file should
// have held. errors.Is and errors.As still reach the cause.
func plainError(role FileRole, err error) error {
	msg := err.Error()
	var (
		se  asn1.StructuralError
		sye asn1.SyntaxError
	)
	if i := strings.Index(msg, "asn1: "); i >= 0 || errors.As(err, &se) || errors.As(err, &sye) {
		if i < 0 {
			i = len(msg)
		}
		// What comes before the asn1 text already says what was
		// expected ("the PRIVATE KEY block is not a valid PKCS#8 key").
		if head := strings.TrimRight(strings.TrimSpace(msg[:i]), ":"); head != "" {
			msg = head + ": malformed DER"
		} else {
			msg = "its DER encoding is not " + expectedDER(role)
		}
	}
	for _, p := range []string{"privkey: ", "x509: ", "creds: "} {
		msg = strings.TrimPrefix(msg, p)
		msg = strings.ReplaceAll(msg, ": "+p, ": ")
	}
	if msg == err.Error() {
		return err
	}
	return &textError{msg, err}
}

// expectedDER says what a file of role holds inside its PEM blocks.
func expectedDER(role FileRole) string {
	switch role {
	case RoleKey:
		return "a private key of the type its PEM label names (PKCS#8, PKCS#1 or SEC 1)"
	case RoleCRL:
		return "an X.509 CRL"
	case RoleDH:
		return "PKCS #3 DH parameters"
	case RoleP12:
		return "a PKCS#12 file"
	}
	return "an X.509 certificate"
}

// textError says text and unwraps to err.
type textError struct {
	text string
	err  error
}

func (e *textError) Error() string { return e.text }
func (e *textError) Unwrap() error { return e.err }
