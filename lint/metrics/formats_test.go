package metrics

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tlscreds/tlscreds/lint"
)

// promAccept is what Prometheus sends when scraping.
const promAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

// countingSource emits as many objects as the checks it has run, so
// x509_source_bundles in an exposition says which check it is from.
func countingSource(checks *atomic.Int64) ExporterSource {
	return ExporterSource{Kind: "file", Name: "counting",
		Check: func(o lint.Options, emit func(lint.Result) error) error {
			n := checks.Add(1)
			for i := range n {
				if err := emit(lint.Result{Object: fmt.Sprintf("obj%d", i), Path: fmt.Sprintf("/fleet/obj%d", i)}); err != nil {
					return err
				}
			}
			return nil
		}}
}

var bundlesRE = regexp.MustCompile(`(?m)^x509_source_bundles\{[^}]*\} (\S+)$`)

// scrape serves one plain request asking for accept ("": the default,
// the text format) and returns the body and the check it is from.
func scrape(t testing.TB, x *Exporter, accept string) ([]byte, int64) {
	t.Helper()
	body, n, err := tryScrape(x, accept)
	if err != nil {
		t.Fatal(err)
	}
	return body, n
}

func tryScrape(x *Exporter, accept string) ([]byte, int64, error) {
	req := httptest.NewRequest("GET", "/metrics", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	x.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, 0, fmt.Errorf("status %d: %s", rec.Code, rec.Body)
	}
	m := bundlesRE.FindSubmatch(rec.Body.Bytes())
	if m == nil {
		return nil, 0, fmt.Errorf("no x509_source_bundles in\n%s", rec.Body)
	}
	n, err := strconv.ParseFloat(string(m[1]), 64)
	return rec.Body.Bytes(), int64(n), err
}

// TestExporterRendersAskedFormats: every format is rendered after a
// check until the first scrape, then only the formats asked for; a format
// first asked for later is rendered from the last check by that request,
// and after every check from then on.
func TestExporterRendersAskedFormats(t *testing.T) {
	var checks atomic.Int64
	x := &Exporter{Sources: []ExporterSource{countingSource(&checks)}, Version: "test"}
	rendered := func() (text, om bool) {
		r := x.cur.Load()
		return r.gz[fmtText] != nil, r.gz[fmtOM] != nil
	}
	if err := x.Check(); err != nil {
		t.Fatal(err)
	}
	if text, om := rendered(); !text || !om {
		t.Fatalf("before any scrape: text rendered %v, OpenMetrics %v; want both", text, om)
	}
	if x.cur.Load().fams != nil {
		t.Error("the families are kept although every format is rendered")
	}
	if _, n := scrape(t, x, promAccept); n != 1 {
		t.Fatalf("OpenMetrics scrape from check %d, want 1", n)
	}

	x.Check()
	if text, om := rendered(); text || !om {
		t.Fatalf("after Prometheus's scrape: text rendered %v, OpenMetrics %v; want OpenMetrics only", text, om)
	}
	fams := x.cur.Load().fams
	if fams == nil {
		t.Fatal("the families are not kept for a format not rendered")
	}
	if _, n := scrape(t, x, promAccept); n != 2 {
		t.Fatalf("OpenMetrics scrape from check %d, want 2", n)
	}
	// The text format, first asked for now: rendered from check 2 by this
	// request, the bytes a check would have rendered.
	body, n := scrape(t, x, "")
	if n != 2 {
		t.Fatalf("first text scrape from check %d, want 2", n)
	}
	var want bytes.Buffer
	if err := EncodeTo(fams, &want, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want.Bytes()) {
		t.Error("the text rendered on request differs from the check's families encoded")
	}
	promtoolCheck(t, body)
	if text, om := rendered(); !text || !om || x.cur.Load().fams != nil {
		t.Fatalf("after the text request: text rendered %v, OpenMetrics %v, families kept %v", text, om, x.cur.Load().fams != nil)
	}

	x.Check()
	if text, om := rendered(); !text || !om {
		t.Fatalf("after both were asked for: text rendered %v, OpenMetrics %v; want both", text, om)
	}
	if _, n := scrape(t, x, ""); n != 3 {
		t.Fatalf("text scrape from check %d, want 3", n)
	}
}

// TestExporterServesLatestCheck scrapes both formats, one of them not
// rendered after the check before (no scrape had asked for it), while
// checks end back to back: every response is from the check that was the
// last one to end when the request came, or a later one.
func TestExporterServesLatestCheck(t *testing.T) {
	for round := range 20 {
		var checks, ended atomic.Int64
		x := &Exporter{Sources: []ExporterSource{countingSource(&checks)}, Version: "test"}
		x.Check()
		ended.Store(1)
		// Prometheus asks first: from now on a check renders OpenMetrics
		// only, until the text format is asked for.
		scrape(t, x, promAccept)
		x.Check()
		ended.Store(2)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				x.Check()
				ended.Add(1)
			}
		}()
		errs := make(chan error, 100)
		for _, accept := range []string{"", promAccept, ""} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					last := ended.Load()
					if _, n, err := tryScrape(x, accept); err != nil {
						errs <- err
					} else if n < last {
						errs <- fmt.Errorf("round %d: a scrape (Accept %q) asked after check %d ended is served check %d", round, accept, last, n)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}
