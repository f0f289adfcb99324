package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// Walk lists each directory once; it must find what filepath.WalkDir with
// layout.Detect finds, in the same order: nested credential directories,
// directories below one without credentials, not through symbolic links.
func TestWalkFindsWhatWalkDirFinds(t *testing.T) {
	p, err := gen.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	write := func(rel string, d fixtures.Dir, l layout.Name) {
		if _, err := d.Write(filepath.Join(root, rel), l, true); err != nil {
			t.Fatal(err)
		}
	}
	write("b-server", p.ServerDir(), layout.QEMU)
	write("b-server/nested-client", p.ClientDir(0), layout.QEMU)
	write("a-plain/deeper/libvirt", p.ServerDir(), layout.Libvirt)
	write("c-kube", p.ServerDir(), layout.Kubernetes)
	if err := os.WriteFile(filepath.Join(root, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "b-server"), filepath.Join(root, "d-link")); err != nil {
		t.Fatal(err)
	}

	var want []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if _, derr := layout.Detect(path); d.IsDir() && derr == nil {
			want = append(want, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := Walk(root, creds.EndpointServer, func(tg Target) error {
		got = append(got, tg.Spec.Dir)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 4 || !slices.Equal(got, want) {
		t.Errorf("Walk found\n  %q\nfilepath.WalkDir finds\n  %q", got, want)
	}

	stop := errors.New("stop")
	calls := 0
	if err := Walk(root, creds.EndpointServer, func(Target) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("an error from fn: Walk returned %v after %d calls, want it after 1", err, calls)
	}
	if err := Walk(filepath.Join(root, "missing"), creds.EndpointServer, func(Target) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing root: %v, want a not-exist error", err)
	}
	if err := Walk(filepath.Join(root, "notes.txt"), creds.EndpointServer, func(Target) error { t.Error("a file root gave a target"); return nil }); err != nil {
		t.Errorf("a file as root: %v, want nothing found and no error", err)
	}
}

// TestWalkWideDirectory: listings read a chunk at a time lose nothing at
// a chunk's edge (entries a multiple of the chunk, and one more).
func TestWalkWideDirectory(t *testing.T) {
	p, err := gen.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{direntChunk, 2 * direntChunk, 2*direntChunk + 1} {
		root := t.TempDir()
		var want []string
		for i := range n {
			dir := filepath.Join(root, fmt.Sprintf("d%05d", i))
			if i%700 == 0 || i == n-1 {
				if _, err := p.ServerDir().Write(dir, layout.QEMU, true); err != nil {
					t.Fatal(err)
				}
				want = append(want, dir)
			} else if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		if err := Walk(root, creds.EndpointServer, func(tg Target) error {
			got = append(got, tg.Spec.Dir)
			if tg.Dir != nil {
				tg.Dir.Close()
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d entries: Walk found %q, want %q", n, got, want)
		}
	}
}
