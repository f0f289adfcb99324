package metrics

import (
	"io"
	"time"

	"github.com/tlscreds/tlscreds/lint"
)

// Reporter renders lint results as Prometheus text format (0.0.4), the
// format node_exporter's textfile collector and promtool read. It keeps a
// small summary per object (no certificates' bytes, no keys) and writes
// everything on Close, sorted as client_golang sorts it.
//
// A Go program writing a textfile for node_exporter with client_golang
// calls prometheus.WriteToTextfile(path, promcollector.Gatherer(rep.Families))
// instead of Close, which writes a temporary file and renames it into
// place. The tlscreds command writes
// --output files atomically with its own writer, as every format.
//
// Results must come from lint with Options.KeepMaterial set for the
// x509_* series to be written.
type Reporter struct {
	w    io.Writer
	snap Snapshot
}

// NewReporter writes to w on Close.
func NewReporter(w io.Writer, version string, now time.Time) *Reporter {
	return &Reporter{w: w, snap: Snapshot{Version: version, Now: now}}
}

// Add keeps the summary of one result.
func (r *Reporter) Add(res lint.Result) error {
	r.snap.Objects = append(r.snap.Objects, FromResult(res))
	return nil
}

// Families returns the results added so far as metric families, sorted.
func (r *Reporter) Families() []Family { return r.snap.Families() }

// Close writes the metrics in the text format.
func (r *Reporter) Close() error {
	return EncodeTo(r.snap.Families(), r.w, nil)
}
