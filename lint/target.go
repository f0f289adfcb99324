package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/keyval"
	"github.com/tlscreds/tlscreds/creds/layout"
)

// Target is one object to lint: a spec, and the password of its
// passwordid when it has one.
type Target struct {
	Spec     *creds.Spec
	Password []byte
	// Note says how the target was found (layout and endpoint detection).
	Note string
	// Entries is the directory's listing when the target was found by
	// listing it, so it is not listed again.
	Entries []os.DirEntry
	// Identity is the object's stable identity (docs/ci.md, fingerprints):
	// empty means the spec's id. Walk sets the path relative to its
	// root, DirTarget the path as given.
	Identity string
	// SecretUUID is the libvirt secret (qemu.conf *_tls_x509_secret_uuid)
	// libvirt decrypts the object's key with: an encrypted key is then
	// expected, and tlscreds, which cannot read the secret, says which
	// one the key needs.
	SecretUUID string
	// Path is shown for an object that has no directory (dir=), such as
	// a libvirt host's identity spread over /etc/pki.
	Path string
	// Profile and Libvirt, when set, replace the options' profile and
	// libvirt settings for this target (a libvirt host's objects are
	// linted in the libvirt profile whatever the others are).
	Profile Profile
	Libvirt *LibvirtSettings
	// Files holds the object's files in memory, for objects that are
	// not directories (a Kubernetes Secret from a manifest); see
	// creds.ReadOptions.Files.
	Files map[string][]byte
	// Dir, when set, is the object's directory, open (a duplicate of the
	// descriptor the walker listed it with): its files are opened
	// relative to it (creds.ReadOptions.Dir). Checking the target closes
	// it.
	Dir *os.File
	// Err, when set, is why the target could not even be listed (a
	// directory met while walking a tree): it is reported as an
	// object-unreadable finding naming the directory.
	Err error
}

// DirTarget makes a target for a credential directory: the layout is
// detected from the file names and, when endpoint is empty, so is the
// endpoint (see [layout.Detection]). An empty id names the object by its
// path.
func DirTarget(id, dir string, endpoint creds.Endpoint) (Target, error) {
	return DirTargetWith(id, dir, endpoint, "")
}

// DirTargetWith is [DirTarget] with extra spec properties appended, such
// as "verify-peer=off".
func DirTargetWith(id, dir string, endpoint creds.Endpoint, extra string) (Target, error) {
	info, err := os.Stat(dir)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Target{}, fmt.Errorf("%s: %w", dir, err)
	}
	if !info.IsDir() {
		return Target{}, fmt.Errorf("%s: not a directory (lint takes credential directories or --object specs)", dir)
	}
	d, err := layout.Detect(dir)
	if err != nil {
		return Target{}, err
	}
	t, err := detectedTarget(id, dir, d, endpoint, extra)
	t.Identity = dir
	return t, err
}

// detectedTarget makes the target of a directory whose layout is known.
func detectedTarget(id, dir string, d layout.Detection, endpoint creds.Endpoint, extra string) (Target, error) {
	how := "given"
	if endpoint == "" {
		endpoint, how = creds.Endpoint(d.Endpoint), "detected"
	}
	if id == "" {
		// QEMU ids cannot hold a path: the spec gets a placeholder, the
		// reports the identity (the path).
		id = "dir"
	}
	text := keyval.Object(string(creds.KindX509), "id", id, "endpoint", string(endpoint), "layout", string(d.Layout), "dir", dir)
	if extra != "" {
		text += "," + extra
	}
	sp, _, err := creds.ParseSpec(text)
	if err != nil {
		return Target{}, err
	}
	return Target{Spec: sp, Entries: d.Entries, Note: fmt.Sprintf("%s layout (%s), %s endpoint %s", d.Layout, d.Reason, endpoint, how)}, nil
}

// Walk calls fn for every credential directory below root, in lexical
// order, without holding the tree in memory. A directory counts when it
// holds a file name of a known layout.
func Walk(root string, endpoint creds.Endpoint, fn func(Target) error) error {
	return WalkWith(root, endpoint, "", fn)
}

// unlistedTarget is the target of a directory that could not be listed.
func unlistedTarget(id, root, dir string, endpoint creds.Endpoint, err error) Target {
	if endpoint == "" {
		endpoint = creds.EndpointServer
	}
	sp, perr := creds.NewSpec(creds.KindX509, id, "endpoint", string(endpoint), "dir", dir)
	if perr != nil {
		sp = &creds.Spec{Kind: creds.KindX509, ID: id, Endpoint: endpoint, Dir: dir}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return Target{Spec: sp, Identity: relIdentity(root, dir), Note: "met while walking; not listable",
		Err: fmt.Errorf("%s: the directory cannot be listed, so whether it holds credentials is unknown: %w", dir, err)}
}

// relIdentity is the identity of a directory found below root: its path
// relative to root, with forward slashes ("." for root itself).
func relIdentity(root, dir string) string {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return dir
	}
	return filepath.ToSlash(rel)
}

// hasEntries reports whether a listing holds directories of all names.
func hasEntries(entries []dirent, names ...string) bool {
	found := 0
	for _, e := range entries {
		for _, n := range names {
			if e.name == n && e.typ.IsDir() {
				found++
			}
		}
	}
	return found == len(names)
}

// issuingCADir says why a directory is a CA's own, not an endpoint's
// credentials: it holds a CA private key and, of the credential names,
// only the CA certificate. "" when it is not.
func issuingCADir(det layout.Detection, entries []os.DirEntry) string {
	f := layout.Of(det.Layout)
	for _, m := range det.Matched {
		if m != f.CA {
			return ""
		}
	}
	for _, e := range entries {
		if slices.Contains(caKeyNames, e.Name()) {
			return fmt.Sprintf("a CA's own directory (%s and %s, no server or client identity); name it to lint it as credentials", f.CA, e.Name())
		}
	}
	return ""
}
