package privkey

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Interop with the tools that write the keys users have: OpenSSL 3 and
// GnuTLS's certtool (QEMU loads credentials through GnuTLS). Keys are
// generated in the test; nothing is committed.

const toolPassword = "secret"

// toolPublicKey returns the public key OpenSSL reads from file, the
// independent answer Parse must agree with.
func toolPublicKey(t *testing.T, dir, file string, encrypted bool) crypto.PublicKey {
	t.Helper()
	// The legacy provider holds the ciphers of the PBES1 schemes.
	args := []string{"pkey", "-in", file, "-pubout", "-provider", "legacy", "-provider", "default"}
	if encrypted {
		args = append(args, "-passin", "pass:"+toolPassword)
	}
	block, _ := pem.Decode(runTool(t, dir, "openssl", args...))
	if block == nil {
		t.Fatalf("openssl pkey -pubout wrote no PEM for %s", file)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("public key of %s: %v", file, err)
	}
	return pub
}

// toolCase is a key file written by a tool and what Parse should make of it.
type toolCase struct {
	name     string
	file     string
	want     Info  // Algorithm, Bits and Curve are filled in by the caller
	wantErr  error // for files we refuse, with the password given
	contains []string
}

// checkToolCase parses a tool-written file with the right password, a wrong
// one and none, and compares the key with OpenSSL's reading of it.
func checkToolCase(t *testing.T, dir string, c toolCase) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, c.file))
	if err != nil {
		t.Fatal(err)
	}
	if c.wantErr != nil {
		_, _, err := Parse(data, []byte(toolPassword))
		checkErr(t, err, c.wantErr, c.contains...)
		_, err = Inspect(data)
		checkErr(t, err, c.wantErr)
		return
	}

	password := []byte(nil)
	if c.want.Encrypted {
		password = []byte(toolPassword)
		_, _, err := Parse(data, nil)
		checkErr(t, err, ErrPasswordRequired)
		_, _, err = Parse(data, []byte("wrong-"+toolPassword))
		checkErr(t, err, ErrIncorrectPassword)
	}
	key, info, err := Parse(data, password)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if info != c.want {
		t.Errorf("Parse info = %+v, want %+v", info, c.want)
	}
	pub := toolPublicKey(t, dir, c.file, c.want.Encrypted)
	if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Public()) {
		t.Errorf("Parse returned a key whose public half differs from openssl's")
	}

	inspected, err := Inspect(data)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	wantInspect := c.want
	if c.want.Encrypted {
		wantInspect.Algorithm, wantInspect.Bits, wantInspect.Curve = "", 0, ""
	}
	if inspected != wantInspect {
		t.Errorf("Inspect = %+v, want %+v", inspected, wantInspect)
	}
}

func TestOpenSSLKeys(t *testing.T) {
	requireTool(t, "openssl")
	algorithms := []struct {
		name    string
		genpkey []string
		Info
	}{
		{"ec", []string{"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}, Info{Algorithm: "ECDSA", Bits: 256, Curve: "P-256"}},
		{"rsa", []string{"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}, Info{Algorithm: "RSA", Bits: 2048}},
		{"ed25519", []string{"-algorithm", "ED25519"}, Info{Algorithm: "Ed25519", Bits: 256}},
	}
	// openssl pkcs8 -topk8 -v2 CIPHER -v2prf PRF, and what Info.Cipher says.
	pkcs8Variants := []struct{ cipher, prf, want string }{
		{"aes-256-cbc", "hmacWithSHA512", "PBES2 PBKDF2-HMAC-SHA512 AES-256-CBC"},
		{"aes-128-cbc", "hmacWithSHA1", "PBES2 PBKDF2-HMAC-SHA1 AES-128-CBC"}, // OpenSSL omits the default PRF
		{"aes-192-cbc", "hmacWithSHA224", "PBES2 PBKDF2-HMAC-SHA224 AES-192-CBC"},
		{"des3", "hmacWithSHA384", "PBES2 PBKDF2-HMAC-SHA384 DES-EDE3-CBC"},
		{"aes-256-cbc", "hmacWithSHA512-256", "PBES2 PBKDF2-HMAC-SHA512-256 AES-256-CBC"},
	}
	pass := "pass:" + toolPassword

	for _, alg := range algorithms {
		t.Run(alg.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			openssl := func(args ...string) { runTool(t, dir, "openssl", args...) }
			with := func(f Format, encrypted bool, cipher string) Info {
				i := alg.Info
				i.Format, i.Encrypted, i.Cipher = f, encrypted, cipher
				return i
			}

			openssl(append(append([]string{"genpkey"}, alg.genpkey...), "-out", "plain.pem")...)
			openssl(append(append([]string{"genpkey"}, alg.genpkey...), "-aes256", "-pass", pass, "-out", "genpkey-aes256.pem")...)
			cases := []toolCase{
				{name: "genpkey", file: "plain.pem", want: with(PKCS8, false, "")},
				{name: "genpkey -aes256", file: "genpkey-aes256.pem", want: with(EncryptedPKCS8, true, "PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC")},
			}
			for _, v := range pkcs8Variants {
				file := "pkcs8-" + v.cipher + "-" + v.prf + ".pem"
				openssl("pkcs8", "-topk8", "-in", "plain.pem", "-v2", v.cipher, "-v2prf", v.prf, "-passout", pass, "-out", file)
				cases = append(cases, toolCase{name: "pkcs8 " + v.cipher + " " + v.prf, file: file, want: with(EncryptedPKCS8, true, v.want)})
			}

			// Every PBES1 scheme OpenSSL 3 writes: the ones GnuTLS decrypts
			// parse, the others are refused naming the scheme.
			for _, scheme := range PBES1Schemes() {
				file := "pbes1-" + scheme + ".pem"
				openssl("pkcs8", "-topk8", "-in", "plain.pem", "-v1", scheme, "-passout", pass, "-out", file, "-provider", "legacy", "-provider", "default")
				c := toolCase{name: "pkcs8 -v1 " + scheme, file: file, want: with(EncryptedPKCS8, true, "PBES1 "+scheme)}
				if !PBES1Decrypted(scheme) {
					c.wantErr, c.contains = ErrUnsupported, []string{"PBES1 " + scheme + " is not supported", "re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"}
				}
				cases = append(cases, c)
			}
			openssl("pkcs8", "-topk8", "-in", "plain.pem", "-scrypt", "-passout", pass, "-out", "scrypt.pem")
			cases = append(cases, toolCase{name: "pkcs8 -scrypt", file: "scrypt.pem", wantErr: ErrUnsupported, contains: []string{"scrypt"}})

			switch alg.name {
			case "rsa":
				openssl("rsa", "-in", "plain.pem", "-traditional", "-out", "pkcs1.pem")
				openssl("rsa", "-in", "plain.pem", "-traditional", "-aes256", "-passout", pass, "-out", "legacy.pem")
				cases = append(cases,
					toolCase{name: "rsa -traditional", file: "pkcs1.pem", want: with(PKCS1, false, "")},
					toolCase{name: "rsa -traditional -aes256", file: "legacy.pem", want: with(LegacyPEM, true, "DEK-Info AES-256-CBC")},
				)
			case "ec":
				openssl("ec", "-in", "plain.pem", "-out", "sec1.pem")
				openssl("ec", "-in", "plain.pem", "-aes256", "-passout", pass, "-out", "legacy.pem")
				openssl("ec", "-in", "plain.pem", "-des3", "-passout", pass, "-out", "legacy-des3.pem")
				cases = append(cases,
					toolCase{name: "ec", file: "sec1.pem", want: with(SEC1, false, "")},
					toolCase{name: "ec -aes256", file: "legacy.pem", want: with(LegacyPEM, true, "DEK-Info AES-256-CBC")},
					toolCase{name: "ec -des3", file: "legacy-des3.pem", want: with(LegacyPEM, true, "DEK-Info DES-EDE3-CBC")},
				)
			}

			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) { checkToolCase(t, dir, c) })
			}
		})
	}
}

// TestOpenSSLOtherKeys covers keys OpenSSL writes that we skip past or refuse.
func TestOpenSSLOtherKeys(t *testing.T) {
	requireTool(t, "openssl")
	dir := t.TempDir()
	openssl := func(args ...string) { runTool(t, dir, "openssl", args...) }
	openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam.pem")
	openssl("genpkey", "-algorithm", "ED448", "-out", "ed448.pem")
	openssl("genpkey", "-algorithm", "X25519", "-out", "x25519.pem")
	openssl("genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "rsa-pss.pem")
	openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "secp256k1.pem")
	openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:explicit", "-out", "explicit.pem")
	openssl("ec", "-in", "secp256k1.pem", "-out", "secp256k1-sec1.pem")

	cases := []toolCase{
		{name: "ecparam -genkey (EC PARAMETERS first)", file: "ecparam.pem", want: Info{Format: SEC1, Algorithm: "ECDSA", Bits: 256, Curve: "P-256"}},
		{name: "Ed448", file: "ed448.pem", wantErr: ErrUnsupported, contains: []string{"Ed448 keys are not supported"}},
		{name: "X25519", file: "x25519.pem", wantErr: ErrUnsupported, contains: []string{"not a signing key"}},
		{name: "RSA-PSS", file: "rsa-pss.pem", wantErr: ErrUnsupported, contains: []string{"RSA-PSS keys are not supported"}},
		{name: "secp256k1 PKCS#8", file: "secp256k1.pem", wantErr: ErrUnsupported, contains: []string{"elliptic curve secp256k1 is not supported"}},
		{name: "secp256k1 SEC1", file: "secp256k1-sec1.pem", wantErr: ErrUnsupported, contains: []string{"elliptic curve secp256k1 is not supported"}},
		{name: "explicit curve parameters", file: "explicit.pem", wantErr: ErrUnsupported, contains: []string{"explicit curve parameters"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkToolCase(t, dir, c) })
	}
}

func TestCerttoolKeys(t *testing.T) {
	requireTool(t, "certtool")
	requireTool(t, "openssl") // for the reference public key
	dir := t.TempDir()
	certtool := func(args ...string) {
		runTool(t, dir, "certtool", append([]string{"--generate-privkey"}, args...)...)
	}
	certtool("--key-type=ecdsa", "--outfile", "ecdsa.pem")
	certtool("--key-type=rsa", "--bits=2048", "--outfile", "rsa.pem")
	certtool("--key-type=ed25519", "--outfile", "ed25519.pem")
	certtool("--key-type=ecdsa", "--password", toolPassword, "--pkcs8", "--outfile", "ecdsa-pkcs8.pem")

	// certtool writes a "Public Key Info:" text dump before the PEM block.
	// Its PBES2 uses 600,000 rounds of PBKDF2-HMAC-SHA256, which takes
	// seconds under -race: one encrypted key is enough.
	cases := []toolCase{
		{name: "ecdsa", file: "ecdsa.pem", want: Info{Format: SEC1, Algorithm: "ECDSA", Bits: 256, Curve: "P-256"}},
		{name: "rsa", file: "rsa.pem", want: Info{Format: PKCS1, Algorithm: "RSA", Bits: 2048}},
		{name: "ed25519", file: "ed25519.pem", want: Info{Format: PKCS8, Algorithm: "Ed25519", Bits: 256}},
		{name: "ecdsa --pkcs8 --password", file: "ecdsa-pkcs8.pem",
			want: Info{Format: EncryptedPKCS8, Encrypted: true, Algorithm: "ECDSA", Bits: 256, Curve: "P-256", Cipher: "PBES2 PBKDF2-HMAC-SHA256 AES-128-CBC"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkToolCase(t, dir, c)
		})
	}
}

// TestToolsReadOurs checks that OpenSSL and GnuTLS load what Marshal writes,
// with the right password only, and find the same public key.
func TestToolsReadOurs(t *testing.T) {
	requireTool(t, "openssl")
	requireTool(t, "certtool")
	for _, k := range testKeys() {
		for _, f := range formats {
			if !fits(f, k.algorithm) {
				continue
			}
			t.Run(k.name+"/"+string(f), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				out, err := Marshal(k.key, f, []byte(toolPassword))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "key.pem"), out, 0o600); err != nil {
					t.Fatal(err)
				}

				pub := toolPublicKey(t, dir, "key.pem", f.Encrypted())
				if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.key.Public()) {
					t.Errorf("openssl read a different public key")
				}
				if f.Encrypted() {
					runTool(t, dir, "openssl", "pkey", "-in", "key.pem", "-noout", "-passin", "pass:"+toolPassword)
					if _, err := tryTool(t, dir, "openssl", "pkey", "-in", "key.pem", "-noout", "-passin", "pass:wrong"); err == nil {
						t.Errorf("openssl pkey accepted a wrong password: the key is not really encrypted")
					}
				} else {
					runTool(t, dir, "openssl", "pkey", "-in", "key.pem", "-noout")
				}

				args := []string{"--key-info", "--infile", "key.pem"}
				if f.Encrypted() {
					runTool(t, dir, "certtool", append(args, "--password", toolPassword)...)
					if _, err := tryTool(t, dir, "certtool", append(args, "--password", "wrong")...); err == nil {
						t.Errorf("certtool accepted a wrong password")
					}
				} else {
					info := runTool(t, dir, "certtool", args...)
					if !strings.Contains(string(info), "Public Key Info") {
						t.Errorf("certtool --key-info printed no key info:\n%s", info)
					}
				}
			})
		}
	}
}
