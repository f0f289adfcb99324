package privkey

import (
	"bytes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

// pbes2Spec describes an EncryptedPrivateKeyInfo to build by hand, to test
// parameters Marshal never writes. Zero fields take OpenSSL-like defaults.
type pbes2Spec struct {
	scheme     asn1.ObjectIdentifier // default PBES2
	kdf        asn1.ObjectIdentifier // default PBKDF2
	prf        *prf                  // nil: omitted, which means HMAC-SHA1
	prfOID     asn1.ObjectIdentifier // written instead of prf.oid
	cipher     *pbeCipher            // default AES-256-CBC
	cipherOID  asn1.ObjectIdentifier // written instead of cipher.oid
	iterations int                   // default 1000
	bigIter    *big.Int              // written instead of iterations
	keyLength  int
	iv         []byte // default: random, cipher block size
	data       []byte // ciphertext; if nil, plain encrypted with password
	plain      []byte
	password   string
}

// pem builds the spec as an "ENCRYPTED PRIVATE KEY" PEM block.
func (s pbes2Spec) pem(t testing.TB) []byte {
	t.Helper()
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if s.scheme == nil {
		s.scheme = oidPBES2
	}
	if s.kdf == nil {
		s.kdf = oidPBKDF2
	}
	if s.cipher == nil {
		s.cipher = cipherAES256
	}
	if s.cipherOID == nil {
		s.cipherOID = s.cipher.oid
	}
	if s.iterations == 0 {
		s.iterations = 1000
	}
	block, err := s.cipher.newBlock(make([]byte, s.cipher.keyLen))
	if err != nil {
		t.Fatal(err)
	}
	if s.iv == nil {
		s.iv = make([]byte, block.BlockSize())
		rand.Read(s.iv)
	}
	salt := []byte("0123456789abcdef")
	if s.data == nil {
		h := prfSHA1.hash
		if s.prf != nil {
			h = s.prf.hash
		}
		key := must(pbkdf2.Key(h, s.password, salt, s.iterations, s.cipher.keyLen))
		block, err := s.cipher.newBlock(key)
		if err != nil {
			t.Fatal(err)
		}
		padded := pad(s.plain, block.BlockSize())
		s.data = make([]byte, len(padded))
		cipher.NewCBCEncrypter(block, s.iv).CryptBlocks(s.data, padded)
	}

	kdf := pbkdf2Params{Salt: salt, Iterations: s.iterations, KeyLength: s.keyLength}
	if s.prf != nil {
		kdf.PRF = pkix.AlgorithmIdentifier{Algorithm: s.prf.oid, Parameters: asn1.NullRawValue}
	}
	if s.prfOID != nil {
		kdf.PRF = pkix.AlgorithmIdentifier{Algorithm: s.prfOID, Parameters: asn1.NullRawValue}
	}
	kdfDER := must(asn1.Marshal(kdf))
	if s.bigIter != nil {
		kdfDER = must(asn1.Marshal(struct {
			Salt       []byte
			Iterations *big.Int
		}{salt, s.bigIter}))
	}
	params := must(asn1.Marshal(pbes2Params{
		KDF:    pkix.AlgorithmIdentifier{Algorithm: s.kdf, Parameters: asn1.RawValue{FullBytes: kdfDER}},
		Scheme: pkix.AlgorithmIdentifier{Algorithm: s.cipherOID, Parameters: asn1.RawValue{FullBytes: must(asn1.Marshal(s.iv))}},
	}))
	der := must(asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: s.scheme, Parameters: asn1.RawValue{FullBytes: params}},
		Data:      s.data,
	}))
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

// TestPBES2Variants decrypts every PRF and cipher combination, built by hand
// with an independent encryption path.
func TestPBES2Variants(t *testing.T) {
	key := keyNamed(t, "ecdsa-p256")
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	type variant struct {
		prf    *prf
		cipher *pbeCipher
		want   string
	}
	variants := []variant{{nil, cipherAES256, "PBES2 PBKDF2-HMAC-SHA1 AES-256-CBC"}} // PRF omitted: RFC 8018 default
	for _, p := range prfs {
		for _, c := range pbeCiphers {
			variants = append(variants, variant{p, c, "PBES2 PBKDF2-" + p.name + " " + c.name})
		}
	}
	for _, v := range variants {
		t.Run(v.want, func(t *testing.T) {
			t.Parallel()
			data := pbes2Spec{prf: v.prf, cipher: v.cipher, plain: plain, password: "secret"}.pem(t)
			got, info, err := Parse(data, []byte("secret"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !key.(*ecdsa.PrivateKey).Equal(got) {
				t.Errorf("decrypted a different key")
			}
			want := Info{Format: EncryptedPKCS8, Encrypted: true, Algorithm: "ECDSA", Bits: 256, Curve: "P-256", Cipher: v.want}
			if info != want {
				t.Errorf("info = %+v, want %+v", info, want)
			}
			_, _, err = Parse(data, []byte("Secret"))
			checkErr(t, err, ErrIncorrectPassword)
		})
	}
}

// selfSignedPEM returns a throwaway certificate as PEM.
func selfSignedPEM(t testing.TB) []byte {
	t.Helper()
	key := keyNamed(t, "ecdsa-p256").(*ecdsa.PrivateKey)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "privkey test"},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func pemBlock(typ string, der []byte, headers ...string) []byte {
	b := &pem.Block{Type: typ, Bytes: der, Headers: map[string]string{}}
	for i := 0; i+1 < len(headers); i += 2 {
		b.Headers[headers[i]] = headers[i+1]
	}
	return pem.EncodeToMemory(b)
}

func TestParseBadInput(t *testing.T) {
	ecKey := keyNamed(t, "ecdsa-p256").(*ecdsa.PrivateKey)
	p8, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pemBlock("PRIVATE KEY", p8)
	cert := selfSignedPEM(t)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x25519DER, err := x509.MarshalPKCS8PrivateKey(x25519)
	if err != nil {
		t.Fatal(err)
	}
	mustDER := func(v any) []byte {
		der, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	secp256k1 := mustDER(ecPrivateKey{Version: 1, PrivateKey: bytes.Repeat([]byte{7}, 32), Curve: asn1.ObjectIdentifier{1, 3, 132, 0, 10}})
	ed448 := mustDER(privateKeyInfo{Algorithm: pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 3, 101, 113}}, PrivateKey: make([]byte, 59)})
	unknownAlg := mustDER(privateKeyInfo{Algorithm: pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 3, 4}}, PrivateKey: make([]byte, 32)})
	brainpool := mustDER(privateKeyInfo{
		Algorithm:  pkix.AlgorithmIdentifier{Algorithm: oidEC, Parameters: asn1.RawValue{FullBytes: mustDER(asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7})}},
		PrivateKey: sec1,
	})
	explicitCurve := mustDER(privateKeyInfo{
		Algorithm:  pkix.AlgorithmIdentifier{Algorithm: oidEC, Parameters: asn1.RawValue{FullBytes: mustDER(struct{ A, B int }{1, 2})}},
		PrivateKey: mustDER(ecPrivateKey{Version: 1, PrivateKey: bytes.Repeat([]byte{7}, 32)}),
	})
	garbage := bytes.Repeat([]byte("not a key "), 20)
	huge := pbes2Spec{iterations: 2_000_000_000, data: make([]byte, 64)}.pem(t)
	bigIntIterations := pbes2Spec{bigIter: new(big.Int).Lsh(big.NewInt(1), 80), data: make([]byte, 64)}.pem(t)

	tests := []struct {
		name     string
		data     []byte
		password string
		want     error
		contains []string
	}{
		// No key at all.
		{"empty", nil, "", ErrNoKey, []string{"empty file"}},
		{"blank", []byte(" \n\t\n"), "", ErrNoKey, []string{"empty file"}},
		{"DER key", p8, "", ErrNoKey, []string{"not PEM (looks like DER)", "openssl pkey -inform DER"}},
		{"text", []byte("hello, world\n"), "", ErrNoKey, []string{"no PEM private key (no -----BEGIN line found)"}},
		{"certificate only", cert, "", ErrNoKey, []string{"no PEM private key (found CERTIFICATE)"}},
		{"several other blocks", append(append(cert, pemBlock("EC PARAMETERS", []byte{6, 1, 1})...), cert...), "", ErrNoKey,
			[]string{"(found CERTIFICATE, EC PARAMETERS)"}},
		{"public key", pemBlock("PUBLIC KEY", []byte{0x30, 0}), "", ErrNoKey, []string{"found PUBLIC KEY"}},
		{"hostile block type", pemBlock("CERT\x1b[31mIFICATE"+strings.Repeat("A", 100), []byte{1}), "", ErrNoKey, []string{"CERT?[31mIFICATE", "..."}},
		{"broken non-key block", []byte("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"), "", ErrNoKey, []string{"only malformed PEM blocks"}},

		// A key block that does not parse.
		{"truncated PEM", keyPEM[:len(keyPEM)/2], "", ErrMalformed, []string{"PRIVATE KEY PEM block is truncated"}},
		{"truncated after a certificate", append(cert, keyPEM[:len(keyPEM)-20]...), "", ErrMalformed, []string{"truncated"}},
		{"garbage PKCS#8", pemBlock("PRIVATE KEY", garbage), "", ErrMalformed, []string{"PRIVATE KEY block is not a valid PKCS#8 key"}},
		{"garbage PKCS#1", pemBlock("RSA PRIVATE KEY", garbage), "", ErrMalformed, []string{"not a valid PKCS#1 key"}},
		{"garbage SEC1", pemBlock("EC PRIVATE KEY", garbage), "", ErrMalformed, []string{"not a valid SEC1 key"}},
		{"garbage encrypted", pemBlock("ENCRYPTED PRIVATE KEY", garbage), "secret", ErrMalformed, []string{"not a PKCS#8 EncryptedPrivateKeyInfo"}},
		{"PKCS#8 labelled RSA", pemBlock("RSA PRIVATE KEY", p8), "", ErrMalformed, []string{"RSA PRIVATE KEY block holds a PKCS#8 key, not PKCS#1", "openssl pkey"}},
		{"SEC1 labelled PKCS#8", pemBlock("PRIVATE KEY", sec1), "", ErrMalformed, []string{"holds a SEC1 key, not PKCS#8"}},
		{"Proc-Type without DEK-Info", pemBlock("EC PRIVATE KEY", sec1, "Proc-Type", "4,ENCRYPTED"), "secret", ErrMalformed, []string{"no DEK-Info header"}},
		{"DEK-Info without IV", pemBlock("EC PRIVATE KEY", sec1, "Proc-Type", "4,ENCRYPTED", "DEK-Info", "AES-256-CBC"), "secret", ErrMalformed, []string{"no IV"}},
		{"DEK-Info bad IV", pemBlock("EC PRIVATE KEY", garbage[:32], "Proc-Type", "4,ENCRYPTED", "DEK-Info", "AES-256-CBC,XYZ"), "secret", ErrMalformed, []string{"DEK-Info IV"}},
		{"DEK-Info short IV", pemBlock("EC PRIVATE KEY", garbage[:32], "Proc-Type", "4,ENCRYPTED", "DEK-Info", "AES-256-CBC,0011"), "secret", ErrMalformed, []string{"DEK-Info IV"}},

		// Well formed but unsupported.
		{"OpenSSH", pemBlock("OPENSSH PRIVATE KEY", garbage), "", ErrUnsupported, []string{"ssh-keygen -p -m PKCS8"}},
		{"DSA", pemBlock("DSA PRIVATE KEY", garbage), "", ErrUnsupported, []string{"DSA keys are not supported"}},
		{"unknown key block", pemBlock("FANCY PRIVATE KEY", garbage), "", ErrUnsupported, []string{`"FANCY PRIVATE KEY" is not a supported private key`}},
		{"X25519", pemBlock("PRIVATE KEY", x25519DER), "", ErrUnsupported, []string{"X25519 key-agreement key, not a signing key"}},
		{"Ed448", pemBlock("PRIVATE KEY", ed448), "", ErrUnsupported, []string{"Ed448 keys are not supported"}},
		{"unknown algorithm", pemBlock("PRIVATE KEY", unknownAlg), "", ErrUnsupported, []string{"algorithm 1.2.3.4 is not supported"}},
		{"secp256k1 SEC1", pemBlock("EC PRIVATE KEY", secp256k1), "", ErrUnsupported, []string{"elliptic curve secp256k1 is not supported"}},
		{"brainpool PKCS#8", pemBlock("PRIVATE KEY", brainpool), "", ErrUnsupported, []string{"brainpoolP256r1"}},
		{"explicit curve", pemBlock("PRIVATE KEY", explicitCurve), "", ErrUnsupported, []string{"explicit curve parameters"}},
		{"DEK-Info unknown cipher", pemBlock("EC PRIVATE KEY", sec1, "Proc-Type", "4,ENCRYPTED", "DEK-Info", "AES-256-GCM,00"), "secret", ErrUnsupported, []string{`DEK-Info cipher "AES-256-GCM"`}},

		// Crafted encrypted PKCS#8.
		{"huge iteration count", huge, "secret", ErrUnsupported, []string{"iteration count 2000000000 is above the cap of 10485759"}},
		{"iteration count beyond int64", bigIntIterations, "secret", ErrMalformed, []string{"PBKDF2 parameters do not parse"}},
		{"iteration count zero", pbes2Spec{iterations: -1, data: make([]byte, 16)}.pem(t), "secret", ErrMalformed, []string{"iteration count -1 is not positive"}},
		{"PBES1 GnuTLS refuses", pbes2Spec{scheme: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 4}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported,
			[]string{"PBES1 PBE-SHA1-2DES is not supported: GnuTLS, and so QEMU and libvirt, cannot decrypt it either", "re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"}},
		{"PBES1 with PBES2 parameters", pbes2Spec{scheme: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}, data: make([]byte, 16)}.pem(t), "secret", ErrMalformed,
			[]string{"PBES1 PBE-SHA1-3DES parameters do not parse"}},
		{"unknown scheme", pbes2Spec{scheme: asn1.ObjectIdentifier{1, 2, 3}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported, []string{"scheme 1.2.3 is not supported"}},
		{"scrypt", pbes2Spec{kdf: oidScrypt, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported, []string{"scrypt key derivation is not supported"}},
		{"unknown KDF", pbes2Spec{kdf: asn1.ObjectIdentifier{1, 2, 3}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported, []string{"key derivation function 1.2.3"}},
		{"unknown PRF", pbes2Spec{prfOID: asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 4, 2}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported,
			[]string{"pseudo-random function 1.2.643.7.1.1.4.2 is not supported"}},
		{"AES-GCM", pbes2Spec{cipherOID: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 46}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported,
			[]string{"PBES2 cipher AES-256-GCM is not supported"}},
		{"unknown cipher", pbes2Spec{cipherOID: asn1.ObjectIdentifier{1, 2, 3, 4, 5}, data: make([]byte, 16)}.pem(t), "secret", ErrUnsupported, []string{"cipher 1.2.3.4.5"}},
		{"key length mismatch", pbes2Spec{keyLength: 16, data: make([]byte, 16)}.pem(t), "secret", ErrMalformed, []string{"key length 16 does not match AES-256-CBC (32 bytes)"}},
		{"short IV", pbes2Spec{iv: make([]byte, 8), data: make([]byte, 16)}.pem(t), "secret", ErrMalformed, []string{"IV is 8 bytes, want 16"}},
		{"partial block", pbes2Spec{data: make([]byte, 17)}.pem(t), "secret", ErrMalformed, []string{"not a whole number of 16-byte blocks"}},
		{"empty ciphertext", pbes2Spec{data: []byte{}}.pem(t), "secret", ErrMalformed, nil},
		{"encrypted, empty password", pbes2Spec{plain: p8, password: "secret"}.pem(t), "", ErrPasswordRequired, nil},
		{"encrypted garbage plaintext", pbes2Spec{plain: garbage, password: "secret"}.pem(t), "secret", ErrIncorrectPassword, nil},
		{"encrypted X25519", pbes2Spec{plain: x25519DER, password: "secret"}.pem(t), "secret", ErrUnsupported, []string{"not a signing key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, _, err := Parse(tt.data, []byte(tt.password))
			if key != nil {
				t.Errorf("Parse returned a key with an error")
			}
			checkErr(t, err, tt.want, tt.contains...)
			// Messages never carry the block's contents.
			if b, _ := pem.Decode(tt.data); b != nil && len(b.Bytes) >= 12 {
				if chunk := base64.StdEncoding.EncodeToString(b.Bytes)[:16]; strings.Contains(err.Error(), chunk) {
					t.Errorf("error %q contains key material", err)
				}
			}

			// Inspect agrees, except that it never needs the password.
			_, ierr := Inspect(tt.data)
			switch tt.want {
			case ErrPasswordRequired, ErrIncorrectPassword:
				if ierr != nil {
					t.Errorf("Inspect: %v, want nil", ierr)
				}
			default:
				if tt.password != "" && tt.want == ErrUnsupported && strings.Contains(tt.name, "X25519") {
					break // found only after decryption
				}
				checkErr(t, ierr, tt.want)
			}
		})
	}
}

func TestParseSkipsOtherBlocks(t *testing.T) {
	key := keyNamed(t, "ecdsa-p384")
	keyPEM, err := Marshal(key, SEC1, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Marshal(keyNamed(t, "ed25519"), PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"certificate first":   append(selfSignedPEM(t), keyPEM...),
		"EC PARAMETERS first": append(pemBlock("EC PARAMETERS", []byte{6, 5, 0x2b, 0x81, 4, 0, 0x22}), keyPEM...),
		"text first":          append([]byte("Public Key Info:\n\tPublic Key Algorithm: EC/ECDSA\n\n"), keyPEM...),
		"second key ignored":  append(keyPEM[:len(keyPEM):len(keyPEM)], other...),
		"CRLF line endings":   bytes.ReplaceAll(keyPEM, []byte("\n"), []byte("\r\n")),
	}
	for name, data := range tests {
		got, info, err := Parse(data, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !key.(*ecdsa.PrivateKey).Equal(got) || info.Format != SEC1 || info.Curve != "P-384" {
			t.Errorf("%s: got a different key or info %+v", name, info)
		}
	}
}

func TestInspectUnsupportedEncryption(t *testing.T) {
	// Inspect names the scheme even when it refuses it, so inspect output and
	// lint can say what the file uses.
	tests := []struct {
		spec pbes2Spec
		want string
	}{
		{pbes2Spec{scheme: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}, data: make([]byte, 16)}, "PBES1 PBE-SHA1-RC2-128"},
		{pbes2Spec{kdf: oidScrypt, data: make([]byte, 16)}, "PBES2 scrypt AES-256-CBC"},
		{pbes2Spec{cipherOID: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 6}, prf: prfSHA256, data: make([]byte, 16)}, "PBES2 PBKDF2-HMAC-SHA256 AES-128-GCM"},
		{pbes2Spec{iterations: maxIterations + 1, data: make([]byte, 16)}, "PBES2 PBKDF2-HMAC-SHA1 AES-256-CBC"},
	}
	for _, tt := range tests {
		info, err := Inspect(tt.spec.pem(t))
		checkErr(t, err, ErrUnsupported)
		want := Info{Format: EncryptedPKCS8, Encrypted: true, Cipher: tt.want}
		if info != want {
			t.Errorf("Inspect = %+v, want %+v", info, want)
		}
	}
}

func TestParseInfoOnError(t *testing.T) {
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(x25519)
	if err != nil {
		t.Fatal(err)
	}
	_, info, err := Parse(pemBlock("PRIVATE KEY", der), nil)
	checkErr(t, err, ErrUnsupported)
	if want := (Info{Format: PKCS8, Algorithm: "X25519", Bits: 256}); info != want {
		t.Errorf("info = %+v, want %+v", info, want)
	}

	encrypted, err := Marshal(keyNamed(t, "ed25519"), EncryptedPKCS8, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	_, info, err = Parse(encrypted, nil)
	checkErr(t, err, ErrPasswordRequired)
	if want := (Info{Format: EncryptedPKCS8, Encrypted: true, Cipher: "PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC"}); info != want {
		t.Errorf("info = %+v, want %+v", info, want)
	}
}

// TestIterationCapIsGnuTLSs pins the cap at GnuTLS 3.7.9's, measured with
// certtool and qemu-img (see MaxIterations): the cap itself parses, one more
// is refused before any key is derived, with the cap named.
func TestIterationCapIsGnuTLSs(t *testing.T) {
	if MaxIterations != 10_485_759 {
		t.Fatalf("MaxIterations = %d, want GnuTLS's 10,485,759", MaxIterations)
	}
	at := pbes2Spec{iterations: MaxIterations, data: make([]byte, 16)}.pem(t)
	block, _ := pem.Decode(at)
	if _, _, err := parseEncrypted(block.Bytes); err != nil {
		t.Errorf("parseEncrypted at the cap: %v", err)
	}
	over := pbes2Spec{iterations: MaxIterations + 1, data: make([]byte, 16)}.pem(t)
	_, _, err := Parse(over, []byte("pw"))
	checkErr(t, err, ErrUnsupported)
	if !strings.Contains(err.Error(), "10485760 is above the cap of 10485759") {
		t.Errorf("error %q does not name the count and the cap", err)
	}
}
