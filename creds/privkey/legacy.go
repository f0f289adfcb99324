package privkey

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// This file handles legacy encrypted PEM (RFC 1423): a PKCS#1 or SEC1 block
// with "Proc-Type: 4,ENCRYPTED" and "DEK-Info: AES-256-CBC,<IV>" headers, as
// written by `openssl rsa -aes256 -traditional` and `openssl ec -aes256`.
// The format derives the key with one MD5 round and has no MAC, so it is
// read for compatibility and written only for tests of old files.

// legacyModes maps the DEK-Info ciphers x509.DecryptPEMBlock implements to
// their IV (block) size.
var legacyModes = map[string]int{"AES-256-CBC": 16, "AES-192-CBC": 16, "AES-128-CBC": 16, "DES-EDE3-CBC": 8, "DES-CBC": 8}

// legacyCipher reports whether b uses DEK-Info encryption and with which
// cipher. It fails for a missing or unknown cipher.
func legacyCipher(b *pem.Block) (mode string, encrypted bool, err error) {
	dek, ok := b.Headers["DEK-Info"]
	if !ok {
		if strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return "", true, newError(ErrMalformed, "the "+b.Type+" block has a Proc-Type: 4,ENCRYPTED header but no DEK-Info header")
		}
		return "", false, nil
	}
	mode, ivHex, found := strings.Cut(dek, ",")
	if !found {
		return "", true, newError(ErrMalformed, "the DEK-Info header has no IV")
	}
	ivLen, ok := legacyModes[mode]
	if !ok {
		return "", true, newError(ErrUnsupported, fmt.Sprintf("DEK-Info cipher %q is not supported; %s", clean(mode, 40), reencryptHint))
	}
	if iv, err := hex.DecodeString(strings.TrimSpace(ivHex)); err != nil || len(iv) != ivLen {
		return mode, true, newError(ErrMalformed, fmt.Sprintf("the DEK-Info IV is not %d hex-encoded bytes", ivLen))
	}
	return mode, true, nil
}

// decryptLegacy decrypts a DEK-Info block, returning the DER body.
func decryptLegacy(b *pem.Block, password []byte) ([]byte, error) {
	//lint:ignore SA1019 DEK-Info encryption is insecure by design (MD5 key derivation, no MAC), but OpenSSL still writes it with -traditional and old credential directories hold such keys; we read them so they can be loaded and flagged.
	der, err := x509.DecryptPEMBlock(b, password)
	if errors.Is(err, x509.IncorrectPasswordError) {
		return nil, ErrIncorrectPassword
	}
	if err != nil {
		return nil, wrapError(ErrMalformed, "cannot decrypt the DEK-Info block", err)
	}
	return der, nil
}

// encryptLegacy encrypts der into a DEK-Info block with AES-256-CBC.
func encryptLegacy(blockType string, der, password []byte) (*pem.Block, error) {
	//lint:ignore SA1019 Marshal(LegacyPEM) exists so tests can produce old-style files; it is documented as deprecated and never the default.
	b, err := x509.EncryptPEMBlock(rand.Reader, blockType, der, password, x509.PEMCipherAES256)
	if err != nil {
		return nil, fmt.Errorf("privkey: DEK-Info encryption failed: %w", err)
	}
	// Go writes the IV in lower-case hex; GnuTLS (3.7.9, measured) refuses
	// that with "The request is invalid". OpenSSL writes upper case.
	b.Headers["DEK-Info"] = strings.ToUpper(b.Headers["DEK-Info"])
	return b, nil
}
