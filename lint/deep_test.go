package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"golang.org/x/sys/unix"
)

// TestDeepTreeReadRelative lints a credential directory 600 levels deep,
// whose path (about 5,400 characters) is longer than the kernel accepts
// in one path (PATH_MAX, 4,096): only a walker that opens each directory
// relative to its parent, and each file relative to its directory, can
// read it. Linting it by path reported every file unreadable
// (ENAMETOOLONG).
func TestDeepTreeReadRelative(t *testing.T) {
	proto := filepath.Join(t.TempDir(), "proto")
	if err := fixtures.GoodSets()["server-ecdsa"](fixtures.New(time.Now()), proto); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	entries, err := os.ReadDir(proto)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if files[e.Name()], err = os.ReadFile(filepath.Join(proto, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	const depth, name = 600, "level-08"
	for i := 0; i < depth; i++ {
		if err := unix.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := unix.Openat(fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	for n, data := range files {
		f, err := unix.Openat(fd, n, unix.O_WRONLY|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := unix.Write(f, data); err != nil {
			t.Fatal(err)
		}
		unix.Close(f)
	}
	unix.Close(fd)
	// The deep tree is removed through descriptors: t.TempDir's
	// os.RemoveAll does that.

	var results []Result
	targets := make(chan Target, 4)
	go func() {
		defer close(targets)
		if err := Walk(root, "", func(t Target) error { targets <- t; return nil }); err != nil {
			panic(err)
		}
	}()
	if err := CheckAll(targets, Options{}, func(r Result) error { results = append(results, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 {
		t.Fatalf("%d objects, want the one at depth %d", len(results), depth)
	}
	r := results[0]
	if len(r.Object) < 4096 || !strings.HasSuffix(r.Object, name) {
		t.Fatalf("object %.80q... (%d characters): want the deep directory, longer than PATH_MAX", r.Object, len(r.Object))
	}
	for _, f := range r.Findings {
		if f.Severity >= Warning {
			t.Errorf("%s: %.200s", f.Rule, f.Message)
		}
	}
}
