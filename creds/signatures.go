package creds

import (
	"crypto/x509"
	"sync"
)

// Signatures remembers the outcome of signature checks by the pair of
// certificates, so that the walks and rules over one object check each
// signature once: lint walks from an identity through its CA file for
// several rules, and each walk would otherwise verify the same leaf and
// CA signatures again. The zero value is ready to use; a nil *Signatures
// remembers nothing of its own. Not safe for concurrent use: one object's
// checks own one.
//
// Whatever the memo, the outcome of checking a CA certificate's signature
// is also remembered process-wide (see [CheckSignature]).
type Signatures struct {
	m map[[2]*x509.Certificate]error
}

// Check is [CheckSignature], remembered for the pair.
func (s *Signatures) Check(c, issuer *x509.Certificate) error {
	if s == nil {
		return CheckSignature(c, issuer)
	}
	key := [2]*x509.Certificate{issuer, c}
	if err, ok := s.m[key]; ok {
		return err
	}
	err := CheckSignature(c, issuer)
	if s.m == nil {
		s.m = map[[2]*x509.Certificate]error{}
	}
	s.m[key] = err
	return err
}

// CheckSignature checks c's signature with issuer's key only
// (issuer.CheckSignature: unlike CheckSignatureFrom it does not ask
// whether issuer may issue). An insecure algorithm is an
// [x509.InsecureAlgorithmError].
//
// A CA certificate's outcome is checked once per process: [Read] hands
// out one *x509.Certificate per distinct CA certificate (see parseCert),
// so in a fleet's tree the root's self-signature and the intermediate's
// signature under it are the same pair of pointers in every directory.
// Leaves are unique and not remembered here.
func CheckSignature(c, issuer *x509.Certificate) error {
	if !c.IsCA {
		return issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	}
	key := [2]*x509.Certificate{issuer, c}
	caSignatures.Lock()
	err, ok := caSignatures.m[key]
	caSignatures.Unlock()
	if ok {
		return err
	}
	err = issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	caSignatures.Lock()
	if caSignatures.m == nil || len(caSignatures.m) >= caSignaturesMax {
		caSignatures.m = map[[2]*x509.Certificate]error{} // bounded: start again
	}
	caSignatures.m[key] = err
	caSignatures.Unlock()
	return err
}

// caSignaturesMax bounds the remembered CA signatures (each entry keeps
// two certificates alive, so a pointer is never reused while its entry
// lives).
const caSignaturesMax = 256

var caSignatures struct {
	sync.Mutex
	m map[[2]*x509.Certificate]error
}
