// Package lint checks credential objects before they are deployed.
//
// # Rules and findings
//
// A [Rule] is one check with a stable ID (kebab-case, a public contract),
// a severity, a subject (CA, server, client, key, CRL, file, object), a
// citation, the exact QEMU or libvirt message it corresponds to, and a
// fix. [Run] applies every rule to the [creds.Material] of an object and
// returns [Finding]s; reporters render findings and know nothing of X.509.
//
// # Profiles
//
// Consumers differ, so severities depend on a [Profile]: in a profile an
// error means "that consumer refuses this directory"; everything else we
// know is a warning or information.
//
//   - qemu: QEMU 10.2 semantics (only CAs on the leaf's path are checked,
//     identity chains allowed, no keyEncipherment requirement).
//   - qemu-legacy: QEMU up to 10.1 as distributions ship it (every
//     certificate in ca-cert.pem is checked, only the first certificate of
//     the identity file is used, keyEncipherment required when keyUsage is
//     critical).
//   - libvirt: libvirt's rules (keyEncipherment for non-EC keys).
package lint
