package privkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
)

// ParsePublic is [Parse] for callers that need only the public half of a
// key, such as a linter comparing thousands of keys with their
// certificates. RSA keys are checked for structure (version 0, positive
// values, the primes multiply to the modulus) rather than by crypto/rsa's
// full validation, which costs about 100 µs a key; an EC key that carries
// its public point returns that point, checked to lie on the curve, rather
// than computing it from the private scalar; other keys are parsed as
// Parse does. Use Parse for a key that will sign.
//
// Errors are those of Parse.
func ParsePublic(data []byte, password []byte) (crypto.PublicKey, Info, error) {
	b, err := findKeyBlock(data)
	if err != nil {
		return nil, Info{}, err
	}
	kb, err := examine(b)
	if err != nil {
		return nil, kb.info, err
	}
	der, f := kb.block.Bytes, kb.info.Format
	switch f {
	case EncryptedPKCS8, LegacyPEM:
		if len(password) == 0 && f == EncryptedPKCS8 {
			raw, err := kb.emptyPassword()
			if err != nil {
				return nil, kb.info, err
			}
			describeInto(&kb.info, raw)
			pub, err := signer(raw)
			if err != nil {
				return nil, kb.info, err
			}
			return pub.Public(), kb.info, nil
		}
		if len(password) == 0 {
			return nil, kb.info, ErrPasswordRequired
		}
		if f == EncryptedPKCS8 {
			der, err = kb.enc.decrypt(password)
			f = PKCS8
		} else {
			der, err = decryptLegacy(kb.block, password)
			f = kb.inner
		}
		if err != nil {
			return nil, kb.info, err
		}
		defer clear(der)
	}
	if pub := lightRSA(der, f); pub != nil {
		describeInto(&kb.info, pub)
		return pub, kb.info, nil
	}
	if pub := lightEC(der, f); pub != nil {
		describeInto(&kb.info, pub)
		return pub, kb.info, nil
	}
	raw, err := parseDER(der, f)
	if err != nil {
		if kb.info.Encrypted && errors.Is(err, ErrMalformed) {
			err = ErrIncorrectPassword
		}
		return nil, kb.info, err
	}
	describeInto(&kb.info, raw)
	key, err := signer(raw)
	if err != nil {
		return nil, kb.info, err
	}
	return key.Public(), kb.info, nil
}

type pkcs1Key struct {
	Version                    int
	N, E, D, P, Q, Dp, Dq, Qiv *big.Int
	Other                      asn1.RawValue `asn1:"optional"`
}

type pkcs8Key struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
}

// lightRSA returns the public key of a well-formed two-prime RSA key in
// PKCS#1 or PKCS#8 form, or nil for anything else (which the caller then
// parses fully, for the precise error).
func lightRSA(der []byte, f Format) *rsa.PublicKey {
	if f == PKCS8 {
		var p8 pkcs8Key
		if rest, err := asn1.Unmarshal(der, &p8); err != nil || len(rest) > 0 || !p8.Algorithm.Algorithm.Equal(oidRSA) {
			return nil
		}
		der, f = p8.PrivateKey, PKCS1
	}
	if f != PKCS1 {
		return nil
	}
	var k pkcs1Key
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 || k.Version != 0 || len(k.Other.FullBytes) > 0 {
		return nil
	}
	for _, v := range []*big.Int{k.N, k.E, k.D, k.P, k.Q} {
		if v == nil || v.Sign() <= 0 {
			return nil
		}
	}
	if !k.E.IsInt64() || k.E.Int64() > 1<<31-1 || new(big.Int).Mul(k.P, k.Q).Cmp(k.N) != 0 {
		return nil
	}
	return &rsa.PublicKey{N: k.N, E: int(k.E.Int64())}
}

type ecKey struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// namedCurve is the NIST curve of an OID, or nil. (A function, not a
// map: elliptic.P521() and the others build every curve's parameters,
// work a package-level map would do in every process.)
func namedCurve(oid string) elliptic.Curve {
	switch oid {
	case "1.2.840.10045.3.1.7":
		return elliptic.P256()
	case "1.3.132.0.34":
		return elliptic.P384()
	case "1.3.132.0.35":
		return elliptic.P521()
	}
	return nil
}

// lightEC returns the public point of a SEC1 or PKCS#8 EC key on a NIST
// curve when the key carries it, or nil (the caller then parses fully).
func lightEC(der []byte, f Format) *ecdsa.PublicKey {
	var curveOID asn1.ObjectIdentifier
	if f == PKCS8 {
		var p8 pkcs8Key
		if rest, err := asn1.Unmarshal(der, &p8); err != nil || len(rest) > 0 || !p8.Algorithm.Algorithm.Equal(oidEC) {
			return nil
		}
		if _, err := asn1.Unmarshal(p8.Algorithm.Parameters.FullBytes, &curveOID); err != nil {
			return nil
		}
		der, f = p8.PrivateKey, SEC1
	}
	if f != SEC1 {
		return nil
	}
	var k ecKey
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 || k.Version != 1 || len(k.PublicKey.Bytes) == 0 {
		return nil
	}
	if len(k.Curve) > 0 {
		if len(curveOID) > 0 && !curveOID.Equal(k.Curve) {
			return nil
		}
		curveOID = k.Curve
	}
	curve := namedCurve(curveOID.String())
	if curve == nil || len(k.PrivateKey) != (curve.Params().BitSize+7)/8 {
		return nil
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, k.PublicKey.RightAlign())
	if err != nil {
		return nil
	}
	return pub
}
