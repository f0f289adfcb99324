package privkey

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"testing"
)

// fits reports whether format f can hold a key of the given algorithm.
func fits(f Format, algorithm string) bool {
	switch f {
	case PKCS1:
		return algorithm == "RSA"
	case SEC1:
		return algorithm == "ECDSA"
	case LegacyPEM:
		return algorithm == "RSA" || algorithm == "ECDSA"
	}
	return true
}

// wantBlockType is the PEM type Marshal should write.
func wantBlockType(f Format, algorithm string) string {
	switch f {
	case PKCS8:
		return "PRIVATE KEY"
	case EncryptedPKCS8:
		return "ENCRYPTED PRIVATE KEY"
	case PKCS1:
		return "RSA PRIVATE KEY"
	case SEC1:
		return "EC PRIVATE KEY"
	}
	if algorithm == "RSA" {
		return "RSA PRIVATE KEY"
	}
	return "EC PRIVATE KEY"
}

// TestRoundTrip marshals every key type in every format and parses it back.
func TestRoundTrip(t *testing.T) {
	password := []byte("correct horse")
	for _, k := range testKeys() {
		for _, f := range formats {
			t.Run(k.name+"/"+string(f), func(t *testing.T) {
				t.Parallel()
				out, err := Marshal(k.key, f, password)
				if !fits(f, k.algorithm) {
					checkErr(t, err, ErrUnsupported, "cannot hold an "+k.algorithm+" key")
					return
				}
				if err != nil {
					t.Fatalf("Marshal: %v", err)
				}
				block, rest := pem.Decode(out)
				if block == nil || len(bytes.TrimSpace(rest)) != 0 {
					t.Fatalf("Marshal wrote %q, want exactly one PEM block", out)
				}
				if want := wantBlockType(f, k.algorithm); block.Type != want {
					t.Errorf("block type = %q, want %q", block.Type, want)
				}

				got, info, err := Parse(out, password)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if !got.(interface{ Equal(crypto.PrivateKey) bool }).Equal(k.key) {
					t.Errorf("Parse(Marshal(key)) is a different key")
				}
				want := Info{Format: f, Encrypted: f.Encrypted(), Algorithm: k.algorithm, Bits: k.bits, Curve: k.curve}
				switch f {
				case EncryptedPKCS8:
					want.Cipher = "PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC"
				case LegacyPEM:
					want.Cipher = "DEK-Info AES-256-CBC"
				}
				if info != want {
					t.Errorf("Parse info = %+v, want %+v", info, want)
				}

				inspected, err := Inspect(out)
				if err != nil {
					t.Fatalf("Inspect: %v", err)
				}
				if f.Encrypted() {
					want.Algorithm, want.Bits, want.Curve = "", 0, ""
				}
				if inspected != want {
					t.Errorf("Inspect = %+v, want %+v", inspected, want)
				}

				if f.Encrypted() {
					_, _, err := Parse(out, []byte("wrong horse"))
					checkErr(t, err, ErrIncorrectPassword)
					_, _, err = Parse(out, nil)
					checkErr(t, err, ErrPasswordRequired)
					_, _, err = Parse(out, []byte{})
					checkErr(t, err, ErrPasswordRequired)
				}
			})
		}
	}
}

// TestMarshalEncryptedPKCS8Params checks the parameters Marshal writes: what
// OpenSSL writes itself, so `openssl pkey` reads it (TestOpenSSLReadsOurs).
func TestMarshalEncryptedPKCS8Params(t *testing.T) {
	key := keyNamed(t, "ecdsa-p256")
	params := func(out []byte) (pbkdf2Params, []byte, asn1.ObjectIdentifier) {
		t.Helper()
		block, _ := pem.Decode(out)
		var info encryptedPrivateKeyInfo
		var p pbes2Params
		var kdf pbkdf2Params
		var iv []byte
		for _, err := range []error{
			unmarshalAll(block.Bytes, &info),
			unmarshalAll(info.Algorithm.Parameters.FullBytes, &p),
			unmarshalAll(p.KDF.Parameters.FullBytes, &kdf),
			unmarshalAll(p.Scheme.Parameters.FullBytes, &iv),
		} {
			if err != nil {
				t.Fatalf("parsing our own output: %v", err)
			}
		}
		if !info.Algorithm.Algorithm.Equal(oidPBES2) || !p.KDF.Algorithm.Equal(oidPBKDF2) {
			t.Errorf("scheme = %v / %v, want PBES2 / PBKDF2", info.Algorithm.Algorithm, p.KDF.Algorithm)
		}
		return kdf, iv, p.Scheme.Algorithm
	}

	out1, err := Marshal(key, EncryptedPKCS8, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	kdf, iv1, cipherOID := params(out1)
	if kdf.Iterations != testIterations {
		t.Errorf("iterations = %d, want Iterations (%d)", kdf.Iterations, testIterations)
	}
	if kdf.KeyLength != 0 {
		t.Errorf("keyLength = %d, want it omitted", kdf.KeyLength)
	}
	wantPRF := pkix.AlgorithmIdentifier{Algorithm: prfSHA256.oid, Parameters: asn1.NullRawValue}
	if !kdf.PRF.Algorithm.Equal(wantPRF.Algorithm) || !bytes.Equal(kdf.PRF.Parameters.FullBytes, []byte{5, 0}) {
		t.Errorf("prf = %v %x, want hmacWithSHA256 with NULL parameters", kdf.PRF.Algorithm, kdf.PRF.Parameters.FullBytes)
	}
	if !cipherOID.Equal(cipherAES256.oid) {
		t.Errorf("cipher = %v, want aes256-CBC", cipherOID)
	}
	if len(kdf.Salt) != 16 || len(iv1) != 16 {
		t.Errorf("salt %d bytes, IV %d bytes; want 16 and 16", len(kdf.Salt), len(iv1))
	}

	out2, err := Marshal(key, EncryptedPKCS8, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	kdf2, iv2, _ := params(out2)
	if bytes.Equal(kdf.Salt, kdf2.Salt) || bytes.Equal(iv1, iv2) {
		t.Errorf("two Marshal calls used the same salt or IV")
	}
}

// foreignSigner is a crypto.Signer Marshal cannot export (think HSM).
type foreignSigner struct{ crypto.Signer }

func TestMarshalErrors(t *testing.T) {
	ecKey := keyNamed(t, "ecdsa-p256")
	edKey := keyNamed(t, "ed25519").(ed25519.PrivateKey)
	tests := []struct {
		name     string
		key      crypto.Signer
		format   Format
		password []byte
		want     error
		contains []string
	}{
		{"encrypted without password", ecKey, EncryptedPKCS8, nil, ErrPasswordRequired, []string{"encrypted-pkcs8 needs a password"}},
		{"legacy without password", ecKey, LegacyPEM, []byte{}, ErrPasswordRequired, nil},
		{"pkcs1 with ecdsa", ecKey, PKCS1, nil, ErrUnsupported, []string{"pkcs1 cannot hold an ECDSA key", "use sec1, pkcs8"}},
		{"sec1 with ed25519", edKey, SEC1, nil, ErrUnsupported, []string{"use pkcs8 or encrypted-pkcs8"}},
		{"legacy with ed25519", edKey, LegacyPEM, []byte("pw"), ErrUnsupported, nil},
		{"nil key", nil, PKCS8, nil, ErrUnsupported, []string{"nil key"}},
		{"nil rsa key", (*rsa.PrivateKey)(nil), PKCS8, nil, ErrUnsupported, []string{"nil or truncated"}},
		{"nil ecdsa key", (*ecdsa.PrivateKey)(nil), SEC1, nil, ErrUnsupported, nil},
		{"short ed25519 key", edKey[:10], PKCS8, nil, ErrUnsupported, nil},
		{"foreign signer", foreignSigner{ecKey}, PKCS8, nil, ErrUnsupported, []string{"privkey.foreignSigner", "only *rsa.PrivateKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Marshal(tt.key, tt.format, tt.password)
			if out != nil {
				t.Errorf("Marshal returned output with an error")
			}
			checkErr(t, err, tt.want, tt.contains...)
		})
	}

	if _, err := Marshal(ecKey, Format("der"), nil); err == nil || !bytes.Contains([]byte(err.Error()), []byte(`unknown key format "der"`)) {
		t.Errorf("Marshal(unknown format) err = %v", err)
	}
}

func TestMarshalEd25519Pointer(t *testing.T) {
	edKey := keyNamed(t, "ed25519").(ed25519.PrivateKey)
	out, err := Marshal(&edKey, PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Parse(out, nil)
	if err != nil || !edKey.Equal(got) {
		t.Fatalf("Parse(Marshal(&ed25519 key)) = %v, %v", got, err)
	}
}

func TestMarshalIterationsOutOfRange(t *testing.T) {
	if _, err := encryptPBES2([]byte("x"), []byte("pw"), 0); err == nil {
		t.Error("encryptPBES2 with 0 iterations succeeded")
	}
	if _, err := encryptPBES2([]byte("x"), []byte("pw"), maxIterations+1); err == nil {
		t.Error("encryptPBES2 above the parse limit succeeded: we would write files we refuse to read")
	}
}

func TestDescribe(t *testing.T) {
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdh.P384().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		key       any
		algorithm string
		bits      int
		curve     string
	}{
		{"x25519 public", x25519.PublicKey(), "X25519", 256, ""},
		{"x25519 private", x25519, "X25519", 256, ""},
		{"ecdh p-384", p384.PublicKey(), "ECDH", 384, "P-384"},
		{"nil", nil, "", 0, ""},
		{"unknown type", "not a key", "", 0, ""},
		{"nil rsa private", (*rsa.PrivateKey)(nil), "RSA", 0, ""},
		{"nil rsa public", (*rsa.PublicKey)(nil), "RSA", 0, ""},
		{"nil ecdsa private", (*ecdsa.PrivateKey)(nil), "ECDSA", 0, ""},
		{"empty ecdsa public", &ecdsa.PublicKey{}, "ECDSA", 0, ""},
		{"short ed25519 private", ed25519.PrivateKey{1, 2}, "Ed25519", 256, ""},
		{"nil ecdh private", (*ecdh.PrivateKey)(nil), "ECDH", 0, ""},
	}
	for _, k := range testKeys() {
		tests = append(tests,
			struct {
				name      string
				key       any
				algorithm string
				bits      int
				curve     string
			}{k.name + " private", k.key, k.algorithm, k.bits, k.curve},
			struct {
				name      string
				key       any
				algorithm string
				bits      int
				curve     string
			}{k.name + " public", k.key.Public(), k.algorithm, k.bits, k.curve})
	}
	for _, tt := range tests {
		alg, bits, curve := Describe(tt.key)
		if alg != tt.algorithm || bits != tt.bits || curve != tt.curve {
			t.Errorf("%s: Describe = (%q, %d, %q), want (%q, %d, %q)", tt.name, alg, bits, curve, tt.algorithm, tt.bits, tt.curve)
		}
	}
}

func TestPadding(t *testing.T) {
	for n := 0; n <= 33; n++ {
		b := bytes.Repeat([]byte{0xAB}, n)
		p := pad(b, 16)
		if len(p)%16 != 0 || len(p) <= n || len(p) > n+16 {
			t.Fatalf("pad(%d bytes) = %d bytes", n, len(p))
		}
		got, ok := unpad(p, 16)
		if !ok || !bytes.Equal(got, b) {
			t.Fatalf("unpad(pad(%d bytes)) = %x, %v", n, got, ok)
		}
	}
	block := func(tail ...byte) []byte {
		b := make([]byte, 16-len(tail), 16)
		return append(b, tail...)
	}
	bad := map[string][]byte{
		"empty":            nil,
		"not whole blocks": make([]byte, 15),
		"zero pad byte":    block(0),
		"pad above block":  block(17),
		"inconsistent":     block(1, 2, 3),
		"mixed":            block(9, 3, 3),
	}
	for name, b := range bad {
		if _, ok := unpad(b, 16); ok {
			t.Errorf("unpad accepted %s padding", name)
		}
	}
	if got, ok := unpad(block(2, 2), 16); !ok || len(got) != 14 {
		t.Errorf("unpad rejected valid 2-byte padding")
	}
}
