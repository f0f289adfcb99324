package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
)

// WalkWith is [Walk] with extra spec properties for every target (see
// [DirTargetWith]).
//
// It walks as filepath.WalkDir does (lexical order, a directory before
// what it holds, symbolic links not followed; a directory below root that
// cannot be listed is passed to fn as a target with Err set, and the walk
// goes on), but lists each
// directory once, for both the layout detection and the descent: listing
// each directory twice took 4% of linting a tree (docs/performance.md).
//
// Its cost is flat in the shape of the tree: a listing is read in chunks
// and kept as names and types only (a directory of 200,000 entries holds
// about 8 MB while it is walked, not os.ReadDir's 25 MB), and each
// directory is opened relative to its parent's descriptor (openat), and
// its files relative to its own (Target.Dir), so a directory 1,000 levels
// deep costs what one at the top does.
func WalkWith(root string, endpoint creds.Endpoint, extra string, fn func(Target) error) error {
	return WalkSkipping(root, endpoint, extra, fn, nil)
}

// WalkSkipping is [WalkWith] that leaves out the directories a CA issues
// certificates from (gen pki's ca/: a CA certificate and the CA's private
// key, no identity), which no consumer loads, and tells onSkip about each.
// A nil onSkip lints them too.
func WalkSkipping(root string, endpoint creds.Endpoint, extra string, fn func(Target) error, onSkip func(dir, why string)) error {
	info, err := os.Lstat(root)
	if err != nil || !info.IsDir() {
		return err
	}
	n := 0
	var walk func(parent *os.File, name, dir string) error
	walk = func(parent *os.File, name, dir string) error {
		f, err := openDir(parent, name, dir)
		var ents []dirent
		kept := false // f was handed to a target, which closes it
		if err == nil {
			defer func() {
				if !kept {
					f.Close()
				}
			}()
			if ents, err = readDirents(f); err != nil {
				err = &fs.PathError{Op: "readdirent", Path: dir, Err: err}
			}
		}
		if err != nil && dir != root {
			// An unreadable directory below the root is a finding, and
			// the walk goes on, as `find` does (exit status: README.md).
			n++
			return fn(unlistedTarget(fmt.Sprintf("dir%d", n), root, dir, endpoint, err))
		}
		if err != nil {
			return err
		}
		var skip map[string]bool
		present := map[string]bool{}
		for _, e := range ents {
			if layoutNames[e.name] {
				present[e.name] = true
			}
		}
		if hasEntries(ents, "CA", "libvirt") && layout.IsLibvirtPKI(dir) {
			// libvirt's system layout (/etc/pki): CA/ and libvirt/ hold
			// one server and one client identity between them, not a
			// credential directory each.
			for _, t := range libvirtPKITargets(root, dir) {
				if err := fn(t); err != nil {
					return err
				}
			}
			skip = map[string]bool{"CA": true, "libvirt": true}
		} else if det, err := layout.DetectNames(dir, present); err == nil {
			n++
			det.Entries = make([]os.DirEntry, len(ents))
			for i := range ents {
				det.Entries[i] = &ents[i]
			}
			if why := issuingCADir(det, det.Entries); why != "" && onSkip != nil {
				onSkip(dir, why)
			} else {
				t, err := detectedTarget(fmt.Sprintf("dir%d", n), dir, det, endpoint, extra)
				if err != nil {
					return err
				}
				t.Identity = relIdentity(root, dir)
				if filepath.Clean(t.Spec.Dir) == filepath.Clean(dir) {
					if hasSubdirs(ents) {
						t.Dir = dupDir(f)
					} else {
						// Nothing below to open through f: the target
						// takes it (a dup and a close fewer).
						t.Dir, kept = f, true
					}
				}
				if err := fn(t); err != nil {
					return err
				}
			}
		}
		for _, e := range ents {
			// A Kubernetes Secret volume keeps its files in hidden
			// "..TIMESTAMP" directories behind a "..data" link: the
			// volume is one credential directory, not two.
			if e.typ.IsDir() && !strings.HasPrefix(e.name, "..") && !skip[e.name] {
				if err := walk(f, e.name, filepath.Join(dir, e.name)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(nil, root, root)
}

// layoutNames are the file names of every layout: the only names layout
// detection looks at.
var layoutNames = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range layout.All {
		for _, n := range layout.Of(l).Names() {
			m[n] = true
		}
	}
	return m
}()

// openDir opens directory name below parent (by its descriptor, without
// following a link), or dir when there is no parent.
func openDir(parent *os.File, name, dir string) (*os.File, error) {
	if parent == nil {
		return os.Open(dir)
	}
	for {
		fd, err := syscall.Openat(int(parent.Fd()), name, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EMFILE || err == syscall.ENFILE:
			return os.Open(dir) // out of descriptors: by path
		case err != nil:
			return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
		}
		return os.NewFile(uintptr(fd), dir), nil
	}
}

// hasSubdirs says whether a listing holds a directory the walk descends
// into.
func hasSubdirs(ents []dirent) bool {
	for _, e := range ents {
		if e.typ.IsDir() && !strings.HasPrefix(e.name, "..") {
			return true
		}
	}
	return false
}

// dupDir duplicates an open directory's descriptor for the target's
// reader (the walk closes its own when it leaves the directory, which can
// be before the target is checked); nil when out of descriptors, and the
// files are then read by path.
func dupDir(f *os.File) *os.File {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name())
}

// dirent is one entry of a listing: its name and type, the little a
// walk needs of it (an os.DirEntry also holds the parent's path).
type dirent struct {
	name string
	typ  fs.FileMode
	dir  string // the directory, for Info
}

func (d *dirent) Name() string               { return d.name }
func (d *dirent) IsDir() bool                { return d.typ.IsDir() }
func (d *dirent) Type() fs.FileMode          { return d.typ }
func (d *dirent) Info() (fs.FileInfo, error) { return os.Lstat(filepath.Join(d.dir, d.name)) }
func (d *dirent) String() string             { return fs.FormatDirEntry(d) }

// direntChunk is how many entries a listing is read at a time.
const direntChunk = 1024

// readDirents reads f's listing a chunk at a time, sorted by name.
func readDirents(f *os.File) ([]dirent, error) {
	var out []dirent
	for {
		chunk, err := f.ReadDir(direntChunk)
		for _, e := range chunk {
			out = append(out, dirent{name: e.Name(), typ: e.Type(), dir: f.Name()})
		}
		// ReadDir(n) returns fewer than n entries only at the end of the
		// listing: asking again would cost a getdents that returns none.
		if errors.Is(err, io.EOF) || err == nil && len(chunk) < direntChunk {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b dirent) int { return strings.Compare(a.name, b.name) })
	return out, nil
}
