package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestHostileInputs is the hostile-input suite: every input is generated
// here (nothing committed), each run is bounded by the harness
// (hostileTimeout kills a hang), and each asserts the exit code, a message
// naming the file, no panic and no control character in the output.
// Classes covered elsewhere: user-named FIFOs, devices, sparse files and
// symlink loops (testdata/script/safe_read.txtar), hostile file names on
// every command (TestEscapedOnEveryCommand), numeric flags
// (TestFlagBounds), unreadable directories (TestUnreadableInputs).
func TestHostileInputs(t *testing.T) {
	root := t.TempDir()
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(filepath.Join(root, "pki"), fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		t.Helper()
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	serverDir := func(name string) string {
		t.Helper()
		dir := filepath.Join(root, name)
		if _, err := p.ServerDir().Write(dir, layout.QEMU, true); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	pw := write("pw", []byte("secret\n"))

	// PKCS#12 files asking for 2^31-1 rounds (MAC, PBKDF2, PKCS#12 PBE).
	macBomb := write("mac-bomb.p12", fixtures.CostlyPKCS12(1<<31-1, 2048, fixtures.P12PBES2))
	pbkdf2Bomb := write("pbkdf2-bomb.p12", fixtures.CostlyPKCS12(2048, 1<<31-1, fixtures.P12PBES2))
	pbeBomb := write("pbe-bomb.p12", fixtures.CostlyPKCS12(2048, 1<<31-1, fixtures.P12PBE3DES))

	// An encrypted key over GnuTLS's PBKDF2 cap in a credential directory.
	keyOver := serverDir("key-over-cap")
	over := fixtures.CostlyPKCS8(privkey.MaxIterations + 1)
	if err := os.WriteFile(filepath.Join(keyOver, "server-key.pem"), over, 0o600); err != nil {
		t.Fatal(err)
	}

	// Credential directories whose files are a FIFO, a device, a 2 GiB
	// sparse file and a symlink loop.
	fifoDir := serverDir("fifo-key")
	os.Remove(filepath.Join(fifoDir, "server-key.pem"))
	if err := syscall.Mkfifo(filepath.Join(fifoDir, "server-key.pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	devDir := serverDir("dev-ca")
	os.Remove(filepath.Join(devDir, "ca-cert.pem"))
	if err := os.Symlink("/dev/zero", filepath.Join(devDir, "ca-cert.pem")); err != nil {
		t.Fatal(err)
	}
	hugeDir := serverDir("huge-cert")
	if err := os.Truncate(filepath.Join(hugeDir, "server-cert.pem"), 2<<30); err != nil {
		t.Fatal(err)
	}
	loopDir := serverDir("loop-cert")
	os.Remove(filepath.Join(loopDir, "server-cert.pem"))
	if err := os.Symlink("server-cert.pem", filepath.Join(loopDir, "server-cert.pem")); err != nil {
		t.Fatal(err)
	}

	// Manifests: a billion laughs, and 100,001 objects.
	var bomb strings.Builder
	bomb.WriteString("objects:\n  - {id: tls0, endpoint: server, dir: pki/server}\nsecrets:\n  - &l0 {id: s0, file: f, x: [a, a, a, a, a, a, a, a, a, a]}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "  - &l%d {id: s%d, file: f, x: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	bomb.WriteString("endpoints:\n  - {name: e, role: server, objects: [tls0], hosts: [*l9]}\n")
	aliasBomb := write("laughs.yaml", []byte(bomb.String()))
	long := write("long.yaml", []byte("objects:\n"+strings.Repeat("  - x\n", 100_001)))

	// qemu.conf: a 70,000-character comment before the setting libvirt
	// reads (and so must lint).
	conf := write("qemu.conf", []byte("#"+strings.Repeat("x", 70_000)+"\ndefault_tls_x509_cert_dir = \""+filepath.Join(root, "key-over-cap")+"\"\n"))

	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of the output, the file's name first
	}{
		{"inspect p12 MAC bomb, no password", []string{"inspect", macBomb}, exitUsage, []string{macBomb, "MAC iteration count 2147483647 is above the cap of 10485759"}},
		{"inspect p12 MAC bomb", []string{"inspect", "--password-file", pw, macBomb}, exitUsage, []string{macBomb, "above the cap"}},
		{"inspect p12 PBKDF2 bomb", []string{"inspect", "--password-file", pw, pbkdf2Bomb}, exitUsage, []string{pbkdf2Bomb, "PBKDF2 iteration count 2147483647"}},
		{"p12 import PBE bomb", []string{"p12", "import", "--out", filepath.Join(root, "imp"), "--endpoint", "server", "--password-file", pw, pbeBomb}, exitUsage, []string{pbeBomb, "PBE iteration count 2147483647"}},
		{"fingerprint p12 bomb", []string{"fingerprint", "--password-file", pw, macBomb}, exitUsage, []string{macBomb, "above the cap"}},
		{"lint key over the PBKDF2 cap", []string{"lint", "--object", "secret,id=pw,data=secret", "--object", "tls-creds-x509,id=tls0,endpoint=server,dir=" + keyOver + ",passwordid=pw", "--format", "json"}, exitFailed, []string{filepath.Join(keyOver, "server-key.pem"), "10485760 is above the cap of 10485759"}},
		{"lint FIFO key", []string{"lint", "--format", "json", fifoDir}, exitFailed, []string{filepath.Join(fifoDir, "server-key.pem"), "file-unreadable"}},
		{"lint device CA", []string{"lint", "--format", "json", devDir}, exitFailed, []string{filepath.Join(devDir, "ca-cert.pem"), "file-unreadable"}},
		{"lint 2 GiB certificate", []string{"lint", "--format", "json", hugeDir}, exitFailed, []string{filepath.Join(hugeDir, "server-cert.pem"), "file-unreadable"}},
		{"lint symlink loop", []string{"lint", "--format", "json", loopDir}, exitFailed, []string{filepath.Join(loopDir, "server-cert.pem"), "file-unreadable"}},
		{"inspect FIFO key", []string{"inspect", fifoDir}, exitOK, []string{filepath.Join(fifoDir, "server-key.pem")}},
		{"lint -r over all of them", []string{"lint", "-r", root}, exitFailed, []string{"fifo-key", "dev-ca", "huge-cert", "loop-cert"}},
		{"lint --manifest alias bomb", []string{"lint", "--manifest", aliasBomb}, exitUsage, []string{aliasBomb, "aliases (*name) expand it"}},
		{"pair --manifest alias bomb", []string{"pair", "--manifest", aliasBomb}, exitUsage, []string{aliasBomb, "aliases (*name) expand it"}},
		{"serve --manifest alias bomb", []string{"serve", "--manifest", aliasBomb, "--endpoint", "e"}, exitUsage, []string{aliasBomb, "aliases (*name) expand it"}},
		{"lint --manifest 100,001 objects", []string{"lint", "--manifest", long}, exitUsage, []string{long, "more than the 100000 a manifest may declare"}},
		{"lint --libvirt-qemu-conf long line", []string{"lint", "--libvirt-qemu-conf", conf}, exitFailed, []string{filepath.Join(root, "key-over-cap")}},
		{"explain a private key", []string{"explain", string(keyPEM(t, filepath.Join(root, "pki", "server")))}, exitFailed, []string{"not a message tlscreds recognises"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			assertSafeOutput(t, tt.name, r)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d:\n%s", r.code, tt.code, r.all())
			}
			for _, w := range tt.want {
				if !strings.Contains(r.all(), w) {
					t.Errorf("the output lacks %q:\n%s", w, r.all())
				}
			}
		})
	}
}
