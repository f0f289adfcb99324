package metrics

import (
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/lint"
)

// Reporter renders lint results as Prometheus text format (0.0.4), the
// format node_exporter's textfile collector and promtool read. It keeps a
// small summary per object (no certificates' bytes, no keys) and writes
// everything on Close, sorted as client_golang sorts it.
//
// Results must come from lint with Options.KeepMaterial set for the
// x509_* series to be written.
type Reporter struct {
	w        io.Writer
	textfile string
	snap     Snapshot
}

// NewReporter writes to w on Close.
func NewReporter(w io.Writer, version string, now time.Time) *Reporter {
	return &Reporter{w: w, snap: Snapshot{Version: version, Now: now}}
}

// NewTextfileReporter writes the file path atomically on Close (a
// temporary file in the same directory, renamed over path), so that
// node_exporter's textfile collector never reads half a file.
func NewTextfileReporter(path, version string, now time.Time) *Reporter {
	return &Reporter{textfile: path, snap: Snapshot{Version: version, Now: now}}
}

// Add keeps the summary of one result.
func (r *Reporter) Add(res lint.Result) error {
	r.snap.Objects = append(r.snap.Objects, FromResult(res))
	return nil
}

// Close writes the metrics.
func (r *Reporter) Close() error {
	e, err := Render(&r.snap)
	if err != nil {
		return err
	}
	if r.textfile != "" {
		return writeTextfile(r.textfile, e.Text)
	}
	_, err = r.w.Write(e.Text)
	return err
}

// writeTextfile writes data to path through a temporary file in the same
// directory, renamed over path, mode 0644 (as client_golang's
// WriteToTextfile does).
func writeTextfile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
