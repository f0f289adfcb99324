package creds

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// LoadError is a failure to load an object: it names the object and, when
// one file is at fault, the file.
type LoadError struct {
	ID   string
	File string // "" when the problem is not one file's
	Err  error
}

func (e *LoadError) Error() string {
	var fe *FileError
	if e.File != "" && !errors.As(e.Err, &fe) {
		return fmt.Sprintf("object %s: %s: %v", e.ID, e.File, e.Err)
	}
	return fmt.Sprintf("object %s: %v", e.ID, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Errors for errors.Is on a [LoadError].
var (
	ErrMissingFile = errors.New("required file missing")
	ErrUnpaired    = errors.New("certificate without key or key without certificate")
	ErrKeyMismatch = errors.New("private key does not match the certificate")
	ErrNoIdentity  = errors.New("no identity")
)

// LoadOptions control [Load].
type LoadOptions struct {
	// Password decrypts encrypted private keys and PKCS#12 files (QEMU's
	// passwordid); see [Specs.Password].
	Password []byte
	// Check, when set and the spec has sanity-check=on, runs over the
	// material after the files load; its error fails the load. Package
	// lint provides QEMU's sanity checks as such a function.
	Check func(*Material) error
	// Now is the clock recorded as LoadedAt; nil means time.Now.
	Now func() time.Time
	// Files holds the object's files in memory (see ReadOptions.Files).
	Files map[string][]byte
}

// Load reads an object's files and builds it, failing as QEMU does on
// what QEMU refuses at load time: a missing required file, a file that
// cannot be read or parsed, a certificate without its key or a key without
// its certificate, a key that does not match its certificate, and a server
// without any identity. With sanity-check=on, o.Check runs as well.
func Load(sp *Spec, o LoadOptions) (*Object, error) {
	m, err := ReadWith(sp, o.Password, ReadOptions{Files: o.Files})
	if err != nil {
		return nil, err
	}
	return Build(m, o)
}

// Build makes an [Object] from material already read (see [Load]).
func Build(m *Material, o LoadOptions) (*Object, error) {
	sp := m.Spec
	if m.publicOnly {
		return nil, &LoadError{ID: sp.ID, Err: errors.New("material read with PublicKeysOnly holds no private keys: read it with Read to build an object")}
	}
	fail := func(file string, err error) (*Object, error) {
		return nil, &LoadError{ID: sp.ID, File: file, Err: err}
	}
	for _, f := range m.Files {
		if f.Required && !f.Present {
			return fail(f.Path, fmt.Errorf("%w: no such file (QEMU: \"Unable to access credentials %s: No such file or directory\")", ErrMissingFile, f.Path))
		}
		if f.Present && f.Err != nil {
			return fail(f.Path, f.Err)
		}
	}
	obj := &Object{Spec: sp, Layout: m.Layout, LoadedAt: time.Now()}
	obj.inline.material = m.summary()
	obj.Material = &obj.inline.material
	if o.Now != nil {
		obj.LoadedAt = o.Now()
	}
	if ca := m.FileOf(RoleCA); ca != nil && ca.Present {
		shared := sharedCABundle(ca.Data, ca.Certs)
		obj.CA, obj.CAPool, obj.CAFile = shared.certs, shared.pool, ca.Path
	} else {
		if p12 := m.FileOf(RoleP12); p12 != nil {
			obj.CA = p12Anchors(p12.Certs)
		}
		obj.CAPool = x509.NewCertPool()
		for _, c := range obj.CA {
			obj.CAPool.AddCert(c)
		}
	}
	if crl := m.FileOf(RoleCRL); crl != nil && crl.Present {
		obj.CRL, obj.CRLFile = crl.CRL, crl.Path
	}
	if dh := m.FileOf(RoleDH); dh != nil && dh.Present {
		obj.DH = dh.DH
	}
	if psk := m.FileOf(RolePSK); psk != nil && psk.Present {
		obj.PSK = psk.PSK
	}
	pairs := m.Identities()
	keepLeaf := sp.Endpoint == EndpointClient || len(pairs) > 1
	if len(pairs) == 1 {
		obj.Identities = obj.inline.identities[:0:1]
	}
	for i, pair := range pairs {
		id := &obj.inline.identity
		if i > 0 {
			id = new(Identity)
		}
		if err := buildIdentity(id, pair, keepLeaf); err != nil {
			return nil, &LoadError{ID: sp.ID, Err: err}
		}
		obj.Identities = append(obj.Identities, id)
	}
	if sp.Kind == KindX509 && sp.Endpoint == EndpointServer && len(obj.Identities) == 0 {
		cert, key := m.planned(RoleCert), m.planned(RoleKey)
		return fail("", fmt.Errorf("%w: QEMU: \"Missing server cert '%s' & key '%s'\"", ErrNoIdentity, cert, key))
	}
	if o.Check != nil && sp.SanityCheck && sp.Kind == KindX509 {
		if err := o.Check(m); err != nil {
			return fail("", err)
		}
	}
	return obj, nil
}

func buildIdentity(id *Identity, p IdentityFiles, keepLeaf bool) error {
	c, k := p.Cert, p.Key
	switch {
	case c.Role == RoleP12:
		newIdentity(id, c.Path, c.Path, c.Certs, c.Key, k.KeyInfo, keepLeaf)
		return nil
	case c.Present && !k.Present:
		return fmt.Errorf("%w: QEMU: \"Cert '%s' without corresponding key '%s'\"", ErrUnpaired, c.Path, k.Path)
	case !c.Present && k.Present:
		return fmt.Errorf("%w: QEMU: \"Key '%s' without corresponding cert '%s'\"", ErrUnpaired, k.Path, c.Path)
	}
	if !keyMatches(c.Certs[0], k.Key) {
		return fmt.Errorf("%w: %s does not belong to the certificate in %s (QEMU: \"Cannot load certificate '%s' & key '%s': The certificate and the given key do not match.\")",
			ErrKeyMismatch, k.Path, c.Path, c.Path, k.Path)
	}
	newIdentity(id, c.Path, k.Path, c.Certs, k.Key, k.KeyInfo, keepLeaf)
	return nil
}

// planned returns the path of the base file of a role ("" if none).
func (m *Material) planned(r FileRole) string {
	for _, f := range m.FilesOf(r) {
		if f.Index == BaseIdentity {
			return f.Path
		}
	}
	return ""
}

// p12Anchors picks the trust anchors of a PKCS#12 object without a ca=
// file: the self-signed certificates it carries besides the leaf. An
// intermediate in the file is part of the identity chain, never an anchor.
func p12Anchors(certs []*x509.Certificate) []*x509.Certificate {
	var anchors []*x509.Certificate
	for _, c := range certs[min(1, len(certs)):] {
		if string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignatureFrom(c) == nil {
			anchors = append(anchors, c)
		}
	}
	return anchors
}

// summary is what a loaded object keeps of its material: the spec,
// layout and digest, not the files (their parsed content lives in the
// object), so that thousands of objects (SNI) hold no more memory than
// they use.
func (m *Material) summary() Material {
	return Material{Spec: m.Spec, Layout: m.Layout, LayoutReason: m.LayoutReason, Digest: m.Digest}
}
