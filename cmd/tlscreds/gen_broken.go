package main

import (
	"fmt"
	"os"
	"path/filepath"
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
		hint := ""
		if b.Profile != "" {
			hint += " --profile " + b.Profile
		}
		for _, h := range b.Hosts {
			hint += " --host " + h
		}
		if b.WarnWithin > 0 {
			hint += fmt.Sprintf(" --warn-within %dd", int(b.WarnWithin.Hours()/24))
		}
		fmt.Fprintf(w, "%-38s %s  (tlscreds lint --endpoint %s%s %s)\n", b.Rule, lint.Printable(dir), b.Endpoint, hint, lint.Printable(dir))
	}
	return nil
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
