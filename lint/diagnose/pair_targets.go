package diagnose

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
)

// PairReport is the outcome of [PairTargets]: the objects' load failures,
// or one [PairResult] per TLS version.
type PairReport struct {
	Server string `json:"server"`
	Client string `json:"client"`
	Host   string `json:"host"`
	// OK is true when both objects load and every version tried
	// completes its handshake.
	OK bool `json:"ok"`
	// Load holds the findings of an object that cannot be loaded; no
	// handshake is tried then.
	Load    []lint.Finding `json:"load_findings"`
	Results []PairResult   `json:"results"`
}

// Findings returns every finding of the report, load failures first,
// then each version's; a finding two versions share is listed once.
func (r PairReport) Findings() []lint.Finding {
	fs := slices.Clone(r.Load)
	for _, res := range r.Results {
		for _, f := range res.Findings {
			if !slices.ContainsFunc(fs, func(g lint.Finding) bool {
				return g.Rule == f.Rule && g.Object == f.Object && g.Message == f.Message
			}) {
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// PairTargets loads a server and a client object and runs [Pair] on them.
// An object that cannot be loaded is reported instead (see
// [LoadFailure]), since no handshake is possible.
func PairTargets(server, client lint.Target, host string, o PairOptions) PairReport {
	rep := PairReport{Server: server.Spec.ID, Client: client.Spec.ID, Host: host, Load: []lint.Finding{}, Results: []PairResult{}}
	srv, err := creds.NewSource(server.Spec, creds.LoadOptions{Password: server.Password, Files: server.Files})
	if err != nil {
		rep.Load = append(rep.Load, LoadFailure(server, err, o.Time)...)
	}
	cli, err := creds.NewSource(client.Spec, creds.LoadOptions{Password: client.Password, Files: client.Files})
	if err != nil {
		rep.Load = append(rep.Load, LoadFailure(client, err, o.Time)...)
	}
	if len(rep.Load) > 0 {
		return rep
	}
	if rep.Host == "" {
		rep.Host = DefaultHost(srv.Current())
	}
	rep.Results = Pair(srv, cli, rep.Host, o)
	rep.OK = true
	for _, r := range rep.Results {
		rep.OK = rep.OK && (r.OK || r.Skipped != "" && len(r.Findings) == 0)
	}
	return rep
}

// LoadFailure explains why an object does not load: a
// handshake-load-failed finding citing the lint rules that report the
// problem, followed by those rules' own findings (with the file and the
// fix). The rules are the load-time ones, and any error-level rule about
// the file the load failed on.
func LoadFailure(t lint.Target, err error, now func() time.Time) []lint.Finding {
	opts := lint.Options{}
	if now != nil {
		opts.Now = now()
	}
	var le *creds.LoadError
	errors.As(err, &le)
	var rules []string
	var detail []lint.Finding
	for _, f := range lint.Check(t, opts).Findings {
		loadRule := slices.Contains(cause.Get(cause.LoadFailed).Lint, f.Rule) || f.Rule == "object-unreadable"
		sameFile := le != nil && le.File != "" && f.File == le.File && f.Severity == lint.Error
		if !loadRule && !sameFile {
			continue
		}
		detail = append(detail, f)
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	if len(rules) == 0 {
		rules = []string{""}
	}
	f := finding(cause.LoadFailed, lint.Error, lint.SubjectObject, t.Spec.ID, t.Spec.Dir,
		fmt.Sprintf("the %s object %s cannot be loaded, so no handshake is possible: %v", t.Spec.Endpoint, t.Spec.ID, err), rules...)
	return append([]lint.Finding{f}, detail...)
}
