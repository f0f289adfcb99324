package privkey

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// testIterations keeps PBKDF2 cheap in tests; production uses Iterations.
const testIterations = 1000

func TestMain(m *testing.M) {
	Iterations = testIterations
	os.Exit(m.Run())
}

// testKey is a generated key with what Parse should report about it.
type testKey struct {
	name      string
	key       crypto.Signer
	algorithm string
	bits      int
	curve     string
}

// testKeys returns one key of each kind, generated once per test binary
// (RSA-2048 generation is slow under -race).
var testKeys = sync.OnceValue(func() []testKey {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	ec := func(c elliptic.Curve) *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return []testKey{
		{"rsa-2048", rsaKey, "RSA", 2048, ""},
		{"ecdsa-p256", ec(elliptic.P256()), "ECDSA", 256, "P-256"},
		{"ecdsa-p384", ec(elliptic.P384()), "ECDSA", 384, "P-384"},
		{"ecdsa-p521", ec(elliptic.P521()), "ECDSA", 521, "P-521"},
		{"ed25519", edKey, "Ed25519", 256, ""},
	}
})

// keyNamed returns the test key with the given name.
func keyNamed(t testing.TB, name string) crypto.Signer {
	t.Helper()
	for _, k := range testKeys() {
		if k.name == name {
			return k.key
		}
	}
	t.Fatalf("no test key %q", name)
	return nil
}

// sentinels are the errors every Parse or Inspect error must match one of.
var sentinels = []error{ErrNoKey, ErrPasswordRequired, ErrIncorrectPassword, ErrUnsupported, ErrMalformed}

// checkErr fails unless err matches want and no other sentinel, starts with
// the package prefix and contains every string in substrings.
func checkErr(t testing.TB, err, want error, substrings ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %v", want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %q, want it to match %q", err, want)
	}
	for _, s := range sentinels {
		if s != want && errors.Is(err, s) {
			t.Errorf("err = %q also matches %q", err, s)
		}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "privkey: ") {
		t.Errorf("err = %q, want the prefix %q", msg, "privkey: ")
	}
	for _, s := range substrings {
		if !strings.Contains(msg, s) {
			t.Errorf("err = %q, want it to contain %q", msg, s)
		}
	}
}

// requireTool returns the path of an interop tool. Interop is part of the
// contract, so a missing tool fails the test rather than skipping it.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed for interop tests: %v\nhint: apt-get install -y openssl gnutls-bin (make test does this)", name, err)
	}
	return path
}

// runTool runs a command in dir and returns its stdout, failing the test
// with stderr when it exits non-zero.
func runTool(t testing.TB, dir, name string, args ...string) []byte {
	t.Helper()
	out, err := tryTool(t, dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

// tryTool runs a command in dir; the error includes stderr.
func tryTool(t testing.TB, dir, name string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(requireTool(t, name), args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
