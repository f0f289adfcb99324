// Package privkey reads and writes PEM private keys: PKCS#1, SEC1, PKCS#8, encrypted PKCS#8 (PBES2, and the PBES1 schemes GnuTLS reads) and legacy encrypted PEM (DEK-Info).
//
// It uses only the standard library. Keys come back as a [crypto.Signer]
// (*rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey), ready for a
// tls.Certificate.
//
// # Reading
//
// [Parse] decodes the first private-key PEM block of a file, skipping
// certificates and other blocks before it, and decrypts it if needed:
//
//	key, info, err := privkey.Parse(data, password)
//	switch {
//	case errors.Is(err, privkey.ErrPasswordRequired):
//		// ask for a password and try again
//	case err != nil:
//		return fmt.Errorf("%s: %w", name, err)
//	}
//	fmt.Println(info.Algorithm, info.Bits, info.Format) // ECDSA 256 pkcs8
//
// [Inspect] reports the same [Info] without a password: format, whether and
// how the key is encrypted, and, for plain keys, the algorithm and size.
// [Describe] names the algorithm and size of any public or private key.
//
// # Formats
//
// A [Format] names a PEM encoding. Parsing accepts all of them:
//
//   - [PKCS8] "PRIVATE KEY": RSA, ECDSA (P-224, P-256, P-384, P-521), Ed25519.
//   - [PKCS1] "RSA PRIVATE KEY" and [SEC1] "EC PRIVATE KEY", OpenSSL's
//     "traditional" formats.
//   - [EncryptedPKCS8] "ENCRYPTED PRIVATE KEY": PBES2 (RFC 8018) with PBKDF2
//     (HMAC-SHA1, -SHA224, -SHA256, -SHA384, -SHA512, -SHA512-224,
//     -SHA512-256) and AES-128/192/256-CBC or DES-EDE3-CBC. This is what
//     `openssl genpkey -aes256` and `certtool --pkcs8 --password` write.
//   - [EncryptedPKCS8] with PBES1 (`openssl pkcs8 -topk8 -v1 NAME`):
//     exactly the schemes GnuTLS 3.7.9, and so QEMU and libvirt, decrypt
//     (measured): PBE-SHA1-3DES, PBE-SHA1-RC2-40, PBE-SHA1-RC4-128 and
//     PBE-MD5-DES. The other PBES1 and PKCS#12 schemes (PBE-SHA1-2DES,
//     -RC2-128, -RC4-40, -DES, -RC2-64, PBE-MD5-RC2-64, PBE-MD2-*) are
//     refused with [ErrUnsupported], as GnuTLS refuses them; [GnuTLSReason]
//     gives GnuTLS's words for that and the other refusals.
//   - [LegacyPEM]: a PKCS#1 or SEC1 block with Proc-Type and DEK-Info headers
//     (RFC 1423), from `openssl rsa -aes256 -traditional` or `openssl ec
//     -aes256`. It derives the key with one round of MD5 and has no MAC.
//
// scrypt, OpenSSH, DSA, Ed448, X448, RSA-PSS and curves other than the
// NIST ones are refused with [ErrUnsupported] and a hint. X25519 keys parse
// but cannot sign, and are refused the same way.
//
// # Writing
//
// [Marshal] writes one PEM block in any [Format]. EncryptedPKCS8 uses
// PBKDF2-HMAC-SHA256 with [Iterations] rounds and AES-256-CBC, which OpenSSL
// and GnuTLS read. Prefer it to LegacyPEM, which exists for tests of old
// files, as does [MarshalPBES1] (every PBES1 scheme OpenSSL 3 writes).
//
// # Errors
//
// Every error matches one sentinel with [errors.Is]: [ErrNoKey],
// [ErrPasswordRequired], [ErrIncorrectPassword], [ErrUnsupported] or
// [ErrMalformed]; only Marshal's unknown-format error matches none. Messages
// are lower case, start with "privkey: ", name the PEM block types involved,
// and never contain key material. They do not name the file: callers add
// that.
//
// # Hostile input
//
// Parse never panics on any input (it is fuzzed) and refuses PBKDF2, PBKDF1
// and PKCS#12 KDF iteration counts above [MaxIterations] (GnuTLS's own cap
// for all of them) before deriving anything, so a crafted file cannot keep
// it busy for more than a few seconds (about 6 s of SHA-1 for PBE-SHA1-3DES
// at the cap on a loaded 2-core machine; qemu-img takes 4.5 to 6.8 s).
package privkey
