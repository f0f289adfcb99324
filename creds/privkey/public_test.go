package privkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"testing"
)

// TestParsePublicAgreesWithParse: every format gives the same public key
// and Info as Parse, and the same errors.
func TestParsePublicAgreesWithParse(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	pw := []byte("pw")
	for _, k := range []crypto.Signer{rsaKey, ecKey, edKey} {
		for _, f := range []Format{PKCS8, PKCS1, SEC1, EncryptedPKCS8, LegacyPEM} {
			data, err := Marshal(k, f, map[bool][]byte{true: pw}[f.Encrypted()])
			if err != nil {
				continue // format does not fit the key type
			}
			full, info, err := Parse(data, pw)
			if err != nil {
				t.Fatalf("%T %s: Parse: %v", k, f, err)
			}
			pub, pinfo, err := ParsePublic(data, pw)
			if err != nil {
				t.Fatalf("%T %s: ParsePublic: %v", k, f, err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(full.Public()) || pinfo != info {
				t.Errorf("%T %s: ParsePublic = %+v, Parse = %+v", k, f, pinfo, info)
			}
			if f.Encrypted() {
				if _, _, err := ParsePublic(data, []byte("wrong")); !errors.Is(err, ErrIncorrectPassword) {
					t.Errorf("%T %s: wrong password: %v", k, f, err)
				}
				if _, _, err := ParsePublic(data, nil); !errors.Is(err, ErrPasswordRequired) {
					t.Errorf("%T %s: no password: %v", k, f, err)
				}
			}
		}
	}
	// A key whose primes do not make its modulus falls back to the full
	// parse, which refuses it.
	bad := *rsaKey
	bad.Primes = []*big.Int{rsaKey.Primes[1], rsaKey.Primes[1]}
	if data, err := Marshal(&bad, PKCS1, nil); err == nil {
		if _, _, err := ParsePublic(data, nil); err == nil {
			t.Error("an RSA key with wrong primes was accepted")
		}
	}
}

func BenchmarkParseRSA(b *testing.B) {
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	data, _ := Marshal(k, PKCS8, nil)
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			Parse(data, nil)
		}
	})
	b.Run("ParsePublic", func(b *testing.B) {
		for b.Loop() {
			ParsePublic(data, nil)
		}
	})
}
