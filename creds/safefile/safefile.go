// Package safefile reads the files tlscreds is given without hanging on
// them or exhausting memory. It is the one reader every entry point uses.
//
// # Two kinds of file
//
// Files found inside credential directories and trees ([Read]) must be
// regular files: a FIFO, device, socket or directory is refused without
// being opened (opening a FIFO for reading blocks until a writer comes),
// and a file larger than the cap is refused without being read.
//
// Files a user names on the command line ([ReadNamed]) may also be "-"
// (standard input) or a pipe, such as bash's <(command); those are read
// with the same size cap and a deadline. Devices (/dev/zero, a terminal,
// a tape) are refused.
//
// Every error is an [*Error] naming the file, with [ErrNotRegular],
// [ErrTooLarge] and [ErrTimeout] for errors.Is.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultMax is the size cap when none is given: 1 MiB. A CA bundle of a
// few hundred certificates stays well under it; libvirt's own cap on a
// certificate file is 64 KiB (virNetTLSContextLoadCACertListFromFile).
const DefaultMax = 1 << 20

// DefaultTimeout bounds the read of standard input or a pipe a user named.
const DefaultTimeout = 10 * time.Second

// StdinName is how errors name standard input ("-").
const StdinName = "standard input"

// Error says what is wrong with one file.
type Error struct {
	Path    string
	Problem string // a sentence fragment: "is a FIFO, not a regular file"
	Err     error  // the cause, when there is one
}

func (e *Error) Error() string {
	if e.Err != nil && e.Problem == "" {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	if e.Err != nil && e.Err != ErrNotRegular && e.Err != ErrTooLarge && e.Err != ErrTimeout {
		// The sentinels are for errors.Is; Problem already says them.
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Problem, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Problem)
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinels for errors.Is on an [*Error].
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
	ErrTimeout    = errors.New("read timed out")
)

// Read reads a regular file of at most max bytes (DefaultMax when max is
// 0). It never opens a FIFO, device or directory, and refuses a larger
// file without reading it. A missing file gives an error for which
// errors.Is(err, fs.ErrNotExist) holds; info is nil then.
func Read(path string, max int64) (data []byte, info fs.FileInfo, err error) {
	return read(path, max, false)
}

// ReadListed is [Read] for a path a directory listing has just shown as a
// regular file (not a link): it spares the stat before the open. The type
// is checked again on the open file, so a file swapped since the listing
// is still refused.
func ReadListed(path string, max int64) (data []byte, info fs.FileInfo, err error) {
	return read(path, max, true)
}

func read(path string, max int64, listedRegular bool) ([]byte, fs.FileInfo, error) {
	if max <= 0 {
		max = DefaultMax
	}
	if !listedRegular {
		info, err := os.Stat(path)
		if err != nil {
			return nil, nil, &Error{Path: path, Err: unwrapPathError(err)}
		}
		if err := checkRegular(path, info, max); err != nil {
			return nil, info, err
		}
	}
	fd, err := openRetrying(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, nil, &Error{Path: path, Err: err}
	}
	return readFD(fd, filepath.Base(path), path, max)
}

// openRetrying runs open again while it is interrupted (EINTR).
func openRetrying(open func() (int, error)) (int, error) {
	for {
		fd, err := open()
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// ReadAt is [Read] of the file name in the open directory dir, opened
// relative to dir's descriptor (openat) rather than by its path, so a
// file 1,000 directories deep costs what one at the top does; path is
// the file's full path, for errors and the returned FileInfo's owner.
// Links are followed, as [Read] follows them. listedRegular is as for
// [ReadListed]; otherwise the file is looked at (fstatat) before it is
// opened, so a FIFO or device is never opened. When the directory's
// descriptor cannot be used, path is read instead.
func ReadAt(dir *os.File, name, path string, max int64, listedRegular bool) (data []byte, info fs.FileInfo, err error) {
	if dir == nil || name == "" || strings.ContainsRune(name, '/') {
		return read(path, max, listedRegular)
	}
	if max <= 0 {
		max = DefaultMax
	}
	dfd := int(dir.Fd())
	if !listedRegular {
		var st unix.Stat_t
		for {
			err = unix.Fstatat(dfd, name, &st, 0)
			if err != unix.EINTR {
				break
			}
		}
		if err != nil {
			return nil, nil, &Error{Path: path, Err: err}
		}
		if err := checkMode(path, statMode(st.Mode), st.Size, max); err != nil {
			return nil, nil, err
		}
	}
	fd, err := openRetrying(func() (int, error) {
		return syscall.Openat(dfd, name, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	})
	switch {
	case err == syscall.EMFILE || err == syscall.ENFILE || err == syscall.EBADF:
		return read(path, max, listedRegular)
	case err != nil:
		return nil, nil, &Error{Path: path, Err: err}
	}
	return readFD(fd, name, path, max)
}

// readFD reads an open regular file (and closes it), checking what was
// opened (the file may have been swapped since it was looked at): fstat,
// one read of the size the file claims plus a byte, and close. An *os.File
// would add a fcntl, a failed registration with the network poller and
// a second read to see EOF, twice the system calls of a small file, and
// a tree's lint spends a third of its time in system calls.
func readFD(fd int, name, path string, max int64) ([]byte, fs.FileInfo, error) {
	defer syscall.Close(fd)
	info := &statInfo{name: name}
	var err error
	for {
		if err = syscall.Fstat(fd, &info.st); err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, nil, &Error{Path: path, Err: err}
	}
	if err := checkRegular(path, info, max); err != nil {
		return nil, info, err
	}
	size := info.st.Size
	data := make([]byte, 0, min(size, max)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		want := cap(data) - len(data)
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, info, &Error{Path: path, Problem: "cannot be read", Err: err}
		}
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return nil, info, tooLarge(path, max)
		}
		// A regular file's read returns less than asked only at its end
		// (a file that grew since the fstat fills the buffer and is read
		// on).
		if n < want {
			return data, info, nil
		}
	}
}

// statInfo is the fs.FileInfo of an fstat, as os.File.Stat makes it
// (Sys is the *syscall.Stat_t).
type statInfo struct {
	name string
	st   syscall.Stat_t
}

func (s *statInfo) Name() string       { return s.name }
func (s *statInfo) Size() int64        { return s.st.Size }
func (s *statInfo) ModTime() time.Time { return time.Unix(s.st.Mtim.Unix()) }
func (s *statInfo) IsDir() bool        { return s.Mode().IsDir() }
func (s *statInfo) Sys() any           { return &s.st }
func (s *statInfo) Mode() fs.FileMode {
	m := fs.FileMode(s.st.Mode&0o777) | statMode(s.st.Mode)
	if s.st.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if s.st.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if s.st.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// statMode is the file type bits of a stat's st_mode as an fs.FileMode.
func statMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

// Named says how [ReadNamed] reads a file a user named.
type Named struct {
	// Stdin is read for "-"; os.Stdin when nil.
	Stdin io.Reader
	// Max is the size cap; DefaultMax when 0.
	Max int64
	// Timeout bounds reading standard input or a pipe; DefaultTimeout
	// when 0.
	Timeout time.Duration
}

// ReadNamed reads a file a user named: a regular file, "-" for standard
// input, or a pipe (a FIFO, bash's <(command)), each of at most o.Max
// bytes; standard input and pipes must reach their end within o.Timeout.
// Directories, sockets and devices are refused without being read (a
// device is not opened at all). Errors name the file, or "standard input".
func ReadNamed(path string, o Named) ([]byte, error) {
	if o.Max <= 0 {
		o.Max = DefaultMax
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if path == "-" {
		return readStdin(o)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Path: path, Err: unwrapPathError(err)}
	}
	if info.Mode()&fs.ModeNamedPipe == 0 {
		data, _, err := read(path, o.Max, false)
		return data, err
	}
	// O_NONBLOCK: opening a FIFO without it waits for a writer, forever.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &Error{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	if info.Mode()&fs.ModeNamedPipe == 0 {
		// Swapped since the stat: read it as what it is now.
		if err := checkRegular(path, info, o.Max); err != nil {
			return nil, err
		}
		data, err := readAtMost(f, info.Size(), o.Max)
		if err != nil {
			return nil, &Error{Path: path, Problem: "cannot be read", Err: err}
		}
		if int64(len(data)) > o.Max {
			return nil, tooLarge(path, o.Max)
		}
		return data, nil
	}
	return readPipe(path, f, o)
}

// readPipe reads a FIFO opened with O_NONBLOCK until every writer has
// closed it, waiting for the first writer to come (a FIFO opened before
// its writer reads as empty), all within o.Timeout.
func readPipe(path string, f *os.File, o Named) ([]byte, error) {
	deadline := time.Now().Add(o.Timeout)
	if err := f.SetReadDeadline(deadline); err != nil {
		return nil, &Error{Path: path, Problem: "cannot be read", Err: err}
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, &Error{Path: path, Problem: "cannot be read", Err: err}
	}
	var data []byte
	buf := make([]byte, 32<<10)
	for {
		var n int
		var rerr error
		eof := false
		err := rc.Read(func(fd uintptr) bool {
			n, rerr = syscall.Read(int(fd), buf)
			if rerr == syscall.EAGAIN {
				return false // a writer, no data yet: wait
			}
			if n == 0 && rerr == nil {
				// No writer. Linux reports POLLHUP only once a writer
				// has come and gone (pipe_poll); before that, wait.
				if hungUp(int(fd)) {
					eof = true
					return true
				}
				return false
			}
			return true
		})
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, &Error{Path: path, Problem: fmt.Sprintf("is a pipe that did not reach its end within %s; refusing to wait longer", o.Timeout), Err: ErrTimeout}
		}
		if err == nil {
			err = rerr
		}
		if err != nil {
			return nil, &Error{Path: path, Problem: "cannot be read", Err: err}
		}
		data = append(data, buf[:n]...)
		if int64(len(data)) > o.Max {
			return nil, tooLarge(path, o.Max)
		}
		if eof {
			return data, nil
		}
	}
}

// hungUp says whether poll(2) reports POLLHUP on fd now.
func hungUp(fd int) bool {
	p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(p, 0)
		if err == unix.EINTR {
			continue
		}
		return err == nil && n > 0 && p[0].Revents&unix.POLLHUP != 0
	}
}

// readStdin reads standard input within o.Timeout, refusing a device (a
// terminal: nobody is typing a certificate) and a directory.
func readStdin(o Named) ([]byte, error) {
	r := o.Stdin
	if r == nil {
		r = os.Stdin
	}
	if f, ok := r.(*os.File); ok {
		if info, err := f.Stat(); err == nil {
			m := info.Mode()
			switch {
			case m&fs.ModeDevice != 0:
				return nil, &Error{Path: StdinName, Problem: "is a device (a terminal?), not a file or pipe; refusing to read it", Err: ErrNotRegular}
			case m.IsDir():
				return nil, &Error{Path: StdinName, Problem: "is a directory, not a file or pipe", Err: ErrNotRegular}
			case m.IsRegular() && info.Size() > o.Max:
				return nil, tooLarge(StdinName, o.Max)
			}
		}
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		// The goroutine outlives a timeout, blocked on a read nobody can
		// interrupt portably; the process is about to report and exit.
		data, err := io.ReadAll(io.LimitReader(r, o.Max+1))
		done <- result{data, err}
	}()
	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.err != nil {
			return nil, &Error{Path: StdinName, Problem: "cannot be read", Err: res.err}
		}
		if int64(len(res.data)) > o.Max {
			return nil, tooLarge(StdinName, o.Max)
		}
		return res.data, nil
	case <-timer.C:
		return nil, &Error{Path: StdinName, Problem: fmt.Sprintf("did not reach its end within %s; refusing to wait longer", o.Timeout), Err: ErrTimeout}
	}
}

func tooLarge(path string, max int64) error {
	return &Error{Path: path, Problem: fmt.Sprintf("is larger than %s; refusing to read it", sizeText(max)), Err: ErrTooLarge}
}

func sizeText(max int64) string {
	if max >= 1<<10 && max%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", max>>10)
	}
	return fmt.Sprintf("%d bytes", max)
}

func checkRegular(path string, info fs.FileInfo, max int64) error {
	return checkMode(path, info.Mode(), info.Size(), max)
}

func checkMode(path string, m fs.FileMode, size, max int64) error {
	switch {
	case m.IsRegular():
		if size > max {
			return &Error{Path: path, Problem: fmt.Sprintf("is %d bytes, larger than %s; refusing to read it", size, sizeText(max)), Err: ErrTooLarge}
		}
		return nil
	case m.IsDir():
		return &Error{Path: path, Problem: "is a directory, not a regular file", Err: ErrNotRegular}
	case m&fs.ModeNamedPipe != 0:
		return &Error{Path: path, Problem: "is a FIFO, not a regular file; refusing to read it", Err: ErrNotRegular}
	case m&fs.ModeSocket != 0:
		return &Error{Path: path, Problem: "is a socket, not a regular file", Err: ErrNotRegular}
	case m&fs.ModeDevice != 0:
		return &Error{Path: path, Problem: "is a device, not a regular file; refusing to read it", Err: ErrNotRegular}
	}
	return &Error{Path: path, Problem: "is not a regular file", Err: ErrNotRegular}
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
