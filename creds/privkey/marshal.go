package privkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// Marshal encodes key as one PEM block in the given format; password is required for the two encrypted formats.
//
// key must be an *rsa.PrivateKey, an *ecdsa.PrivateKey or an
// ed25519.PrivateKey (a hardware-backed crypto.Signer cannot be exported).
// PKCS1 takes only RSA keys, SEC1 only ECDSA keys, and LegacyPEM RSA or ECDSA
// keys; any other pairing fails with [ErrUnsupported] naming a format that
// fits. EncryptedPKCS8 uses PBKDF2-HMAC-SHA256 with [Iterations] rounds, a
// random 16-byte salt, and AES-256-CBC; LegacyPEM uses DEK-Info AES-256-CBC
// and exists only to produce old-style files for tests.
//
// Marshal is safe for concurrent use as long as Iterations is not changed.
func Marshal(key crypto.Signer, f Format, password []byte) ([]byte, error) {
	if k, ok := key.(*ed25519.PrivateKey); ok && k != nil {
		key = *k
	}
	if err := checkExportable(key); err != nil {
		return nil, err
	}
	if f.Encrypted() && len(password) == 0 {
		return nil, newError(ErrPasswordRequired, fmt.Sprintf("format %s needs a password", f))
	}

	var block *pem.Block
	switch f {
	case PKCS8, EncryptedPKCS8:
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, fmt.Errorf("privkey: encoding PKCS#8: %w", err)
		}
		block = &pem.Block{Type: typePKCS8, Bytes: der}
		if f == EncryptedPKCS8 {
			defer clear(der)
			enc, err := encryptPBES2(der, password, Iterations)
			if err != nil {
				return nil, err
			}
			block = &pem.Block{Type: typeEncryptedPKCS8, Bytes: enc}
		}
	case PKCS1, SEC1, LegacyPEM:
		b, err := marshalTraditional(key, f)
		if err != nil {
			return nil, err
		}
		block = b
		if f == LegacyPEM {
			defer clear(b.Bytes)
			if block, err = encryptLegacy(b.Type, b.Bytes, password); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("privkey: unknown key format %q (want one of %s)", f, formatList())
	}
	return pem.EncodeToMemory(block), nil
}

// checkExportable rejects keys crypto/x509 cannot encode.
func checkExportable(key crypto.Signer) error {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k != nil {
			return nil
		}
	case *ecdsa.PrivateKey:
		if k != nil {
			return nil
		}
	case ed25519.PrivateKey:
		if len(k) == ed25519.PrivateKeySize {
			return nil
		}
	case nil:
		return newError(ErrUnsupported, "cannot marshal a nil key")
	default:
		return newError(ErrUnsupported, fmt.Sprintf("cannot marshal a %T; only *rsa.PrivateKey, *ecdsa.PrivateKey and ed25519.PrivateKey can be exported", key))
	}
	return newError(ErrUnsupported, fmt.Sprintf("cannot marshal a nil or truncated %T", key))
}

// marshalTraditional encodes key as PKCS#1 (RSA) or SEC1 (ECDSA); f says
// which one the caller asked for, LegacyPEM meaning either.
func marshalTraditional(key crypto.Signer, f Format) (*pem.Block, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if f == SEC1 {
			break
		}
		return &pem.Block{Type: typePKCS1, Bytes: x509.MarshalPKCS1PrivateKey(k)}, nil
	case *ecdsa.PrivateKey:
		if f == PKCS1 {
			break
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, fmt.Errorf("privkey: encoding SEC1: %w", err)
		}
		return &pem.Block{Type: typeSEC1, Bytes: der}, nil
	}
	alg, _, _ := Describe(key)
	fits := "pkcs8 or encrypted-pkcs8"
	switch alg {
	case "RSA":
		fits = "pkcs1, " + fits
	case "ECDSA":
		fits = "sec1, " + fits
	}
	return nil, newError(ErrUnsupported, fmt.Sprintf("format %s cannot hold an %s key; use %s", f, alg, fits))
}
