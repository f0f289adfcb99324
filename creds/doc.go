// Package creds loads named TLS credential objects the way QEMU does and
// hands them to any number of services as ready *tls.Config values.
//
// # Objects and specs
//
// An object is defined by a spec in QEMU's -object syntax or its JSON
// form ([ParseSpec]):
//
//	tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu,verify-peer=on
//
// tls-creds-x509, tls-creds-anon and tls-creds-psk are understood, with
// QEMU's properties and defaults, plus tlscreds extensions: layout=
// (qemu, libvirt, kubernetes or auto), explicit cert=, key=, ca=, crl=
// files, and p12= for a PKCS#12 identity. [Specs] collects specs and the
// secret objects their passwordid= names.
//
// # Loading
//
// [Read] reads every file an object's endpoint needs, in QEMU's order and
// with QEMU's file names, once, and records a problem per file
// ([Material]); package lint checks that material. [Load] (or [Build])
// turns it into an immutable [Object], failing as QEMU fails at load
// time, with errors that name the object, the file and QEMU's own message.
// Files are read safely: FIFOs and devices are refused without being
// opened for reading, and files over [MaxFileSize] are not read whole.
//
// # Sharing and reloading
//
// A [Registry] holds named [Source]s. Each source keeps the current
// object behind an atomic pointer; [Source.Reload] builds a complete new
// object and swaps it in only when it loads (and passes
// [LoadOptions.Check]). If a reload fails, the previous snapshot stays
// active. [Registry.Watch] polls the files and [ReloadOnSignal] reloads on
// SIGHUP.
//
// [ServerConfig] and [ClientConfig] (and the [Registry] methods of the same
// names) build one *tls.Config per endpoint. Every handshake reads the
// source's current snapshot, so a reload reaches live listeners and
// dialers without rebuilding them. Client certificates are checked against
// the object's CA and CRL, and authorization hooks run in
// VerifyConnection, which crypto/tls also calls on resumed sessions.
//
// tls-creds-anon and tls-creds-psk objects load and validate, but Go's
// crypto/tls has no anonymous, DHE or external-PSK cipher suites: asking
// them for a config returns an [UnsupportedError].
package creds
