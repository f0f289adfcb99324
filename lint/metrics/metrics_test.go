package metrics

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// writeFleet writes broken and good credential directories below root,
// generated with the real clock (the exporter checks with it).
func writeFleet(t testing.TB, root string, sets map[string]string) {
	t.Helper()
	g := fixtures.New(time.Now())
	good := fixtures.GoodSets()
	for dir, set := range sets {
		path := filepath.Join(root, dir)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if w, ok := good[set]; ok {
			if err := w(g, path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, ok := fixtures.LookupBroken(set)
		if !ok {
			t.Fatalf("no broken set %s", set)
		}
		if err := b.Write(g, path); err != nil {
			t.Fatal(err)
		}
	}
}

// treeSource is an exporter source walking root.
func treeSource(root string) ExporterSource {
	return ExporterSource{Kind: "file", Name: root, Watch: []string{root},
		Check: func(o lint.Options, emit func(lint.Result) error) error {
			targets := make(chan lint.Target)
			werr := make(chan error, 1)
			go func() {
				defer close(targets)
				werr <- lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil })
			}()
			err := lint.CheckAll(targets, o, emit)
			if e := <-werr; err == nil {
				err = e
			}
			return err
		}}
}

// promtoolCheck runs the real `promtool check metrics` over an exposition.
func promtoolCheck(t testing.TB, data []byte) {
	t.Helper()
	if len(data) == 0 {
		t.Fatal("empty exposition")
	}
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Fatal("promtool not found: install Debian's prometheus package (apt-get install -y prometheus, or make deps)")
	}
	cmd := exec.Command("promtool", "check", "metrics")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

func parseText(t testing.TB, data []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parsing the exposition: %v", err)
	}
	return mfs
}

// value returns the value of the series of name whose labels include
// want, and how many series matched.
func value(mfs map[string]*dto.MetricFamily, name string, want map[string]string) (float64, int) {
	mf := mfs[name]
	if mf == nil {
		return 0, 0
	}
	n, v := 0, 0.0
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		ok := true
		for k, w := range want {
			if labels[k] != w {
				ok = false
			}
		}
		if !ok {
			continue
		}
		n++
		switch {
		case m.Gauge != nil:
			v = m.GetGauge().GetValue()
		case m.Counter != nil:
			v = m.GetCounter().GetValue()
		case m.Untyped != nil:
			v = m.GetUntyped().GetValue()
		}
	}
	return v, n
}

func TestExporterFleet(t *testing.T) {
	root := t.TempDir()
	writeFleet(t, root, map[string]string{
		"hv1/qemu":    "cert-expired",
		"hv2/qemu":    "key-mismatch",
		"hv3/qemu":    "crl-expired",
		"hv4/qemu":    "server-with-crl",
		"hv5/libvirt": "file-invalid",
	})
	x := &Exporter{Sources: []ExporterSource{treeSource(root)}, Version: "test"}
	if err := x.Check(); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	x.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.Bytes()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q, want the text format 0.0.4", ct)
	}
	promtoolCheck(t, body)
	mfs := parseText(t, body)

	expired := filepath.Join(root, "hv1/qemu/server-cert.pem")
	if v, n := value(mfs, "x509_cert_expired", map[string]string{"filepath": expired}); n != 1 || v != 1 {
		t.Errorf("x509_cert_expired{filepath=%s} = %v (%d series), want 1 (one series)", expired, v, n)
	}
	if v, n := value(mfs, "x509_cert_expires_in_seconds", map[string]string{"filepath": expired}); n != 1 || v >= 0 {
		t.Errorf("x509_cert_expires_in_seconds of the expired leaf = %v (%d series), want < 0", v, n)
	}
	if v, n := value(mfs, "tlscreds_lint_findings", map[string]string{"object": "hv2/qemu", "rule": "key-mismatch", "severity": "error"}); n != 1 || v != 1 {
		t.Errorf("key-mismatch finding = %v (%d series), want 1", v, n)
	}
	if v, _ := value(mfs, "tlscreds_object_status", map[string]string{"object": "hv2/qemu"}); v != 2 {
		t.Errorf("status of the key mismatch = %v, want 2", v)
	}
	if v, n := value(mfs, "x509_crl_stale", map[string]string{"filepath": filepath.Join(root, "hv3/qemu/ca-crl.pem")}); n != 1 || v != 1 {
		t.Errorf("x509_crl_stale of the expired CRL = %v (%d series), want 1", v, n)
	}
	if v, n := value(mfs, "x509_crl_stale", map[string]string{"filepath": filepath.Join(root, "hv4/qemu/ca-crl.pem")}); n != 1 || v != 0 {
		t.Errorf("x509_crl_stale of the good CRL = %v (%d series), want 0", v, n)
	}
	if v, n := value(mfs, "tlscreds_object_status", map[string]string{"object": "hv4/qemu"}); n != 1 || v != 0 {
		t.Errorf("status of the good set = %v (%d series), want 0", v, n)
	}
	if _, n := value(mfs, "tlscreds_lint_findings", map[string]string{"object": "hv4/qemu"}); n != 0 {
		t.Errorf("the good set has %d finding series, want none", n)
	}
	// The earliest expiry of the good set is its CRL's nextUpdate or a
	// certificate's notAfter, whichever comes first: never zero.
	if v, n := value(mfs, "tlscreds_object_next_expiry_timestamp_seconds", map[string]string{"object": "hv4/qemu"}); n != 1 || v < float64(time.Now().Unix()) {
		t.Errorf("next expiry of the good set = %v (%d series)", v, n)
	}
	// A file that is not PEM is a parse failure: x509_cert_error 1 and a
	// source error with the reason x509-certificate-exporter uses.
	if _, n := value(mfs, "x509_cert_error", nil); n == 0 {
		t.Error("no x509_cert_error series")
	}
	found := false
	for _, m := range mfs["x509_cert_error"].GetMetric() {
		if m.GetGauge().GetValue() == 1 && strings.Contains(m.String(), "hv5/libvirt") {
			found = true
		}
	}
	if !found {
		t.Error("x509_cert_error is not 1 for the invalid file of hv5/libvirt")
	}
	if v, _ := value(mfs, "x509_source_errors_total", map[string]string{"reason": "bad_pem"}); v < 1 {
		t.Errorf("x509_source_errors_total{reason=bad_pem} = %v, want >= 1", v)
	}
	if v, n := value(mfs, "x509_source_up", map[string]string{"source_name": root}); n != 1 || v != 1 {
		t.Errorf("x509_source_up = %v (%d series), want 1", v, n)
	}
	if v, n := value(mfs, "tlscreds_build_info", map[string]string{"version": "test"}); n != 1 || v != 1 {
		t.Errorf("tlscreds_build_info = %v (%d series)", v, n)
	}
	// No key material, ever.
	if bytes.Contains(body, []byte("PRIVATE KEY")) {
		t.Error("the exposition holds key material")
	}
}

func TestExporterNegotiation(t *testing.T) {
	root := t.TempDir()
	writeFleet(t, root, map[string]string{"a": "server-ecdsa"})
	x := &Exporter{Sources: []ExporterSource{treeSource(root)}}
	if err := x.Check(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(x)
	defer srv.Close()
	get := func(accept, enc string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		// Set by hand, Go's transport does not decompress.
		req.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, text := get("", "identity")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("default Content-Type %q", ct)
	}
	promtoolCheck(t, text)
	// What Prometheus 2.42 sends when scraping.
	resp, om := get("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "identity")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text; version=1.0.0") {
		t.Errorf("OpenMetrics Content-Type %q", ct)
	}
	if !bytes.HasSuffix(om, []byte("# EOF\n")) {
		t.Errorf("OpenMetrics body does not end with # EOF: %q", om[max(0, len(om)-40):])
	}
	resp, zipped := get("", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("gzip not used when accepted")
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, text) {
		t.Error("the gzipped body differs from the plain one")
	}
}

// TestExporterSeesChanges rewrites a file in place and swaps a Secret
// volume's ..data symlink as the kubelet does: both must be seen by the
// one-stat-per-file poll.
func TestExporterSeesChanges(t *testing.T) {
	root := t.TempDir()
	writeFleet(t, root, map[string]string{"a": "server-ecdsa"})
	x := &Exporter{Sources: []ExporterSource{treeSource(root)}}
	if err := x.Check(); err != nil {
		t.Fatal(err)
	}
	if x.Changed() {
		t.Fatal("changed right after a check")
	}
	p := filepath.Join(root, "a", "server-cert.pem")
	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if !x.Changed() {
		t.Error("a rewritten certificate is not seen")
	}

	// A Secret volume in the tree is one object, and its swap is seen.
	g := fixtures.New(time.Now())
	vol := func(p *fixtures.PKI) map[string][]byte {
		key, _ := p.Server.KeyPEM(privkey.PKCS8, nil)
		return map[string][]byte{"tls.crt": p.Server.ChainPEM(), "tls.key": key, "ca.crt": p.Root.CertPEM()}
	}
	p1, _ := g.PKI(fixtures.PKIOptions{})
	p2, _ := g.PKI(fixtures.PKIOptions{})
	if err := fixtures.WriteSecretVolume(filepath.Join(root, "k8s", "web"), vol(p1)); err != nil {
		t.Fatal(err)
	}
	if err := x.Check(); err != nil {
		t.Fatal(err)
	}
	serial := func() (string, int) {
		rec := httptest.NewRecorder()
		x.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		mf := parseText(t, rec.Body.Bytes())["tlscreds_cert_info"]
		var s string
		n := 0
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			if strings.HasPrefix(l["object"], "k8s/web") && l["role"] == "leaf" {
				s, n = l["serial_number"], n+1
			}
		}
		return s, n
	}
	if s, n := serial(); n != 1 || s != p1.Server.Cert.SerialNumber.String() {
		t.Fatalf("the Secret volume gives %d leaf series (serial %s), want one with the mounted certificate", n, s)
	}
	if x.Changed() {
		t.Fatal("changed right after a check")
	}
	if err := fixtures.WriteSecretVolume(filepath.Join(root, "k8s", "web"), vol(p2)); err != nil {
		t.Fatal(err)
	}
	if !x.Changed() {
		t.Fatal("the ..data swap is not seen")
	}
	x.Check()
	if s, _ := serial(); s != p2.Server.Cert.SerialNumber.String() {
		t.Errorf("after the swap the exporter reports serial %s, want the new certificate's", s)
	}
}

func TestReporterOutput(t *testing.T) {
	root := t.TempDir()
	writeFleet(t, root, map[string]string{"x/y": "key-mismatch", "z": "server-ecdsa"})
	var buf bytes.Buffer
	rep := NewReporter(&buf, "test", time.Now())
	targets := make(chan lint.Target, 8)
	if err := lint.Walk(root, "", func(t lint.Target) error { targets <- t; return nil }); err != nil {
		t.Fatal(err)
	}
	close(targets)
	if err := lint.CheckAll(targets, lint.Options{KeepMaterial: true}, rep.Add); err != nil {
		t.Fatal(err)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	promtoolCheck(t, buf.Bytes())
	mfs := parseText(t, buf.Bytes())
	if v, _ := value(mfs, "tlscreds_object_status", map[string]string{"object": "x/y"}); v != 2 {
		t.Errorf("status of x/y = %v, want 2", v)
	}
	if _, n := value(mfs, "tlscreds_cert_info", map[string]string{"object": "z", "role": "leaf"}); n != 1 {
		t.Errorf("%d leaf cert_info series for z, want 1", n)
	}

}

// TestCountersFromRegistry feeds a creds.Registry's reload events to
// Counters, as `serve` and library users do, over a Secret volume swapped
// as the kubelet swaps it: one good swap, one refused.
func TestCountersFromRegistry(t *testing.T) {
	g := fixtures.New(time.Now())
	files := func(p *fixtures.PKI, keyOf *fixtures.PKI) map[string][]byte {
		key, err := keyOf.Server.KeyPEM(privkey.PKCS8, nil)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"tls.crt": p.Server.ChainPEM(), "tls.key": key, "ca.crt": p.Root.CertPEM()}
	}
	p1, _ := g.PKI(fixtures.PKIOptions{})
	p2, _ := g.PKI(fixtures.PKIOptions{})
	dir := filepath.Join(t.TempDir(), "web")
	if err := fixtures.WriteSecretVolume(dir, files(p1, p1)); err != nil {
		t.Fatal(err)
	}
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=web,endpoint=server,layout=kubernetes,dir=" + dir)
	if err != nil {
		t.Fatal(err)
	}
	reg := creds.NewRegistry()
	if _, err := reg.Add(sp, creds.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	c := NewCounters()
	w := creds.NewWatcher(reg)
	w.Poll(c.Reload)
	fixtures.WriteSecretVolume(dir, files(p2, p2))
	w.Poll(c.Reload)
	fixtures.WriteSecretVolume(dir, files(p1, p2))
	w.Poll(c.Reload)
	c.ServingFrom(reg)
	c.HandshakeFailure("client-cert-unknown-ca")
	e, err := Render(&Snapshot{Counters: c})
	if err != nil {
		t.Fatal(err)
	}
	promtoolCheck(t, e.Text)
	mfs := parseText(t, e.Text)
	if v, _ := value(mfs, "tlscreds_reload_total", map[string]string{"object": "web", "result": "ok"}); v != 1 {
		t.Errorf("reloads ok = %v, want 1", v)
	}
	if v, _ := value(mfs, "tlscreds_reload_total", map[string]string{"object": "web", "result": "error"}); v != 1 {
		t.Errorf("reloads refused = %v, want 1", v)
	}
	if v, _ := value(mfs, "tlscreds_object_cert_not_after_timestamp_seconds", map[string]string{"object": "web"}); v != float64(p2.Server.Cert.NotAfter.Unix()) {
		t.Errorf("served notAfter = %v, want p2's %d", v, p2.Server.Cert.NotAfter.Unix())
	}
	if v, _ := value(mfs, "tlscreds_handshake_failures_total", map[string]string{"cause": "client-cert-unknown-ca"}); v != 1 {
		t.Errorf("handshake failures = %v, want 1", v)
	}
}
