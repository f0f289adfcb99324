package creds

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/creds/safefile"
)

// FileRole is what a file is for in a credential object.
type FileRole string

// File roles.
const (
	RoleCA   FileRole = "ca"
	RoleCRL  FileRole = "crl"
	RoleCert FileRole = "cert"
	RoleKey  FileRole = "key"
	RoleDH   FileRole = "dh-params"
	RolePSK  FileRole = "psk"
	RoleP12  FileRole = "p12"
)

// BaseIdentity is the Index of the unnumbered identity (server-cert.pem).
const BaseIdentity = -1

// File is one credential file of an object, read and parsed once. Err
// says why it could not be read or parsed; the parsed fields are set only
// when Err is nil.
type File struct {
	Role FileRole
	// Endpoint and Index place cert and key files: Index is BaseIdentity
	// for server-cert.pem, N for server-cert-N.pem.
	Endpoint Endpoint
	Index    int
	Path     string
	Required bool
	Present  bool        // the name exists (whatever it is)
	Info     fs.FileInfo // nil when absent
	Data     []byte      // nil when absent or refused
	Err      error

	Certs []*x509.Certificate // RoleCA, RoleCert, RoleP12 (leaf first)
	// Key is the private key (RoleKey, RoleP12); nil when the material was
	// read with ReadOptions.PublicKeysOnly. PublicKey is always set for a
	// key that parsed.
	Key       crypto.Signer
	PublicKey crypto.PublicKey
	KeyInfo   privkey.Info // RoleKey
	CRL       *x509.RevocationList
	DH        *DHParams
	PSK       *PSKFile
	// PEMNotes says what is unusual in a PEM file that parsed: accepted by
	// GnuTLS (and so by QEMU and libvirt), but not what other readers or
	// a person expect (see package gnutlspem).
	PEMNotes []string
	// GoRefuses says, per certificate, why Go's crypto/x509 cannot parse
	// a certificate GnuTLS loads (see [GoRefusesError]); Certs then holds
	// it as read by the lenient path.
	GoRefuses []string
}

// Material is everything read from an object's files, with a problem per
// file rather than a first error: what lint checks and what [Load] builds
// an [Object] from.
type Material struct {
	Spec         *Spec
	Layout       layout.Name
	LayoutReason string // how the layout was chosen, for layout=auto
	Files        []*File
	// Digest is the SHA-256 of every file's path and content, so that a
	// reload can tell whether anything changed.
	Digest [32]byte

	publicOnly bool
	// listed is the directory's listing the files were read by (see
	// ReadOptions.listing); nil when it was not listed.
	listed map[string]fs.FileMode
}

// Listed reports whether the object's directory held an entry called
// name when the material was read. known is false when the directory was
// not listed (no dir=, or it could not be listed); ask the file system
// then.
func (m *Material) Listed(name string) (present, known bool) {
	if m.listed == nil {
		return false, false
	}
	_, present = m.listed[m.path(name)]
	return present, true
}

// Read reads and parses every file spec names, by its endpoint, as QEMU
// would look for them. password decrypts private keys (nil for none). The
// error is about the object as a whole (an unknown layout, a directory that
// cannot be listed); problems with single files are in [File.Err].
func Read(sp *Spec, password []byte) (*Material, error) {
	return ReadWith(sp, password, ReadOptions{})
}

// ReadOptions control [ReadWith].
type ReadOptions struct {
	// PublicKeysOnly checks private keys for structure and keeps only
	// their public half (see privkey.ParsePublic): enough to lint them,
	// ten times cheaper for RSA, but such material cannot [Build] an
	// object.
	PublicKeysOnly bool
	// Entries, when set, is the listing of the object's directory made
	// by the caller (layout.Detect makes one), so it is not listed twice.
	Entries []fs.DirEntry
	// OmitAbsent leaves out the entries of optional files that do not
	// exist (a CRL, DH parameters, numbered identities whose cert and key
	// are both missing), which a linter of many directories need not
	// allocate; PlannedPaths still lists them.
	OmitAbsent bool
	// Files, when set, holds the object's files in memory, keyed by the
	// path the spec gives each (dir + "/" + name): nothing is read from
	// disk and a path missing from the map is absent. A Kubernetes Secret
	// read from a manifest (package kubesecret) is read this way.
	Files map[string][]byte
	// Dir, when set, is the spec's directory, open: the files in it are
	// opened relative to its descriptor (openat) instead of by their full
	// path, so that a directory deep in a tree costs no more to read than
	// one at the top (lint's walker passes the descriptor it listed the
	// directory with). The file policy is [safefile.ReadAt]'s, the same
	// as by path. ReadWith does not close it.
	Dir *os.File
}

// listing maps the paths (as Material.path builds them) of the entries of
// a credential directory to their type, so that the many optional names a
// layout knows cost no system call each when absent, and regular files no
// stat before they are opened. It returns nil when the directory cannot be
// listed; every file is then looked up on its own.
func (o ReadOptions) listing(dir string) map[string]fs.FileMode {
	if dir == "" {
		return nil
	}
	entries := o.Entries
	if entries == nil {
		var err error
		if entries, err = os.ReadDir(dir); err != nil {
			return nil
		}
	}
	out := make(map[string]fs.FileMode, len(entries))
	for _, e := range entries {
		out[dir+string(filepath.Separator)+e.Name()] = e.Type()
	}
	return out
}

// ReadWith is [Read] with options.
func ReadWith(sp *Spec, password []byte, o ReadOptions) (*Material, error) {
	m := &Material{Spec: sp, publicOnly: o.PublicKeysOnly}
	if err := m.chooseLayout(); err != nil {
		return nil, err
	}
	if o.Files != nil {
		m.readMemory(password, o)
		return m, nil
	}
	listed := o.listing(sp.Dir)
	m.listed = listed
	for _, f := range m.plan() {
		m.Files = append(m.Files, f)
		typ, ok := listed[f.Path]
		if listed != nil && !ok && filepath.Dir(f.Path) == filepath.Clean(sp.Dir) {
			continue // not in the directory: absent, no need to look
		}
		f.readIn(o.Dir, sp.Dir, password, o.PublicKeysOnly, ok && typ.IsRegular())
	}
	if sp.P12 != "" {
		m.readP12(password)
	}
	if o.OmitAbsent {
		m.omitAbsent()
	}
	m.digest()
	return m, nil
}

// readMemory is ReadWith over ReadOptions.Files.
func (m *Material) readMemory(password []byte, o ReadOptions) {
	m.listed = map[string]fs.FileMode{}
	for p := range o.Files {
		if filepath.Dir(p) == filepath.Clean(m.Spec.Dir) {
			m.listed[p] = 0
		}
	}
	for _, f := range m.plan() {
		m.Files = append(m.Files, f)
		data, ok := o.Files[f.Path]
		if !ok {
			continue
		}
		if max := maxSize(f.Role); int64(len(data)) > max {
			f.Present, f.Err = true, &FileError{Path: f.Path, Problem: fmt.Sprintf("is larger than %d KiB; refusing to read it", max>>10), Err: ErrTooLarge}
			continue
		}
		f.Present, f.Data = true, data
		if err := f.parse(password, o.PublicKeysOnly); err != nil {
			f.Err = &FileError{Path: f.Path, Err: err}
		}
	}
	if o.OmitAbsent {
		m.omitAbsent()
	}
	m.digest()
}

func (m *Material) digest() {
	h := sha256.New()
	for _, f := range m.Files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Path, len(f.Data))
		h.Write(f.Data)
	}
	copy(m.Digest[:], h.Sum(nil))
}

func (m *Material) chooseLayout() error {
	sp := m.Spec
	switch sp.Layout {
	case "", "qemu":
		m.Layout = layout.QEMU
	case "auto":
		if sp.Dir == "" {
			return fmt.Errorf("object %s: layout=auto needs dir", sp.ID)
		}
		d, err := layout.Detect(sp.Dir)
		if err != nil {
			return fmt.Errorf("object %s: %w", sp.ID, err)
		}
		m.Layout, m.LayoutReason = d.Layout, fmt.Sprintf("layout %s detected (%s)", d.Layout, d.Reason)
	default:
		l, err := layout.Parse(sp.Layout)
		if err != nil {
			return fmt.Errorf("object %s: %w", sp.ID, err)
		}
		m.Layout = l
	}
	return nil
}

// path joins dir and name as QEMU does: dir + "/" + name, no cleaning.
func (m *Material) path(name string) string {
	if m.Spec.Dir == "" {
		return name
	}
	return m.Spec.Dir + string(filepath.Separator) + name
}

// explicit returns the spec's explicit file for a role, or the layout's.
func (m *Material) pick(explicit, name string) string {
	if explicit != "" {
		return explicit
	}
	if m.Spec.Dir == "" || name == "" {
		return ""
	}
	return m.path(name)
}

// plan lists the files to read, in QEMU's order.
func (m *Material) plan() []*File {
	sp, names := m.Spec, layout.Of(m.Layout)
	server := sp.Endpoint == EndpointServer
	role := layout.Client
	if server {
		role = layout.Server
	}
	files := make([]*File, 0, 5+2*names.ExtraIdentities)
	// One allocation for the files of a directory (CA, cert, key, the
	// extra identities, CRL, DH), not one each.
	backing := make([]File, 0, 5+2*names.ExtraIdentities)
	add := func(r FileRole, path string, required bool, idx int) {
		if path != "" {
			backing = append(backing, File{Role: r, Path: path, Required: required, Endpoint: sp.Endpoint, Index: idx})
			files = append(files, &backing[len(backing)-1])
		}
	}
	switch sp.Kind {
	case KindAnon:
		if server && sp.Dir != "" && names.DHParams != "" {
			add(RoleDH, m.path(names.DHParams), false, 0)
		}
		return files
	case KindPSK:
		add(RolePSK, m.path("keys.psk"), true, 0)
		if server && names.DHParams != "" {
			add(RoleDH, m.path(names.DHParams), false, 0)
		}
		return files
	}
	add(RoleCA, m.pick(sp.CA, names.CA), sp.P12 == "", 0)
	if sp.P12 == "" {
		add(RoleCert, m.pick(sp.Cert, names.Cert(role)), server && sp.Cert != "", BaseIdentity)
		add(RoleKey, m.pick(sp.Key, names.Key(role)), server && sp.Key != "", BaseIdentity)
		if sp.Cert == "" && sp.Dir != "" {
			for i := 0; i < names.ExtraIdentities; i++ {
				add(RoleCert, m.path(names.ExtraCert(role, i)), false, i)
				add(RoleKey, m.path(names.ExtraKey(role, i)), false, i)
			}
		}
	}
	// libvirt loads cacrl.pem on the client side too (virNetTLSContext
	// LoadCredentials; measured with libvirt 9.0), QEMU on servers only.
	if server || m.Layout == layout.Libvirt {
		add(RoleCRL, m.pick(sp.CRL, names.CRL), false, 0)
	}
	if server {
		if sp.Dir != "" && names.DHParams != "" {
			add(RoleDH, m.path(names.DHParams), false, 0)
		}
	}
	return files
}

// readIn reads the file, relative to the open directory dir (whose path is
// dirPath) when the file is in it.
func (f *File) readIn(dir *os.File, dirPath string, password []byte, publicOnly, listedRegular bool) {
	var data []byte
	var info fs.FileInfo
	var err error
	if name, ok := strings.CutPrefix(f.Path, dirPath+string(filepath.Separator)); ok && dir != nil && dirPath != "" {
		data, info, err = safefile.ReadAt(dir, name, f.Path, maxSize(f.Role), listedRegular)
	} else {
		data, info, err = readFileMax(f.Path, maxSize(f.Role), listedRegular)
	}
	f.Info, f.Data = info, data
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	f.Present = true
	if err != nil {
		f.Err = err
		return
	}
	if err := f.parse(password, publicOnly); err != nil {
		f.Err = &FileError{Path: f.Path, Err: plainError(f.Role, err)}
	}
}

func (f *File) parse(password []byte, publicOnly bool) error {
	var err error
	switch f.Role {
	case RoleCA:
		f.Certs, f.PEMNotes, err = parseCABundle(f.Data)
	case RoleCert:
		f.Certs, f.PEMNotes, err = parseCertBundle(f.Data)
	case RoleKey:
		if publicOnly {
			f.PublicKey, f.KeyInfo, err = privkey.ParsePublic(f.Data, password)
			if err == nil {
				f.PEMNotes = keyNotes(f.Data)
			}
			break
		}
		f.Key, f.KeyInfo, err = privkey.Parse(f.Data, password)
		if f.Key != nil {
			f.PublicKey = f.Key.Public()
		}
		if err == nil {
			f.PEMNotes = keyNotes(f.Data)
		}
	case RoleCRL:
		f.CRL, err = parseCRL(f.Data)
	case RoleDH:
		f.DH, err = ParseDHParams("", f.Data) // the FileError names the file
	case RolePSK:
		f.PSK, err = ParsePSKFile("", f.Data) // the FileError names the file
		if errors.Is(err, ErrNoPSKEntries) {
			// QEMU loads it (a server reads it at each handshake, a
			// client looks up one username): lint judges the lines.
			err = nil
		}
	}
	var gr *GoRefusesError
	if errors.As(err, &gr) {
		f.Certs, f.PEMNotes, f.GoRefuses, err = gr.Certs, gr.Notes, gr.Problems, nil
	}
	return err
}

// Present files of a role, in plan order.
func (m *Material) FilesOf(r FileRole) []*File {
	var out []*File
	for _, f := range m.Files {
		if f.Role == r {
			out = append(out, f)
		}
	}
	return out
}

// FileOf returns the first file of a role, or nil.
func (m *Material) FileOf(r FileRole) *File {
	if fs := m.FilesOf(r); len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// IdentityFiles pairs a certificate file with its key file.
type IdentityFiles struct {
	Index     int
	Cert, Key *File
}

// Identities pairs the object's cert and key files by index, base first,
// keeping a pair when either half is present. As QEMU 10.2 does, numbered
// identities stop at the first index where both files are absent.
func (m *Material) Identities() []IdentityFiles {
	if p12 := m.FileOf(RoleP12); p12 != nil {
		return []IdentityFiles{{Index: BaseIdentity, Cert: p12, Key: p12}}
	}
	var out []IdentityFiles
	keys := map[int]*File{}
	for _, k := range m.FilesOf(RoleKey) {
		keys[k.Index] = k
	}
	next := 0 // numbered identities count up from 0 without a gap
	for _, c := range m.FilesOf(RoleCert) {
		k := keys[c.Index]
		if k == nil {
			k = &File{Role: RoleKey, Endpoint: c.Endpoint, Index: c.Index}
		}
		if c.Index >= 0 {
			if c.Index != next {
				break
			}
			next++
		}
		if !c.Present && !k.Present {
			if c.Index >= 0 {
				break
			}
			continue
		}
		out = append(out, IdentityFiles{Index: c.Index, Cert: c, Key: k})
	}
	return out
}

// omitAbsent drops the entries of absent optional files: CRL and DH
// parameters, and numbered identity files whose partner is absent too.
// The base identity's entries stay (their paths name what is missing).
func (m *Material) omitAbsent() {
	present := map[int]bool{} // numbered identities with a cert or key
	for _, f := range m.Files {
		if (f.Role == RoleCert || f.Role == RoleKey) && f.Index >= 0 && f.Present {
			present[f.Index] = true
		}
	}
	kept := m.Files[:0]
	for _, f := range m.Files {
		switch {
		case f.Present, f.Required:
		case f.Role == RoleCRL, f.Role == RoleDH:
			continue
		case (f.Role == RoleCert || f.Role == RoleKey) && f.Index >= 0 && !present[f.Index]:
			continue
		}
		kept = append(kept, f)
	}
	m.Files = kept
}

// PlannedPaths lists the path of every file the spec makes Read look for,
// absent ones included: what a watcher stats (a CRL that appears is a
// change). It needs only the spec and layout, so it works on the summary
// a loaded object keeps.
func (m *Material) PlannedPaths() []string {
	var paths []string
	for _, f := range m.plan() {
		paths = append(paths, f.Path)
	}
	if m.Spec.P12 != "" {
		paths = append(paths, m.Spec.P12)
	}
	return paths
}
