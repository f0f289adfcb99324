package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// numericFlags lists every numeric or duration flag of every command,
// with the command line that reaches its check. TestFlagBoundsComplete
// keeps this list, flagBounds and the commands in step.
func numericFlags(dir string) map[string][]string {
	out := filepath.Join(dir, "out")
	return map[string][]string{
		"valid":             {"gen", "pki", "--out", out, "--valid"},
		"ca-valid":          {"gen", "pki", "--out", out, "--ca-valid"},
		"next-update":       {"gen", "crl", "--ca", dir, "--out", out, "--next-update"},
		"warn-within":       {"lint", "--warn-within"},
		"timeout":           {"diagnose", "--timeout"},
		"read-wait":         {"diagnose", "--read-wait"},
		"stdin-timeout":     {"explain", "--stdin-timeout"},
		"handshake-timeout": {"serve", "--handshake-timeout"},
		"reload-interval":   {"serve", "--reload-interval"},
		"max-conns":         {"serve", "--max-conns"},
		"interval":          {"exporter", "--listen", "127.0.0.1:0", "--interval"},
		"poll":              {"exporter", "--listen", "127.0.0.1:0", "--poll"},
	}
}

// TestFlagBoundsComplete: every Int/Duration/Float flag of every command
// has bounds, every bounded flag exists, and every bounded flag is in the
// table TestFlagBounds drives.
func TestFlagBoundsComplete(t *testing.T) {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	seen := map[string]bool{}
	var walk func(path string, cmds []*cli.Command)
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			for _, f := range c.Flags {
				name := f.Names()[0]
				seen[name] = true
				switch f.(type) {
				case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag, *cli.Uint64Flag, *cli.DurationFlag, *cli.Float64Flag:
					if _, ok := flagBounds[name]; !ok {
						t.Errorf("%s %s --%s is numeric but has no entry in flagBounds", path, c.Name, name)
					}
				}
			}
			walk(path+" "+c.Name, c.Subcommands)
		}
	}
	walk("tlscreds", app.Commands)
	table := numericFlags(t.TempDir())
	for name := range flagBounds {
		if !seen[name] {
			t.Errorf("flagBounds has --%s, which no command has", name)
		}
		if _, ok := table[name]; !ok {
			t.Errorf("--%s is bounded but not in numericFlags: TestFlagBounds does not drive it", name)
		}
	}
}

// TestFlagBounds drives every numeric and duration flag with values below,
// at zero, negative, above and beyond its range, and garbage: each is a
// usage error (exit 2) naming the flag, never a panic, a hang or a silent
// "no limit".
func TestFlagBounds(t *testing.T) {
	dir := t.TempDir()
	table := numericFlags(dir)
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		b := flagBounds[name]
		isCount := name == "max-conns"
		var bad []string
		if isCount {
			bad = []string{"0", "-1", fmt.Sprint(b.max + 1), "-9223372036854775808", "99999999999999999999", "x", "1.5"}
		} else {
			bad = []string{"0s", "0", "-1s", "-5d", "300y", "9223372036854775807d", "-9223372036854775807y", "2562048h", "x", "1e9s"}
			if b.min > 1 {
				bad = append(bad, "1ns")
			}
		}
		if name == "warn-within" {
			bad = append(bad, "NaN%", "0%", "-5%", "101%", "1e9%", "%")
		}
		for _, v := range bad {
			args := append([]string{"tlscreds"}, table[name]...)
			args = append(args, v)
			if strings.HasPrefix(args[1], "lint") || args[1] == "diagnose" {
				args = append(args, "127.0.0.1:1")
			}
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			msg := stderr.String()
			if code != exitUsage || !strings.Contains(msg, "--"+name) || strings.Contains(msg, "panic") {
				t.Errorf("%s: exit %d, stderr %q; want exit 2 naming --%s", strings.Join(args[1:], " "), code, msg, name)
			}
		}
	}
}
