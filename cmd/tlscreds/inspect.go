package main

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what credential directories, certificates, private keys and PKCS#12 files hold",
		UsageText: "tlscreds inspect [--object SPEC]... [--format table|json] [--password-file F] [--endpoint server|client] PATH...",
		Description: "PATH is a credential directory (layout detected from the file names; endpoint --endpoint,\n" +
			"else detected as lint does: server when server files exist, else client), a PEM or DER\n" +
			"certificate file, a private key (format, encryption, type and size; never the key itself) or a\n" +
			"PKCS#12 file (with --password-file).\n" +
			"--object takes QEMU -object specs, secrets included for passwordid=.\n" +
			"For each certificate: names (as QEMU/libvirt print them and in RFC 4514 form), SANs, validity,\n" +
			"key, extensions, SHA-256 fingerprint and SPKI pins; for each identity the chain up to its root.\n" +
			"--format json prints {\"schema\":\"tlscreds.inspect/v1\",\"objects\":[...]} (see docs/inspect.md).\n" +
			"An object that would not load is still described (Loads: no) and exits 0; `tlscreds lint` judges.\n\n" +
			fileExitHelp,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "object", Usage: "QEMU object spec, e.g. tls-creds-x509,id=tls0,endpoint=server,dir=DIR (repeatable)"},
			&cli.StringSliceFlag{Name: "kube-secrets", Usage: kubeSecretsUsage},
			enum(&cli.StringFlag{Name: "format", Value: "table", EnvVars: formatEnv, Usage: "json is documented in docs/inspect.md"}, "table", "json"),
			outputFlag,
			&cli.StringFlag{Name: "password-file", Usage: "file holding the password of PKCS#12 files and encrypted keys (a trailing newline is ignored)"},
			enum(&cli.StringFlag{Name: "endpoint", Usage: "the endpoint of directories (default: detected from the files)"}, "server", "client"),
		},
		Action: runInspect,
	}
}

// fileExitHelp is the exit status of the commands that read and write
// single credential files (inspect, fingerprint, p12).
const fileExitHelp = `EXIT STATUS:
   0  success
   2  usage error: bad flags or object spec; input missing, not a regular file, not a certificate,
      key or PKCS#12 file, or a wrong password; output that exists (without --force)
`

// inspectSchema names the JSON output; bump it on incompatible changes.
const inspectSchema = "tlscreds.inspect/v1"

type inspectReport struct {
	Schema  string           `json:"schema"`
	Objects []*inspectObject `json:"objects"`
}

// inspectObject is one credential object or one file given on the
// command line.
type inspectObject struct {
	// Source is "object" for a credential directory or --object spec,
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
	Certificates []inspectCert       `json:"certificates"`
	Keys         []inspectKey        `json:"keys"`
	Chains       []inspectChain      `json:"chains"`
}

type inspectCert struct {
	File  string `json:"file"`
	Index int    `json:"index"` // 0-based position in the file
	creds.CertInfo
}

// inspectKey describes a private key; it never holds key material.
type inspectKey struct {
	File      string `json:"file"`
	Format    string `json:"format,omitempty"` // pkcs8, pkcs1, sec1, encrypted-pkcs8, legacy-pem; empty inside PKCS#12
	Encrypted bool   `json:"encrypted"`
	Cipher    string `json:"cipher,omitempty"`
	Algorithm string `json:"algorithm,omitempty"` // empty when encrypted and no password was given
	Bits      int    `json:"bits,omitempty"`
	Curve     string `json:"curve,omitempty"`
	Error     string `json:"error,omitempty"`
}

type inspectChain struct {
	File  string            `json:"file"` // the file the leaf is from
	Links []creds.ChainLink `json:"links"`
}

func runInspect(c *cli.Context) error {
	paths := c.Args().Slice()
	format := c.String("format")
	endpoint := c.String("endpoint")
	var password []byte
	if f := c.String("password-file"); f != "" {
		var err error
		if password, err = readPasswordFile("password-file", f); err != nil {
			return usageErr(err)
		}
	}
	var specs creds.Specs
	for _, s := range c.StringSlice("object") {
		if err := addSpec(&specs, s); err != nil {
			return usageErr(err)
		}
	}
	kube, err := loadSecrets(c.StringSlice("kube-secrets"), c.App.Reader)
	if err != nil {
		return usageErr(err)
	}
	if len(paths) == 0 && len(specs.Objects) == 0 && len(kube) == 0 {
		return usageErrf("nothing to inspect: give credential directories, certificate, key or PKCS#12 files, --object specs or --kube-secrets")
	}

	now := time.Now()
	report := inspectReport{Schema: inspectSchema, Objects: []*inspectObject{}}
	for _, sp := range specs.Objects {
		pw, err := specs.Password(sp)
		if err != nil {
			return usageErr(err)
		}
		if pw == nil {
			pw = password
		}
		m, err := creds.Read(sp, pw)
		if err != nil {
			return usageErr(err)
		}
		o := describeMaterial(m, pw, now)
		o.Path, o.EndpointReason = sp.Dir, "endpoint property"
		if !sp.IsSet("endpoint") {
			o.EndpointReason = "QEMU's default"
		}
		report.Objects = append(report.Objects, o)
	}
	ids := make([]string, 0, len(kube))
	for id := range kube {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t, err := secretTarget(kube[id], creds.Endpoint(endpoint))
		if err != nil {
			return usageErr(err)
		}
		m, err := creds.ReadWith(t.Spec, password, creds.ReadOptions{Files: t.Files})
		if err != nil {
			return usageErr(err)
		}
		o := describeMaterial(m, password, now)
		o.Path, o.EndpointReason = t.Spec.Dir, "Kubernetes Secret "+kube[id].Type
		report.Objects = append(report.Objects, o)
	}
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return usageErr(fmt.Errorf("%s: %w", p, pathErrCause(err)))
		}
		var o *inspectObject
		if info.IsDir() {
			o, err = inspectDir(fmt.Sprintf("path%d", i+1), p, endpoint, password, now)
		} else {
			o, err = inspectFile(p, password, now)
		}
		if err != nil {
			return err
		}
		report.Objects = append(report.Objects, o)
	}

	if format == "json" {
		e := json.NewEncoder(c.App.Writer)
		e.SetIndent("", "  ")
		return e.Encode(report)
	}
	for i, o := range report.Objects {
		if i > 0 {
			fmt.Fprintln(c.App.Writer)
		}
		if err := writeInspectObject(c.App.Writer, o); err != nil {
			return err
		}
	}
	return nil
}

// pathErrCause drops the *fs.PathError wrapper, whose text repeats the path.
func pathErrCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// inspectDir reads a credential directory as a tls-creds-x509 object with
// layout=auto. Without an endpoint, it is the one layout.Detect works out.
func inspectDir(id, dir, endpoint string, password []byte, now time.Time) (*inspectObject, error) {
	d, err := layout.Detect(dir)
	if err != nil {
		hint := "give a directory holding ca-cert.pem (QEMU), cacert.pem (libvirt) or ca.crt (Kubernetes), or a single file"
		if subs := credentialSubdirs(dir); len(subs) > 0 {
			hint = "it holds credential directories: tlscreds inspect " + strings.Join(subs, " ")
		}
		return nil, usageErr(pathErrCause(err), hint)
	}
	reason := "given with --endpoint"
	if endpoint == "" {
		endpoint, reason = string(d.Endpoint), d.EndpointReason
	}
	text := keyvalSpec(string(creds.KindX509), "id", id, "dir", dir, "endpoint", endpoint, "layout", "auto")
	sp, _, err := creds.ParseSpec(text)
	if err != nil {
		return nil, usageErr(err)
	}
	m, err := creds.Read(sp, password)
	if err != nil {
		return nil, usageErr(err)
	}
	o := describeMaterial(m, password, now)
	o.Path, o.EndpointReason = dir, reason
	return o, nil
}

// credentialSubdirs lists the subdirectories of dir that hold credential
// files, such as the server/ and client/ of `tlscreds gen pki --out dir`.
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

// describeMaterial describes an object's files, certificates, keys and
// chains, and whether it loads.
func describeMaterial(m *creds.Material, password []byte, now time.Time) *inspectObject {
	sp := m.Spec
	o := &inspectObject{
		Source: "object", ID: sp.ID, Spec: sp.String(), Kind: string(sp.Kind),
		Endpoint: string(sp.Endpoint), Layout: string(m.Layout), LayoutReason: m.LayoutReason,
		Files: []creds.FileSummary{}, Certificates: []inspectCert{}, Keys: []inspectKey{}, Chains: []inspectChain{},
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
			o.Certificates = append(o.Certificates, inspectCert{File: f.Path, Index: i, CertInfo: creds.DescribeCert(c, now)})
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
		o.Chains = append(o.Chains, inspectChain{File: id.Cert.Path, Links: creds.Chain(id.Cert.Certs, ca)})
	}
	_, err := creds.Build(m, creds.LoadOptions{Password: password, Now: func() time.Time { return now }})
	loads := err == nil
	o.Loads = &loads
	if err != nil {
		o.LoadError = err.Error()
	}
	return o
}

func describeKey(path string, info privkey.Info, err error) inspectKey {
	k := inspectKey{
		File: path, Format: string(info.Format), Encrypted: info.Encrypted, Cipher: info.Cipher,
		Algorithm: info.Algorithm, Bits: info.Bits, Curve: info.Curve,
	}
	if err != nil {
		k.Error = err.Error()
	}
	return k
}

// inspectFile describes one file: certificates (PEM or DER), a private
// key, both, or a PKCS#12 identity.
func inspectFile(path string, password []byte, now time.Time) (*inspectObject, error) {
	fc, err := creds.ReadContents(path, password)
	switch {
	case errors.Is(err, creds.ErrP12Password):
		return nil, usageErr(err, "give the PKCS#12 password with --password-file FILE")
	case errors.Is(err, privkey.ErrIncorrectPassword):
		return nil, usageErr(err, "--password-file holds the wrong password for this key")
	case err != nil:
		return nil, usageErr(err)
	}
	role := creds.RoleCert
	switch {
	case fc.Encoding == creds.EncodingPKCS12:
		role = creds.RoleP12
	case len(fc.Certs) == 0:
		role = creds.RoleKey
	}
	o := &inspectObject{
		Source: "file", Path: path, Encoding: fc.Encoding,
		Files:        []creds.FileSummary{{Path: path, Role: role, Present: true, Size: fc.Info.Size(), Mode: fc.Info.Mode().String()}},
		Certificates: []inspectCert{}, Keys: []inspectKey{}, Chains: []inspectChain{},
	}
	for i, c := range fc.Certs {
		o.Certificates = append(o.Certificates, inspectCert{File: path, Index: i, CertInfo: creds.DescribeCert(c, now)})
	}
	if fc.Key != nil {
		o.Keys = append(o.Keys, describeKey(path, *fc.Key, nil))
	}
	if len(fc.Certs) > 0 {
		o.Chains = append(o.Chains, inspectChain{File: path, Links: creds.Chain(fc.Certs, nil)})
	}
	return o, nil
}
