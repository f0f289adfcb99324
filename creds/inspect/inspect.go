// Package inspect describes what credential objects and single credential
// files hold: their files, every certificate, the private keys (never
// their material), the chain of each identity up to its root, and whether
// the object loads as QEMU would load it.
//
// # Model
//
// A [Report] is the documented JSON output of `tlscreds inspect --format
// json` (schema [Schema], see docs/inspect.md): a list of [Object], each
// made by [Describe] (an object read with [creds.Read]), [Dir] (a
// credential directory, layout and endpoint detected as lint detects
// them) or [File] (one PEM, DER or PKCS#12 file).
//
// Describing never judges beyond "loads or not": `tlscreds lint` (package
// lint) does.
package inspect

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// Schema names the JSON form of a [Report]; it is bumped on incompatible
// changes.
const Schema = "tlscreds.inspect/v1"

// Report is the JSON document `tlscreds inspect --format json` prints.
type Report struct {
	Schema  string    `json:"schema"`
	Objects []*Object `json:"objects"`
}

// NewReport returns an empty report of the current [Schema].
func NewReport() *Report { return &Report{Schema: Schema, Objects: []*Object{}} }

// Object is one credential object or one single file.
type Object struct {
	// Source is "object" for a credential directory or -object spec,
	// "file" for a single file.
	Source string `json:"source"`
	Path   string `json:"path"`
	ID     string `json:"id,omitempty"`
	Spec   string `json:"spec,omitempty"` // the object in canonical -object syntax
	Kind   string `json:"kind,omitempty"`

	Endpoint       string `json:"endpoint,omitempty"`
	EndpointReason string `json:"endpoint_reason,omitempty"`
	Layout         string `json:"layout,omitempty"`
	LayoutReason   string `json:"layout_reason,omitempty"`
	// Loads says whether the object loads as QEMU would load it;
	// LoadError says why not.
	Loads     *bool  `json:"loads,omitempty"`
	LoadError string `json:"load_error,omitempty"`
	// Encoding is how a single file is encoded: pem, der or pkcs12.
	Encoding string `json:"encoding,omitempty"`

	Files        []creds.FileSummary `json:"files"`
	Certificates []Cert              `json:"certificates"`
	Keys         []Key               `json:"keys"`
	Chains       []Chain             `json:"chains"`
}

// Cert is one certificate of a file.
type Cert struct {
	File  string `json:"file"`
	Index int    `json:"index"` // 0-based position in the file
	creds.CertInfo
}

// Key describes a private key; it never holds key material.
type Key struct {
	File      string `json:"file"`
	Format    string `json:"format,omitempty"` // pkcs8, pkcs1, sec1, encrypted-pkcs8, legacy-pem; empty inside PKCS#12
	Encrypted bool   `json:"encrypted"`
	Cipher    string `json:"cipher,omitempty"`
	Algorithm string `json:"algorithm,omitempty"` // empty when encrypted and no password was given
	Bits      int    `json:"bits,omitempty"`
	Curve     string `json:"curve,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Chain is the chain of an identity's certificate up to its root, as
// [creds.Chain] walks it.
type Chain struct {
	File  string            `json:"file"` // the file the leaf is from
	Links []creds.ChainLink `json:"links"`
}

// Describe describes an object's files, certificates, keys and chains,
// and whether it loads (built with password at now). The caller sets
// Path and EndpointReason, which depend on how the object was named.
func Describe(m *creds.Material, password []byte, now time.Time) *Object {
	sp := m.Spec
	o := &Object{
		Source: "object", ID: sp.ID, Spec: sp.String(), Kind: string(sp.Kind),
		Endpoint: string(sp.Endpoint), Layout: string(m.Layout), LayoutReason: m.LayoutReason,
		Files: []creds.FileSummary{}, Certificates: []Cert{}, Keys: []Key{}, Chains: []Chain{},
	}
	if o.LayoutReason == "" {
		o.LayoutReason = "layout property"
		if !sp.IsSet("layout") {
			o.LayoutReason = "default"
		}
	}
	for _, f := range m.Files {
		o.Files = append(o.Files, f.Summary())
		if !f.Present {
			continue
		}
		for i, c := range f.Certs {
			o.Certificates = append(o.Certificates, Cert{File: f.Path, Index: i, CertInfo: creds.DescribeCert(c, now)})
		}
		switch f.Role {
		case creds.RoleKey:
			o.Keys = append(o.Keys, describeKey(f.Path, f.KeyInfo, f.Err))
		case creds.RoleP12:
			if f.Key != nil {
				info := privkey.Info{}
				info.Algorithm, info.Bits, info.Curve = privkey.Describe(f.Key.Public())
				o.Keys = append(o.Keys, describeKey(f.Path, info, nil))
			}
		}
	}
	var ca []*x509.Certificate
	if f := m.FileOf(creds.RoleCA); f != nil {
		ca = f.Certs
	}
	for _, id := range m.Identities() {
		if id.Cert == nil || len(id.Cert.Certs) == 0 {
			continue
		}
		o.Chains = append(o.Chains, Chain{File: id.Cert.Path, Links: creds.Chain(id.Cert.Certs, ca)})
	}
	_, err := creds.Build(m, creds.LoadOptions{Password: password, Now: func() time.Time { return now }})
	loads := err == nil
	o.Loads = &loads
	if err != nil {
		o.LoadError = err.Error()
	}
	return o
}

func describeKey(path string, info privkey.Info, err error) Key {
	k := Key{
		File: path, Format: string(info.Format), Encrypted: info.Encrypted, Cipher: info.Cipher,
		Algorithm: info.Algorithm, Bits: info.Bits, Curve: info.Curve,
	}
	if err != nil {
		k.Error = err.Error()
	}
	return k
}

// NotCredentialsError is returned by [Dir] for a directory that holds no
// credential files of a known layout. Subdirs lists its subdirectories
// that do (such as the server/ and client/ of `tlscreds gen pki`).
type NotCredentialsError struct {
	Dir     string
	Subdirs []string
	Err     error // from [layout.Detect]
}

func (e *NotCredentialsError) Error() string { return e.Err.Error() }
func (e *NotCredentialsError) Unwrap() error { return e.Err }

// Dir reads a credential directory as a tls-creds-x509 object with id id
// and layout=auto, and describes it. An empty endpoint is the one
// [layout.Detect] works out (server when server files exist, else
// client), and EndpointReason says so.
func Dir(id, dir string, endpoint creds.Endpoint, password []byte, now time.Time) (*Object, error) {
	d, err := layout.Detect(dir)
	if err != nil {
		return nil, &NotCredentialsError{Dir: dir, Subdirs: credentialSubdirs(dir), Err: err}
	}
	reason := "given with --endpoint"
	if endpoint == "" {
		endpoint, reason = creds.Endpoint(d.Endpoint), d.EndpointReason
	}
	sp, err := creds.NewSpec(creds.KindX509, id, "dir", dir, "endpoint", string(endpoint), "layout", "auto")
	if err != nil {
		return nil, err
	}
	m, err := creds.Read(sp, password)
	if err != nil {
		return nil, err
	}
	o := Describe(m, password, now)
	o.Path, o.EndpointReason = dir, reason
	return o, nil
}

// credentialSubdirs lists the subdirectories of dir that hold credential
// files.
func credentialSubdirs(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var subs []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if _, err := layout.Detect(p); err == nil {
				subs = append(subs, p)
			}
		}
	}
	return subs
}

// File describes one file: certificates (PEM or DER), a private key,
// both, or a PKCS#12 identity (decrypted with password). Its errors are
// those of [creds.ReadContents]: [creds.ErrP12Password] and
// [privkey.ErrIncorrectPassword] among them.
func File(path string, password []byte, now time.Time) (*Object, error) {
	fc, err := creds.ReadContents(path, password)
	if err != nil {
		return nil, err
	}
	role := creds.RoleCert
	switch {
	case fc.Encoding == creds.EncodingPKCS12:
		role = creds.RoleP12
	case len(fc.Certs) == 0:
		role = creds.RoleKey
	}
	o := &Object{
		Source: "file", Path: path, Encoding: fc.Encoding,
		Files:        []creds.FileSummary{{Path: path, Role: role, Present: true, Size: fc.Info.Size(), Mode: fc.Info.Mode().String()}},
		Certificates: []Cert{}, Keys: []Key{}, Chains: []Chain{},
	}
	for i, c := range fc.Certs {
		o.Certificates = append(o.Certificates, Cert{File: path, Index: i, CertInfo: creds.DescribeCert(c, now)})
	}
	if fc.Key != nil {
		o.Keys = append(o.Keys, describeKey(path, *fc.Key, nil))
	}
	if len(fc.Certs) > 0 {
		o.Chains = append(o.Chains, Chain{File: path, Links: creds.Chain(fc.Certs, nil)})
	}
	return o, nil
}
