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
// # Encoding
//
// [Encode] writes each [Family] in the text format 0.0.4 and in
// OpenMetrics 1.0.0 itself, byte for byte what the Prometheus client
// library's encoders (github.com/prometheus/common/expfmt, which
// client_golang's promhttp and WriteToTextfile call) write for the same
// families, and the exporter negotiates the format and Content-Type as
// expfmt does; the tests hold both equal to expfmt's. The package links
// nothing of Prometheus or protobuf: their package initialisation ran in
// every tlscreds command. lint/metrics/promcollector turns families into
// client_golang collectors and Gatherers (prometheus.WriteToTextfile,
// promhttp.HandlerFor, prometheus.Gatherers) for a program's own
// registry.
//
// # Cost
//
// A [Snapshot] is rendered once after each check ([Render]) and a scrape
// is served those bytes, so it costs the same whatever a check is doing.
// The lines are written per family straight from its values, not as a
// client_golang const metric per series, and this package does not
// import the client_golang prometheus package: its init (a default
// registry with the process and Go collectors) would run in every
// tlscreds command, and package creds
// exposes reload events as plain Go values that [Counters] counts, so
// library users do not pay for Prometheus (docs/performance.md).
package metrics

import "time"

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
