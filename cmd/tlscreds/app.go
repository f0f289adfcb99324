package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
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
	exitUsage    = 2 // bad flags, bad object specs, unwritable output
	exitInternal = 1
)

const exitStatusHelp = `EXIT STATUS:
   0  success: nothing at or above --fail-on was found
   1  findings at or above --fail-on, or the handshake failed
   2  usage error: bad flags, bad object spec, unreadable input, refused output
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
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Aliases: []string{"V"}, Usage: "print the version"}
	app := &cli.App{
		Name:                 "tlscreds",
		Usage:                "manage, check and troubleshoot named TLS credential objects (QEMU-style)",
		Version:              version,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		Suggest:              true,
		HideHelpCommand:      true,
		// Object specs and DNs contain commas: slice flags are repeated, never split.
		DisableSliceFlagSeparator: true,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour output: auto (only on a terminal, honours NO_COLOR), always or never"},
		},
		Before: func(c *cli.Context) error { return setColor(c.String("color"), stdout) },
		Commands: []*cli.Command{
			genCommand(),
			lintCommand(),
			inspectCommand(), fingerprintCommand(), p12Command(),
			rulesCommand(),
			serveCommand(),
			diagnoseCommand(), pairCommand(), explainCommand(),
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
	setUsageErrors(app.Commands)
	return app
}

// setUsageErrors makes flag-parse errors of every command exit 2.
func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return usageErr(err) }
		setUsageErrors(c.Subcommands)
	}
}

func setColor(mode string, stdout io.Writer) error {
	switch mode {
	case "always":
		color.NoColor = false
	case "never":
		color.NoColor = true
	case "auto":
		color.NoColor = os.Getenv("NO_COLOR") != "" || !isTerminal(stdout)
	default:
		return usageErrf("--color %q: want auto, always or never", mode)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// run runs the app and returns the process exit code. Errors are printed
// as "tlscreds: error: ..." followed by "tlscreds: hint: ..." lines.
func run(args []string, stdout, stderr io.Writer) int {
	err := newApp(stdout, stderr).Run(args)
	if err == nil {
		return exitOK
	}
	code := exitInternal
	var hints []string
	var ce *cmdError
	var ec cli.ExitCoder
	switch {
	case errors.As(err, &ce):
		code, hints = ce.code, ce.hints
	case errors.As(err, &ec):
		code = ec.ExitCode()
	case strings.HasPrefix(err.Error(), "flag provided but not defined"),
		strings.HasPrefix(err.Error(), "Required flag"):
		code = exitUsage
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(stderr, "tlscreds: error: %s\n", msg)
	}
	for _, h := range hints {
		fmt.Fprintf(stderr, "tlscreds: hint: %s\n", h)
	}
	return code
}
