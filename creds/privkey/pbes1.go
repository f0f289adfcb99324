package privkey

import (
	"crypto"
	"crypto/cipher"
	"crypto/des"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"hash"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the PBES1 codec for "ENCRYPTED PRIVATE KEY" blocks: the
// PKCS#5 v1.5 schemes (RFC 8018 Appendix A.3, key from PBKDF1) and the
// PKCS#12 PBE schemes (RFC 7292 Appendix C, key from the PKCS#12 KDF of
// Appendix B), which `openssl pkcs8 -topk8 -v1 NAME` writes.
//
// Parse decrypts exactly the schemes GnuTLS 3.7.9 decrypts, measured with
// a key written by OpenSSL 3.0 in each scheme and loaded by qemu-img 7.2,
// 10.0, 10.1 and 10.2 with passwordid= (and certtool --key-info):
// PBE-SHA1-3DES, PBE-SHA1-RC2-40, PBE-SHA1-RC4-128 and PBE-MD5-DES load;
// PBE-SHA1-2DES, PBE-SHA1-RC2-128, PBE-SHA1-RC4-40, PBE-SHA1-DES,
// PBE-MD5-RC2-64 and PBE-SHA1-RC2-64 fail with "The cipher type is
// unsupported." whatever the password. PBE-MD2-* (which OpenSSL 3 cannot
// write) are refused the same way. The iteration cap is PBES2's,
// [MaxIterations]: 10,485,759 loads and 10,485,760 fails with "An illegal
// parameter was found." for every decrypted scheme.
//
// MarshalPBES1 writes every scheme but the MD2 ones, so that tests can
// show the refused ones are refused for their scheme and not their bytes.

// pbes1Scheme is one PBES1 or PKCS#12 PBE scheme.
type pbes1Scheme struct {
	oid  asn1.ObjectIdentifier
	name string // OpenSSL's name: `openssl pkcs8 -topk8 -v1 NAME`
	// pkcs12 selects the PKCS#12 KDF with SHA-1 (RFC 7292 Appendix B.2)
	// and a BMPString password; otherwise PBKDF1 (RFC 8018 §5.1) with
	// hash over the password's bytes, key then IV from one digest.
	pkcs12 bool
	hash   func() hash.Hash // PBKDF1's; nil for MD2, which Go lacks
	// cipher is "DES", "3DES" (three keys), "2DES" (two keys, K1 K2 K1),
	// "RC2" (rc2Bits effective key bits) or "RC4"; keyLen its key bytes.
	cipher  string
	keyLen  int
	rc2Bits int
	// gnutls is set for the schemes GnuTLS 3.7.9 decrypts (measured).
	gnutls bool
}

var pbes1Schemes = []*pbes1Scheme{
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 1}, name: "PBE-MD2-DES", cipher: "DES", keyLen: 8},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 3}, name: "PBE-MD5-DES", hash: md5.New, cipher: "DES", keyLen: 8, gnutls: true},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 4}, name: "PBE-MD2-RC2-64", cipher: "RC2", keyLen: 8, rc2Bits: 64},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 6}, name: "PBE-MD5-RC2-64", hash: md5.New, cipher: "RC2", keyLen: 8, rc2Bits: 64},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 10}, name: "PBE-SHA1-DES", hash: sha1.New, cipher: "DES", keyLen: 8},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 11}, name: "PBE-SHA1-RC2-64", hash: sha1.New, cipher: "RC2", keyLen: 8, rc2Bits: 64},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 1}, name: "PBE-SHA1-RC4-128", pkcs12: true, cipher: "RC4", keyLen: 16, gnutls: true},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 2}, name: "PBE-SHA1-RC4-40", pkcs12: true, cipher: "RC4", keyLen: 5},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}, name: "PBE-SHA1-3DES", pkcs12: true, cipher: "3DES", keyLen: 24, gnutls: true},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 4}, name: "PBE-SHA1-2DES", pkcs12: true, cipher: "2DES", keyLen: 16},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}, name: "PBE-SHA1-RC2-128", pkcs12: true, cipher: "RC2", keyLen: 16, rc2Bits: 128},
	{oid: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}, name: "PBE-SHA1-RC2-40", pkcs12: true, cipher: "RC2", keyLen: 5, rc2Bits: 40, gnutls: true},
}

// PBES1Schemes are the names of the PBES1 and PKCS#12 PBE schemes
// [MarshalPBES1] writes, OpenSSL's names, in OID order. [Parse] decrypts
// those for which [PBES1Decrypted] is true, and refuses the others as
// GnuTLS does.
func PBES1Schemes() []string {
	var out []string
	for _, s := range pbes1Schemes {
		if s.hash != nil || s.pkcs12 {
			out = append(out, s.name)
		}
	}
	return out
}

// PBES1Decrypted reports whether Parse decrypts the PBES1 scheme of that
// name: whether GnuTLS 3.7.9 (so QEMU and libvirt) does.
func PBES1Decrypted(name string) bool {
	s := pbes1SchemeNamed(name)
	return s != nil && s.gnutls
}

func pbes1SchemeOf(oid asn1.ObjectIdentifier) *pbes1Scheme {
	for _, s := range pbes1Schemes {
		if s.oid.Equal(oid) {
			return s
		}
	}
	return nil
}

func pbes1SchemeNamed(name string) *pbes1Scheme {
	for _, s := range pbes1Schemes {
		if s.name == name {
			return s
		}
	}
	return nil
}

// pbeParams is PBEParameter (RFC 8018 Appendix A.3) and pkcs-12PbeParams
// (RFC 7292 Appendix C): the same DER.
type pbeParams struct {
	Salt       []byte
	Iterations int
}

// pbes1Key is a parsed PBES1 EncryptedPrivateKeyInfo, ready to decrypt.
type pbes1Key struct {
	scheme     *pbes1Scheme
	salt       []byte
	iterations int
	ciphertext []byte
}

// parsePBES1 checks a PBES1 EncryptedPrivateKeyInfo in GnuTLS's order:
// the scheme first (an unsupported one fails whatever its parameters),
// then the parameters and the iteration cap.
func parsePBES1(s *pbes1Scheme, info encryptedPrivateKeyInfo) (*pbes1Key, error) {
	if !s.gnutls {
		return nil, gnutlsError(ErrUnsupported, "PBES1 "+s.name+" is not supported: GnuTLS, and so QEMU and libvirt, cannot decrypt it either (PBE-SHA1-3DES, PBE-SHA1-RC2-40, PBE-SHA1-RC4-128 and PBE-MD5-DES are the PBES1 schemes they read); "+reencryptHint, gnutlsCipherUnsupported)
	}
	var p pbeParams
	if err := unmarshalAll(info.Algorithm.Parameters.FullBytes, &p); err != nil {
		return nil, wrapError(ErrMalformed, "PBES1 "+s.name+" parameters do not parse", err)
	}
	kdf := "PBKDF1"
	if s.pkcs12 {
		kdf = "PKCS#12 KDF"
	}
	switch {
	case p.Iterations < 1:
		return nil, newError(ErrMalformed, fmt.Sprintf("%s iteration count %d is not positive", kdf, p.Iterations))
	case p.Iterations > maxIterations:
		return nil, iterationsError(kdf, p.Iterations)
	case len(info.Data) == 0:
		return nil, newError(ErrMalformed, "encrypted data is empty")
	case s.cipher != "RC4" && len(info.Data)%8 != 0:
		return nil, newError(ErrMalformed, fmt.Sprintf("encrypted data is %d bytes, not a whole number of 8-byte blocks", len(info.Data)))
	}
	return &pbes1Key{scheme: s, salt: p.Salt, iterations: p.Iterations, ciphertext: info.Data}, nil
}

// decrypt derives key and IV from password and decrypts.
func (k *pbes1Key) decrypt(password []byte) ([]byte, error) {
	s := k.scheme
	key, iv, err := s.derive(password, k.salt, k.iterations)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if s.cipher == "RC4" {
		c, err := rc4.NewCipher(key)
		if err != nil {
			return nil, wrapError(ErrUnsupported, "RC4 is not available", err)
		}
		plain := make([]byte, len(k.ciphertext))
		c.XORKeyStream(plain, k.ciphertext)
		return plain, nil // no padding: the caller's parse checks the password
	}
	block, err := s.block(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(k.ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, k.ciphertext)
	unpadded, ok := unpad(plain, block.BlockSize())
	if !ok {
		clear(plain)
		return nil, ErrIncorrectPassword
	}
	return unpadded, nil
}

// derive returns the cipher key and IV (nil for RC4).
func (s *pbes1Scheme) derive(password, salt []byte, iterations int) (key, iv []byte, err error) {
	if s.pkcs12 {
		p, ok := bmpPassword(password)
		if !ok {
			return nil, nil, ErrIncorrectPassword // not UTF-8: no BMPString, no key GnuTLS could derive
		}
		defer clear(p)
		key = pkcs12KDF(p, salt, iterations, 1, s.keyLen)
		if s.cipher != "RC4" {
			iv = pkcs12KDF(p, salt, iterations, 2, 8)
		}
		return key, iv, nil
	}
	if s.hash == nil {
		return nil, nil, newError(ErrUnsupported, "PBES1 "+s.name+" needs MD2, which is not available")
	}
	dk := pbkdf1(s.hash, password, salt, iterations)
	defer clear(dk)
	return slices.Clone(dk[:8]), slices.Clone(dk[8:16]), nil
}

// block returns the block cipher of s keyed with key.
func (s *pbes1Scheme) block(key []byte) (cipher.Block, error) {
	var b cipher.Block
	var err error
	switch s.cipher {
	case "DES":
		b, err = des.NewCipher(key)
	case "3DES":
		b, err = des.NewTripleDESCipher(key)
	case "2DES":
		k := append(slices.Clone(key[:16]), key[:8]...)
		defer clear(k)
		b, err = des.NewTripleDESCipher(k)
	case "RC2":
		b, err = newRC2(key, s.rc2Bits)
	default:
		err = fmt.Errorf("no block cipher %q", s.cipher)
	}
	if err != nil {
		return nil, wrapError(ErrUnsupported, s.name+" cipher is not available", err)
	}
	return b, nil
}

// pbkdf1 is RFC 8018 §5.1 with the whole digest as output: T_1 = Hash(P ||
// S), T_i = Hash(T_{i-1}), c rounds. DES takes its key from bytes 0-7 and
// its IV from bytes 8-15 (§6.1.1).
func pbkdf1(h func() hash.Hash, password, salt []byte, c int) []byte {
	d := h()
	d.Write(password)
	d.Write(salt)
	t := d.Sum(nil)
	for i := 1; i < c; i++ {
		d.Reset()
		d.Write(t)
		t = d.Sum(t[:0])
	}
	return t
}

// bmpPassword is the PKCS#12 encoding of a password (RFC 7292 Appendix
// B.1): UTF-16 big-endian with a two-byte NUL terminator. The empty
// password is no bytes at all, as GnuTLS encodes it (measured: a
// PBE-SHA1-3DES key OpenSSL writes with `-passout pass:`, which encodes the
// empty password as the terminator alone, fails in QEMU without
// passwordid=, while PBE-MD5-DES, where both agree, loads).
func bmpPassword(password []byte) ([]byte, bool) {
	if len(password) == 0 {
		return nil, true
	}
	if !utf8.Valid(password) {
		return nil, false
	}
	u := utf16.Encode([]rune(string(password)))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return append(out, 0, 0), true
}

// pkcs12KDF is RFC 7292 Appendix B.2 with SHA-1 (u = 20, v = 64 bytes):
// n bytes of key material for purpose id (1 key, 2 IV, 3 MAC).
func pkcs12KDF(password, salt []byte, iterations int, id byte, n int) []byte {
	const u, v = sha1.Size, 64
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	I := append(fill(salt), fill(password)...)
	defer clear(I)
	out := make([]byte, 0, n+u)
	h := sha1.New()
	b := make([]byte, v)
	for len(out) < n {
		h.Reset()
		h.Write(d)
		h.Write(I)
		var a [u]byte
		h.Sum(a[:0])
		for r := 1; r < iterations; r++ {
			a = sha1.Sum(a[:]) // no allocation: about 0.15 µs a round
		}
		out = append(out, a[:]...)
		if len(out) >= n {
			break
		}
		for i := range b {
			b[i] = a[i%u]
		}
		// I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block I_j of I.
		for j := 0; j < len(I); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				x := int(I[j+k]) + int(b[k]) + carry
				I[j+k] = byte(x)
				carry = x >> 8
			}
		}
	}
	clear(out[n:])
	return out[:n]
}

// PBES1Iterations is the iteration count MarshalPBES1 writes, OpenSSL's
// (PKCS5_DEFAULT_ITER).
const PBES1Iterations = 2048

// MarshalPBES1 writes key as an "ENCRYPTED PRIVATE KEY" PEM block in the
// PBES1 or PKCS#12 PBE scheme of that name (see [PBES1Schemes]), as
// `openssl pkcs8 -topk8 -v1 NAME` does: an 8-byte random salt and
// [PBES1Iterations] rounds. It exists for tests of old files: these schemes
// are weak (single DES, RC2, RC4, one MD5 or SHA-1 chain), and Parse refuses
// the ones GnuTLS cannot read. Prefer [Marshal] with [EncryptedPKCS8].
// An empty password is encoded as GnuTLS encodes it, which OpenSSL does
// not read for the PKCS#12 schemes.
func MarshalPBES1(key crypto.Signer, scheme string, password []byte) ([]byte, error) {
	s := pbes1SchemeNamed(scheme)
	if s == nil || (s.hash == nil && !s.pkcs12) {
		return nil, fmt.Errorf("privkey: no PBES1 scheme %q to write (want one of %v)", scheme, PBES1Schemes())
	}
	if k, ok := key.(*ed25519.PrivateKey); ok && k != nil {
		key = *k
	}
	if err := checkExportable(key); err != nil {
		return nil, err
	}
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding PKCS#8: %w", err)
	}
	defer clear(plain)
	salt := make([]byte, 8)
	rand.Read(salt) // never fails: crypto/rand crashes the program instead (Go 1.24+)
	der, err := encryptPBES1(s, plain, password, salt, PBES1Iterations)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: typeEncryptedPKCS8, Bytes: der}), nil
}

// encryptPBES1 encrypts a DER PrivateKeyInfo in scheme s.
func encryptPBES1(s *pbes1Scheme, plain, password, salt []byte, iterations int) ([]byte, error) {
	key, iv, err := s.derive(password, salt, iterations)
	if err != nil {
		return nil, fmt.Errorf("privkey: %w", err)
	}
	defer clear(key)
	var ciphertext []byte
	if s.cipher == "RC4" {
		c, err := rc4.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("privkey: %w", err)
		}
		ciphertext = make([]byte, len(plain))
		c.XORKeyStream(ciphertext, plain)
	} else {
		block, err := s.block(key)
		if err != nil {
			return nil, err
		}
		padded := pad(plain, block.BlockSize())
		defer clear(padded)
		ciphertext = make([]byte, len(padded))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ciphertext, padded)
	}
	params, err := asn1.Marshal(pbeParams{Salt: salt, Iterations: iterations})
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding PBES1 parameters: %w", err)
	}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: s.oid, Parameters: asn1.RawValue{FullBytes: params}},
		Data:      ciphertext,
	})
	if err != nil {
		return nil, fmt.Errorf("privkey: encoding EncryptedPrivateKeyInfo: %w", err)
	}
	return der, nil
}
