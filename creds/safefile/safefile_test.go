package safefile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/safefile"
)

// within runs f and fails the test if it has not returned after limit:
// a hang is reported, not waited for.
func within(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("still reading after %s: the reader hangs", limit)
	}
}

func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostile makes the files no entry point may hang or balloon on.
func hostile(t *testing.T) map[string]string {
	dir := t.TempDir()
	sparse := filepath.Join(dir, "huge.pem")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil { // 2 GiB, sparse
		t.Fatal(err)
	}
	f.Close()
	loop := filepath.Join(dir, "loop.pem")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"fifo":   mkfifo(t, dir, "fifo.pem"),
		"device": "/dev/zero",
		"sparse": sparse,
		"loop":   loop,
		"dir":    dir,
	}
}

func TestReadRefuses(t *testing.T) {
	want := map[string]error{
		"fifo":   safefile.ErrNotRegular,
		"device": safefile.ErrNotRegular,
		"sparse": safefile.ErrTooLarge,
		"loop":   syscall.ELOOP,
		"dir":    safefile.ErrNotRegular,
	}
	for name, path := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			for _, read := range []func(string, int64) ([]byte, fs.FileInfo, error){safefile.Read, safefile.ReadListed, readAt(t, false), readAt(t, true)} {
				var err error
				within(t, 10*time.Second, func() { _, _, err = read(path, 0) })
				if !errors.Is(err, want[name]) || !strings.HasPrefix(err.Error(), path+": ") {
					t.Errorf("error %v, want %v naming %s", err, want[name], path)
				}
			}
		})
	}
}

// readAt reads a path with safefile.ReadAt, relative to its directory
// opened beforehand.
func readAt(t *testing.T, listedRegular bool) func(string, int64) ([]byte, fs.FileInfo, error) {
	return func(path string, max int64) ([]byte, fs.FileInfo, error) {
		dir, err := os.Open(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		defer dir.Close()
		return safefile.ReadAt(dir, filepath.Base(path), path, max, listedRegular)
	}
}

// TestReadAtIsRelative reads files through their directory's descriptor:
// after the directory has moved, its old path names nothing, and ReadAt
// still reads its files (a link among them is followed), reports a
// missing one as missing, and keeps the size cap.
func TestReadAtIsRelative(t *testing.T) {
	root := t.TempDir()
	old := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "ca-cert.pem"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ca-cert.pem", filepath.Join(old, "link.pem")); err != nil {
		t.Fatal(err)
	}
	dir, err := os.Open(old)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if err := os.Rename(filepath.Join(root, "a"), filepath.Join(root, "moved")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ca-cert.pem", "link.pem"} {
		for _, listed := range []bool{false, true} {
			data, info, err := safefile.ReadAt(dir, name, filepath.Join(old, name), 0, listed)
			if err != nil || string(data) != "hello" || info.Size() != 5 {
				t.Errorf("ReadAt(%s, listed %v) = %q, %v, %v", name, listed, data, info, err)
			}
		}
	}
	if _, _, err := safefile.Read(filepath.Join(old, "ca-cert.pem"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the old path still reads (%v): the test proves nothing", err)
	}
	missing := filepath.Join(old, "missing.pem")
	if _, _, err := safefile.ReadAt(dir, "missing.pem", missing, 0, false); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), missing+": ") {
		t.Errorf("missing: %v", err)
	}
	if _, _, err := safefile.ReadAt(dir, "ca-cert.pem", filepath.Join(old, "ca-cert.pem"), 4, true); !errors.Is(err, safefile.ErrTooLarge) {
		t.Errorf("capped: %v", err)
	}
}

func TestReadNamedRefuses(t *testing.T) {
	want := map[string]error{
		"fifo":   safefile.ErrTimeout, // nobody writes to it
		"device": safefile.ErrNotRegular,
		"sparse": safefile.ErrTooLarge,
		"loop":   syscall.ELOOP,
		"dir":    safefile.ErrNotRegular,
	}
	for name, path := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			var err error
			within(t, 10*time.Second, func() {
				_, err = safefile.ReadNamed(path, safefile.Named{Timeout: 200 * time.Millisecond})
			})
			if !errors.Is(err, want[name]) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("error %v, want %v naming %s", err, want[name], path)
			}
		})
	}
}

func TestReadSmallAndCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, info, err := safefile.Read(path, 0); err != nil || string(data) != "hello" || info.Size() != 5 {
		t.Errorf("Read = %q, %v, %v", data, info, err)
	}
	if data, err := safefile.ReadNamed(path, safefile.Named{}); err != nil || string(data) != "hello" {
		t.Errorf("ReadNamed = %q, %v", data, err)
	}
	_, _, err := safefile.Read(path, 4)
	if !errors.Is(err, safefile.ErrTooLarge) || err.Error() != path+": is 5 bytes, larger than 4 bytes; refusing to read it" {
		t.Errorf("capped: %v", err)
	}
	if _, _, err := safefile.Read(filepath.Join(t.TempDir(), "missing"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// A FIFO a user names is read once its writer has written and gone, even
// when the writer opens it after the reader did.
func TestReadNamedPipe(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		max  int64
		want error
	}{
		{"data", []byte("-----BEGIN CERTIFICATE-----\n"), 0, nil},
		{"empty", nil, 0, nil},
		{"large", bytes.Repeat([]byte("x"), 200<<10), 0, nil},
		{"over the cap", bytes.Repeat([]byte("x"), 100), 64, safefile.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := mkfifo(t, t.TempDir(), "p")
			wrote := make(chan error, 1)
			go func() {
				time.Sleep(50 * time.Millisecond) // the reader opens first
				f, err := os.OpenFile(path, os.O_WRONLY, 0)
				if err != nil {
					wrote <- err
					return
				}
				_, err = f.Write(tc.data)
				f.Close()
				wrote <- err
			}()
			var data []byte
			var err error
			within(t, 20*time.Second, func() {
				data, err = safefile.ReadNamed(path, safefile.Named{Max: tc.max, Timeout: 10 * time.Second})
			})
			if tc.want != nil {
				if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), path+": ") {
					t.Errorf("error %v, want %v naming the file", err, tc.want)
				}
				return // the writer may be blocked on a full pipe; its goroutine ends with the test binary
			}
			if err != nil || !bytes.Equal(data, tc.data) {
				t.Errorf("ReadNamed = %d bytes, %v; want %d bytes", len(data), err, len(tc.data))
			}
			if err := <-wrote; err != nil {
				t.Error(err)
			}
		})
	}
}

func TestReadNamedStdin(t *testing.T) {
	data, err := safefile.ReadNamed("-", safefile.Named{Stdin: strings.NewReader("text")})
	if err != nil || string(data) != "text" {
		t.Errorf("stdin = %q, %v", data, err)
	}
	_, err = safefile.ReadNamed("-", safefile.Named{Stdin: strings.NewReader("too long"), Max: 4})
	if !errors.Is(err, safefile.ErrTooLarge) || err.Error() != "standard input: is larger than 4 bytes; refusing to read it" {
		t.Errorf("capped stdin: %v", err)
	}
	r, w := io.Pipe()
	defer w.Close()
	within(t, 10*time.Second, func() {
		_, err = safefile.ReadNamed("-", safefile.Named{Stdin: r, Timeout: 100 * time.Millisecond})
	})
	if !errors.Is(err, safefile.ErrTimeout) || !strings.HasPrefix(err.Error(), "standard input: ") {
		t.Errorf("silent stdin: %v", err)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	within(t, 10*time.Second, func() { _, err = safefile.ReadNamed("-", safefile.Named{Stdin: zero}) })
	if !errors.Is(err, safefile.ErrNotRegular) || !strings.HasPrefix(err.Error(), "standard input: is a device") {
		t.Errorf("device on stdin: %v", err)
	}
}

// TestReadAtInfo: the FileInfo ReadAt and Read build from their own fstat
// says what os.Stat says (mode bits, size, time, owner and inode through Sys), and
// files of every size up to the cap read whole.
func TestReadAtInfo(t *testing.T) {
	root := t.TempDir()
	dir, err := os.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	for i, c := range []struct {
		size int
		mode fs.FileMode
	}{{0, 0o600}, {1, 0o644}, {4095, 0o640 | fs.ModeSetgid}, {4096, 0o755 | fs.ModeSetuid}, {70000, 0o600 | fs.ModeSticky}, {1 << 20, 0o400}} {
		name := fmt.Sprintf("f%d", i)
		path := filepath.Join(root, name)
		want := bytes.Repeat([]byte{byte('a' + i)}, c.size)
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, c.mode); err != nil {
			t.Fatal(err)
		}
		osInfo, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		readers := []func() ([]byte, fs.FileInfo, error){
			func() ([]byte, fs.FileInfo, error) { return safefile.ReadAt(dir, name, path, 0, false) },
			func() ([]byte, fs.FileInfo, error) { return safefile.ReadAt(dir, name, path, 0, true) },
			func() ([]byte, fs.FileInfo, error) { return safefile.Read(path, 0) },
			func() ([]byte, fs.FileInfo, error) { return safefile.ReadListed(path, 0) },
		}
		for _, read := range readers {
			data, info, err := read()
			if err != nil || !bytes.Equal(data, want) {
				t.Fatalf("%s: read %d bytes, %v; want %d", name, len(data), err, c.size)
			}
			if info.Name() != osInfo.Name() || info.Size() != osInfo.Size() || info.Mode() != osInfo.Mode() ||
				!info.ModTime().Equal(osInfo.ModTime()) || info.IsDir() {
				t.Errorf("%s: info %v %d %v %v, os.Stat %v %d %v %v", name, info.Name(), info.Size(), info.Mode(), info.ModTime(),
					osInfo.Name(), osInfo.Size(), osInfo.Mode(), osInfo.ModTime())
			}
			st, ok := info.Sys().(*syscall.Stat_t)
			ost := osInfo.Sys().(*syscall.Stat_t)
			if !ok || st.Ino != ost.Ino || st.Uid != ost.Uid || st.Dev != ost.Dev {
				t.Errorf("%s: Sys() = %#v, want os.Stat's", name, info.Sys())
			}
		}
	}
	if _, _, err := safefile.ReadAt(dir, "f5", filepath.Join(root, "f5"), 1<<20-1, true); !errors.Is(err, safefile.ErrTooLarge) {
		t.Errorf("one byte over the cap: %v", err)
	}
}
