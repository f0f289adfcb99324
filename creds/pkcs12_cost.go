package creds

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/tlscreds/tlscreds/creds/privkey"
)

// ErrP12Cost is returned for a PKCS#12 file whose MAC or encryption asks
// for more key-derivation rounds than [MaxP12Iterations]. It is checked
// before any key is derived, with or without a password.
var ErrP12Cost = errors.New("PKCS#12 iteration count above the cap")

// MaxP12Iterations caps every iteration count in a PKCS#12 file: the
// MAC's, the PKCS#12 PBE and PBES1 schemes' and PBKDF2's (PBES2, PBMAC1).
//
// Measured with GnuTLS 3.7.9 (certtool --p12-info, the library QEMU
// links): bags encrypted with PBKDF2 or with PKCS#12's pbeWithSHAAnd3-
// KeyTripleDES-CBC load at 10,485,759 rounds and are refused at 10,485,760
// ("An illegal parameter was found"), the cap of [privkey.MaxIterations].
// GnuTLS has no cap on the MAC's count: at 2^31-1 certtool was still
// deriving after 100 s. We apply the same cap to the MAC, so a 1 KB file
// costs at most a few seconds per password tried.
const MaxP12Iterations = privkey.MaxIterations

// maxP12Depth bounds how deeply p12Cost descends into nested encodings.
const maxP12Depth = 24

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidPBMAC1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 14}
	// PKCS#5 v1.5 PBES1 schemes: 1.2.840.113549.1.5.{1,3,4,6,10,11}.
	oidPKCS5 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5}
	// PKCS#12 PBE schemes: 1.2.840.113549.1.12.1.{1..6}.
	oidPKCS12PBE = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}
)

// checkP12Cost refuses a PKCS#12 file whose MAC or any encryption scheme in
// it carries an iteration count above [MaxP12Iterations] (or not positive).
// It reads BER as well as DER, as go-pkcs12 does, and descends into every
// OCTET STRING that holds an encoding, so nested SafeContents and
// shrouded key bags are covered. Files it cannot read are left to the
// decoder, which then fails before deriving anything.
func checkP12Cost(data []byte) error {
	root, _, err := parseBER(data, 0)
	if err != nil || root.tag != tagSequence || len(root.children) < 2 {
		return nil
	}
	// PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }
	// MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
	if len(root.children) >= 3 {
		mac := root.children[2]
		if mac.tag == tagSequence && len(mac.children) >= 3 && mac.children[2].tag == tagInteger {
			if err := checkCount("MAC", mac.children[2]); err != nil {
				return err
			}
		}
	}
	w := &p12Walker{budget: 64 * (len(data) + 1)}
	return w.walk(root, 0)
}

// p12Walker bounds the total work of a walk: each descent into an OCTET
// STRING parses its bytes again, so the budget is a multiple of the size.
type p12Walker struct{ budget int }

// walk checks every algorithm identifier below n that names a
// password-based scheme.
func (w *p12Walker) walk(n *berNode, depth int) error {
	w.budget -= len(n.raw) + len(n.content) + 1
	if depth > maxP12Depth || w.budget < 0 {
		return nil
	}
	if n.class == classUniversal && n.tag == tagSequence && len(n.children) >= 1 && n.children[0].tag == tagOID {
		if err := checkAlgorithm(n); err != nil {
			return err
		}
	}
	octets := n.class == classUniversal && n.tag == tagOctetString
	if !octets { // a segmented OCTET STRING is read once, as its content
		for _, c := range n.children {
			if err := w.walk(c, depth+1); err != nil {
				return err
			}
		}
	}
	if octets || (n.class == classContext && !n.constructed) {
		if inner, rest, err := parseBER(n.content, depth+1); err == nil && len(rest) == 0 {
			return w.walk(inner, depth+1)
		}
	}
	return nil
}

// checkAlgorithm checks an AlgorithmIdentifier naming PBES2, PBMAC1,
// PBKDF2, PBES1 or a PKCS#12 PBE scheme.
func checkAlgorithm(alg *berNode) error {
	var oid asn1.ObjectIdentifier
	if len(alg.children) < 2 {
		return nil
	}
	if _, err := asn1.Unmarshal(alg.children[0].raw, &oid); err != nil {
		return nil
	}
	params := alg.children[1]
	switch {
	case oid.Equal(oidPBKDF2):
		// PBKDF2-params ::= SEQUENCE { salt, iterationCount INTEGER, ... }
		if params.tag == tagSequence && len(params.children) >= 2 {
			return checkCount("PBKDF2", params.children[1])
		}
	case oid.Equal(oidPBES2), oid.Equal(oidPBMAC1):
		// the PBKDF2 AlgorithmIdentifier inside is met by walkP12.
	case len(oid) == 7 && hasPrefix(oid, oidPKCS5), len(oid) == 8 && hasPrefix(oid, oidPKCS12PBE):
		// PBEParameter ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER }
		if params.tag == tagSequence && len(params.children) >= 2 {
			return checkCount("PBE", params.children[1])
		}
	}
	return nil
}

func hasPrefix(oid, prefix asn1.ObjectIdentifier) bool {
	return len(oid) > len(prefix) && oid[:len(prefix)].Equal(prefix)
}

// checkCount refuses an iteration-count INTEGER above the cap or below 1.
func checkCount(what string, n *berNode) error {
	if n.tag != tagInteger {
		return nil
	}
	b := n.content
	switch {
	case len(b) == 0:
		return fmt.Errorf("%w: the %s iteration count is empty", ErrP12Cost, what)
	case b[0]&0x80 != 0:
		return fmt.Errorf("%w: the %s iteration count is negative", ErrP12Cost, what)
	}
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) > 8 {
		return fmt.Errorf("%w: the %s iteration count has %d bytes; the cap is %d (no key was derived)", ErrP12Cost, what, len(b), MaxP12Iterations)
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	switch {
	case v == 0:
		return fmt.Errorf("%w: the %s iteration count is 0", ErrP12Cost, what)
	case v > MaxP12Iterations:
		return fmt.Errorf("%w: the %s iteration count %d is above the cap of %d; no key was derived", ErrP12Cost, what, v, MaxP12Iterations)
	}
	return nil
}
