package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/certname"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/creds/safefile"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

func genCommand() *cli.Command {
	return &cli.Command{
		Name:  "gen",
		Usage: "generate test PKI: a CA, server and client credential directories, more leaves, CRLs",
		Subcommands: []*cli.Command{
			genPKICommand(),
			genCertCommand(),
			genCRLCommand(),
			genBrokenCommand(),
		},
	}
}

var (
	layoutFlag = &cli.StringFlag{Name: "layout", Value: "qemu", Usage: "file names to write: qemu, libvirt or kubernetes"}
	keyFlag    = &cli.StringFlag{Name: "key", Value: "ecdsa-p256", Usage: "key type: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, ed25519"}
	forceFlag  = &cli.BoolFlag{Name: "force", Usage: "overwrite existing files"}
	nameFlag   = &cli.StringSliceFlag{Name: "name", Usage: "server DNS name (repeatable)"}
	ipFlag     = &cli.StringSliceFlag{Name: "ip", Usage: "server IP address (repeatable)"}
	keyFmtFlag = &cli.StringFlag{Name: "key-format", Value: "pkcs8", Usage: "private key format: pkcs8, pkcs1 (RSA), sec1 (ECDSA), encrypted-pkcs8"}
	passFlag   = &cli.StringFlag{Name: "key-password-file", Usage: "file holding the password for --key-format encrypted-pkcs8 (one trailing newline is dropped; QEMU's secret,file= keeps it, so write that file with printf)"}
)

func genPKICommand() *cli.Command {
	return &cli.Command{
		Name:  "pki",
		Usage: "generate a CA, a server and clients as ready credential directories",
		UsageText: "tlscreds gen pki --out DIR [--layout qemu|libvirt|kubernetes] [--name HOST]... [--ip ADDR]...\n" +
			"   [--client NAME]... [--key TYPE] [--valid DURATION] [--intermediate] [--force]",
		Description: "Writes DIR/ca (CA certificate and key, kept for `gen cert` and `gen crl`), DIR/server and\n" +
			"DIR/client (DIR/client-NAME for each client when there are several).\n" +
			"Defaults: name localhost, IPs 127.0.0.1 and ::1, one client, ECDSA P-256, 1 year leaves, 10 year CA.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "output directory"},
			layoutFlag, nameFlag, ipFlag,
			&cli.StringSliceFlag{Name: "client", Usage: "client certificate name (repeatable)"},
			keyFlag,
			&cli.StringFlag{Name: "valid", Value: "1y", Usage: "leaf lifetime (e.g. 90d, 1y, 12h)"},
			&cli.StringFlag{Name: "ca-valid", Value: "10y", Usage: "CA lifetime"},
			&cli.BoolFlag{Name: "intermediate", Usage: "issue the leaves from an intermediate CA"},
			keyFmtFlag, passFlag, forceFlag, genFormatFlag,
		},
		Action: genPKI,
	}
}

// genOptions are the flags shared by the gen commands, parsed and checked.
type genOptions struct {
	layout   layout.Name
	keyType  fixtures.KeyType
	keyFmt   privkey.Format
	password []byte
	names    []string
	ips      []net.IP
	valid    time.Duration
}

func parseGenOptions(c *cli.Context) (genOptions, error) {
	var o genOptions
	var err error
	if c.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags go before arguments; see --help)", c.Args().First())
	}
	if o.layout, err = layout.Parse(c.String("layout")); err != nil {
		return o, fmt.Errorf("--layout: %w", err)
	}
	if o.keyType, err = fixtures.ParseKeyType(c.String("key")); err != nil {
		return o, fmt.Errorf("--key: %w", err)
	}
	if o.keyFmt, err = privkey.ParseFormat(c.String("key-format")); err != nil {
		return o, fmt.Errorf("--key-format: %w", err)
	}
	if f := c.String("key-password-file"); f != "" {
		if o.password, err = readPasswordFile("key-password-file", f); err != nil {
			return o, err
		}
	}
	if (o.keyFmt == privkey.EncryptedPKCS8 || o.keyFmt == privkey.LegacyPEM) != (o.password != nil) {
		return o, fmt.Errorf("--key-password-file goes with --key-format encrypted-pkcs8 (and only with it)")
	}
	o.names = c.StringSlice("name")
	if o.ips, err = parseIPs(c.StringSlice("ip")); err != nil {
		return o, err
	}
	if o.valid, err = parseDuration("valid", c.String("valid")); err != nil {
		return o, err
	}
	return o, nil
}

func genPKI(c *cli.Context) error {
	o, err := parseGenOptions(c)
	if err != nil {
		return usageErr(err)
	}
	out := c.String("out")
	if out == "" {
		return usageErrf("--out DIR is required")
	}
	caValid, err := parseDuration("ca-valid", c.String("ca-valid"))
	if err != nil {
		return usageErr(err)
	}
	g := fixtures.New(time.Now())
	p, err := g.PKI(fixtures.PKIOptions{
		Names: o.names, IPs: o.ips, Clients: c.StringSlice("client"), KeyType: o.keyType,
		LeafLifetime: o.valid, CALifetime: caValid, Intermediate: c.Bool("intermediate"),
	})
	if err != nil {
		return usageErr(err)
	}
	outs, err := p.Write(out, fixtures.WriteOptions{Layout: o.layout, KeyFormat: o.keyFmt, KeyPassword: o.password, Force: c.Bool("force")})
	if err != nil {
		return writeErr(err)
	}
	if c.String("format") == "json" {
		r := genReport{Command: "pki", Out: out, Layout: string(o.layout), KeyType: string(o.keyType)}
		for _, d := range outs {
			gd := genDir{Role: d.Role, Dir: d.Dir, Files: d.Files, Certificate: genCertOf(d.Cert)}
			if d.Issuer != nil && d.Issuer != d.Cert {
				ic := genCertOf(d.Issuer)
				gd.Issuer = &ic
			}
			r.Directories = append(r.Directories, gd)
		}
		return writeGenJSON(c.App.Writer, r)
	}
	fmt.Fprintf(c.App.Writer, "Created a test PKI in %s (%s keys, %s layout)\n\n", lint.Printable(out), o.keyType, o.layout)
	for _, d := range outs {
		printWritten(c.App.Writer, d.Role, d.Dir, d.Cert)
		if d.Issuer != nil && d.Issuer != d.Cert {
			printWritten(c.App.Writer, "", "  (intermediate)", d.Issuer)
		}
	}
	fmt.Fprint(c.App.Writer, useHint(o.layout, lint.Printable(absPath(filepath.Join(out, "server"))), lint.Printable(absPath(filepath.Join(out, "client")))))
	return nil
}

// useHint says how the consumer of each layout takes the directories,
// in words that consumer accepts: QEMU reads ca-cert.pem and
// server-cert.pem from dir=, libvirt's flat files are named one by one
// in libvirtd.conf and found by pkipath= in a client URI, Kubernetes
// mounts a Secret made from the files.
func useHint(l layout.Name, server, client string) string {
	switch l {
	case layout.Libvirt:
		return fmt.Sprintf("\nUse it with libvirt: in libvirtd.conf (or virtproxyd.conf)\n"+
			"  ca_file = \"%[1]s/cacert.pem\"\n  cert_file = \"%[1]s/servercert.pem\"\n  key_file = \"%[1]s/serverkey.pem\"\n"+
			"and on the client: virsh -c 'qemu+tls://localhost/system?pkipath=%[2]s'\n", server, client)
	case layout.Kubernetes:
		return fmt.Sprintf("\nUse it with Kubernetes: kubectl create secret generic tls-server --type=kubernetes.io/tls --from-file=%s\n", server)
	}
	return fmt.Sprintf("\nUse it with QEMU: -object tls-creds-x509,id=tls0,endpoint=server,dir=%s\n", server)
}

func writeErr(err error) error {
	if errors.Is(err, fixtures.ErrExists) {
		return usageErr(err, "pass --force to overwrite, or choose another --out")
	}
	return usageErr(err)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// genSchema names the JSON of gen pki and gen cert.
const genSchema = "tlscreds.gen/v1"

var genFormatFlag = enum(&cli.StringFlag{Name: "format", Value: "text", EnvVars: formatEnv,
	Usage: "json is schema " + genSchema + " (docs/schema/tlscreds.gen.v1.json): what was written, never key material"}, "text", "json")

// genReport is the JSON of gen pki and gen cert: the directories and
// files written and the certificates in them, never a key.
type genReport struct {
	Schema      string   `json:"schema"`
	Command     string   `json:"command"` // pki or cert
	Out         string   `json:"out"`
	Layout      string   `json:"layout"`
	KeyType     string   `json:"key_type"`
	Directories []genDir `json:"directories"`
}

type genDir struct {
	Role        string      `json:"role"` // ca, server or client
	Dir         string      `json:"dir"`
	Files       []string    `json:"files"`
	Certificate genCertJSON `json:"certificate"`
	// Issuer is, for the ca directory of a PKI with an intermediate, the
	// intermediate that issues new leaves.
	Issuer *genCertJSON `json:"issuer,omitempty"`
}

type genCertJSON struct {
	Subject           string   `json:"subject"`
	Names             []string `json:"names"` // DNS and IP SANs
	NotAfter          string   `json:"not_after"`
	SHA256Fingerprint string   `json:"sha256_fingerprint"`
}

func genCertOf(c *fixtures.Cert) genCertJSON {
	ci := creds.DescribeCert(c.Cert, time.Now())
	names := append([]string{}, c.Cert.DNSNames...)
	for _, ip := range c.Cert.IPAddresses {
		names = append(names, ip.String())
	}
	return genCertJSON{Subject: ci.Subject, Names: names, NotAfter: c.Cert.NotAfter.UTC().Format(time.RFC3339), SHA256Fingerprint: ci.SHA256Fingerprint}
}

func writeGenJSON(w io.Writer, r genReport) error {
	r.Schema = genSchema
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}

// printWritten prints one written directory the way mkcert does: what,
// where, for which names, and when it expires.
func printWritten(w io.Writer, role, dir string, c *fixtures.Cert) {
	x := c.Cert
	var names []string
	names = append(names, x.DNSNames...)
	for _, ip := range x.IPAddresses {
		names = append(names, ip.String())
	}
	what := certname.Of(x)
	if role == "server" && len(names) > 0 {
		what = strings.Join(names, ", ")
	}
	if role != "" {
		dir += string(filepath.Separator)
	}
	fmt.Fprintf(w, "  %-7s %-28s %s, expires %s\n", role, lint.Printable(dir), lint.Printable(what), x.NotAfter.UTC().Format("2 January 2006"))
}

func genCertCommand() *cli.Command {
	return &cli.Command{
		Name:      "cert",
		Usage:     "issue one more server or client credential directory from an existing CA",
		UsageText: "tlscreds gen cert --ca DIR/ca (--server|--client) --out DIR [--name HOST]... [--ip ADDR]... [--cn NAME] [--key TYPE] [--valid D] [--layout L] [--force]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ca", Usage: "`DIR`: the CA directory gen pki wrote (PKI/ca)"},
			&cli.BoolFlag{Name: "server", Usage: "issue a server certificate"},
			&cli.BoolFlag{Name: "client", Usage: "issue a client certificate"},
			&cli.StringFlag{Name: "out", Usage: "credential directory to write"},
			&cli.StringFlag{Name: "cn", Usage: "subject common name (default: the first name, or \"client\")"},
			nameFlag, ipFlag, keyFlag,
			&cli.StringFlag{Name: "valid", Value: "1y", Usage: "lifetime (e.g. 90d, 1y)"},
			layoutFlag, keyFmtFlag, passFlag, forceFlag, genFormatFlag,
		},
		Action: genCert,
	}
}

func genCert(c *cli.Context) error {
	o, err := parseGenOptions(c)
	if err != nil {
		return usageErr(err)
	}
	if c.String("ca") == "" || c.String("out") == "" {
		return usageErrf("--ca DIR and --out DIR are required")
	}
	if c.Bool("server") == c.Bool("client") {
		return usageErrf("give exactly one of --server and --client")
	}
	ca, err := fixtures.LoadCA(c.String("ca"))
	if err != nil {
		return usageErr(fmt.Errorf("--ca: %w", err), "point --ca at the ca/ directory written by `tlscreds gen pki`")
	}
	spec := fixtures.Spec{KeyType: o.keyType, DNSNames: o.names, IPAddresses: o.ips, CommonName: c.String("cn"), Lifetime: o.valid}
	g := fixtures.New(time.Now())
	dir := fixtures.Dir{KeyFormat: o.keyFmt, KeyPassword: o.password}
	for x := ca; x != nil; x = x.Issuer {
		dir.CA = append([]*x509.Certificate{x.Cert}, dir.CA...)
	}
	role := "server"
	if c.Bool("server") {
		if len(o.names) == 0 && len(o.ips) == 0 {
			return usageErrf("a server certificate needs at least one --name or --ip")
		}
		dir.Server, err = g.Server(ca, spec)
	} else {
		role = "client"
		if spec.CommonName == "" {
			spec.CommonName = "client"
		}
		dir.Client, err = g.Client(ca, spec)
	}
	if err != nil {
		return usageErr(err)
	}
	files, err := dir.Write(c.String("out"), o.layout, c.Bool("force"))
	if err != nil {
		return writeErr(err)
	}
	leaf := dir.Server
	if leaf == nil {
		leaf = dir.Client
	}
	if c.String("format") == "json" {
		return writeGenJSON(c.App.Writer, genReport{Command: "cert", Out: c.String("out"), Layout: string(o.layout), KeyType: string(o.keyType),
			Directories: []genDir{{Role: role, Dir: c.String("out"), Files: files, Certificate: genCertOf(leaf)}}})
	}
	fmt.Fprintf(c.App.Writer, "Issued a %s certificate from \"%s\"\n\n", role, lint.Printable(ca.Cert.Subject.CommonName))
	printWritten(c.App.Writer, role, c.String("out"), leaf)
	return nil
}

func genCRLCommand() *cli.Command {
	return &cli.Command{
		Name:      "crl",
		Usage:     "write a CRL signed by the CA that revokes certificates",
		UsageText: "tlscreds gen crl --ca DIR/ca [--revoke FILE_OR_SERIAL]... --out FILE [--next-update D] [--force]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ca", Usage: "`DIR`: the CA directory gen pki wrote (PKI/ca)"},
			&cli.StringSliceFlag{Name: "revoke", Usage: "certificate file or serial number (decimal, 0x-hex or colon-hex) to revoke (repeatable)"},
			&cli.StringFlag{Name: "out", Usage: "CRL file to write (e.g. DIR/server/ca-crl.pem)"},
			&cli.StringFlag{Name: "next-update", Value: "90d", Usage: "how long the CRL is valid (the default stays clear of lint --warn-within 30d)"},
			forceFlag,
		},
		Action: genCRL,
	}
}

func genCRL(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("unexpected argument %q (flags go before arguments; see --help)", c.Args().First())
	}
	if c.String("ca") == "" || c.String("out") == "" {
		return usageErrf("--ca DIR and --out FILE are required")
	}
	next, err := parseDuration("next-update", c.String("next-update"))
	if err != nil {
		return usageErr(err)
	}
	ca, err := fixtures.LoadCA(c.String("ca"))
	if err != nil {
		return usageErr(fmt.Errorf("--ca: %w", err))
	}
	var serials []*big.Int
	for _, r := range c.StringSlice("revoke") {
		s, err := revokedSerial(r, c.App.Reader)
		if err != nil {
			return usageErr(err)
		}
		serials = append(serials, s)
	}
	now := time.Now()
	data, err := fixtures.New(now).CRL(ca, fixtures.CRLSpec{Revoked: serials, ThisUpdate: now.Add(-time.Hour), NextUpdate: now.Add(next)})
	if err != nil {
		return usageErr(err)
	}
	out := c.String("out")
	if _, err := fixtures.WriteFiles(filepath.Dir(out), []fixtures.File{{Name: filepath.Base(out), Data: data}}, c.Bool("force")); err != nil {
		return writeErr(err)
	}
	fmt.Fprintf(c.App.Writer, "Wrote %s: %d revoked, signed by \"%s\", next update %s\n", lint.Printable(out), len(serials), lint.Printable(ca.Cert.Subject.CommonName), now.Add(next).UTC().Format("2 January 2006"))
	return nil
}

// revokedSerial reads a serial number, or the serial of a certificate file
// (read with safefile.ReadNamed: "-" is standard input, a FIFO or device
// never hangs the command).
func revokedSerial(s string, stdin io.Reader) (*big.Int, error) {
	data, err := safefile.ReadNamed(s, safefile.Named{Stdin: stdin})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--revoke %w", err)
	}
	if err == nil {
		b, _ := pem.Decode(data)
		if b == nil || b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("--revoke %s: not a PEM certificate", s)
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("--revoke %s: %w", s, err)
		}
		return cert.SerialNumber, nil
	}
	t := strings.ToLower(strings.ReplaceAll(s, ":", ""))
	base := 10
	if strings.HasPrefix(t, "0x") {
		t, base = t[2:], 16
	} else if strings.Contains(s, ":") {
		base = 16
	}
	n, ok := new(big.Int).SetString(t, base)
	if !ok || n.Sign() <= 0 {
		return nil, fmt.Errorf("--revoke %q: neither a readable certificate file nor a positive serial number", s)
	}
	return n, nil
}
