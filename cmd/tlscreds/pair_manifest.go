package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose"
	"github.com/urfave/cli/v2"
)

// pairEdge is one client endpoint paired with one server endpoint.
type pairEdge struct {
	Client   string                `json:"client"`
	Server   string                `json:"server"`
	Declared bool                  `json:"declared"` // the client's server: in the manifest
	Host     string                `json:"host"`
	OK       bool                  `json:"ok"`
	Cause    string                `json:"cause,omitempty"`
	Results  []diagnose.PairResult `json:"results"`
}

// runPairManifest runs the offline handshake of every client endpoint
// with every server endpoint and prints the trust matrix; exit 1 when a
// declared client→server edge fails.
func runPairManifest(c *cli.Context, path, format string) error {
	m, err := manifest.Load(path)
	if err != nil {
		return usageErr(err)
	}
	if _, err := m.Registry(manifest.Options{}); err != nil {
		return &cmdError{err: err, code: exitFailed, hints: []string{"run `tlscreds lint --manifest " + path + "` for every problem and its fix"}}
	}
	var servers, clients []*manifest.Endpoint
	for _, e := range m.Endpoints {
		if e.Role == creds.EndpointServer {
			servers = append(servers, e)
		} else {
			clients = append(clients, e)
		}
	}
	if len(servers) == 0 || len(clients) == 0 {
		return usageErrf("%s declares no client→server pair (it needs a server and a client endpoint)", path)
	}
	var edges []pairEdge
	failed := 0
	for _, ce := range clients {
		for _, se := range servers {
			e, err := pairEndpoints(m, ce, se)
			if err != nil {
				return usageErr(err)
			}
			if e.Declared && !e.OK {
				failed++
			}
			edges = append(edges, e)
		}
	}
	if format == "json" {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		err = enc.Encode(struct {
			Schema string     `json:"schema"`
			Edges  []pairEdge `json:"edges"`
		}{"tlscreds.pair-matrix/v1", edges})
	} else {
		err = writePairMatrix(c.App.Writer, servers, clients, edges)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return &cmdError{err: fmt.Errorf("%d declared client→server edge(s) fail", failed), code: exitFailed}
	}
	return nil
}

func pairEndpoints(m *manifest.Manifest, ce, se *manifest.Endpoint) (pairEdge, error) {
	e := pairEdge{Client: ce.Name, Server: se.Name, Declared: ce.Server == se.Name}
	srcS, so, err := m.ServerOptions(se.Name)
	if err != nil {
		return e, err
	}
	srcC, host, co, err := m.ClientOptions(ce.Name)
	if err != nil {
		return e, err
	}
	if !e.Declared {
		host = ""
		if len(se.Hosts) > 0 {
			host = se.Hosts[0]
		}
	}
	e.Results = diagnose.Pair(srcS, srcC, host, diagnose.PairOptions{Server: &so, Client: &co})
	e.Host = host
	e.OK = true
	for _, r := range e.Results {
		if r.Skipped != "" {
			continue
		}
		if !r.OK {
			e.OK = false
			if e.Cause == "" {
				e.Cause = firstCause(r.Findings)
			}
		}
	}
	if len(e.Results) > 0 && allSkipped(e.Results) {
		e.OK, e.Cause = false, firstCause(e.Results[0].Findings)
	}
	return e, nil
}

func allSkipped(rs []diagnose.PairResult) bool {
	for _, r := range rs {
		if r.Skipped == "" {
			return false
		}
	}
	return true
}

func firstCause(fs []lint.Finding) string {
	for _, f := range fs {
		if f.Severity >= lint.Error {
			return f.Rule
		}
	}
	if len(fs) > 0 {
		return fs[0].Rule
	}
	return "handshake failed"
}

// writePairMatrix prints rows of clients and columns of servers; a cell
// is "ok" or the cause, and "*" marks the server a client is declared to
// talk to. The findings of failing declared edges follow.
func writePairMatrix(w io.Writer, servers, clients []*manifest.Endpoint, edges []pairEdge) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
	)
	header := []any{"CLIENT \\ SERVER"}
	for _, s := range servers {
		header = append(header, s.Name)
	}
	t.Header(header...)
	for i, ce := range clients {
		row := []any{ce.Name}
		for j := range servers {
			e := edges[i*len(servers)+j]
			cell := "ok"
			if !e.OK {
				cell = "FAIL " + e.Cause
			}
			if e.Declared {
				cell += " *"
			}
			row = append(row, cell)
		}
		if err := t.Append(row...); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintln(w, "* = the server the client endpoint is declared to talk to")
	for _, e := range edges {
		if !e.Declared || e.OK {
			continue
		}
		fmt.Fprintf(w, "\n%s → %s (as %q):\n", e.Client, e.Server, e.Host)
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
