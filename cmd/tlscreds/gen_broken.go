package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

func genBrokenCommand() *cli.Command {
	return &cli.Command{
		Name:  "broken",
		Usage: "write deliberately broken credential sets, one per lint rule, to test error paths",
		UsageText: "tlscreds gen broken --list\n" +
			"   tlscreds gen broken --out DIR [--force] RULE\n" +
			"   tlscreds gen broken --all --out DIR [--force]   (one subdirectory per rule)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "list", Usage: "list the broken sets"},
			&cli.BoolFlag{Name: "all", Usage: "write every broken set below --out"},
			&cli.StringFlag{Name: "out", Usage: "directory to write"},
			forceFlag,
		},
		Action: genBroken,
	}
}

func genBroken(c *cli.Context) error {
	args := c.Args().Slice()
	w := c.App.Writer
	if c.Bool("list") {
		for _, b := range fixtures.BrokenSets() {
			prof := b.Profile
			if prof == "" {
				prof = "qemu"
			}
			fmt.Fprintf(w, "%-38s %-6s %-11s %s\n", b.Rule, b.Endpoint, prof, b.Description)
		}
		return nil
	}
	out := c.String("out")
	if out == "" {
		return usageErrf("--out DIR is required (or --list)")
	}
	var sets []fixtures.Broken
	switch {
	case c.Bool("all") && len(args) == 0:
		sets = fixtures.BrokenSets()
	case !c.Bool("all") && len(args) == 1:
		b, ok := fixtures.LookupBroken(args[0])
		if !ok {
			return usageErr(fmt.Errorf("no broken set for rule %q", args[0]), "list them with `tlscreds gen broken --list`")
		}
		sets = []fixtures.Broken{b}
	default:
		return usageErrf("give one RULE, or --all (flags go before the RULE)")
	}
	g := fixtures.New(time.Now())
	for _, b := range sets {
		dir := out
		if c.Bool("all") {
			dir = filepath.Join(out, b.Rule)
		}
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !c.Bool("force") {
			return usageErr(fmt.Errorf("%s: %w", dir, fixtures.ErrExists), "pass --force to overwrite, or choose another --out")
		}
		if c.Bool("force") {
			if err := clearCredentialDir(dir); err != nil {
				return usageErr(err)
			}
		}
		if err := b.Write(g, dir); err != nil {
			return usageErr(err)
		}
		fmt.Fprintf(w, "%-38s %s  (%s)\n", b.Rule, lint.Printable(dir), lint.Printable(brokenLintCommand(b, dir)))
	}
	return nil
}

// brokenLintCommand is the lint command line that reports b's rule on
// the set written to dir: the directory when lint finds it as the set
// needs, else the set's own -object spec (another kind of object, a key
// password, verify-peer=off, a priority=, a layout=).
func brokenLintCommand(b fixtures.Broken, dir string) string {
	cmd := "tlscreds lint"
	if b.Profile != "" {
		cmd += " --profile " + b.Profile
	}
	for _, h := range b.Hosts {
		cmd += " --host " + shellQuote(h)
	}
	if b.WarnWithin > 0 {
		cmd += fmt.Sprintf(" --warn-within %dd", int(b.WarnWithin.Hours()/24))
	}
	if b.AsUser != "" {
		cmd += " --as-user " + shellQuote(b.AsUser)
	}
	if len(b.LibvirtSettings) > 0 {
		// No lint flag takes libvirt's settings (tls_priority, ...) yet.
		return cmd + " --endpoint " + b.Endpoint + " " + shellQuote(dir) + "; used with libvirt's " + strings.Join(b.LibvirtSettings, " ") +
			", which lint cannot be told on the command line"
	}
	if b.Kind == "" && b.Password == "" && !b.VerifyPeerOff && b.Priority == "" && b.Layout == "" {
		return cmd + " --endpoint " + b.Endpoint + " " + shellQuote(dir)
	}
	if sec := b.SecretSpec(); sec != "" {
		cmd += " --object " + shellQuote(sec)
	}
	return cmd + " --object " + shellQuote(b.ObjectSpec(dir))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// clearCredentialDir empties a directory a previous `gen broken` wrote,
// so sets do not mix. It refuses when the directory holds anything that is
// not a credential file name, so --force can never wipe unrelated files.
func clearCredentialDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	known := map[string]bool{"keys.psk": true, "ca-key.pem": true}
	for _, l := range layout.All {
		for _, n := range layout.Of(l).Names() {
			known[n] = true
		}
	}
	for _, e := range entries {
		if !known[e.Name()] {
			return fmt.Errorf("refusing to clear %s for --force: it holds %s, which is not a credential file", dir, e.Name())
		}
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
