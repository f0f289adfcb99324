package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=..."; else
// it comes from the module version (go install ...@v1.2.3) or the VCS
// revision the binary was built from.
var version = buildVersion()

func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev-" + rev
}

// Exit codes, documented in the help text and the README.
const (
	exitOK       = 0
	exitFailed   = 1 // findings at or above --fail-on, or a failed handshake
	exitUsage    = 2 // bad flags or values, a spec that does not parse, a path that does not exist
	exitInternal = 3 // I/O or internal failure: output not writable, a named file unreadable
)

const exitStatusHelp = `EXIT STATUS:
   0  success: nothing at or above --fail-on was found
   1  findings at or above --fail-on, or the handshake failed
   2  usage error: bad flags or values, bad object spec, a path that does not exist
   3  I/O or internal failure: output not writable, a named file unreadable
`

// cmdError is an error with an exit code and hint lines for the user.
type cmdError struct {
	err   error
	code  int
	hints []string
}

func (e *cmdError) Error() string { return e.err.Error() }
func (e *cmdError) Unwrap() error { return e.err }

// usageErr is a user error (exit 2) with optional hints.
func usageErr(err error, hints ...string) error {
	return &cmdError{err: err, code: exitUsage, hints: hints}
}

func usageErrf(format string, args ...any) error {
	return usageErr(fmt.Errorf(format, args...))
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return newSession(stdout, stderr).app
}

// session is one run of the command: the app, its standard output (which
// remembers the first write error) and the files --output and
// --format F=FILE write, committed only when the report is complete.
type session struct {
	app     *cli.App
	stdout  *errWriter
	stderr  io.Writer
	outputs []*atomicFile
}

func newSession(stdout, stderr io.Writer) *session {
	stderr = &errWriter{w: stderr}
	s := &session{stdout: &errWriter{w: stdout}, stderr: stderr}
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Aliases: []string{"V"}, Usage: "print the version"}
	app := &cli.App{
		Name:                 "tlscreds",
		Usage:                "manage, check and troubleshoot named TLS credential objects (QEMU-style)",
		Version:              version,
		Writer:               s.stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		Suggest:              true,
		HideHelpCommand:      true,
		// Object specs and DNs contain commas: slice flags are repeated, never split.
		DisableSliceFlagSeparator: true,
		Before: func(c *cli.Context) error {
			if err := checkEnums(c); err != nil {
				return err
			}
			s.stdout.width = terminalWidth(stdout)
			return nil
		},
		Commands: []*cli.Command{
			genCommand(),
			lintCommand(),
			inspectCommand(), fingerprintCommand(), p12Command(),
			rulesCommand(),
			serveCommand(), exporterCommand(),
			diagnoseCommand(), pairCommand(), explainCommand(),
			completionCommand(), manCommand(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.ShowAppHelp(c)
			}
			return usageErrf("unknown command %q. %s", c.Args().First(), suggestCommand(c.App.Commands, c.Args().First()))
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageErr(err) },
		// Errors are printed and mapped to exit codes by run, never by
		// urfave/cli, which would call os.Exit inside tests.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	app.CustomAppHelpTemplate = cli.AppHelpTemplate + "\n" + exitStatusHelp
	app.Metadata = map[string]any{"session": s}
	s.app = app
	s.prepare(app.Commands)
	return s
}

// prepare gives every command the same contract: flag-parse errors exit
// 2, enum flags are checked before the action, and --output (where the
// command has it) sends standard output to a file written atomically.
func (s *session) prepare(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return usageErr(err) }
		if len(c.Subcommands) == 0 {
			c.Flags = append(c.Flags, wideFlag, quietFlag)
		}
		before := c.Before
		c.Before = func(ctx *cli.Context) error {
			if err := checkEnums(ctx); err != nil {
				return err
			}
			if slices.Contains(ctx.Command.Flags, cli.Flag(wideFlag)) {
				if ctx.Bool("wide") {
					s.stdout.width = 0
				}
				if ctx.Bool("quiet") {
					s.stdout.w = io.Discard
				}
			}
			if err := s.redirect(ctx); err != nil {
				return err
			}
			if before != nil {
				return before(ctx)
			}
			return nil
		}
		s.prepare(c.Subcommands)
	}
}

// errorLines is what run prints of err, one error line each: the errors
// of an errors.Join each on its own line (a newline inside any of them is
// escaped, never a line break).
func errorLines(err error) []string {
	var ce *cmdError
	if errors.As(err, &ce) {
		err = ce.err
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			lines = append(lines, errorLines(e)...)
		}
		return lines
	}
	if msg := err.Error(); msg != "" {
		return []string{msg}
	}
	return nil
}

// run runs the app and returns the process exit code. Errors are printed
// as "tlscreds: error: ..." followed by "tlscreds: hint: ..." lines.
// Files written with --output or --format F=FILE are committed when the
// report is complete (exit 0 or 1) and removed otherwise.
func run(args []string, stdout, stderr io.Writer) int {
	// An empty TLSCREDS_* variable is an unset one (urfave/cli would take
	// "" as the flag's value).
	for _, kv := range os.Environ() {
		if name, v, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TLSCREDS_") && v == "" {
			os.Unsetenv(name)
		}
	}
	s := newSession(stdout, stderr)
	err := s.app.Run(hoistFlags(s.app, args))
	code := exitOK
	var hints []string
	if err != nil {
		code = exitInternal
		var ce *cmdError
		var ec cli.ExitCoder
		switch {
		case errors.As(err, &ce):
			code, hints = ce.code, ce.hints
		case errors.As(err, &ec):
			code = ec.ExitCode()
		}
		if code == exitUsage && isIOFailure(err) {
			code = exitInternal
		}
	}
	if s.stdout.err != nil {
		// Output that cannot be written is an I/O failure, whatever the
		// command made of it.
		err, code, hints = fmt.Errorf("writing standard output: %w", s.stdout.err), exitInternal, nil
	}
	if code == exitOK || code == exitFailed {
		for _, o := range s.outputs {
			if cerr := o.commit(); cerr != nil {
				fmt.Fprintf(s.stderr, "tlscreds: error: %s\n", lint.Printable(cerr.Error()))
				code = exitInternal
			}
		}
	} else {
		for _, o := range s.outputs {
			o.abort()
		}
	}
	if err != nil {
		for _, msg := range errorLines(err) {
			// the standard flag package names flags with one dash; we use two.
			msg = strings.Replace(msg, " for flag -", " for flag --", 1)
			fmt.Fprintf(s.stderr, "tlscreds: error: %s\n", lint.Printable(msg))
		}
		for _, h := range hints {
			fmt.Fprintf(s.stderr, "tlscreds: hint: %s\n", lint.Printable(h))
		}
	}
	return code
}

// isIOFailure reports whether err comes from the system refusing or
// failing a read or write (permissions, a full or read-only disk, a
// device error), not from what the user typed.
func isIOFailure(err error) bool {
	for _, e := range []error{fs.ErrPermission, syscall.EIO, syscall.ENOSPC, syscall.EROFS, syscall.EDQUOT} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
