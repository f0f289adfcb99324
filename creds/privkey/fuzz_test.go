package privkey

import (
	"crypto"
	"testing"
)

// FuzzParse checks that Parse and Inspect never panic and agree, and that an
// accepted key survives Marshal(PKCS8) and a second Parse unchanged.
// Run with: go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./creds/privkey/
func FuzzParse(f *testing.F) {
	// Keep a mutated iteration count from costing seconds per input.
	defer func(old int) { maxIterations = old }(maxIterations)
	maxIterations = 20_000

	const password = "fuzz"
	for _, name := range []string{"ecdsa-p256", "ed25519"} {
		key := keyNamed(f, name)
		for _, format := range formats {
			out, err := Marshal(key, format, []byte(password))
			if err == nil {
				f.Add(out, password)
			}
		}
	}
	for _, scheme := range PBES1Schemes() {
		// Every PBES1 scheme: the refused ones exercise the early exit.
		if out, err := MarshalPBES1(keyNamed(f, "ecdsa-p256"), scheme, []byte(password)); err == nil {
			f.Add(out, password)
		}
	}
	f.Add(selfSignedPEM(f), "")
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n"), "")
	f.Add(pbes2Spec{iterations: 50_000, data: make([]byte, 32)}.pem(f), password)
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00}, "")

	f.Fuzz(func(t *testing.T, data []byte, password string) {
		key, info, err := Parse(data, []byte(password))
		inspected, ierr := Inspect(data)
		if err != nil {
			if key != nil {
				t.Fatalf("Parse returned a key and the error %v", err)
			}
			return
		}
		if ierr != nil {
			t.Fatalf("Parse accepted the input but Inspect failed: %v", ierr)
		}
		if inspected.Format != info.Format || inspected.Encrypted != info.Encrypted || inspected.Cipher != info.Cipher {
			t.Fatalf("Inspect = %+v, Parse info = %+v", inspected, info)
		}

		out, err := Marshal(key, PKCS8, nil)
		if err != nil {
			t.Fatalf("Marshal of a parsed %T: %v", key, err)
		}
		again, info2, err := Parse(out, nil)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(data))): %v", err)
		}
		if !again.(interface{ Equal(crypto.PrivateKey) bool }).Equal(key) {
			t.Fatalf("the key changed after Marshal(PKCS8) and Parse")
		}
		if info2.Algorithm != info.Algorithm || info2.Bits != info.Bits || info2.Curve != info.Curve {
			t.Fatalf("info changed: %+v then %+v", info, info2)
		}
	})
}
