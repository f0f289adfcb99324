package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// hostileName is a file name that, printed raw, would retitle the terminal
// (OSC 0), clear it (CSI 2J), return the carriage and forge a hint line,
// with a C1 CSI, a right-to-left override and a byte that is not UTF-8.
const hostileName = "evil\x1b]0;pwned\x07\r\n\x1b[2Jtlscreds: hint: FORGED\u009b1m\u202e\xff"

// TestEscapedOnEveryCommand runs every command over files and directories
// with a hostile name and checks that nothing it prints can drive the
// terminal or forge a line, and that the name is still given (escaped).
func TestEscapedOnEveryCommand(t *testing.T) {
	root := t.TempDir()
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(filepath.Join(root, "pki"), fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(root, hostileName)
	if err := os.Mkdir(evil, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := filepath.Join(evil, "server")
	cli := filepath.Join(root, "pki", "client")
	if err := os.Rename(filepath.Join(root, "pki", "server"), srv); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(root, "pki", "ca")
	cert := filepath.Join(evil, "cert"+hostileName+".pem")
	copyFile(t, filepath.Join(srv, "server-cert.pem"), cert)
	pw := filepath.Join(evil, "pw"+hostileName)
	if err := os.WriteFile(pw, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(evil, "id.p12")
	garbage := filepath.Join(evil, "garbage"+hostileName)
	if err := os.WriteFile(garbage, []byte("not a credential\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(root, "missing"+hostileName)
	esc := lint.Printable(hostileName)
	tests := []struct {
		name  string
		args  []string
		named bool // the output must name the hostile path (escaped)
		code  int  // -1: any
	}{
		{"lint dir", []string{"lint", srv}, true, -1},
		{"lint dir json", []string{"lint", "--format", "json", srv}, false, -1}, // JSON escapes it its own way
		{"inspect dir json", []string{"inspect", "--format", "json", srv}, false, -1},
		{"lint -r", []string{"lint", "-r", root}, true, -1},
		{"lint missing", []string{"lint", missing}, true, -1},
		{"lint --object", []string{"lint", "--object", "tls-creds-x509,id=" + hostileName + ",endpoint=server,dir=" + srv}, true, -1},
		{"lint --libvirt-qemu-conf", []string{"lint", "--libvirt-qemu-conf", garbage}, false, -1},
		{"lint --manifest", []string{"lint", "--manifest", garbage}, true, -1},
		{"inspect dir", []string{"inspect", srv}, true, exitOK},
		{"inspect cert", []string{"inspect", cert}, true, -1},
		{"inspect garbage", []string{"inspect", garbage}, true, -1},
		{"fingerprint cert", []string{"fingerprint", cert}, false, -1},
		{"fingerprint garbage", []string{"fingerprint", garbage}, true, -1},
		{"p12 export", []string{"p12", "export", "--creds", srv, "--endpoint", "server", "--out", p12, "--password-file", pw}, true, exitOK},
		{"inspect p12", []string{"inspect", "--password-file", pw, p12}, true, exitOK},
		{"p12 import garbage", []string{"p12", "import", "--out", filepath.Join(root, "imp"), "--endpoint", "server", "--password-file", pw, garbage}, true, -1},
		{"gen cert bad ca", []string{"gen", "cert", "--ca", missing, "--server", "--out", filepath.Join(root, "gc")}, true, -1},
		{"gen crl revoke garbage", []string{"gen", "crl", "--ca", ca, "--revoke", garbage, "--out", filepath.Join(root, "crl.pem")}, true, -1},
		{"gen pki into a file", []string{"gen", "pki", "--out", garbage}, true, -1},
		{"gen broken unknown", []string{"gen", "broken", "--out", filepath.Join(root, "b"), hostileName}, true, -1},
		{"pair", []string{"pair", "--server", srv, "--client", cli}, false, -1},
		{"pair missing", []string{"pair", "--server", missing, "--client", cli}, true, -1},
		{"pair --manifest", []string{"pair", "--manifest", garbage}, true, -1},
		{"diagnose", []string{"diagnose", "--creds", cli, "--servername", hostileName, "127.0.0.1:1"}, false, -1},
		{"diagnose --ca garbage", []string{"diagnose", "--ca", garbage, "127.0.0.1:1"}, true, -1},
		{"explain", []string{"explain", "certificate " + hostileName + " is not trusted"}, false, -1},
		{"explain key", []string{"explain", string(keyPEM(t, srv))}, false, -1},
		{"explain key in text", []string{"explain", "error: " + string(keyPEM(t, srv))}, false, -1},
		{"rules unknown format", []string{"rules", "--format", hostileName}, true, -1},
		{"unknown command", []string{hostileName}, true, -1},
		{"unknown flag", []string{"lint", "--" + hostileName}, true, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			assertSafeOutput(t, tt.name, r)
			if tt.code >= 0 && r.code != tt.code {
				t.Errorf("exit %d, want %d:\n%s", r.code, tt.code, r.all())
			}
			if tt.named && !strings.Contains(r.all(), esc) {
				t.Errorf("the output does not name the path (escaped as %q):\n%s", esc, r.all())
			}
		})
	}

	t.Run("serve", func(t *testing.T) {
		r := runServeBriefly(t, "serve", "--creds", srv, "--listen", "127.0.0.1:0")
		assertSafeOutput(t, "serve", r)
		if !strings.Contains(r.all(), esc) {
			t.Errorf("serve's listening line does not name the directory:\n%s", r.all())
		}
	})
}

// runServeBriefly starts `tlscreds serve`, waits for its listening line
// and stops it with SIGTERM: the process never outlives the test.
func runServeBriefly(t *testing.T, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.Contains(sc.Text(), "listening on") {
			break
		}
	}
	_ = cmd.Process.Signal(os.Interrupt)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case <-waitErr:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-waitErr
		t.Errorf("serve did not stop on SIGINT")
	}
	return cliResult{code: cmd.ProcessState.ExitCode(), stdout: strings.Join(lines, "\n") + "\n", stderr: stderr.String()}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func keyPEM(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "server-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
