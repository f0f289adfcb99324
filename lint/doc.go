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
// The QEMU profiles are named after the builds they are proven against
// (each with GnuTLS 3.7.9's default policy); what differs between them
// is data of a [QEMUBuild], so every rule has one implementation:
//
//   - qemu-10.2.0 (alias qemu, the default): only CAs on the leaf's path
//     are checked, identity chains and server-cert-N.pem identities,
//     half an identity refused, no keyEncipherment requirement.
//   - qemu-10.1.0, qemu-10.0.0: every certificate of ca-cert.pem checked
//     (the first 16 up to 10.0), only the first certificate of the
//     identity file, keyEncipherment required in a critical keyUsage.
//   - qemu-7.2.22-debian12 (alias qemu-legacy): as 10.0.0, with Debian's
//     backport of the keyEncipherment relaxation.
//   - libvirt: libvirt 9.0's rules.
//
// [ParseProfile] also maps another QEMU version to the nearest proven
// build (with a note of what is unproven) and [DetectQEMU] reads
// `qemu-img --version` for --profile auto.
package lint
