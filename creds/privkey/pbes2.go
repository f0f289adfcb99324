package privkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"hash"
)

// This file is the PBES2 codec (RFC 8018 §6.2) for "ENCRYPTED PRIVATE KEY"
// blocks (PKCS#8 EncryptedPrivateKeyInfo, RFC 5958 §3), shared by Parse,
// Inspect and Marshal. Only PBKDF2 with an HMAC PRF and CBC ciphers are
// implemented: that is what OpenSSL (`genpkey -aes256`, `pkcs8 -topk8 -v2`)
// and GnuTLS (`certtool --pkcs8 --password`) write.

// Iterations is the PBKDF2 iteration count Marshal uses for EncryptedPKCS8.
// 100,000 rounds of HMAC-SHA256 take tens of milliseconds; OpenSSL 3 writes
// 2048 and GnuTLS 3.7 writes 600,000 (OWASP's 2023 figure for SHA-256).
// Tests may lower it; set it before use, never concurrently with Marshal.
var Iterations = 100_000

// MaxIterations is the largest PBKDF2 iteration count Parse accepts. It is
// GnuTLS's own cap (MAX_ITER_COUNT, 10*1024*1024, refused from that value
// on), measured with GnuTLS 3.7.9 through certtool --key-info and through
// qemu-img 7.2, 10.0, 10.1 and 10.2 with passwordid=: a key at 10,485,759
// rounds loads, one at 10,485,760 fails with "An illegal parameter was
// found". Capping where the consumer caps keeps lint's verdict QEMU's, and
// bounds the work a hostile file can cause (about 3 s of HMAC-SHA256) before
// any key is derived.
const MaxIterations = 10*1024*1024 - 1

// maxIterations is MaxIterations, a variable only so fuzz tests can lower it.
var maxIterations = MaxIterations

// re-encryption hint for schemes we refuse.
const reencryptHint = "re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
)

// prf is a PBKDF2 pseudo-random function (RFC 8018 Appendix B.1).
type prf struct {
	oid  asn1.ObjectIdentifier
	name string
	hash func() hash.Hash
}

var (
	prfSHA1   = &prf{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}, "HMAC-SHA1", sha1.New}
	prfSHA256 = &prf{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}, "HMAC-SHA256", sha256.New}
	prfs      = []*prf{
		prfSHA1,
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}, "HMAC-SHA224", sha256.New224},
		prfSHA256,
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}, "HMAC-SHA384", sha512.New384},
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}, "HMAC-SHA512", sha512.New},
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 12}, "HMAC-SHA512-224", sha512.New512_224},
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 13}, "HMAC-SHA512-256", sha512.New512_256},
	}
)

// pbeCipher is a PBES2 encryption scheme in CBC mode (RFC 8018 Appendix B.2).
type pbeCipher struct {
	oid      asn1.ObjectIdentifier
	name     string
	keyLen   int
	newBlock func(key []byte) (cipher.Block, error)
}

var (
	cipherAES256 = &pbeCipher{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, "AES-256-CBC", 32, aes.NewCipher}
	pbeCiphers   = []*pbeCipher{
		{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}, "AES-128-CBC", 16, aes.NewCipher},
		{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}, "AES-192-CBC", 24, aes.NewCipher},
		cipherAES256,
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}, "DES-EDE3-CBC", 24, des.NewTripleDESCipher},
	}
)

// otherCiphers name PBES2 cipher OIDs we recognise but refuse, so that
// messages and Info.Cipher say "DES-CBC" rather than an OID. Names are
// OpenSSL's (`openssl pkcs8 -v2 NAME`). The PBES1 schemes are in pbes1.go.
var otherCiphers = map[string]string{
	"1.3.14.3.2.7":            "DES-CBC",
	"1.2.840.113549.3.2":      "RC2-CBC",
	"2.16.840.1.101.3.4.1.6":  "AES-128-GCM",
	"2.16.840.1.101.3.4.1.26": "AES-192-GCM",
	"2.16.840.1.101.3.4.1.46": "AES-256-GCM",
}

// decrypter is a parsed EncryptedPrivateKeyInfo, ready to decrypt: PBES2
// or PBES1. decrypt returns the DER PrivateKeyInfo or ErrIncorrectPassword
// when the padding is wrong; the caller's parse catches the rest.
type decrypter interface {
	decrypt(password []byte) ([]byte, error)
}

// encryptedPrivateKeyInfo is RFC 5958 §3.
type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

// pbes2Params is RFC 8018 Appendix A.4.
type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

// pbkdf2Params is RFC 8018 Appendix A.2. The salt CHOICE "otherSource" is
// not supported (no tool writes it) and fails to parse as an OCTET STRING.
type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// pbes2Key is a parsed EncryptedPrivateKeyInfo, ready to decrypt.
type pbes2Key struct {
	prf        *prf
	iterations int
	salt       []byte
	cipher     *pbeCipher
	iv         []byte
	ciphertext []byte
}

// parseEncrypted parses the DER of an "ENCRYPTED PRIVATE KEY" block:
// PBES2, or one of the PBES1 schemes GnuTLS decrypts. It returns a
// description of the encryption for Info.Cipher whenever the scheme could
// be identified, even when err reports it as unsupported.
func parseEncrypted(der []byte) (decrypter, string, error) {
	var info encryptedPrivateKeyInfo
	if err := unmarshalAll(der, &info); err != nil {
		return nil, "", wrapError(ErrMalformed, "ENCRYPTED PRIVATE KEY block is not a PKCS#8 EncryptedPrivateKeyInfo", err)
	}
	alg := info.Algorithm.Algorithm
	if s := pbes1SchemeOf(alg); s != nil {
		k, err := parsePBES1(s, info)
		if err != nil {
			return nil, "PBES1 " + s.name, err
		}
		return k, "PBES1 " + s.name, nil
	}
	if !alg.Equal(oidPBES2) {
		return nil, alg.String(), newError(ErrUnsupported, "key encryption scheme "+alg.String()+" is not supported; "+reencryptHint)
	}
	k, desc, err := parsePBES2(info)
	if err != nil {
		return nil, desc, err
	}
	return k, desc, nil
}

// parsePBES2 parses a PBES2 EncryptedPrivateKeyInfo.
func parsePBES2(info encryptedPrivateKeyInfo) (k *pbes2Key, desc string, err error) {

	var params pbes2Params
	if err := unmarshalAll(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, "PBES2", wrapError(ErrMalformed, "PBES2 parameters do not parse", err)
	}

	// Identify both halves first, so the description is complete even when
	// one of them is unsupported.
	k = &pbes2Key{ciphertext: info.Data}
	for _, c := range pbeCiphers {
		if c.oid.Equal(params.Scheme.Algorithm) {
			k.cipher = c
		}
	}
	cipherName := params.Scheme.Algorithm.String()
	if k.cipher != nil {
		cipherName = k.cipher.name
	} else if name, ok := otherCiphers[cipherName]; ok {
		cipherName = name
	}

	var kdf pbkdf2Params
	switch {
	case params.KDF.Algorithm.Equal(oidScrypt):
		return nil, "PBES2 scrypt " + cipherName, newError(ErrUnsupported, "scrypt key derivation is not supported; "+reencryptHint)
	case !params.KDF.Algorithm.Equal(oidPBKDF2):
		return nil, "PBES2 " + params.KDF.Algorithm.String() + " " + cipherName,
			newError(ErrUnsupported, "PBES2 key derivation function "+params.KDF.Algorithm.String()+" is not supported; "+reencryptHint)
	}
	if err := unmarshalAll(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, "PBES2 PBKDF2 " + cipherName, wrapError(ErrMalformed, "PBKDF2 parameters do not parse", err)
	}
	if len(kdf.PRF.Algorithm) == 0 {
		k.prf = prfSHA1 // RFC 8018 Appendix A.2: DEFAULT algid-hmacWithSHA1
	}
	for _, p := range prfs {
		if p.oid.Equal(kdf.PRF.Algorithm) {
			k.prf = p
		}
	}
	prfName := "PRF " + kdf.PRF.Algorithm.String()
	if k.prf != nil {
		prfName = k.prf.name
	}
	desc = "PBES2 PBKDF2-" + prfName + " " + cipherName

	switch {
	case k.prf == nil:
		return nil, desc, newError(ErrUnsupported, "PBKDF2 pseudo-random function "+kdf.PRF.Algorithm.String()+" is not supported; "+reencryptHint)
	case k.cipher == nil:
		return nil, desc, newError(ErrUnsupported, "PBES2 cipher "+cipherName+" is not supported; "+reencryptHint)
	case kdf.Iterations < 1:
		return nil, desc, newError(ErrMalformed, fmt.Sprintf("PBKDF2 iteration count %d is not positive", kdf.Iterations))
	case kdf.Iterations > maxIterations:
		return nil, desc, iterationsError("PBKDF2", kdf.Iterations)
	case kdf.KeyLength != 0 && kdf.KeyLength != k.cipher.keyLen:
		return nil, desc, newError(ErrMalformed, fmt.Sprintf("PBKDF2 key length %d does not match %s (%d bytes)", kdf.KeyLength, k.cipher.name, k.cipher.keyLen))
	}
	k.iterations = kdf.Iterations
	k.salt = kdf.Salt

	if err := unmarshalAll(params.Scheme.Parameters.FullBytes, &k.iv); err != nil {
		return nil, desc, wrapError(ErrMalformed, cipherName+" IV does not parse", err)
	}
	block, err := k.cipher.newBlock(make([]byte, k.cipher.keyLen))
	if err != nil {
		return nil, desc, wrapError(ErrUnsupported, cipherName+" is not available", err)
	}
	if len(k.iv) != block.BlockSize() {
		return nil, desc, newError(ErrMalformed, fmt.Sprintf("%s IV is %d bytes, want %d", cipherName, len(k.iv), block.BlockSize()))
	}
	if len(k.ciphertext) == 0 || len(k.ciphertext)%block.BlockSize() != 0 {
		return nil, desc, newError(ErrMalformed, fmt.Sprintf("encrypted data is %d bytes, not a whole number of %d-byte blocks", len(k.ciphertext), block.BlockSize()))
	}
	return k, desc, nil
}

// decrypt derives the key from password and returns the plaintext, a DER
// PrivateKeyInfo if the password is right. Wrong passwords are detected by
// the padding check here and by the caller's parse of the plaintext.
func (k *pbes2Key) decrypt(password []byte) ([]byte, error) {
	key, err := pbkdf2.Key(k.prf.hash, string(password), k.salt, k.iterations, k.cipher.keyLen)
	if err != nil {
		// Only reachable in FIPS 140-only mode (short salt or password).
		return nil, wrapError(ErrUnsupported, "PBKDF2 key derivation failed", err)
	}
	defer clear(key)
	block, err := k.cipher.newBlock(key)
	if err != nil {
		return nil, wrapError(ErrUnsupported, k.cipher.name+" is not available", err)
	}
	plain := make([]byte, len(k.ciphertext))
	cipher.NewCBCDecrypter(block, k.iv).CryptBlocks(plain, k.ciphertext)
	unpadded, ok := unpad(plain, block.BlockSize())
	if !ok {
		clear(plain)
		return nil, ErrIncorrectPassword
	}
	return unpadded, nil
}

// encryptPBES2 encrypts a DER PrivateKeyInfo with PBKDF2-HMAC-SHA256 and
// AES-256-CBC, a random 16-byte salt and IV, and Iterations rounds. The PRF
// is written explicitly and keyLength omitted, as OpenSSL 3 does, so
// `openssl pkey` and GnuTLS read the result.
func encryptPBES2(plain, password []byte, iterations int) ([]byte, error) {
	if iterations < 1 || iterations > maxIterations {
		return nil, fmt.Errorf("privkey: Iterations is %d, want 1 to %d", iterations, maxIterations)
	}
	salt := make([]byte, 16)
	iv := make([]byte, aes.BlockSize)
	rand.Read(salt) // never fails: crypto/rand crashes the program instead (Go 1.24+)
	rand.Read(iv)

	key, err := pbkdf2.Key(prfSHA256.hash, string(password), salt, iterations, cipherAES256.keyLen)
	if err != nil {
		return nil, fmt.Errorf("privkey: PBKDF2 key derivation failed: %w", err)
	}
	defer clear(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("privkey: %w", err)
	}
	padded := pad(plain, block.BlockSize())
	defer clear(padded)
	ciphertext := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ciphertext, padded)

	kdfParams, err := asn1.Marshal(pbkdf2Params{
		Salt:       salt,
		Iterations: iterations,
		PRF:        pkix.AlgorithmIdentifier{Algorithm: prfSHA256.oid, Parameters: asn1.NullRawValue},
	})
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding PBKDF2 parameters: %w", err)
	}
	ivDER, err := asn1.Marshal(iv)
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding IV: %w", err)
	}
	params, err := asn1.Marshal(pbes2Params{
		KDF:    pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: kdfParams}},
		Scheme: pkix.AlgorithmIdentifier{Algorithm: cipherAES256.oid, Parameters: asn1.RawValue{FullBytes: ivDER}},
	})
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding PBES2 parameters: %w", err)
	}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}},
		Data:      ciphertext,
	})
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding EncryptedPrivateKeyInfo: %w", err)
	}
	return der, nil
}

// pad applies PKCS#7 padding (RFC 8018 §6.1.1 step 4), always adding 1 to
// blockSize bytes.
func pad(b []byte, blockSize int) []byte {
	n := blockSize - len(b)%blockSize
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// unpad checks and strips PKCS#7 padding. A wrong password almost always
// fails here; about 1 in 256 wrong passwords yields valid-looking padding.
func unpad(b []byte, blockSize int) ([]byte, bool) {
	if len(b) == 0 || len(b)%blockSize != 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n == 0 || n > blockSize {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}

// iterationsError is the error for an iteration count above the cap.
func iterationsError(kdf string, n int) error {
	return gnutlsError(ErrUnsupported, fmt.Sprintf("%s iteration count %d is above the cap of %d (GnuTLS, and so QEMU, refuses it too); no key was derived", kdf, n, maxIterations), gnutlsIllegalParameter)
}

// unmarshalAll parses DER into v and rejects trailing bytes.
func unmarshalAll(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes after the DER structure", len(rest))
	}
	return nil
}
