package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose"
	"github.com/urfave/cli/v2"
)

func pairCommand() *cli.Command {
	return &cli.Command{
		Name:  "pair",
		Usage: "run the handshake between a server and a client object in-process and say whether they talk; exit 1 when not",
		UsageText: "tlscreds pair --server SPEC|DIR --client SPEC|DIR [--host NAME] [--object SECRET]... [--format table|json]\n" +
			"   tlscreds pair --manifest FILE [--format table|json]   (trust matrix of every client and server endpoint)",
		Description: "Builds the server's and the client's tls.Config with the same factories a Go program uses\n" +
			"(creds.ServerConfig, creds.ClientConfig), runs the handshake between them in memory, once over\n" +
			"TLS 1.2 and once over TLS 1.3, and explains each side's view of a failure: which object is at\n" +
			"fault, why, and what to change. An object that does not load is reported with the lint rules\n" +
			"that name the problem. SPEC is a QEMU -object spec; DIR a credential directory (its endpoint is\n" +
			"the flag's). --host is the name the client connects to (default: the server certificate's first\n" +
			"name). --object adds secret objects for a passwordid.\n\n" +
			"EXIT STATUS:\n" +
			"   0  the handshake completes over every TLS version both objects allow\n" +
			"   1  it fails, or an object does not load; the causes are printed\n" +
			"   2  usage error\n",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "server", Usage: "server object: QEMU spec (endpoint=server) or credential directory"},
			&cli.StringFlag{Name: "client", Usage: "client object: QEMU spec (endpoint=client) or credential directory"},
			&cli.StringFlag{Name: "host", Usage: "name or address the client connects to (default: from the server certificate)"},
			&cli.StringSliceFlag{Name: "object", Usage: "secret object for a passwordid (repeatable)"},
			enum(&cli.StringFlag{Name: "format", Value: "table", EnvVars: formatEnv, Usage: "json is schema " + diagnose.PairSchema}, "table", "json"),
			outputFlag,
			&cli.StringFlag{Name: "manifest", Usage: "pair every client endpoint of a manifest with every server endpoint"},
			&cli.StringSliceFlag{Name: "kube-secrets", Usage: kubeSecretsUsage + "; name one as --server secret:NAMESPACE/NAME"},
		},
		Action: runPair,
	}
}

func runPair(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("pair takes no arguments (got %q): give --server and --client", c.Args().First())
	}
	format := c.String("format")
	if mf := c.String("manifest"); mf != "" {
		if c.String("server") != "" || c.String("client") != "" {
			return usageErrf("--manifest pairs the manifest's endpoints: drop --server and --client")
		}
		return runPairManifest(c, mf, format)
	}
	var secrets creds.Specs
	for _, s := range c.StringSlice("object") {
		if err := secrets.Add(s); err != nil {
			return usageErr(err)
		}
	}
	if len(secrets.Objects) > 0 {
		return usageErrf("--object takes secret objects only; give the credentials objects with --server and --client")
	}
	kube, err := loadSecrets(c.StringSlice("kube-secrets"), c.App.Reader)
	if err != nil {
		return usageErr(err)
	}
	srv, err := kube.target(c.String("server"), "server", creds.EndpointServer)
	if err == errNotSecret {
		srv, err = pairTarget(c.String("server"), "server", creds.EndpointServer, secrets)
	}
	if err != nil {
		return usageErr(err)
	}
	cli, err := kube.target(c.String("client"), "client", creds.EndpointClient)
	if err == errNotSecret {
		cli, err = pairTarget(c.String("client"), "client", creds.EndpointClient, secrets)
	}
	if err != nil {
		return usageErr(err)
	}
	rep := diagnose.PairTargets(srv, cli, c.String("host"), diagnose.PairOptions{})
	if format == "json" {
		err = diagnose.WritePairJSON(c.App.Writer, rep)
	} else {
		err = diagnose.WritePairTable(c.App.Writer, rep)
	}
	if err != nil {
		return err
	}
	if rep.OK {
		return nil
	}
	return &cmdError{err: fmt.Errorf("server %s and client %s do not complete the handshake: %s", rep.Server, rep.Client, headline(rep.Findings())), code: exitFailed}
}

// pairTarget reads --server or --client: a spec, or a directory.
func pairTarget(v, flag string, ep creds.Endpoint, secrets creds.Specs) (lint.Target, error) {
	if v == "" {
		return lint.Target{}, fmt.Errorf("--%s is required (a QEMU object spec or a credential directory)", flag)
	}
	if st, err := os.Stat(v); err == nil && st.IsDir() || !looksLikeSpec(v) {
		t, err := lint.DirTarget(flag, v, ep)
		if err != nil {
			return lint.Target{}, fmt.Errorf("--%s: %w", flag, err)
		}
		return t, nil
	}
	specs := secrets
	specs.Objects = nil
	if err := addSpec(&specs, v); err != nil {
		return lint.Target{}, fmt.Errorf("--%s: %w", flag, err)
	}
	if len(specs.Objects) != 1 {
		return lint.Target{}, fmt.Errorf("--%s: want a tls-creds-* object, not a secret", flag)
	}
	sp := specs.Objects[0]
	if sp.Endpoint != ep {
		return lint.Target{}, fmt.Errorf("--%s: object %s has endpoint=%s; the %s needs endpoint=%s", flag, sp.ID, sp.Endpoint, flag, ep)
	}
	pw, err := specs.Password(sp)
	if err != nil {
		return lint.Target{}, fmt.Errorf("--%s: %w", flag, err)
	}
	return lint.Target{Spec: sp, Password: pw}, nil
}

func looksLikeSpec(v string) bool {
	return strings.HasPrefix(strings.TrimSpace(v), "{") || strings.HasPrefix(v, "tls-creds-") || strings.Contains(v, "qom-type=")
}
