package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/inspect"
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
	report := inspect.NewReport()
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
		o := inspect.Describe(m, pw, now)
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
		o := inspect.Describe(m, password, now)
		o.Path, o.EndpointReason = t.Spec.Dir, "Kubernetes Secret "+kube[id].Type
		report.Objects = append(report.Objects, o)
	}
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return usageErr(fmt.Errorf("%s: %w", p, pathErrCause(err)))
		}
		var o *inspect.Object
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

// inspectDir describes a credential directory; an error is a usage
// error, with a hint when the directory holds credential directories.
func inspectDir(id, dir, endpoint string, password []byte, now time.Time) (*inspect.Object, error) {
	o, err := inspect.Dir(id, dir, creds.Endpoint(endpoint), password, now)
	var nc *inspect.NotCredentialsError
	switch {
	case errors.As(err, &nc):
		hint := "give a directory holding ca-cert.pem (QEMU), cacert.pem (libvirt) or ca.crt (Kubernetes), or a single file"
		if len(nc.Subdirs) > 0 {
			hint = "it holds credential directories: tlscreds inspect " + strings.Join(nc.Subdirs, " ")
		}
		return nil, usageErr(pathErrCause(nc.Err), hint)
	case err != nil:
		return nil, usageErr(err)
	}
	return o, nil
}

// inspectFile describes one file; an error is a usage error, with a hint
// for a missing or wrong password.
func inspectFile(path string, password []byte, now time.Time) (*inspect.Object, error) {
	o, err := inspect.File(path, password, now)
	switch {
	case errors.Is(err, creds.ErrP12Password):
		return nil, usageErr(err, "give the PKCS#12 password with --password-file FILE")
	case errors.Is(err, privkey.ErrIncorrectPassword):
		return nil, usageErr(err, "--password-file holds the wrong password for this key")
	case err != nil:
		return nil, usageErr(err)
	}
	return o, nil
}
