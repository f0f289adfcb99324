package privkey

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// This file turns the DER body of a plain (or decrypted) key block into a Go
// key, and explains failures: a key algorithm or curve Go cannot load is
// ErrUnsupported, anything else ErrMalformed.

// parseDER parses der as the encoding f names (PKCS8, PKCS1 or SEC1). It
// returns the key as crypto/x509 does, so X25519 keys come back as
// *ecdh.PrivateKey; see signer.
func parseDER(der []byte, f Format) (any, error) {
	var (
		key any
		err error
	)
	switch f {
	case PKCS8:
		key, err = x509.ParsePKCS8PrivateKey(der)
	case PKCS1:
		key, err = x509.ParsePKCS1PrivateKey(der)
	case SEC1:
		key, err = x509.ParseECPrivateKey(der)
	default:
		return nil, fmt.Errorf("privkey: internal error: parseDER(%q)", f)
	}
	if err != nil {
		return nil, explainDER(der, f, err)
	}
	return key, nil
}

// signer returns key as a crypto.Signer if it is one of the three key types
// crypto/tls can sign with.
func signer(key any) (crypto.Signer, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	case *ecdh.PrivateKey:
		return nil, newError(ErrUnsupported, fmt.Sprintf("the key is an %v key-agreement key, not a signing key", k.Curve()))
	}
	return nil, newError(ErrUnsupported, fmt.Sprintf("%T is not a signing key", key))
}

// privateKeyInfo is the head of a PKCS#8 PrivateKeyInfo (RFC 5958 §2);
// encoding/asn1 ignores the optional trailing fields.
type privateKeyInfo struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
}

// ecPrivateKey is SEC1's ECPrivateKey (RFC 5915 §3).
type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// rsaPrivateKeyHead is the head of PKCS#1's RSAPrivateKey (RFC 8017 A.1.2).
type rsaPrivateKeyHead struct {
	Version int
	N, E    *big.Int
}

// sniffDER says which of the three encodings der is shaped like, or "".
// The shapes are disjoint: the second element is a SEQUENCE (PKCS#8), an
// OCTET STRING (SEC1) or an INTEGER (PKCS#1).
func sniffDER(der []byte) Format {
	var p8 privateKeyInfo
	if unmarshalAll(der, &p8) == nil {
		return PKCS8
	}
	var ec ecPrivateKey
	if unmarshalAll(der, &ec) == nil {
		return SEC1
	}
	var p1 rsaPrivateKeyHead
	if unmarshalAll(der, &p1) == nil {
		return PKCS1
	}
	return ""
}

var (
	oidRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidX25519  = asn1.ObjectIdentifier{1, 3, 101, 110}
)

// unsupportedAlgorithms names PKCS#8 key algorithms Go cannot load.
var unsupportedAlgorithms = map[string]string{
	"1.2.840.113549.1.1.10": "RSA-PSS",
	"1.2.840.10040.4.1":     "DSA",
	"1.3.101.111":           "X448",
	"1.3.101.113":           "Ed448",
	"1.2.840.113549.1.3.1":  "DH",
	"1.2.840.10046.2.1":     "X9.42 DH",
}

// curves maps the named curves crypto/x509 loads to their names, and
// otherCurves a few it does not, for messages.
var (
	curves = map[string]string{
		"1.3.132.0.33":        "P-224",
		"1.2.840.10045.3.1.7": "P-256",
		"1.3.132.0.34":        "P-384",
		"1.3.132.0.35":        "P-521",
	}
	otherCurves = map[string]string{
		"1.3.132.0.10":          "secp256k1",
		"1.3.36.3.3.2.8.1.1.7":  "brainpoolP256r1",
		"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
		"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
		"1.2.156.10197.1.301":   "SM2",
	}
)

// pemType and specName give the block type and the name of the standard of
// the plain formats, for messages.
var (
	pemType  = map[Format]string{PKCS8: typePKCS8, PKCS1: typePKCS1, SEC1: typeSEC1}
	specName = map[Format]string{PKCS8: "PKCS#8", PKCS1: "PKCS#1", SEC1: "SEC1"}
)

// explainDER turns a crypto/x509 parse failure of der (labelled f) into an
// ErrUnsupported or ErrMalformed error that says what was expected.
func explainDER(der []byte, f Format, cause error) error {
	got := sniffDER(der)
	if got != "" && got != f {
		return newError(ErrMalformed, fmt.Sprintf("the %s block holds a %s key, not %s; rewrite it with `openssl pkey -in KEY -out KEY.new`", pemType[f], specName[got], specName[f]))
	}
	switch got {
	case PKCS8:
		var p8 privateKeyInfo
		_ = unmarshalAll(der, &p8) // parsed by sniffDER
		alg := p8.Algorithm.Algorithm
		if name, ok := unsupportedAlgorithms[alg.String()]; ok {
			return newError(ErrUnsupported, name+" keys are not supported; use RSA, ECDSA (P-256, P-384, P-521) or Ed25519")
		}
		if !alg.Equal(oidRSA) && !alg.Equal(oidEC) && !alg.Equal(oidEd25519) && !alg.Equal(oidX25519) {
			return newError(ErrUnsupported, "PKCS#8 key algorithm "+alg.String()+" is not supported; use RSA, ECDSA (P-256, P-384, P-521) or Ed25519")
		}
		if alg.Equal(oidEC) {
			var curve asn1.ObjectIdentifier
			if unmarshalAll(p8.Algorithm.Parameters.FullBytes, &curve) != nil {
				return newError(ErrUnsupported, "ECDSA keys with explicit curve parameters are not supported; rewrite with `openssl pkey -in KEY -out KEY.new -ec_param_enc named_curve`")
			}
			if err := checkCurve(curve); err != nil {
				return err
			}
		}
	case SEC1:
		var ec ecPrivateKey
		_ = unmarshalAll(der, &ec)
		if len(ec.Curve) > 0 {
			if err := checkCurve(ec.Curve); err != nil {
				return err
			}
		}
	}
	return wrapError(ErrMalformed, fmt.Sprintf("the %s block is not a valid %s key", pemType[f], specName[f]), cause)
}

// checkCurve returns ErrUnsupported for a named curve crypto/x509 cannot load.
func checkCurve(oid asn1.ObjectIdentifier) error {
	if _, ok := curves[oid.String()]; ok {
		return nil
	}
	name := oid.String()
	if n, ok := otherCurves[name]; ok {
		name = n
	}
	return newError(ErrUnsupported, "elliptic curve "+name+" is not supported; use P-256, P-384 or P-521")
}
