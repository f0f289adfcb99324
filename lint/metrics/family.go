package metrics

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// Type is a metric family's type: the exporter has gauges and counters.
type Type int

const (
	Gauge Type = iota
	Counter
)

// Family is one metric family: its series sorted by label values, labels
// sorted by name, as client_golang's registry gathers them. [Encode]
// writes families straight from these values (docs/performance.md); the
// lint/metrics/promcollector package turns them into client_golang
// collectors and Gatherers for a program that has a registry of its own,
// and the tests hold what Encode writes equal to what client_golang and
// expfmt write for the same families.
type Family struct {
	Name, Help string
	Type       Type
	Labels     []string // sorted
	Series     []Series
}

// Series is one sample: its label values in the order of Family.Labels.
type Series struct {
	Values []string
	Value  float64
}

// familyDef declares a family with its labels in the order callers give
// values; perm maps them to sorted order.
type familyDef struct {
	name, help string
	typ        Type
	labels     []string // sorted
	perm       []int    // perm[i]: index in the caller's order of labels[i]
}

func def(name, help string, typ Type, labels ...string) *familyDef {
	d := &familyDef{name: name, help: help, typ: typ}
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return labels[idx[a]] < labels[idx[b]] })
	for _, i := range idx {
		d.labels = append(d.labels, labels[i])
		d.perm = append(d.perm, i)
	}
	return d
}

// sorted reorders values given in declaration order into label order.
func (d *familyDef) sorted(values []string) []string {
	out := make([]string, len(values))
	for i, j := range d.perm {
		out[i] = values[j]
	}
	return out
}

var (
	dnNames   = []string{"C", "ST", "L", "O", "OU", "CN"}
	locLabels = []string{"filename", "filepath", "secret_namespace", "secret_name", "secret_key"}
	// certLabels is x509-certificate-exporter's per-certificate schema
	// (the labels this exporter can fill).
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

	defNotBefore  = def("x509_cert_not_before", "Unix timestamp of the certificate's notBefore.", Gauge, certLabels...)
	defNotAfter   = def("x509_cert_not_after", "Unix timestamp of the certificate's notAfter.", Gauge, certLabels...)
	defExpired    = def("x509_cert_expired", "1 if the certificate is expired, 0 otherwise.", Gauge, certLabels...)
	defExpiresIn  = def("x509_cert_expires_in_seconds", "Seconds until the certificate's notAfter at the last check (negative once expired).", Gauge, certLabels...)
	defCertError  = def("x509_cert_error", "1 if a certificate file could not be read or parsed, 0 for each certificate that parsed.", Gauge, certLabels...)
	defCRLThis    = def("x509_crl_this_update", "Unix timestamp of the CRL's thisUpdate.", Gauge, crlLabels...)
	defCRLNext    = def("x509_crl_next_update", "Unix timestamp of the CRL's nextUpdate.", Gauge, crlLabels...)
	defCRLStale   = def("x509_crl_stale", "1 if the CRL is past its nextUpdate, 0 otherwise.", Gauge, crlLabels...)
	defSourceUp   = def("x509_source_up", "1 if the source could be read at the last check, 0 otherwise.", Gauge, "source_kind", "source_name")
	defSourceObjs = def("x509_source_bundles", "Credential objects found in the source at the last check.", Gauge, "source_kind", "source_name")
	defSourceErrs = def("x509_source_errors_total", "Errors reading sources, by x509-certificate-exporter reason code.", Counter, "source_kind", "source_name", "reason")
	defBuildInfo  = def("tlscreds_build_info", "Constant 1, labelled with the tlscreds build.", Gauge, "version", "go_version")
	defFindings   = def("tlscreds_lint_findings", "Findings of a rule at a severity in one file of an object.", Gauge, "object", "path", "profile", "rule", "severity")
	defStatus     = def("tlscreds_object_status", "The worst finding of an object: 0 ok, 1 warning, 2 error (the profile's consumer refuses it).", Gauge, "object", "profile")
	defNextExpiry = def("tlscreds_object_next_expiry_timestamp_seconds", "The earliest notAfter of an object's certificates (leaf, chain, CA) and nextUpdate of its CRL.", Gauge, "object")
	defCertInfo   = def("tlscreds_cert_info", "Constant 1 for each certificate of an object.", Gauge, "object", "role", "filepath", "fingerprint_sha256", "serial_number")
	defCheckSecs  = def("tlscreds_exporter_check_duration_seconds", "How long the last check of every source took.", Gauge)
	defCheckTime  = def("tlscreds_exporter_last_check_timestamp_seconds", "When the last check ended.", Gauge)

	defReloads  = def("tlscreds_reload_total", "Reload attempts of an object that changed or failed, by result (ok, error).", Counter, "object", "result")
	defFailures = def("tlscreds_handshake_failures_total", "Failed TLS handshakes, by cause ID (tlscreds explain --causes).", Counter, "cause")
	defServing  = def("tlscreds_object_cert_not_after_timestamp_seconds", "notAfter of the certificate an object serves now (after its last successful reload).", Gauge, "object")
)

// families collects series per family definition.
type families struct {
	order []*familyDef
	byDef map[*familyDef]*Family
	// sorted: families whose series were added in label order
	sorted map[*familyDef]bool
}

// reserve makes room for n more series of d.
func (fs *families) reserve(d *familyDef, n int) {
	f := fs.family(d)
	f.Series = slices.Grow(f.Series, n)
}

func (fs *families) add(d *familyDef, v float64, values ...string) {
	fs.addSorted(d, v, d.sorted(values))
}

// addSorted adds a series whose values are already in label order (the
// certificate families share one slice per certificate).
func (fs *families) addSorted(d *familyDef, v float64, sorted []string) {
	f := fs.family(d)
	f.Series = append(f.Series, Series{Values: sorted, Value: v})
}

func (fs *families) family(d *familyDef) *Family {
	if fs.byDef == nil {
		fs.byDef = map[*familyDef]*Family{}
	}
	f := fs.byDef[d]
	if f == nil {
		f = &Family{Name: d.name, Help: d.help, Type: d.typ, Labels: d.labels}
		fs.byDef[d] = f
		fs.order = append(fs.order, d)
	}
	return f
}

// done sorts the families by name and each family's series by label
// values, as client_golang's Gather does.
func (fs *families) done() []Family {
	out := make([]Family, 0, len(fs.order))
	for _, d := range fs.order {
		f := fs.byDef[d]
		if len(f.Series) == 0 {
			continue
		}
		if !fs.sorted[d] {
			slices.SortStableFunc(f.Series, func(a, b Series) int { return slices.Compare(a.Values, b.Values) })
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Family) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (l Location) values() []string {
	return []string{l.Filename, l.Filepath, l.SecretNamespace, l.SecretName, l.SecretKey}
}

func certValues(c Cert) []string {
	v := make([]string, 0, len(certLabels))
	v = append(v, c.Loc.values()...)
	v = append(v, c.Serial)
	v = append(v, c.Issuer[:]...)
	return append(v, c.Subject[:]...)
}

// Families is the snapshot as metric families, sorted.
func (s *Snapshot) Families() []Family {
	var fs families
	s.collect(&fs)
	if s.Counters != nil {
		s.Counters.collect(&fs)
	}
	return fs.done()
}

func (s *Snapshot) collect(fs *families) {
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	version := s.Version
	if version == "" {
		version = "dev"
	}
	fs.add(defBuildInfo, 1, version, runtime.Version())
	for _, src := range s.Sources {
		fs.add(defSourceUp, b2f(src.Up), src.Kind, src.Name)
		fs.add(defSourceObjs, float64(src.Objects), src.Kind, src.Name)
		for _, r := range sortedKeys(src.Errors) {
			fs.add(defSourceErrs, src.Errors[r], src.Kind, src.Name, r)
		}
	}
	if s.CheckSeconds > 0 {
		fs.add(defCheckSecs, s.CheckSeconds)
		fs.add(defCheckTime, float64(now.UnixMilli())/1000)
	}
	// Two certificates with the same labels (one file holding a
	// certificate twice is skipped when read; two objects sharing a CA
	// file are not) would be one series: the first one stands.
	//
	// The certificate families (and the CRL families) have one series
	// per certificate (CRL) with the same label values: their rows are
	// sorted once for all of them.
	type row struct {
		sv  []string // label values in label order
		obj int      // index in s.Objects
		i   int      // index in its Certs or CRLs; -1: an unreadable file
	}
	nCerts, nCRLs := 0, 0
	for i := range s.Objects {
		nCerts += len(s.Objects[i].Certs) + len(s.Objects[i].Errors)
		nCRLs += len(s.Objects[i].CRLs)
	}
	certs := make([]row, 0, nCerts)
	crls := make([]row, 0, nCRLs)
	seen := make(map[string]bool, 2*len(s.Objects)+2*nCerts+nCRLs)
	for oi := range s.Objects {
		o := &s.Objects[oi]
		if seen["object\x00"+o.ID] {
			continue // an object given twice: the first one stands
		}
		seen["object\x00"+o.ID] = true
		fs.add(defStatus, float64(o.Status), o.ID, o.Profile)
		if !o.NextExpiry.IsZero() {
			fs.add(defNextExpiry, float64(o.NextExpiry.Unix()), o.ID)
		}
		for _, f := range o.Findings {
			fs.add(defFindings, float64(f.N), o.ID, f.Path, o.Profile, f.Rule, f.Severity)
		}
		for ci := range o.Certs {
			c := &o.Certs[ci]
			if k := "info\x00" + o.ID + c.Role + c.Loc.Filepath + c.secretPath() + c.Fingerprint; !seen[k] {
				seen[k] = true
				fs.add(defCertInfo, 1, o.ID, c.Role, c.Loc.Filepath+c.secretPath(), c.Fingerprint, c.Serial)
			}
			v := certValues(*c)
			key := strings.Join(v, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			certs = append(certs, row{defNotAfter.sorted(v), oi, ci}) // every certificate family has the same labels
		}
		for _, e := range o.Errors {
			if !e.Cert {
				continue
			}
			v := certValues(Cert{Loc: e.Loc})
			if key := strings.Join(v, "\x00"); !seen[key] {
				seen[key] = true
				certs = append(certs, row{defCertError.sorted(v), oi, -1})
			}
		}
		for ci, c := range o.CRLs {
			v := make([]string, 0, len(crlLabels))
			v = append(v, c.Loc.values()...)
			v = append(v, c.Number)
			v = append(v, c.Issuer[:]...)
			key := "crl\x00" + strings.Join(v, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			crls = append(crls, row{defCRLThis.sorted(v), oi, ci})
		}
	}
	byValues := func(a, b row) int { return slices.Compare(a.sv, b.sv) }
	slices.SortFunc(certs, byValues)
	slices.SortFunc(crls, byValues)
	if fs.sorted == nil {
		fs.sorted = map[*familyDef]bool{}
	}
	for _, d := range []*familyDef{defNotBefore, defNotAfter, defExpired, defExpiresIn, defCertError, defCRLThis, defCRLNext, defCRLStale} {
		fs.sorted[d] = true
	}
	if len(certs) > 0 {
		for _, d := range []*familyDef{defNotBefore, defNotAfter, defExpired, defExpiresIn, defCertError} {
			fs.reserve(d, len(certs))
		}
	}
	for _, r := range certs {
		if r.i < 0 {
			fs.addSorted(defCertError, 1, r.sv)
			continue
		}
		c := &s.Objects[r.obj].Certs[r.i]
		fs.addSorted(defNotBefore, float64(c.NotBefore.Unix()), r.sv)
		fs.addSorted(defNotAfter, float64(c.NotAfter.Unix()), r.sv)
		fs.addSorted(defExpired, b2f(now.After(c.NotAfter)), r.sv)
		fs.addSorted(defExpiresIn, c.NotAfter.Sub(now).Truncate(time.Second).Seconds(), r.sv)
		fs.addSorted(defCertError, 0, r.sv)
	}
	for _, r := range crls {
		c := &s.Objects[r.obj].CRLs[r.i]
		fs.addSorted(defCRLThis, float64(c.ThisUpdate.Unix()), r.sv)
		if !c.NextUpdate.IsZero() {
			fs.addSorted(defCRLNext, float64(c.NextUpdate.Unix()), r.sv)
			fs.addSorted(defCRLStale, b2f(now.After(c.NextUpdate)), r.sv)
		}
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

// BuildInfoFamilies is tlscreds_build_info alone, for processes that
// serve live counters (serve).
func BuildInfoFamilies(version string) []Family {
	var fs families
	fs.add(defBuildInfo, 1, version, runtime.Version())
	return fs.done()
}
