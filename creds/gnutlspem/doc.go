// Package gnutlspem reads PEM exactly as GnuTLS 3.7.9 does, the library
// behind QEMU (Debian 12's 7.2 and the upstream 10.x builds the project is
// proven against) and libvirt 9.0. Go's encoding/pem is stricter in some
// places and looser in others; a linter that says what QEMU will do must
// read what GnuTLS reads.
//
// # What GnuTLS does (measured with all four QEMU builds)
//
// A block starts at the first "-----BEGIN LABEL" anywhere in the file:
// a UTF-8 byte-order mark, spaces, `openssl x509 -text` output or another
// block before it are skipped. Certificates are looked for as
// "CERTIFICATE", then as the legacy "X509 CERTIFICATE"; a list (a CA
// bundle) starts at the first "CERTIFICATE" block anywhere and then takes
// every later one. The base64 body runs from the "-----" that ends the
// BEGIN line to the next "-----END " whatever its label says; inside it
// line feeds, carriage returns (CRLF and CR-only files), spaces and tabs
// are ignored and the first '-' ends it. Any other character (an RFC 1421
// header such as "Comment: x") is a base64 error, so all QEMU builds
// refuse certificates and keys with headers. A "Proc-Type: 4,ENCRYPTED"
// header reads as the base64 "Proc" and fails as DER. Lower-case labels,
// "TRUSTED CERTIFICATE" and a BEGIN line without its closing dashes are
// not found.
//
// Private keys are looked for as "RSA PRIVATE KEY", "DSA PRIVATE KEY",
// "EC PRIVATE KEY", then PKCS#8 "PRIVATE KEY" and "ENCRYPTED PRIVATE KEY".
//
// QEMU reads files itself with GLib and hands GnuTLS the text up to the
// first NUL byte in its own checks (all files in 10.2, the certificate
// files of the sanity check before); see [CutNUL].
//
// # Errors
//
// Errors carry GnuTLS's own text ([Error.GnuTLS], e.g. "Base64 decoding
// error."), which QEMU puts in its messages, and a reason for humans.
//
// # Notes
//
// [Notes] lists what GnuTLS accepts but another reader (Go, OpenSSL,
// browsers) may not, or what a person would not expect: text before a
// block, a byte-order mark, CRLF or CR-only line ends, spaces inside the
// base64, an END label that does not match, the legacy label, several
// keys, a key next to certificates. Lint reports them as warnings.
package gnutlspem
