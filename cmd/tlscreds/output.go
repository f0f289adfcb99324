package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

// outputFlag is --output of every command that prints a result.
var outputFlag = &cli.StringFlag{Name: "output", Aliases: []string{"o"}, EnvVars: []string{"TLSCREDS_OUTPUT"},
	Usage: "write the result to `FILE` instead of standard output, atomically: the complete result or nothing"}

// formatEnv sets --format of the commands whose formats are table and
// json (and more).
var formatEnv = []string{"TLSCREDS_FORMAT"}

// sessionOf returns the session running c.
func sessionOf(c *cli.Context) *session { return c.App.Metadata["session"].(*session) }

// errWriter remembers the first error its writer returns, so that output
// nobody could write (a full disk, a closed pipe) exits 3 whichever
// command wrote it.
type errWriter struct {
	w     io.Writer
	err   error
	net   terminalSafe
	width int // the width tables fit (lint/table); 0 for unlimited
}

// TableWidth is the width tables written here fit: the terminal's, or 0
// (no wrapping) on a pipe or with --wide.
func (e *errWriter) TableWidth() int { return e.width }

// wideFlag and quietFlag are given to every command.
var (
	wideFlag = &cli.BoolFlag{Name: "wide", EnvVars: []string{"TLSCREDS_WIDE"},
		Usage: "never wrap table cells, even on a terminal (tables on a pipe are never wrapped)"}
	quietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: []string{"TLSCREDS_QUIET"},
		Usage: "print nothing on standard output: the exit status and standard error say it all (files of --output and --format F=FILE are still written)"}
)

// Write writes p through the terminal net (see [terminalSafe]).
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	out := e.net.filter(p)
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := e.w.Write(out); err != nil {
		e.err = err
		return 0, err
	}
	return len(p), nil
}

// atomicFile is a file written through a temporary file beside it and
// renamed over it on commit, so a reader never sees half a report and a
// failed run leaves the previous file in place.
type atomicFile struct {
	path string
	tmp  *os.File
	err  error // the first write error
}

func createAtomic(path string) (*atomicFile, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, usageErrf("%s: not a regular file (output goes to a file, or to standard output)", path)
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, usageErrf("%s: no such directory %s", path, dir)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, &cmdError{err: fmt.Errorf("%s: %w", path, err), code: exitInternal}
	}
	return &atomicFile{path: path, tmp: tmp}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n, err := a.tmp.Write(p)
	if err != nil {
		a.err = fmt.Errorf("%s: %w", a.path, err)
	}
	return n, err
}

// commit makes the file visible under its name, mode 0644 less the umask
// (as a shell redirection would create it).
func (a *atomicFile) commit() error {
	err := a.err
	if err == nil {
		err = a.tmp.Chmod(0o644 &^ umask())
	}
	if err == nil {
		err = a.tmp.Sync()
	}
	if cerr := a.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.tmp.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.tmp.Name())
		return fmt.Errorf("writing %s: %w", a.path, err)
	}
	return nil
}

func (a *atomicFile) abort() {
	a.tmp.Close()
	os.Remove(a.tmp.Name())
}

// openOutput returns the writer for path ("-" is standard output),
// committed or removed when the run ends.
func (s *session) openOutput(path string) (io.Writer, error) {
	if path == "-" {
		return s.stdout, nil
	}
	f, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	s.outputs = append(s.outputs, f)
	return f, nil
}

// redirect points the app's writer at --output when the command has it.
func (s *session) redirect(c *cli.Context) error {
	path := ""
	for _, f := range c.Command.Flags {
		if f == outputFlag {
			path = c.String("output")
		}
	}
	if path == "" {
		return nil
	}
	w, err := s.openOutput(path)
	if err != nil {
		return err
	}
	c.App.Writer = w
	return nil
}
