package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose"
	"github.com/tlscreds/tlscreds/lint/table"
	"github.com/urfave/cli/v2"
)

// runPairManifest runs the offline handshake of every client endpoint
// with every server endpoint (diagnose.PairMatrix) and prints the trust
// matrix; exit 1 when a declared client→server edge fails. JSON is
// written edge by edge as they are computed, in order; the table keeps
// only its cells.
func runPairManifest(c *cli.Context, path, format string) error {
	m, err := manifest.Load(path)
	if err != nil {
		return usageErr(err)
	}
	if _, err := m.Registry(manifest.Options{}); err != nil {
		return &cmdError{err: err, code: exitFailed, hints: []string{"run `tlscreds lint --manifest " + path + "` for every problem and its fix"}}
	}
	pm, err := diagnose.NewPairMatrix(m, diagnose.PairOptions{})
	switch {
	case errors.Is(err, diagnose.ErrNoPairs):
		return usageErrf("%s %v", path, err)
	case err != nil:
		return usageErr(err)
	}
	servers, clients := pm.Servers, pm.Clients
	if n := len(servers) * len(clients); format != "json" && n > maxPairTableCells {
		return usageErr(fmt.Errorf("%s: %d client and %d server endpoints make %d pairs, more than a table holds (%d)", path, len(clients), len(servers), n, maxPairTableCells),
			"--format json streams the pairs one by one, in constant memory")
	}
	var (
		w       = bufio.NewWriterSize(c.App.Writer, 64<<10)
		failed  = 0
		cells   [][]string
		failing []diagnose.PairEdge
		first   = true
	)
	if format == "json" {
		w.WriteString("{\n  \"schema\": \"" + diagnose.PairMatrixSchema + "\",\n  \"edges\": [\n")
	} else {
		cells = make([][]string, len(clients))
	}
	err = pm.Run(func(i, j int, e diagnose.PairEdge) error {
		if e.Declared && !e.OK {
			failed++
		}
		if format != "json" {
			if j == 0 {
				cells[i] = make([]string, 0, len(servers))
			}
			cell := "ok"
			if !e.OK {
				cell = "FAIL " + e.Cause
			}
			if e.Declared {
				cell += " *"
			}
			cells[i] = append(cells[i], cell)
			if e.Declared && !e.OK {
				failing = append(failing, e)
			}
			return nil
		}
		b, err := json.MarshalIndent(e, "    ", "  ")
		if err != nil {
			return err
		}
		if !first {
			w.WriteString(",\n")
		}
		first = false
		w.WriteString("    ")
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if format == "json" {
		w.WriteString("\n  ]\n}\n")
	} else {
		err = writePairMatrix(w, servers, clients, cells, failing)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return &cmdError{err: fmt.Errorf("%d declared client→server edge(s) fail", failed), code: exitFailed}
	}
	return nil
}

// maxPairTableCells bounds the table, which keeps a cell per pair until
// it is drawn (JSON is written pair by pair instead).
const maxPairTableCells = 1_000_000

// writePairMatrix prints rows of clients and columns of servers; a cell
// is "ok" or the cause, and "*" marks the server a client is declared to
// talk to. The findings of failing declared edges follow.
func writePairMatrix(w io.Writer, servers, clients []string, cells [][]string, failing []diagnose.PairEdge) error {
	t := table.New(w)
	t.Header(append([]string{"CLIENT \\ SERVER"}, servers...)...)
	for i, name := range clients {
		t.Append(append([]string{name}, cells[i]...)...)
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintln(w, "* = the server the client endpoint is declared to talk to")
	for _, e := range failing {
		fmt.Fprintf(w, "\n%s → %s (as \"%s\"):\n", lint.Printable(e.Client), lint.Printable(e.Server), lint.Printable(e.Host))
		var fs []lint.Finding
		seen := map[string]bool{}
		for _, r := range e.Results {
			for _, f := range r.Findings {
				key := f.Rule + f.Message
				if !seen[key] {
					seen[key] = true
					fs = append(fs, f)
				}
			}
		}
		if err := diagnose.WriteFindingsTable(w, fs); err != nil {
			return err
		}
	}
	return nil
}
