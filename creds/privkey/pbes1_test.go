package privkey

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPBES1ToolsReadOurs writes every PBES1 scheme with MarshalPBES1 and
// has OpenSSL and certtool read it: OpenSSL reads every scheme (so the
// KDFs and ciphers are right, for the refused schemes too), certtool reads
// exactly the schemes Parse decrypts and refuses the others with "The
// cipher type is unsupported", the text GnuTLSReason gives.
func TestPBES1ToolsReadOurs(t *testing.T) {
	requireTool(t, "openssl")
	requireTool(t, "certtool")
	schemes := PBES1Schemes()
	if len(schemes) != 10 {
		t.Fatalf("PBES1Schemes() = %v, want the 10 OpenSSL 3 writes", schemes)
	}
	decrypted := 0
	for _, k := range testKeys() {
		for _, scheme := range schemes {
			t.Run(k.name+"/"+scheme, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				out, err := MarshalPBES1(k.key, scheme, []byte(toolPassword))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "key.pem"), out, 0o600); err != nil {
					t.Fatal(err)
				}
				pub := toolPublicKey(t, dir, "key.pem", true)
				if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.key.Public()) {
					t.Errorf("openssl read a different public key")
				}
				if _, err := tryTool(t, dir, "openssl", "pkey", "-in", "key.pem", "-noout", "-passin", "pass:wrong", "-provider", "legacy", "-provider", "default"); err == nil {
					t.Errorf("openssl pkey accepted a wrong password")
				}
				info, cerr := tryTool(t, dir, "certtool", "--key-info", "--infile", "key.pem", "--password", toolPassword)
				key, _, err := Parse(out, []byte(toolPassword))
				if PBES1Decrypted(scheme) {
					if cerr != nil {
						t.Errorf("certtool refuses a scheme Parse decrypts: %v", cerr)
					}
					if err != nil {
						t.Fatalf("Parse: %v", err)
					}
					if !key.(interface{ Equal(crypto.PrivateKey) bool }).Equal(k.key) {
						t.Errorf("Parse returned a different key")
					}
					return
				}
				if cerr == nil || !strings.Contains(cerr.Error(), "The cipher type is unsupported") {
					t.Errorf("certtool: %v\n%s; want it to refuse the scheme", cerr, info)
				}
				checkErr(t, err, ErrUnsupported, "PBES1 "+scheme+" is not supported")
				if r := GnuTLSReason(err); r != "The cipher type is unsupported." {
					t.Errorf("GnuTLSReason = %q", r)
				}
			})
			if PBES1Decrypted(scheme) && k.name == "ecdsa-p256" {
				decrypted++
			}
		}
	}
	if decrypted != 4 {
		t.Errorf("%d schemes decrypted, want GnuTLS's 4 (PBE-SHA1-3DES, -RC2-40, -RC4-128, PBE-MD5-DES)", decrypted)
	}
}

// TestPBES1EmptyPassword: without a password, Parse tries the empty one
// as GnuTLS encodes it (no bytes at all for the PKCS#12 schemes), so a key
// OpenSSL wrote with `-passout pass:` loads without one only for
// PBE-MD5-DES, as measured with qemu-img.
func TestPBES1EmptyPassword(t *testing.T) {
	requireTool(t, "openssl")
	key := keyNamed(t, "ecdsa-p256")
	plain, err := Marshal(key, PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plain.pem"), plain, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"PBE-SHA1-3DES", "PBE-SHA1-RC2-40", "PBE-SHA1-RC4-128", "PBE-MD5-DES"} {
		ours, err := MarshalPBES1(key, scheme, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, info, err := Parse(ours, nil); err != nil || !info.EmptyPassword {
			t.Errorf("%s written with the empty password: Parse(nil) = %+v, %v", scheme, info, err)
		}
		out := runTool(t, dir, "openssl", "pkcs8", "-topk8", "-in", "plain.pem", "-v1", scheme, "-passout", "pass:", "-provider", "legacy", "-provider", "default")
		_, _, err = Parse(out, nil)
		if scheme == "PBE-MD5-DES" {
			if err != nil {
				t.Errorf("%s from openssl -passout pass: does not load without a password: %v", scheme, err)
			}
		} else {
			checkErr(t, err, ErrPasswordRequired)
		}
	}
}

// TestPBES1BadInput: wrong passwords, cut or corrupt ciphertext and bad
// parameters are clear errors, never a panic or key material.
func TestPBES1BadInput(t *testing.T) {
	key := keyNamed(t, "ecdsa-p256")
	rewrite := func(t *testing.T, scheme string, edit func(*encryptedPrivateKeyInfo)) []byte {
		out, err := MarshalPBES1(key, scheme, []byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pem.Decode(out)
		var info encryptedPrivateKeyInfo
		if _, err := asn1.Unmarshal(b.Bytes, &info); err != nil {
			t.Fatal(err)
		}
		edit(&info)
		der, err := asn1.Marshal(info)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
	}
	params := func(salt []byte, iter int) func(*encryptedPrivateKeyInfo) {
		return func(i *encryptedPrivateKeyInfo) {
			p, _ := asn1.Marshal(pbeParams{Salt: salt, Iterations: iter})
			i.Algorithm.Parameters = asn1.RawValue{FullBytes: p}
		}
	}
	for _, scheme := range []string{"PBE-SHA1-3DES", "PBE-SHA1-RC2-40", "PBE-SHA1-RC4-128", "PBE-MD5-DES"} {
		t.Run(scheme, func(t *testing.T) {
			good, err := MarshalPBES1(key, scheme, []byte("pw"))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = Parse(good, []byte("wrong"))
			checkErr(t, err, ErrIncorrectPassword)
			if r := GnuTLSReason(err); r != "Decryption has failed." {
				t.Errorf("GnuTLSReason(wrong password) = %q", r)
			}
			_, _, err = Parse(good, nil)
			checkErr(t, err, ErrPasswordRequired)

			tests := []struct {
				name     string
				data     []byte
				want     error
				contains []string
			}{
				{"truncated ciphertext", rewrite(t, scheme, func(i *encryptedPrivateKeyInfo) { i.Data = i.Data[:len(i.Data)-8] }), ErrIncorrectPassword, nil},
				{"flipped first byte", rewrite(t, scheme, func(i *encryptedPrivateKeyInfo) { i.Data[0] ^= 0x5a }), ErrIncorrectPassword, nil},
				{"empty ciphertext", rewrite(t, scheme, func(i *encryptedPrivateKeyInfo) { i.Data = nil }), ErrMalformed, []string{"encrypted data is empty"}},
				{"zero iterations", rewrite(t, scheme, params([]byte("saltsalt"), 0)), ErrMalformed, []string{"iteration count 0 is not positive"}},
				{"over the cap", rewrite(t, scheme, params([]byte("saltsalt"), MaxIterations+1)), ErrUnsupported, []string{"iteration count 10485760 is above the cap of 10485759"}},
				{"params not a sequence", rewrite(t, scheme, func(i *encryptedPrivateKeyInfo) { i.Algorithm.Parameters = asn1.NullRawValue }), ErrMalformed, []string{"PBES1 " + scheme + " parameters do not parse"}},
			}
			if scheme != "PBE-SHA1-RC4-128" {
				tests = append(tests, struct {
					name     string
					data     []byte
					want     error
					contains []string
				}{"partial block", rewrite(t, scheme, func(i *encryptedPrivateKeyInfo) { i.Data = i.Data[:len(i.Data)-3] }), ErrMalformed, []string{"not a whole number of 8-byte blocks"}})
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					start := time.Now()
					k, _, err := Parse(tt.data, []byte("pw"))
					if k != nil {
						t.Fatal("Parse returned a key with an error")
					}
					checkErr(t, err, tt.want, tt.contains...)
					if d := time.Since(start); d > 2*time.Second {
						t.Errorf("took %v", d)
					}
					if _, err := Inspect(tt.data); tt.want != ErrIncorrectPassword && err == nil {
						t.Errorf("Inspect accepted it")
					}
				})
			}
			over := rewrite(t, scheme, params([]byte("saltsalt"), MaxIterations+1))
			_, _, err = Parse(over, []byte("pw"))
			if r := GnuTLSReason(err); r != "An illegal parameter was found." {
				t.Errorf("GnuTLSReason(over the cap) = %q", r)
			}
		})
	}
	if _, err := MarshalPBES1(key, "PBE-MD2-DES", []byte("pw")); err == nil {
		t.Error("MarshalPBES1 wrote MD2, which Go lacks")
	}
	if _, _, err := Parse(bytes.Repeat([]byte{0}, 4), []byte("\xff\xfe")); err == nil {
		t.Error("Parse accepted zeros")
	}
}

// TestPBES1NonUTF8Password: a PKCS#12 scheme needs the password as UTF-16;
// bytes that are not UTF-8 cannot be that, and fail as a wrong password.
func TestPBES1NonUTF8Password(t *testing.T) {
	out, err := MarshalPBES1(keyNamed(t, "ecdsa-p256"), "PBE-SHA1-3DES", []byte("pässword"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Parse(out, []byte("pässword")); err != nil {
		t.Errorf("UTF-8 password: %v", err)
	}
	_, _, err = Parse(out, []byte("p\xe4ssword"))
	checkErr(t, err, ErrIncorrectPassword)
}
