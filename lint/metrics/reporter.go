package metrics

import (
	"io"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/tlscreds/tlscreds/lint"
)

// Reporter renders lint results as Prometheus text format (0.0.4), the
// format node_exporter's textfile collector and promtool read. It keeps a
// small summary per object (no certificates' bytes, no keys) and writes
// everything on Close, sorted as client_golang sorts it.
//
// A Reporter is also a client_golang prometheus.Gatherer: a Go program
// writing a textfile for node_exporter calls
// prometheus.WriteToTextfile(path, rep) instead of Close, which writes a
// temporary file and renames it into place. The tlscreds command writes
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

// Gather returns the results added so far as client_model metric
// families (prometheus.Gatherer).
func (r *Reporter) Gather() ([]*dto.MetricFamily, error) { return r.snap.Gather() }

// Close writes the metrics in the text format.
func (r *Reporter) Close() error {
	return EncodeTo(r.snap.Families(), r.w, nil)
}
