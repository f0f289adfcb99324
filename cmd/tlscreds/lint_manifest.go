package main

import (
	"errors"
	"fmt"

	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

// runCheckManifest is `tlscreds lint --manifest FILE`: the manifest's
// objects and endpoints, with lint's output formats and exit codes.
func runCheckManifest(c *cli.Context, f lintFlags, path string) error {
	if c.NArg() > 0 || len(c.StringSlice("object")) > 0 || c.String("libvirt-qemu-conf") != "" || c.Bool("recursive") || c.Bool("libvirt") {
		return usageErrf("--manifest lints the objects the manifest declares: give no paths, --object, -r, --libvirt or --libvirt-qemu-conf with it")
	}
	for _, name := range []string{"host", "endpoint", "verify-peer"} {
		if c.IsSet(name) {
			return usageErrf("--%s does not go with --manifest: the manifest's endpoints say it (hosts, role, verify-peer)", name)
		}
	}
	m, err := manifest.Load(path)
	if err != nil {
		var me *manifest.Error
		if errors.As(err, &me) {
			// One problem per line (run prints each error of a join on
			// its own line), as a compiler lists them.
			return usageErr(err, "the manifest's format is in docs/sharing.md")
		}
		return usageErr(err)
	}
	// A user the manifest names (as-user) must exist on the host checked,
	// as for --as-user: a typo is a usage error, not a finding.
	if err := lint.ManifestUsers(m, f.opts.Root); err != nil {
		return usageErr(err)
	}
	if f.opts.AsUser == nil && lint.ManifestNamesUsers(m) {
		if note := lint.AsUserNote(f.opts.Root); note != "" {
			fmt.Fprintln(c.App.ErrWriter, "tlscreds: note: "+note)
		}
	}
	results := lint.CheckManifest(m, f.opts)
	rep, err := openReporters(c, f)
	if err != nil {
		return err
	}
	defer rep.flush() // what was reported before an error
	for _, r := range results {
		if err := rep.Add(r); err != nil {
			return err
		}
	}
	if err := rep.Close(); err != nil {
		return err
	}
	if rep.failed {
		return &cmdError{err: fmt.Errorf("findings at or above %s (see above; --fail-on sets the threshold)", f.failOn), code: exitFailed}
	}
	return nil
}
