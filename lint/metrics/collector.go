// Package metrics renders lint results as Prometheus metrics, for the
// node_exporter textfile collector (`tlscreds lint --format prometheus`)
// and for a long-running exporter (`tlscreds exporter`).
//
// # Names
//
// Certificates and CRLs carry the names and labels of
// x509-certificate-exporter v4 (x509_cert_not_after, x509_crl_stale, ...,
// x509_source_up, x509_source_errors_total), so its alert rules and
// dashboards read tlscreds' output; what only tlscreds knows is under
// tlscreds_* (findings per rule, object status, the earliest expiry of an
// object). docs/fleet.md lists every metric.
//
// # Cost
//
// This package is the only one that links the Prometheus client: package
// creds exposes reload events and counters as plain Go values, so library
// users and the other commands do not pay for it. A [Snapshot] is
// rendered once after each check ([Render]); a scrape is served those
// bytes, so it costs the same whatever a check is doing.
package metrics

import (
	"bytes"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Source is one input the exporter reads (x509-certificate-exporter's
// per-source metrics).
type Source struct {
	Kind string // "file" or "kube-secret"
	Name string // as given on the command line
	Up   bool   // the last check could read it
	// Objects is how many objects the last check found in it.
	Objects int
	// Errors counts errors since start, by reason code (a counter).
	Errors map[string]float64
}

// Snapshot is what one check found: the objects of every source.
type Snapshot struct {
	Objects []Object
	Sources []Source
	// Now is the check's clock: x509_cert_expired and
	// x509_cert_expires_in_seconds are relative to it.
	Now time.Time
	// Version labels tlscreds_build_info.
	Version string
	// Reloads and HandshakeFailures are serve's and a creds.Registry's
	// counters, when the process has them (see [Counters]).
	Counters *Counters
	// CheckSeconds is how long the check took (0: not an exporter).
	CheckSeconds float64
}

var (
	dnNames   = []string{"C", "ST", "L", "O", "OU", "CN"}
	locLabels = []string{"filename", "filepath", "secret_namespace", "secret_name", "secret_key"}
	// certLabels is x509-certificate-exporter's per-certificate schema
	// (the labels this exporter can fill), plus object.
	certLabels = func() []string {
		l := append([]string{}, locLabels...)
		l = append(l, "serial_number")
		for _, n := range dnNames {
			l = append(l, "issuer_"+n)
		}
		for _, n := range dnNames {
			l = append(l, "subject_"+n)
		}
		return l
	}()
	crlLabels = func() []string {
		l := append([]string{}, locLabels...)
		l = append(l, "crl_number")
		for _, n := range dnNames {
			l = append(l, "issuer_"+n)
		}
		return l
	}()

	descNotBefore  = prometheus.NewDesc("x509_cert_not_before", "Unix timestamp of the certificate's notBefore.", certLabels, nil)
	descNotAfter   = prometheus.NewDesc("x509_cert_not_after", "Unix timestamp of the certificate's notAfter.", certLabels, nil)
	descExpired    = prometheus.NewDesc("x509_cert_expired", "1 if the certificate is expired, 0 otherwise.", certLabels, nil)
	descExpiresIn  = prometheus.NewDesc("x509_cert_expires_in_seconds", "Seconds until the certificate's notAfter at the last check (negative once expired).", certLabels, nil)
	descCertError  = prometheus.NewDesc("x509_cert_error", "1 if a certificate file could not be read or parsed, 0 for each certificate that parsed.", certLabels, nil)
	descCRLThis    = prometheus.NewDesc("x509_crl_this_update", "Unix timestamp of the CRL's thisUpdate.", crlLabels, nil)
	descCRLNext    = prometheus.NewDesc("x509_crl_next_update", "Unix timestamp of the CRL's nextUpdate.", crlLabels, nil)
	descCRLStale   = prometheus.NewDesc("x509_crl_stale", "1 if the CRL is past its nextUpdate, 0 otherwise.", crlLabels, nil)
	descSourceUp   = prometheus.NewDesc("x509_source_up", "1 if the source could be read at the last check, 0 otherwise.", []string{"source_kind", "source_name"}, nil)
	descSourceObjs = prometheus.NewDesc("x509_source_bundles", "Credential objects found in the source at the last check.", []string{"source_kind", "source_name"}, nil)
	descSourceErrs = prometheus.NewDesc("x509_source_errors_total", "Errors reading sources, by x509-certificate-exporter reason code.", []string{"source_kind", "source_name", "reason"}, nil)
	descBuildInfo  = prometheus.NewDesc("tlscreds_build_info", "Constant 1, labelled with the tlscreds build.", []string{"version", "go_version"}, nil)
	descFindings   = prometheus.NewDesc("tlscreds_lint_findings", "Findings of a rule at a severity in one file of an object.", []string{"object", "path", "profile", "rule", "severity"}, nil)
	descStatus     = prometheus.NewDesc("tlscreds_object_status", "The worst finding of an object: 0 ok, 1 warning, 2 error (the profile's consumer refuses it).", []string{"object", "profile"}, nil)
	descNextExpiry = prometheus.NewDesc("tlscreds_object_next_expiry_timestamp_seconds", "The earliest notAfter of an object's certificates (leaf, chain, CA) and nextUpdate of its CRL.", []string{"object"}, nil)
	descCertInfo   = prometheus.NewDesc("tlscreds_cert_info", "Constant 1 for each certificate of an object.", []string{"object", "role", "filepath", "fingerprint_sha256", "serial_number"}, nil)
	descCheckSecs  = prometheus.NewDesc("tlscreds_exporter_check_duration_seconds", "How long the last check of every source took.", nil, nil)
	descCheckTime  = prometheus.NewDesc("tlscreds_exporter_last_check_timestamp_seconds", "When the last check ended.", nil, nil)
)

func (l Location) values() []string {
	return []string{l.Filename, l.Filepath, l.SecretNamespace, l.SecretName, l.SecretKey}
}

func certValues(c Cert) []string {
	v := c.Loc.values()
	v = append(v, c.Serial)
	v = append(v, c.Issuer[:]...)
	return append(v, c.Subject[:]...)
}

// Describe implements prometheus.Collector.
func (s *Snapshot) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descNotBefore, descNotAfter, descExpired, descExpiresIn, descCertError,
		descCRLThis, descCRLNext, descCRLStale, descSourceUp, descSourceObjs, descSourceErrs, descBuildInfo,
		descFindings, descStatus, descNextExpiry, descCertInfo, descCheckSecs, descCheckTime} {
		ch <- d
	}
	if s.Counters != nil {
		s.Counters.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (s *Snapshot) Collect(ch chan<- prometheus.Metric) {
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	g := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	version := s.Version
	if version == "" {
		version = "dev"
	}
	g(descBuildInfo, 1, version, runtime.Version())
	for _, src := range s.Sources {
		g(descSourceUp, b2f(src.Up), src.Kind, src.Name)
		g(descSourceObjs, float64(src.Objects), src.Kind, src.Name)
		for _, r := range sortedKeys(src.Errors) {
			ch <- prometheus.MustNewConstMetric(descSourceErrs, prometheus.CounterValue, src.Errors[r], src.Kind, src.Name, r)
		}
	}
	if s.CheckSeconds > 0 {
		g(descCheckSecs, s.CheckSeconds)
		g(descCheckTime, float64(now.UnixMilli())/1000)
	}
	// Two certificates with the same labels (one file holding a
	// certificate twice is skipped when read; two objects sharing a CA
	// file are not) would be one series: the first one stands.
	seen := map[string]bool{}
	for i := range s.Objects {
		o := &s.Objects[i]
		if seen["object\x00"+o.ID] {
			continue // an object given twice: the first one stands
		}
		seen["object\x00"+o.ID] = true
		g(descStatus, float64(o.Status), o.ID, o.Profile)
		if !o.NextExpiry.IsZero() {
			g(descNextExpiry, float64(o.NextExpiry.Unix()), o.ID)
		}
		for _, f := range o.Findings {
			g(descFindings, float64(f.N), o.ID, f.Path, o.Profile, f.Rule, f.Severity)
		}
		for _, c := range o.Certs {
			if k := "info\x00" + o.ID + c.Role + c.Loc.Filepath + c.secretPath() + c.Fingerprint; !seen[k] {
				seen[k] = true
				g(descCertInfo, 1, o.ID, c.Role, c.Loc.Filepath+c.secretPath(), c.Fingerprint, c.Serial)
			}
			v := certValues(c)
			key := strings.Join(v, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			g(descNotBefore, float64(c.NotBefore.Unix()), v...)
			g(descNotAfter, float64(c.NotAfter.Unix()), v...)
			g(descExpired, b2f(now.After(c.NotAfter)), v...)
			g(descExpiresIn, c.NotAfter.Sub(now).Truncate(time.Second).Seconds(), v...)
			g(descCertError, 0, v...)
		}
		for _, e := range o.Errors {
			if !e.Cert {
				continue
			}
			v := certValues(Cert{Loc: e.Loc})
			if key := strings.Join(v, "\x00"); !seen[key] {
				seen[key] = true
				g(descCertError, 1, v...)
			}
		}
		for _, c := range o.CRLs {
			v := c.Loc.values()
			v = append(v, c.Number)
			v = append(v, c.Issuer[:]...)
			key := "crl\x00" + strings.Join(v, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			g(descCRLThis, float64(c.ThisUpdate.Unix()), v...)
			if !c.NextUpdate.IsZero() {
				g(descCRLNext, float64(c.NextUpdate.Unix()), v...)
				g(descCRLStale, b2f(now.After(c.NextUpdate)), v...)
			}
		}
	}
	if s.Counters != nil {
		s.Counters.Collect(ch)
	}
}

// secretPath names a Secret's key where there is no file path.
func (c Cert) secretPath() string {
	if c.Loc.SecretName == "" {
		return ""
	}
	return "secret:" + c.Loc.SecretNamespace + "/" + c.Loc.SecretName + "/" + c.Loc.SecretKey
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sortedKeys(m map[string]float64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Gather collects a snapshot's metric families, sorted by name and
// labels as client_golang sorts them.
func Gather(s *Snapshot) ([]*dto.MetricFamily, error) {
	// Not pedantic: its per-metric check of labels against the
	// descriptions took a fifth of rendering a fleet; the tests render
	// through a pedantic registry and promtool instead.
	reg := prometheus.NewRegistry()
	if err := reg.Register(s); err != nil {
		return nil, err
	}
	return reg.Gather()
}

// Exposition is a snapshot rendered once in both formats Prometheus
// reads.
type Exposition struct {
	Text        []byte // text format 0.0.4
	OpenMetrics []byte // OpenMetrics 1.0.0, served by content negotiation
}

// Render gathers a snapshot and encodes it in both formats.
func Render(s *Snapshot) (*Exposition, error) {
	mfs, err := Gather(s)
	if err != nil {
		return nil, err
	}
	var text, om bytes.Buffer
	te := expfmt.NewEncoder(&text, expfmt.NewFormat(expfmt.TypeTextPlain))
	oe := expfmt.NewEncoder(&om, expfmt.NewFormat(expfmt.TypeOpenMetrics))
	for _, mf := range mfs {
		if err := te.Encode(mf); err != nil {
			return nil, err
		}
		if err := oe.Encode(mf); err != nil {
			return nil, err
		}
	}
	if c, ok := oe.(expfmt.Closer); ok {
		if err := c.Close(); err != nil {
			return nil, err
		}
	}
	return &Exposition{Text: text.Bytes(), OpenMetrics: om.Bytes()}, nil
}
