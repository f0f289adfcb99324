package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

func p12Command() *cli.Command {
	return &cli.Command{
		Name:            "p12",
		Usage:           "convert between credential directories and PKCS#12 files",
		HideHelpCommand: true,
		Subcommands: []*cli.Command{
			p12ExportCommand(),
			p12ImportCommand(),
		},
	}
}

var (
	p12FormatFlag = enum(&cli.StringFlag{Name: "format", Value: "text", EnvVars: formatEnv,
		Usage: "json is schema " + p12Schema + " (docs/schema/tlscreds.p12.v1.json): what was written, never key material"}, "text", "json")
	p12EndpointFlag = &cli.StringFlag{Name: "endpoint", Usage: "whose identity: server or client"}
	p12PassFlag     = &cli.StringFlag{Name: "password-file", Usage: "file holding the PKCS#12 password (a trailing newline is ignored)"}
)

func p12ExportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write a credential directory's identity, its chain and CA certificates as a PKCS#12 file",
		UsageText: "tlscreds p12 export --creds DIR --endpoint server|client --out FILE --password-file F [--key-password-file F] [--force]",
		Description: "Loads DIR as QEMU would (layout detected from the file names) and writes the certificate,\n" +
			"its private key, the intermediates of the certificate file and the CA file's certificates to\n" +
			"FILE, mode 0600, atomically. Encryption: AES-256-CBC with PBKDF2-HMAC-SHA-256 and an\n" +
			"HMAC-SHA-256 MAC, which OpenSSL 1.1.1 and later read.\n\n" + fileExitHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "creds", Usage: "credential directory to export from"},
			p12EndpointFlag,
			&cli.StringFlag{Name: "out", Usage: "PKCS#12 file to write"},
			p12PassFlag,
			&cli.StringFlag{Name: "key-password-file", Usage: "file holding the password of an encrypted private key in DIR"},
			forceFlag,
			p12FormatFlag,
		},
		Action: p12Export,
	}
}

func p12ImportCommand() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "write a PKCS#12 file's certificate, key and CA certificates as a credential directory",
		UsageText: "tlscreds p12 import --out DIR --endpoint server|client --password-file F [--layout qemu|libvirt|kubernetes] [--force] FILE",
		Description: "Writes the CA file from the certificates that are not the leaf, the certificate file (the\n" +
			"leaf, then the intermediates that lead to its root) and the private key as PKCS#8, mode 0600,\n" +
			"with the file names of --layout (default qemu). Flags go before FILE.\n\n" + fileExitHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "credential directory to write"},
			p12EndpointFlag,
			p12PassFlag,
			layoutFlag,
			forceFlag,
			p12FormatFlag,
		},
		Action: p12Import,
	}
}

// parseEndpoint checks --endpoint, which the p12 commands require.
func parseEndpoint(c *cli.Context) (creds.Endpoint, error) {
	switch e := c.String("endpoint"); e {
	case "server", "client":
		return creds.Endpoint(e), nil
	case "":
		return "", fmt.Errorf("--endpoint server|client is required")
	default:
		return "", fmt.Errorf("--endpoint %q: want server or client", e)
	}
}

func p12Export(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("unexpected argument %q (flags go before arguments; see --help)", c.Args().First())
	}
	dir, out := c.String("creds"), c.String("out")
	if dir == "" || out == "" || c.String("password-file") == "" {
		return usageErrf("--creds DIR, --out FILE and --password-file F are required")
	}
	endpoint, err := parseEndpoint(c)
	if err != nil {
		return usageErr(err)
	}
	password, err := readPasswordFile("password-file", c.String("password-file"))
	if err != nil {
		return usageErr(err)
	}
	if len(password) == 0 {
		return usageErrf("--password-file %s is empty: a PKCS#12 file needs a password", c.String("password-file"))
	}
	var keyPassword []byte
	if f := c.String("key-password-file"); f != "" {
		if keyPassword, err = readPasswordFile("key-password-file", f); err != nil {
			return usageErr(err)
		}
	}
	if _, err := layout.Detect(dir); err != nil {
		return usageErr(fmt.Errorf("--creds: %w", pathErrCause(err)), "point --creds at a credential directory, e.g. one written by `tlscreds gen pki`")
	}
	text := keyvalSpec(string(creds.KindX509), "id", string(endpoint), "dir", dir, "endpoint", string(endpoint), "layout", "auto")
	sp, _, err := creds.ParseSpec(text)
	if err != nil {
		return usageErr(err)
	}
	obj, err := creds.Load(sp, creds.LoadOptions{Password: keyPassword})
	switch {
	case errors.Is(err, privkey.ErrPasswordRequired):
		return usageErr(err, "the private key is encrypted: give its password with --key-password-file FILE")
	case err != nil:
		return usageErr(err)
	}
	bundle, err := obj.PKCS12Bundle()
	if err != nil {
		return usageErrf("%s has no %s certificate and key to export", dir, endpoint)
	}
	data, err := bundle.Encode(string(password))
	if err != nil {
		return usageErr(err)
	}
	files := []fixtures.File{{Name: filepath.Base(out), Data: data, Mode: 0o600}}
	if _, err := fixtures.WriteFiles(filepath.Dir(out), files, c.Bool("force")); err != nil {
		return writeErr(err)
	}
	w := c.App.Writer
	if c.String("format") == "json" {
		return writeP12JSON(w, p12Report{Action: "export", Source: dir, Endpoint: string(endpoint),
			Written: []p12Written{{Path: out, Mode: "0600"}}}, bundle)
	}
	fmt.Fprintf(w, "Exported the %s identity of %s to %s (mode 0600)\n", endpoint, lint.Printable(dir), lint.Printable(out))
	writeP12Certs(w, bundle)
	return nil
}

// p12Schema names the JSON of p12 export and import.
const p12Schema = "tlscreds.p12/v1"

// p12Report is the JSON of p12 export and import: the files written and
// the certificates they hold, never a key or a password.
type p12Report struct {
	Schema       string       `json:"schema"`
	Action       string       `json:"action"` // export or import
	Source       string       `json:"source"` // the directory exported, or the file imported
	Endpoint     string       `json:"endpoint"`
	Layout       string       `json:"layout,omitempty"` // import only
	Written      []p12Written `json:"written"`
	Certificates []p12Cert    `json:"certificates"`
}

type p12Written struct {
	Path string `json:"path"`
	Mode string `json:"mode"` // octal, e.g. "0600"
}

type p12Cert struct {
	Role              string `json:"role"` // leaf, chain or ca
	Subject           string `json:"subject"`
	NotAfter          string `json:"not_after"` // RFC 3339, UTC
	SHA256Fingerprint string `json:"sha256_fingerprint"`
}

func writeP12JSON(w io.Writer, r p12Report, b *creds.PKCS12Bundle) error {
	r.Schema = p12Schema
	r.Certificates = []p12Cert{}
	for i, cert := range b.Certs() {
		role := "ca"
		switch {
		case i == 0:
			role = "leaf"
		case i < len(b.Chain):
			role = "chain"
		}
		ci := creds.DescribeCert(cert, time.Now())
		r.Certificates = append(r.Certificates, p12Cert{Role: role, Subject: ci.Subject,
			NotAfter: cert.NotAfter.UTC().Format(time.RFC3339), SHA256Fingerprint: ci.SHA256Fingerprint})
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}

// writeP12Certs lists the certificates of a PKCS#12 file: the leaf, the
// rest of its chain, and the CA certificates.
func writeP12Certs(w io.Writer, b *creds.PKCS12Bundle) {
	for i, cert := range b.Certs() {
		what := "CA"
		switch {
		case i == 0:
			what = "leaf"
		case i < len(b.Chain):
			what = "chain"
		}
		dn, err := creds.DN(cert.RawSubject)
		if err != nil {
			dn = cert.Subject.String()
		}
		fmt.Fprintf(w, "  %-5s %s, expires %s\n", what, cell(dn), cert.NotAfter.UTC().Format("2 January 2006"))
	}
}

func p12Import(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) != 1 {
		return usageErrf("give exactly one PKCS#12 FILE (see --help)")
	}
	file, out := args[0], c.String("out")
	if out == "" {
		return usageErrf("--out DIR is required")
	}
	endpoint, err := parseEndpoint(c)
	if err != nil {
		return usageErr(err)
	}
	l, err := layout.Parse(c.String("layout"))
	if err != nil {
		return usageErr(fmt.Errorf("--layout: %w", err))
	}
	var password []byte
	if f := c.String("password-file"); f != "" {
		if password, err = readPasswordFile("password-file", f); err != nil {
			return usageErr(err)
		}
	}
	text := keyvalSpec(string(creds.KindX509), "id", "import", "p12", file, "endpoint", string(endpoint))
	sp, _, err := creds.ParseSpec(text)
	if err != nil {
		return usageErr(err)
	}
	m, err := creds.Read(sp, password)
	if err != nil {
		return usageErr(err)
	}
	f := m.FileOf(creds.RoleP12)
	switch {
	case errors.Is(f.Err, creds.ErrP12Password) && c.String("password-file") == "":
		return usageErr(f.Err, "give the PKCS#12 password with --password-file FILE")
	case errors.Is(f.Err, creds.ErrP12Password):
		return usageErr(f.Err, "check the password in "+c.String("password-file")+" (a trailing newline is ignored)")
	case f.Data != nil && strings.Contains(string(f.Data), "-----BEGIN"):
		return usageErr(f.Err, "this is a PEM file; p12 import reads DER PKCS#12 files (.p12, .pfx): for PEM use the files as they are")
	case f.Err != nil:
		return usageErr(f.Err)
	}
	bundle, err := creds.NewPKCS12Bundle(f.Key, f.Certs)
	if err != nil {
		return usageErr(fmt.Errorf("%s: %w", file, err))
	}
	dirFiles, err := bundle.DirFiles(l, endpoint)
	if err != nil {
		return usageErr(fmt.Errorf("%s: %w", file, err))
	}
	var files []fixtures.File
	for _, df := range dirFiles {
		files = append(files, fixtures.File{Name: df.Name, Data: df.Data, Mode: df.Mode})
	}
	written, err := fixtures.WriteSet(out, files, c.Bool("force"))
	if err != nil {
		return writeErr(err)
	}
	w := c.App.Writer
	if c.String("format") == "json" {
		r := p12Report{Action: "import", Source: file, Endpoint: string(endpoint), Layout: string(l)}
		modes := map[string]string{}
		for _, df := range dirFiles {
			modes[df.Name] = fmt.Sprintf("%04o", df.Mode.Perm())
		}
		for _, p := range written {
			r.Written = append(r.Written, p12Written{Path: p, Mode: modes[filepath.Base(p)]})
		}
		if err := writeP12JSON(w, r, bundle); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "Imported %s into %s (%s layout, %s endpoint)\n", lint.Printable(file), lint.Printable(out), l, endpoint)
		for _, p := range written {
			fmt.Fprintf(w, "  wrote %s\n", lint.Printable(p))
		}
		writeP12Certs(w, bundle)
	}
	if len(f.Certs) == 1 {
		fmt.Fprintf(c.App.ErrWriter, "tlscreds: warning: %s holds no CA certificate; put the CA that issued the certificate in %s\n", lint.Printable(file), lint.Printable(filepath.Join(out, layout.Of(l).CA)))
	}
	return nil
}

// readPasswordFile reads a password file the way QEMU reads a secret
// file (a regular file of at most 64 KiB; never a FIFO), then drops one
// trailing newline, which `echo` adds.
func readPasswordFile(flag, path string) ([]byte, error) {
	text := keyvalSpec("secret", "id", "password", "file", path)
	var specs creds.Specs
	if err := specs.Add(text); err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	b, err := specs.Secret("password")
	var fe *creds.FileError
	switch {
	case errors.As(err, &fe):
		return nil, fmt.Errorf("--%s %w", flag, fe)
	case err != nil:
		var se *creds.SpecError
		if errors.As(err, &se) {
			err = se.Err
		}
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	return []byte(strings.TrimSuffix(s, "\r")), nil
}
