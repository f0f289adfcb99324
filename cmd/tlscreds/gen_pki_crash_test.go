package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGenPKIKilledLeavesOneRun kills a real `tlscreds gen pki --force`
// with SIGKILL at random moments (a bounded loop) and checks after each
// kill that ca/, server/ and client/ all come from one run: the server
// and client certificates are signed by ca/ca-cert.pem, match their keys,
// and both directories carry that CA; that nothing but the three
// directories is in the output and no temporary is inside them; that the
// modes given to the directories are kept; and that the next complete
// run removes every temporary a killed run left beside the output.
func TestGenPKIKilledLeavesOneRun(t *testing.T) {
	bin := cliBinary(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "pki")
	gen := func() *exec.Cmd { return exec.Command(bin, "gen", "pki", "--out", out, "--force") }
	if b, err := gen().CombinedOutput(); err != nil {
		t.Fatalf("gen pki: %v\n%s", err, b)
	}
	if err := os.Chmod(out, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(out, "server"), 0o700); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if b, err := gen().CombinedOutput(); err != nil {
		t.Fatalf("gen pki --force: %v\n%s", err, b)
	}
	full := time.Since(start)
	checkOneRun(t, out, "after a complete run")
	rng := rand.New(rand.NewPCG(14, uint64(time.Now().UnixNano())))
	killed := 0
	for i := 0; i < 25; i++ {
		cmd := gen()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full) + 1)))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
			killed++
		}
		checkOneRun(t, out, "after kill "+string(rune('a'+i)))
		if t.Failed() {
			return
		}
	}
	if killed == 0 {
		t.Fatalf("no run of %d was killed before it finished (a full run takes %v): the test proved nothing", 25, full)
	}
	if b, err := gen().CombinedOutput(); err != nil {
		t.Fatalf("gen pki --force after the kills: %v\n%s", err, b)
	}
	checkOneRun(t, out, "after the last run")
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != "pki" {
			t.Errorf("the run after %d kills left %s beside the output", killed, e.Name())
		}
	}
	t.Logf("%d of 25 runs killed before they finished (a full run takes %v)", killed, full)
}

// checkOneRun asserts that the gen pki output under out is one run's.
func checkOneRun(t *testing.T, out, when string) {
	t.Helper()
	read := func(rel string) []byte {
		data, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Errorf("%s: %v", when, err)
		}
		return data
	}
	cert := func(rel string) *x509.Certificate {
		b, _ := pem.Decode(read(rel))
		if b == nil {
			t.Errorf("%s: %s holds no PEM", when, rel)
			return nil
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Errorf("%s: %s: %v", when, rel, err)
		}
		return c
	}
	ca := cert("ca/ca-cert.pem")
	if _, err := tls.X509KeyPair(read("ca/ca-cert.pem"), read("ca/ca-key.pem")); err != nil {
		t.Errorf("%s: ca/ca-key.pem does not match ca/ca-cert.pem: %v", when, err)
	}
	for _, ep := range []string{"server", "client"} {
		if !bytes.Equal(read(ep+"/ca-cert.pem"), read("ca/ca-cert.pem")) {
			t.Errorf("%s: %s/ca-cert.pem is another run's CA than ca/ca-cert.pem", when, ep)
		}
		leaf := cert(ep + "/" + ep + "-cert.pem")
		if ca != nil && leaf != nil {
			if err := leaf.CheckSignatureFrom(ca); err != nil {
				t.Errorf("%s: %s/%s-cert.pem is not signed by ca/ca-cert.pem (a mix of runs): %v", when, ep, ep, err)
			}
		}
		if _, err := tls.X509KeyPair(read(ep+"/"+ep+"-cert.pem"), read(ep+"/"+ep+"-key.pem")); err != nil {
			t.Errorf("%s: %s key and certificate do not match: %v", when, ep, err)
		}
	}
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		sub, _ := os.ReadDir(filepath.Join(out, e.Name()))
		for _, s := range sub {
			if strings.HasPrefix(s.Name(), ".") {
				t.Errorf("%s: temporary %s/%s left inside the output", when, e.Name(), s.Name())
			}
		}
	}
	if strings.Join(names, " ") != "ca client server" {
		t.Errorf("%s: the output holds %v, want ca client server", when, names)
	}
	for rel, want := range map[string]os.FileMode{".": 0o750, "server": 0o700} {
		if info, err := os.Stat(filepath.Join(out, rel)); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %s has mode %v, want %v kept", when, rel, info.Mode().Perm(), want)
		}
	}
}
