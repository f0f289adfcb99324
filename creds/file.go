package creds

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxFileSize is the largest credential file tlscreds reads. Larger files
// are refused without being read whole (libvirt's own cap is 64 KiB; a CA
// bundle of a few hundred certificates stays well under 1 MiB).
const MaxFileSize = 1 << 20

// FileError says what is wrong with one credential file.
type FileError struct {
	Path    string
	Problem string // a sentence fragment: "is a FIFO, not a regular file"
	Err     error  // the cause, when there is one
}

func (e *FileError) Error() string {
	if e.Err != nil && e.Problem == "" {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	if e.Err != nil && e.Err != ErrNotRegular && e.Err != ErrTooLarge {
		// The sentinels are for errors.Is; Problem already says them.
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Problem, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Problem)
}

func (e *FileError) Unwrap() error { return e.Err }

// Sentinels for errors.Is on a [FileError].
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// readFile reads a credential file safely: it never opens a FIFO, device
// or directory (opening a FIFO would block), and refuses files larger than
// MaxFileSize without reading them. A missing file gives an error for which
// errors.Is(err, fs.ErrNotExist) holds; info is nil then.
func readFile(path string) ([]byte, fs.FileInfo, error) { return readFileMax(path, MaxFileSize, false) }

// readFileMax is readFile with another size cap. listedRegular says a
// directory listing already showed path as a regular file (not a link),
// which spares the stat before the open; the type is checked again on the
// open file either way.
func readFileMax(path string, max int64, listedRegular bool) ([]byte, fs.FileInfo, error) {
	if !listedRegular {
		info, err := os.Stat(path)
		if err != nil {
			return nil, nil, &FileError{Path: path, Err: unwrapPathError(err)}
		}
		if err := checkRegularFile(path, info, max); err != nil {
			return nil, info, err
		}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, &FileError{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	// The file may have been swapped since it was listed: check what was
	// opened.
	info, err := f.Stat()
	if err != nil {
		return nil, nil, &FileError{Path: path, Err: err}
	}
	if err := checkRegularFile(path, info, max); err != nil {
		return nil, info, err
	}
	data, err := readAtMost(f, info.Size(), max)
	if err != nil {
		return nil, info, &FileError{Path: path, Problem: "cannot be read", Err: err}
	}
	if int64(len(data)) > max {
		return nil, info, &FileError{Path: path, Problem: fmt.Sprintf("is larger than %d KiB; refusing to read it", max>>10), Err: ErrTooLarge}
	}
	return data, info, nil
}

func checkRegularFile(path string, info fs.FileInfo, max int64) error {
	m := info.Mode()
	switch {
	case m.IsRegular():
		if info.Size() > max {
			return &FileError{Path: path, Problem: fmt.Sprintf("is %d bytes, larger than %d KiB; refusing to read it", info.Size(), max>>10), Err: ErrTooLarge}
		}
		return nil
	case m.IsDir():
		return &FileError{Path: path, Problem: "is a directory, not a regular file", Err: ErrNotRegular}
	case m&fs.ModeNamedPipe != 0:
		return &FileError{Path: path, Problem: "is a FIFO, not a regular file; refusing to read it", Err: ErrNotRegular}
	case m&fs.ModeSocket != 0:
		return &FileError{Path: path, Problem: "is a socket, not a regular file", Err: ErrNotRegular}
	case m&fs.ModeDevice != 0:
		return &FileError{Path: path, Problem: "is a device, not a regular file; refusing to read it", Err: ErrNotRegular}
	}
	return &FileError{Path: path, Problem: "is not a regular file", Err: ErrNotRegular}
}

// unwrapPathError drops the *fs.PathError wrapper, whose text repeats the
// path, keeping the errno (so "no such file or directory" reads once).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readAtMost reads f to its end, or to max+1 bytes, with a buffer of the
// size the file claims, so a small file costs one read and the one that
// sees EOF (as os.ReadFile does).
func readAtMost(f *os.File, size, max int64) ([]byte, error) {
	data := make([]byte, 0, min(size, max)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return data, nil
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
}
