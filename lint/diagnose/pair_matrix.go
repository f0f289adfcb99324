package diagnose

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/internal/ordered"
)

// PairMatrixSchema names the JSON form of a trust matrix: an object
// {"schema": PairMatrixSchema, "edges": [PairEdge...]}, the edges in
// [PairMatrix.Run]'s order (see docs/sharing.md).
const PairMatrixSchema = "tlscreds.pair-matrix/v1"

// PairEdge is one client endpoint of a manifest paired with one server
// endpoint.
type PairEdge struct {
	Client   string       `json:"client"`
	Server   string       `json:"server"`
	Declared bool         `json:"declared"` // the client's server: in the manifest
	Host     string       `json:"host"`
	OK       bool         `json:"ok"`
	Cause    string       `json:"cause,omitempty"` // the first failing result's rule
	Results  []PairResult `json:"results"`
}

// ErrNoPairs is returned by [NewPairMatrix] for a manifest without both
// a server and a client endpoint.
var ErrNoPairs = errors.New("declares no client→server pair (it needs a server and a client endpoint)")

// PairMatrix is the trust matrix of a manifest: every client endpoint
// paired offline with every server endpoint, as [Pair] pairs two objects.
type PairMatrix struct {
	// Servers and Clients are the endpoint names, in manifest order:
	// the matrix's columns and rows.
	Servers, Clients []string

	servers, clients []*pairSide
	opts             PairOptions
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

// NewPairMatrix loads the objects of every endpoint of m once. Call
// m.Registry first: its error lists every problem of the manifest. Of
// opts, Time, Versions and Timeout apply to every pair; each endpoint's
// own options come from the manifest.
func NewPairMatrix(m *manifest.Manifest, opts PairOptions) (*PairMatrix, error) {
	pm := &PairMatrix{opts: opts}
	for _, e := range m.Endpoints {
		side := &pairSide{e: e}
		var err error
		if e.Role == creds.EndpointServer {
			if side.src, side.so, err = m.ServerOptions(e.Name); err != nil {
				return nil, err
			}
			side.class = serverClass(e)
			pm.servers = append(pm.servers, side)
			pm.Servers = append(pm.Servers, e.Name)
		} else {
			if side.src, side.host, side.co, err = m.ClientOptions(e.Name); err != nil {
				return nil, err
			}
			side.class = clientClass(e)
			pm.clients = append(pm.clients, side)
			pm.Clients = append(pm.Clients, e.Name)
		}
	}
	if len(pm.servers) == 0 || len(pm.clients) == 0 {
		return nil, ErrNoPairs
	}
	return pm, nil
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

// maxPairClasses bounds the classes whose results are kept: a matrix
// of all-distinct edges keeps none beyond it and stays flat in memory.
const maxPairClasses = 20000

// Run computes every client × server edge on all cores and calls emit
// with them in order (client-major: edge (i, j) is Clients[i] →
// Servers[j]), holding at most a few per core; it stops at emit's first
// error and returns it.
//
// An edge's handshakes and their explanation depend only on the client
// object and policy, the server endpoint's objects and policy, and the
// host, so each class of equal edges is paired once: 1,000 client
// endpoints over a few client objects against 100 servers cost a
// handshake per class, not per edge.
func (pm *PairMatrix) Run(emit func(i, j int, e PairEdge) error) error {
	type class struct {
		once    sync.Once
		results []PairResult
	}
	var (
		mu      sync.Mutex
		classes = map[string]*class{}
	)
	results := func(se, ce *pairSide, host string) []PairResult {
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
			o := pm.opts
			o.Server, o.Client = &se.so, &ce.co
			cl.results = Pair(se.src, ce.src, host, o)
		})
		return cl.results
	}
	servers, clients := pm.servers, pm.clients
	n := len(clients) * len(servers)
	return ordered.Indexes(n, func(k int) PairEdge {
		ce, se := clients[k/len(servers)], servers[k%len(servers)]
		return pairEdgeOf(ce, se, results)
	}, func(k int, e PairEdge) error { return emit(k/len(servers), k%len(servers), e) })
}

// pairEdgeOf pairs a client with a server: with the client's declared
// server, as the client's server name; with any other, as the server's
// first host.
func pairEdgeOf(ce, se *pairSide, results func(se, ce *pairSide, host string) []PairResult) PairEdge {
	e := PairEdge{Client: ce.e.Name, Server: se.e.Name, Declared: ce.e.Server == se.e.Name}
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

func allSkipped(rs []PairResult) bool {
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
