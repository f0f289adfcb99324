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
// A [Snapshot] is rendered once after each check ([Render]), straight
// from its [Family] values into both encodings; a scrape is served those
// bytes, so it costs the same whatever a check is doing. This package does
// not link the Prometheus client library: package creds exposes reload
// events as plain Go values and [Counters] counts them, so library users
// and the tlscreds commands do not pay for client_golang's package
// initialisation (docs/performance.md). A program with a client_golang
// registry of its own registers the collectors of
// lint/metrics/promcollector, whose tests prove that client_golang's
// encoders write the same bytes as [Encode].
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
