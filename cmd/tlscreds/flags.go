package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"

	"github.com/urfave/cli/v2"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/keyval"
)

// flagBound is the range a numeric or duration flag accepts. Every such
// flag of every command is in [flagBounds]; a test walks the commands to
// keep it so.
type flagBound struct {
	min, max int64 // durations in nanoseconds
	why      string
}

const (
	day  = 24 * time.Hour
	year = 365 * day
)

// flagBounds holds the accepted range of each numeric and duration flag,
// by flag name. A value outside is a usage error (exit 2) naming the flag
// and the range; none is silently clamped or turned into "no limit".
var flagBounds = map[string]flagBound{
	// certificate and CRL lifetimes: X.509 dates end at year 9999, and a
	// time.Duration at 292 years.
	"valid":       {int64(time.Second), int64(200 * year), "a certificate lifetime"},
	"ca-valid":    {int64(time.Second), int64(200 * year), "a certificate lifetime"},
	"next-update": {int64(time.Second), int64(200 * year), "a CRL lifetime"},
	"warn-within": {int64(time.Second), int64(200 * year), "an expiry warning window"},
	// network bounds: zero would mean "no bound" and a negative one fails
	// every attempt.
	"timeout":           {int64(time.Millisecond), int64(day), "a connection time limit"},
	"handshake-timeout": {int64(time.Millisecond), int64(day), "a handshake time limit"},
	"read-wait":         {int64(time.Millisecond), int64(day), "a wait for the server's first answer"},
	"stdin-timeout":     {int64(time.Millisecond), int64(day), "a wait for standard input to end"},
	// polling: zero would silently turn reloading off, tiny values spin.
	"reload-interval": {int64(10 * time.Millisecond), int64(day), "a polling interval"},
	"max-conns":       {1, 1 << 20, "a connection count"},
	// the exporter: a full check of every source, and a stat of every
	// file it read.
	"interval": {int64(time.Second), int64(day), "a check interval"},
	"poll":     {int64(10 * time.Millisecond), int64(day), "a polling interval"},
}

// checkDuration checks d against the flag's bounds.
func checkDuration(flag string, d time.Duration, text string) error {
	b, ok := flagBounds[flag]
	if !ok {
		panic("flagBounds has no entry for --" + flag) // a test keeps the table complete
	}
	if int64(d) < b.min || int64(d) > b.max {
		return fmt.Errorf("--%s %s: out of range for %s: want %v to %s", flag, text, b.why, time.Duration(b.min), humanDuration(time.Duration(b.max)))
	}
	return nil
}

// checkInt checks n against the flag's bounds.
func checkInt(flag string, n int) error {
	b, ok := flagBounds[flag]
	if !ok {
		panic("flagBounds has no entry for --" + flag)
	}
	if int64(n) < b.min || int64(n) > b.max {
		return fmt.Errorf("--%s %d: out of range for %s: want %d to %d", flag, n, b.why, b.min, b.max)
	}
	return nil
}

// humanDuration writes whole years and days as such.
func humanDuration(d time.Duration) string {
	switch {
	case d >= year && d%year == 0:
		return fmt.Sprintf("%dy", d/year)
	case d >= day && d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	}
	return d.String()
}

// parseDuration accepts Go durations ("12h", "90m") and whole days or
// years ("30d", "1y" = 365 days), which certificate lifetimes are given
// in, within the flag's [flagBounds].
func parseDuration(flag, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	switch {
	case strings.HasSuffix(s, "d"), strings.HasSuffix(s, "y"):
		unit := day
		if strings.HasSuffix(s, "y") {
			unit = year
		}
		var n int64
		n, err = strconv.ParseInt(s[:len(s)-1], 10, 64)
		if err == nil && (n > math.MaxInt64/int64(unit) || n < math.MinInt64/int64(unit)) {
			b := flagBounds[flag]
			return 0, fmt.Errorf("--%s %q: out of range for %s: want at most %s", flag, s, b.why, humanDuration(time.Duration(b.max)))
		}
		d = time.Duration(n) * unit
	default:
		d, err = time.ParseDuration(s)
	}
	if err != nil {
		return 0, fmt.Errorf("--%s %q: not a duration (use e.g. 90d, 1y, 12h)", flag, s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("--%s %q: must be positive", flag, s)
	}
	if err := checkDuration(flag, d, strconv.Quote(s)); err != nil {
		return 0, err
	}
	return d, nil
}

// parseIPs parses every --ip value.
func parseIPs(values []string) ([]net.IP, error) {
	var ips []net.IP
	for _, v := range values {
		ip := net.ParseIP(strings.Trim(v, "[]"))
		if ip == nil {
			return nil, fmt.Errorf("--ip %q: not an IP address", v)
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

// hoistFlags is the one flag-placement rule of every command: flags may
// come before or after the arguments (`tlscreds lint DIR --format json`),
// and "--" ends the flags. urfave/cli v2 stops parsing at the first
// argument, so the command line is rewritten with the command's flags
// first and its arguments after a "--". A flag takes the next word as its
// value unless it is boolean (then only --flag=value sets it). Words that
// look like flags but are not defined stay among the flags, where
// urfave/cli reports them as a usage error. A shell-completion request
// (last word --generate-bash-completion) is left as it is.
func hoistFlags(app *cli.App, args []string) []string {
	if len(args) < 2 || args[len(args)-1] == "--generate-bash-completion" {
		return args
	}
	out := []string{args[0]}
	flags, cmds := app.Flags, app.Commands
	rest := args[1:]
	// Global flags and the command path: words up to the last command name.
	for len(rest) > 0 {
		a := rest[0]
		if looksLikeFlag(a) {
			n := max(flagWords(flags, rest), 1)
			out, rest = append(out, rest[:n]...), rest[n:]
			continue
		}
		cmd := findCommand(cmds, a)
		if cmd == nil {
			break
		}
		out, rest = append(out, a), rest[1:]
		flags, cmds = cmd.Flags, cmd.Subcommands
		if len(cmds) == 0 {
			break
		}
	}
	var fl, pos []string
	for len(rest) > 0 {
		a := rest[0]
		switch {
		case a == "--":
			pos, rest = append(pos, rest[1:]...), nil
		case looksLikeFlag(a) && optionalBare(flags, rest):
			// A flag whose value is optional, given without one.
			fl, rest = append(fl, a+"="+optionalDefault(flags, a)), rest[1:]
		case looksLikeFlag(a):
			n := flagWords(flags, rest)
			if n == 0 {
				// A flag that needs a value ends the line: parsed last,
				// so that urfave/cli says it needs an argument.
				return append(append(out, fl...), a)
			}
			fl, rest = append(fl, rest[:n]...), rest[n:]
		default:
			pos, rest = append(pos, a), rest[1:]
		}
	}
	out = append(out, fl...)
	if len(pos) > 0 {
		out = append(append(out, "--"), pos...)
	}
	return out
}

// flagShape is what a flag looks like: one or two dashes, then a name.
// Other words that start with a dash are arguments: "-" (standard
// input), and pasted text such as gnutls-cli's "- Status: ..." lines.
var flagShape = lazyregexp.New(`^--?[A-Za-z][A-Za-z0-9_-]*(=|$)`)

func looksLikeFlag(a string) bool { return flagShape.MatchString(a) }

// flagWords is how many words the flag at words[0] takes: 2 when it needs
// a value and has none after "=", 0 when it needs one and none follows,
// else 1.
func flagWords(flags []cli.Flag, words []string) int {
	name, _, hasValue := strings.Cut(strings.TrimLeft(words[0], "-"), "=")
	if hasValue {
		return 1
	}
	if name == "help" || name == "h" {
		return 1
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if bf, ok := f.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				return 1
			}
			if _, ok := f.(*cli.BoolFlag); ok {
				return 1
			}
			if len(words) < 2 {
				return 0
			}
			return 2
		}
	}
	return 1 // undefined: urfave/cli reports it
}

// optionalFlag is a string flag whose value may be left out
// (`--http` or `--http /path`): given alone, or followed by a word that
// does not look like its value, it takes Default.
type optionalFlag struct {
	*cli.StringFlag
	Default string
	// IsValue says whether a word is a value for it (a path: "/...").
	IsValue func(string) bool
}

func optionalOf(flags []cli.Flag, word string) *optionalFlag {
	name := strings.TrimLeft(word, "-")
	for _, f := range flags {
		if of, ok := f.(*optionalFlag); ok && slices.Contains(of.Names(), name) {
			return of
		}
	}
	return nil
}

// optionalBare says whether words[0] is an optional-value flag given
// without its value.
func optionalBare(flags []cli.Flag, words []string) bool {
	of := optionalOf(flags, words[0])
	if of == nil || strings.Contains(words[0], "=") {
		return false
	}
	return len(words) < 2 || !of.IsValue(words[1])
}

func optionalDefault(flags []cli.Flag, word string) string { return optionalOf(flags, word).Default }

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// enumFlag is a string flag whose value is one of a fixed list. Every
// such flag is built by [enum] and checked by [checkEnums] before the
// command runs, with one message: --format "xml": want table, json or sarif.
type enumFlag struct {
	*cli.StringFlag
	values []string
}

// enum makes f an enum flag with the given values; the usage text lists
// them, and "" is accepted when f has no default (the flag is optional).
func enum(f *cli.StringFlag, values ...string) *enumFlag {
	f.Usage += " (" + strings.Join(values, ", ") + ")"
	return &enumFlag{f, values}
}

func (e *enumFlag) check(v string) error {
	if v == "" && e.Value == "" {
		return nil
	}
	for _, ok := range e.values {
		if v == ok {
			return nil
		}
	}
	return fmt.Errorf("--%s %q: want %s", e.Name, v, orList(e.values))
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// checkEnums checks every enum flag of the command c runs.
func checkEnums(c *cli.Context) error {
	for _, f := range c.Command.Flags {
		if e, ok := f.(*enumFlag); ok {
			if err := e.check(c.String(e.Name)); err != nil {
				return usageErr(err)
			}
		}
	}
	return nil
}

// keyvalSpec writes an object spec in QEMU's keyval syntax, which keeps
// every byte of a value (JSON would turn a path that is not UTF-8 into
// U+FFFD): [keyval.Object].
func keyvalSpec(typ string, kv ...string) string { return keyval.Object(typ, kv...) }

// addSpec adds an --object spec the user typed. A dir= that does not
// exist is a usage error (exit 2) naming it, as for a path argument,
// rather than a finding about each file the directory would hold.
func addSpec(specs *creds.Specs, text string) error {
	n := len(specs.Objects)
	if err := specs.Add(text); err != nil {
		return err
	}
	if len(specs.Objects) == n {
		return nil // a secret object
	}
	sp := specs.Objects[len(specs.Objects)-1]
	if sp.Dir == "" {
		return nil
	}
	info, err := os.Stat(sp.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("object %s: dir=%s: no such directory", sp.ID, sp.Dir)
	case err != nil:
		return fmt.Errorf("object %s: %w", sp.ID, err)
	case !info.IsDir():
		return fmt.Errorf("object %s: dir=%s: not a directory", sp.ID, sp.Dir)
	}
	return nil
}
