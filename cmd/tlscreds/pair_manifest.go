package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/tlscreds/tlscreds/lint/table"
	"io"
	"runtime"
	"strings"
	"sync"

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
//
// Edges are computed on all cores, and each class of equal edges once:
// an edge's handshakes and their explanation depend only on the client
// object and policy, the server endpoint's objects and policy, and the
// host (see edgeClass), so 1,000 client endpoints over a few client
// objects against 100 servers cost a handshake per class, not per edge.
// JSON is written edge by edge as they are computed, in order; the table
// keeps only its cells.
func runPairManifest(c *cli.Context, path, format string) error {
	m, err := manifest.Load(path)
	if err != nil {
		return usageErr(err)
	}
	if _, err := m.Registry(manifest.Options{}); err != nil {
		return &cmdError{err: err, code: exitFailed, hints: []string{"run `tlscreds lint --manifest " + path + "` for every problem and its fix"}}
	}
	var servers, clients []*pairSide
	for _, e := range m.Endpoints {
		side := &pairSide{e: e}
		if e.Role == creds.EndpointServer {
			if side.src, side.so, err = m.ServerOptions(e.Name); err != nil {
				return usageErr(err)
			}
			side.class = serverClass(e)
			servers = append(servers, side)
		} else {
			if side.src, side.host, side.co, err = m.ClientOptions(e.Name); err != nil {
				return usageErr(err)
			}
			side.class = clientClass(e)
			clients = append(clients, side)
		}
	}
	if len(servers) == 0 || len(clients) == 0 {
		return usageErrf("%s declares no client→server pair (it needs a server and a client endpoint)", path)
	}
	if n := len(servers) * len(clients); format != "json" && n > maxPairTableCells {
		return usageErr(fmt.Errorf("%s: %d client and %d server endpoints make %d pairs, more than a table holds (%d)", path, len(clients), len(servers), n, maxPairTableCells),
			"--format json streams the pairs one by one, in constant memory")
	}
	var (
		w       = bufio.NewWriterSize(c.App.Writer, 64<<10)
		failed  = 0
		cells   [][]string
		failing []pairEdge
		first   = true
	)
	if format == "json" {
		w.WriteString("{\n  \"schema\": \"tlscreds.pair-matrix/v1\",\n  \"edges\": [\n")
	} else {
		cells = make([][]string, len(clients))
	}
	err = pairMatrix(servers, clients, func(i, j int, e pairEdge) error {
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

// pairSide is an endpoint with the source and options its configs are
// made of, made once per endpoint.
type pairSide struct {
	e     *manifest.Endpoint
	src   *creds.Source
	so    creds.ServerOptions
	co    creds.ClientOptions
	host  string // a client's server name
	class string
}

// serverClass and clientClass say everything of an endpoint that its
// edges' handshakes and findings depend on: the objects (the findings
// name them) and the policy. The name is left out, except with min-tls,
// whose refusal names the endpoint.
func serverClass(e *manifest.Endpoint) string {
	var b strings.Builder
	for _, ref := range e.Objects {
		fmt.Fprintf(&b, "%q%q;", ref.ID, ref.Names)
	}
	vp := "-"
	if e.VerifyPeer != nil {
		vp = fmt.Sprint(*e.VerifyPeer)
	}
	fmt.Fprintf(&b, "|sni=%v|vp=%s|pins=%v|only=%v|min=%d", e.StrictSNI, vp, e.Pins, e.PinsOnly, e.MinTLS)
	if e.Authz != nil {
		fmt.Fprintf(&b, "|authz=%q", fmt.Sprint(*e.Authz))
	}
	if e.MinTLS != 0 {
		fmt.Fprintf(&b, "|name=%q", e.Name)
	}
	return b.String()
}

func clientClass(e *manifest.Endpoint) string {
	s := fmt.Sprintf("%q|pins=%v|only=%v|min=%d", e.Objects[0].ID, e.Pins, e.PinsOnly, e.MinTLS)
	if e.MinTLS != 0 {
		s += fmt.Sprintf("|name=%q", e.Name)
	}
	return s
}

// maxPairTableCells bounds the table, which keeps a cell per pair until
// it is drawn (JSON is written pair by pair instead).
const maxPairTableCells = 1_000_000

// maxPairClasses bounds the classes whose results are kept: a matrix
// of all-distinct edges keeps none beyond it and stays flat in memory.
const maxPairClasses = 20000

// pairMatrix computes every client × server edge on all cores and calls
// emit with them in order (client-major), each class of equal edges
// once.
func pairMatrix(servers, clients []*pairSide, emit func(i, j int, e pairEdge) error) error {
	type class struct {
		once    sync.Once
		results []diagnose.PairResult
	}
	var (
		mu      sync.Mutex
		classes = map[string]*class{}
	)
	results := func(se, ce *pairSide, host string) []diagnose.PairResult {
		key := se.class + "\x00" + ce.class + "\x00" + host
		mu.Lock()
		cl, ok := classes[key]
		if !ok {
			cl = &class{}
			if len(classes) < maxPairClasses {
				classes[key] = cl
			}
		}
		mu.Unlock()
		cl.once.Do(func() {
			cl.results = diagnose.Pair(se.src, ce.src, host, diagnose.PairOptions{Server: &se.so, Client: &ce.co})
		})
		return cl.results
	}
	n := len(clients) * len(servers)
	return orderedParallel(n, func(k int) pairEdge {
		ce, se := clients[k/len(servers)], servers[k%len(servers)]
		return pairEdgeOf(ce, se, results)
	}, func(k int, e pairEdge) error { return emit(k/len(servers), k%len(servers), e) })
}

// orderedParallel computes f(0) ... f(n-1) on all cores and calls emit
// with the results in order, holding at most a few per core.
func orderedParallel[T any](n int, f func(int) T, emit func(int, T) error) error {
	workers := runtime.GOMAXPROCS(0)
	type done struct {
		k int
		v T
	}
	jobs := make(chan int)
	out := make(chan done, workers)
	window := make(chan struct{}, 4*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				out <- done{k, f(k)}
			}
		}()
	}
	go func() {
		defer func() { close(jobs); wg.Wait(); close(out) }()
		for k := range n {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			jobs <- k
		}
	}()
	pending := map[int]T{}
	next := 0
	var err error
	for d := range out {
		pending[d.k] = d.v
		for {
			v, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			<-window
			if err == nil {
				if err = emit(next, v); err != nil {
					close(stop)
				}
			}
			next++
		}
	}
	return err
}

func pairEdgeOf(ce, se *pairSide, results func(se, ce *pairSide, host string) []diagnose.PairResult) pairEdge {
	e := pairEdge{Client: ce.e.Name, Server: se.e.Name, Declared: ce.e.Server == se.e.Name}
	host := ce.host
	if !e.Declared {
		host = ""
		if len(se.e.Hosts) > 0 {
			host = se.e.Hosts[0]
		}
	}
	e.Results = results(se, ce, host)
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
	return e
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
func writePairMatrix(w io.Writer, servers, clients []*pairSide, cells [][]string, failing []pairEdge) error {
	t := table.New(w)
	header := []any{"CLIENT \\ SERVER"}
	for _, s := range servers {
		header = append(header, s.e.Name)
	}
	t.Header(header...)
	for i, ce := range clients {
		row := []any{ce.e.Name}
		for _, cell := range cells[i] {
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
