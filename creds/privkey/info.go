package privkey

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
)

// Info describes a parsed key without exposing it.
type Info struct {
	Format    Format // what the PEM block was
	Encrypted bool
	Algorithm string // "RSA", "ECDSA", "Ed25519"
	Bits      int    // RSA modulus bits, curve size for ECDSA (256/384/521), 256 for Ed25519
	Curve     string // "P-256" etc., empty otherwise
	Cipher    string // for encrypted keys: e.g. "PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC" or "DEK-Info AES-256-CBC"
	// EmptyPassword is set when the key was encrypted with the empty
	// password and read without one, as GnuTLS reads it.
	EmptyPassword bool
}

// Describe names the algorithm of a public key, its size in bits and, for
// elliptic curves, the curve: ("RSA", 2048, ""), ("ECDSA", 256, "P-256"),
// ("Ed25519", 256, ""). X25519 and other crypto/ecdh keys give ("X25519",
// 256, "") or ("ECDH", 256, "P-256"). The private keys of these types are
// described by their public half. Unknown types give ("", 0, "").
func Describe(pub crypto.PublicKey) (algorithm string, bits int, curve string) {
	pub = publicHalf(pub)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return "RSA", 0, ""
		}
		return "RSA", k.N.BitLen(), ""
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return "ECDSA", 0, ""
		}
		p := k.Curve.Params()
		return "ECDSA", p.BitSize, p.Name
	case ed25519.PublicKey:
		return "Ed25519", 256, ""
	case *ecdh.PublicKey:
		if k == nil {
			return "ECDH", 0, ""
		}
		switch c := k.Curve(); c {
		case ecdh.X25519():
			return "X25519", 256, ""
		case ecdh.P256():
			return "ECDH", 256, "P-256"
		case ecdh.P384():
			return "ECDH", 384, "P-384"
		case ecdh.P521():
			return "ECDH", 521, "P-521"
		}
		return "ECDH", 0, ""
	}
	return "", 0, ""
}

// describeInto fills the key fields of info from key.
func describeInto(info *Info, key crypto.PublicKey) {
	info.Algorithm, info.Bits, info.Curve = Describe(key)
}

// publicHalf returns the public key of the private-key types Describe knows,
// and k itself otherwise. It never panics on nil or short keys.
func publicHalf(k any) any {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		if k == nil {
			return (*rsa.PublicKey)(nil)
		}
		return &k.PublicKey
	case *ecdsa.PrivateKey:
		if k == nil {
			return (*ecdsa.PublicKey)(nil)
		}
		return &k.PublicKey
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return ed25519.PublicKey(nil)
		}
		return k.Public()
	case *ecdh.PrivateKey:
		if k == nil {
			return (*ecdh.PublicKey)(nil)
		}
		return k.PublicKey()
	}
	return k
}
