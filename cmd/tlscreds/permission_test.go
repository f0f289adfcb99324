package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// nobody is the user the commands run as when the tests run as root.
const nobody = "65534"

// Files and directories the user cannot read (EACCES) get a finding or
// an error that names the path and says why, with the documented exit
// code, and never a stack trace. Root reads any file, and CI runs as
// root: there the commands run as nobody (setpriv), over a tree nobody
// can traverse but whose keys (0600, as tlscreds gen writes them) and
// locked directory (0700) belong to root.
func TestUnreadableInputs(t *testing.T) {
	root := worldReadableDir(t)
	bin := filepath.Join(root, "tlscreds")
	build := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := filepath.Join(root, "tree", "srv")
	if _, err := p.ServerDir().Write(srv, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(root, "tree", "locked")
	if _, err := p.ServerDir().Write(locked, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(root, "tree"), srv} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	asRoot := os.Getuid() == 0
	if asRoot {
		peer.Require(t, "setpriv")
	} else {
		// The owner is not root: take the permissions away instead.
		if err := os.Chmod(filepath.Join(srv, "server-key.pem"), 0); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o700) })
	}
	key := filepath.Join(srv, "server-key.pem")
	password := filepath.Join(root, "password")
	if err := os.WriteFile(password, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"lint a dir with an unreadable key", []string{"lint", srv}, exitFailed,
			[]string{key, "permission denied"}},
		{"lint an unreadable dir", []string{"lint", locked}, exitInternal,
			[]string{locked, "permission denied"}},
		// an unreadable directory met while walking is a finding naming
		// it, and the walk goes on to the others (srv, after locked).
		{"lint -r over a tree with an unreadable dir", []string{"lint", "-r", filepath.Join(root, "tree")}, exitFailed,
			[]string{locked, "object-unreadable", "cannot be listed", "permission denied", srv + " ("}},
		{"inspect a dir with an unreadable key", []string{"inspect", srv}, exitOK,
			[]string{key, "permission denied"}},
		{"export the identity behind an unreadable key", []string{"p12", "export", "--creds", srv, "--endpoint", "server",
			"--out", filepath.Join(root, "out.p12"), "--password-file", password}, exitInternal,
			[]string{key, "permission denied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runAs(t, asRoot, bin, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\n%s", code, tt.code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
				t.Errorf("a stack trace:\n%s", out)
			}
		})
	}
}

// runAs runs bin with args, as nobody when asRoot, and returns its exit
// status and its stdout and stderr together.
func runAs(t *testing.T, asRoot bool, bin string, args ...string) (int, string) {
	t.Helper()
	name := bin
	if asRoot {
		args = append([]string{"--reuid=" + nobody, "--regid=" + nobody, "--clear-groups", bin}, args...)
		name = "setpriv"
	}
	r := peer.Run(t, time.Minute, nil, name, args...)
	return r.Code, r.Output
}

// worldReadableDir is a new directory every user can traverse, removed
// when the test ends (t.TempDir's are 0700).
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tlscreds-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
