// Package diagnose names the cause of a failed TLS handshake, in plain
// words, with the evidence and the fix.
//
// Handshake failures reach operators as "handshake failed", "remote error:
// tls: bad certificate" or "SSL alert number 42". The side that sees the
// real reason is often not the side that reports the error: a TLS client
// only learns from an alert number that the server refused its
// certificate, and in TLS 1.3 not even during the handshake but on the
// first read. This package plays one side (or both) and explains what the
// other side did.
//
// # Three ways in
//
//   - [Probe] connects to a server as a client — optionally after an NBD or
//     VNC (VeNCrypt) STARTTLS preamble — records everything it sees in a
//     [Report], and [Diagnose] turns the report into findings.
//   - [Pair] runs the handshake in-process between a server and a client
//     credential object, with the very configs [creds.ServerConfig] and
//     [creds.ClientConfig] build, over TLS 1.2 and TLS 1.3, and explains
//     each side's error.
//   - [Explain] recognises error text people paste (QEMU, libvirt, GnuTLS,
//     OpenSSL, Go, curl) and says what it means.
//
// # Findings
//
// Every cause is a [lint.Finding] whose rule ID starts with "handshake-"
// (see [Causes]); where a lint rule catches the problem before deployment,
// the finding's Citation names it ("lint: cert-expired"). The same
// reporters render lint, pair and diagnose results.
package diagnose
