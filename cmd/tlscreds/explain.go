package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/tlscreds/tlscreds/creds/safefile"
	"github.com/tlscreds/tlscreds/lint/diagnose"
	"github.com/urfave/cli/v2"
)

// maxExplainStdin bounds what explain reads from standard input.
const maxExplainStdin = 1 << 20

func explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "say what a pasted TLS error message means, its likely causes and fix; exit 1 when it is not recognised",
		UsageText: "tlscreds explain [--format table|json] \"ERROR TEXT\"...\n   tlscreds explain [-] < log.txt\n   tlscreds explain LOGFILE...",
		Description: "Recognises the messages of QEMU and libvirt (credential loading and session checks, with their\n" +
			"paths and names), GnuTLS, OpenSSL (verify errors, \"SSL alert number N\", \"tlsv13 alert ...\"), Go\n" +
			"crypto/tls and crypto/x509, and curl, and TLS alert names and numbers (RFC 8446 section 6). For\n" +
			"each it prints the meaning, which side prints it, the likely causes (docs/troubleshooting.md), the\n" +
			"fix, and the lint rules that catch the problem before deployment. With no argument, or \"-\", it\n" +
			"reads the text from standard input (up to 1 MiB), so a whole log can be piped in; input that has\n" +
			"not ended within --stdin-timeout (default 10s: a terminal, or `tail -f`) is an error. When every\n" +
			"argument names an existing file or pipe (a log, <(journalctl ...)), the files are read instead\n" +
			"(up to 1 MiB each; a pipe must end within --stdin-timeout). Text that starts\n" +
			"with a dash (gnutls-cli's \"- Status: ...\") is text, not a flag. It also reads Python ssl, Java\n" +
			"JSSE, Node.js, .NET, rustls, libpq, Firefox's and Chrome's error codes, nginx and Apache logs,\n" +
			"tlscreds serve's log lines, and says whose certificate an alert is\n" +
			"about. The first line ranks the causes of the whole text; when several fit, it names one command\n" +
			"that tells them apart.\n\n" +
			"EXIT STATUS:\n" +
			"   0  at least one message was recognised\n" +
			"   1  nothing was recognised\n" +
			"   2  usage error\n",
		Flags: []cli.Flag{
			enum(&cli.StringFlag{Name: "format", Value: "table", EnvVars: formatEnv, Usage: "json is schema " + diagnose.ExplainSchema}, "table", "json"),
			outputFlag,
			&cli.StringFlag{Name: "stdin-timeout", Value: safefile.DefaultTimeout.String(), Usage: "how long to wait for standard input to end"},
		},
		Action: runExplain,
	}
}

func runExplain(c *cli.Context) error {
	format := c.String("format")
	text := strings.Join(c.Args().Slice(), " ")
	timeout, err := parseDuration("stdin-timeout", c.String("stdin-timeout"))
	if err != nil {
		return usageErr(err)
	}
	if files := logFiles(c.Args().Slice()); files != nil {
		var b strings.Builder
		for _, f := range files {
			if f == "-" && (c.App.Reader == nil || isTerminalReader(c.App.Reader)) {
				return usageErr(fmt.Errorf("\"-\" reads standard input, which is a terminal here"), "pipe the text in, or leave out \"-\"")
			}
			data, err := safefile.ReadNamed(f, safefile.Named{Stdin: io.LimitReader(c.App.Reader, maxExplainStdin), Max: maxExplainStdin, Timeout: timeout})
			if errors.Is(err, safefile.ErrTimeout) {
				return usageErr(err, "give a file or pipe that ends (a finished log, not `tail -f`), or raise --stdin-timeout")
			}
			if errors.Is(err, safefile.ErrTooLarge) {
				return usageErr(err, fmt.Sprintf("explain its end: tail -c 1M %s | tlscreds explain -", shellQuote(f)))
			}
			if err != nil {
				return usageErr(err)
			}
			b.Write(data)
			b.WriteByte('\n')
		}
		text = b.String()
	} else if c.NArg() == 0 || c.NArg() == 1 && c.Args().First() == "-" {
		in := c.App.Reader
		if in == nil || isTerminalReader(in) {
			return usageErr(fmt.Errorf("give the error text as an argument, or pipe it in"), `tlscreds explain "remote error: tls: bad certificate"`)
		}
		// The first MiB is explained (a longer log is cut, not refused);
		// input that does not end in time is refused, naming stdin.
		b, err := safefile.ReadNamed("-", safefile.Named{Stdin: io.LimitReader(in, maxExplainStdin), Max: maxExplainStdin, Timeout: timeout})
		if errors.Is(err, safefile.ErrTimeout) {
			return usageErr(err, "pipe in text that ends (a finished log, not `tail -f`), give the text as an argument, or raise --stdin-timeout")
		}
		if err != nil {
			return usageErr(fmt.Errorf("reading standard input: %w", err))
		}
		text = string(b)
	}
	es := diagnose.Explain(text)
	if format == "json" {
		err = diagnose.WriteExplainJSON(c.App.Writer, es)
	} else if len(es) > 0 {
		err = diagnose.WriteExplainTable(c.App.Writer, es)
	}
	if err != nil {
		return err
	}
	if len(es) > 0 {
		return nil
	}
	hints := []string{
		"tlscreds diagnose HOST:PORT --creds CLIENT-DIR  connects and names the cause itself",
		"tlscreds pair --server DIR --client DIR  checks two credential objects against each other offline",
	}
	if c.NArg() == 1 {
		if info, err := os.Stat(c.Args().First()); err == nil && !info.Mode().IsRegular() && info.Mode()&fs.ModeNamedPipe == 0 {
			hints = append([]string{fmt.Sprintf("%s is a %s, read here as text: give the error text, a log file, or pipe the log in", c.Args().First(), fileKind(info.Mode()))}, hints...)
		}
	}
	return &cmdError{
		err:   fmt.Errorf("the text is not a message tlscreds recognises"),
		code:  exitFailed,
		hints: hints,
	}
}

// logFiles returns the arguments as files to read when every one names
// an existing regular file or pipe (or is "-", standard input, at most
// once) and at least one is not "-"; nil otherwise, and the arguments
// are the text itself. An argument naming a directory or a device is
// text: explain never opens a device, and a message is never read from
// one.
func logFiles(args []string) []string {
	if len(args) == 0 {
		return nil
	}
	stdin := 0
	for _, a := range args {
		if a == "-" {
			if stdin++; stdin > 1 {
				return nil
			}
			continue
		}
		info, err := os.Stat(a)
		if err != nil || !info.Mode().IsRegular() && info.Mode()&fs.ModeNamedPipe == 0 {
			return nil
		}
	}
	if stdin == len(args) {
		return nil
	}
	return args
}

// fileKind names what a path that is not a regular file or pipe is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// isTerminalReader reports whether r is a terminal, where waiting for
// input would look like a hang.
func isTerminalReader(r io.Reader) bool {
	w, ok := r.(io.Writer)
	return ok && isTerminal(w)
}
