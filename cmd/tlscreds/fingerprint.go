package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/urfave/cli/v2"
)

func fingerprintCommand() *cli.Command {
	return &cli.Command{
		Name:      "fingerprint",
		Usage:     "print the SHA-256 fingerprint and SPKI pins of every certificate in files",
		UsageText: "tlscreds fingerprint [--format text|json] [--password-file F] FILE...",
		Description: "For each certificate (PEM bundle, DER, or PKCS#12 with --password-file):\n" +
			"  sha256 Fingerprint=AB:CD:...   exactly as `openssl x509 -noout -fingerprint -sha256` (OpenSSL 3) prints it\n" +
			"  pin-sha256:BASE64              SHA-256 of the public key (SPKI), as certtool's \"Public Key PIN\";\n" +
			"                                 curl --pinnedpubkey sha256//BASE64, HPKP pin-sha256=\"BASE64\"\n" +
			"  spki-sha256:HEX                the same hash in hex (certtool's \"Public Key ID\" sha256:HEX)\n" +
			"With more than one certificate, each block starts with a line naming the file, the\n" +
			"certificate's position in it and its subject.\n" +
			"--format json prints {\"schema\":\"tlscreds.fingerprint/v1\",\"certificates\":[...]}.\n\n" +
			fileExitHelp,
		Flags: []cli.Flag{
			enum(&cli.StringFlag{Name: "format", Value: "text", Usage: "json is schema " + fingerprintSchema + " (docs/schema/)"}, "text", "json"),
			outputFlag,
			&cli.StringFlag{Name: "password-file", Usage: "file holding the password of PKCS#12 files (a trailing newline is ignored)"},
		},
		Action: runFingerprint,
	}
}

const fingerprintSchema = "tlscreds.fingerprint/v1"

type fingerprintEntry struct {
	File              string `json:"file"`
	Index             int    `json:"index"` // 0-based position in the file
	Subject           string `json:"subject"`
	SHA256Fingerprint string `json:"sha256_fingerprint"`
	PinSHA256         string `json:"pin_sha256"`
	SPKISHA256        string `json:"spki_sha256"` // hex, without the "sha256:" prefix

	info creds.CertInfo
}

func runFingerprint(c *cli.Context) error {
	files := c.Args().Slice()
	format := c.String("format")
	if len(files) == 0 {
		return usageErrf("give at least one certificate FILE")
	}
	var password []byte
	if f := c.String("password-file"); f != "" {
		var err error
		if password, err = readPasswordFile("password-file", f); err != nil {
			return usageErr(err)
		}
	}
	now := time.Now()
	entries := []fingerprintEntry{}
	for _, f := range files {
		if strings.HasPrefix(f, "-") {
			return usageErrf("flag %q after a file: flags go before files (see --help)", f)
		}
		fc, err := creds.ReadContents(f, password)
		switch {
		case errors.Is(err, creds.ErrP12Password):
			return usageErr(err, "give the PKCS#12 password with --password-file FILE")
		case err != nil:
			return usageErr(err)
		case len(fc.Certs) == 0:
			return usageErrf("%s: no certificate in the file (it holds a private key)", f)
		}
		for i, cert := range fc.Certs {
			ci := creds.DescribeCert(cert, now)
			entries = append(entries, fingerprintEntry{
				File: f, Index: i, Subject: ci.Subject, SHA256Fingerprint: ci.SHA256Fingerprint,
				PinSHA256: ci.PinSHA256, SPKISHA256: strings.TrimPrefix(ci.SPKISHA256, "sha256:"), info: ci,
			})
		}
	}
	w := c.App.Writer
	if format == "json" {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(struct {
			Schema       string             `json:"schema"`
			Certificates []fingerprintEntry `json:"certificates"`
		}{fingerprintSchema, entries})
	}
	for i, e := range entries {
		if len(entries) > 1 {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%s #%d: %s\n", cell(e.File), e.Index+1, cell(e.Subject))
		}
		fmt.Fprintln(w, e.info.OpenSSLFingerprint())
		fmt.Fprintf(w, "pin-sha256:%s\nspki-sha256:%s\n", e.PinSHA256, e.SPKISHA256)
	}
	return nil
}
