package lint

import "github.com/tlscreds/tlscreds/creds"

// QEMU stops at its first error, so of all the problems lint reports the
// one QEMU prints is the one its loader meets first. Lint's output keeps
// its one order (CompareFindings: severity, file, rule), which is not the
// loader's; Result.ConsumerFirst names the message QEMU prints instead.
// The steps below are the order of QEMU's crypto/tlscredsx509.c:
//
//   - up to 10.1 (qcrypto_tls_creds_x509_load): the paths (CA, CRL,
//     identity certificate, key, DH parameters), then the sanity check
//     (import the identity certificate, then the CA list; check_cert on
//     the identity certificate, then on each CA: times, basic constraints,
//     key usage, key purpose; then check_cert_pair), then GnuTLS loads the
//     CA file, the certificate and key, the CRL and the DH parameters.
//   - 10.2: the CA file (path, import), each identity (pairing, import of
//     the certificates and the key, linking them), the CRL and DH paths,
//     the sanity check per identity (check_cert on each certificate of the
//     identity file, check_authority_chain: the file's order, then
//     check_cert on each CA up the chain, or "no issuer"; then
//     check_cert_pair), then the CRL and the DH parameters.
//
// Lint's differential (lint/qemudiff) asserts ConsumerFirst is the line
// each QEMU build prints, on every case.

// certStage is a message's place in check_cert: times, basic
// constraints, key usage, key purpose.
var certStage = map[qemuMsg]int{qExpired: 1, qNotActive: 1, qBCMissing: 2, qBCNotCA: 2, qBCIsCA: 2, qKUCertSign: 3, qKUDigitalSig: 3, qKUKeyEnc: 3, qEKU: 4}

// loaderStep is message m's place in the profile's QEMU loader (smaller
// is met first), for the file path it is about; 0 when unknown.
func (c *Context) loaderStep(m qemuMsg, path string) int {
	role := creds.FileRole("")
	if f := c.fileByPath(path); f != nil {
		role = f.Role
	}
	isCA := path != "" && path == c.caPath()
	if s, ok := certStage[m]; ok {
		switch {
		case c.modern() && isCA:
			return 460 + s
		case c.modern():
			return 400 + s
		case isCA:
			return 320 + s
		default:
			return 300 + s
		}
	}
	if c.modern() {
		switch m {
		case qAccess:
			switch role {
			case creds.RoleCA:
				return 100
			case creds.RoleCRL, creds.RoleDH:
				return 300
			}
			return 200
		case qCAImport, qCALoad:
			return 110
		case qCertNoKey, qKeyNoCert, qCertImport, qKeyImport, qCertKeyLoad, qKeyMismatch:
			return 200
		case qNoServerID:
			return 290
		case qIssuerMismatch:
			return 450
		case qNoIssuer:
			return 480
		case qVerify:
			return 490
		case qCRLLoad:
			return 500
		case qDHLoad, qDHOpen:
			return 600
		}
		return 0
	}
	switch m {
	case qAccess:
		switch role {
		case creds.RoleCA:
			return 100
		case creds.RoleCRL:
			return 101
		case creds.RoleCert:
			return 102
		case creds.RoleKey:
			return 103
		}
		return 104
	case qNoServerID:
		return 102
	case qCertImport:
		return 200
	case qCAImport:
		return 210
	case qNoIssuer, qVerify:
		return 400
	case qCALoad:
		return 600
	case qCertKeyLoad, qKeyMismatch, qKeyImport:
		return 700
	case qCRLLoad:
		return 800
	case qDHLoad, qDHOpen:
		return 900
	}
	return 0
}

// consumerFirst is the consumer message of the error in fs the consumer
// meets first: the error finding of the smallest loader step, in output
// order among equals (a step of 0, unknown, comes after every known one).
// A waived error counts: a waiver is lint's, QEMU still stops there.
func consumerFirst(fs []Finding) string {
	first, best := "", 0
	for _, f := range fs {
		if f.Severity != Error || f.Consumer == "" {
			continue
		}
		step := f.step
		if step == 0 {
			step = 1 << 30
		}
		if first == "" || step < best {
			first, best = f.Consumer, step
		}
	}
	return first
}
