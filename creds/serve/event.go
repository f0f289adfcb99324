package serve

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Event is the one record of what happened on a connection. `tlscreds
// serve` renders it as a log line ([Event.LogLine]) or as one line of
// JSON ([Event.MarshalJSON], JSON Lines); metrics count the same events
// (Kind, OK, Cause, Version, Close), so the three renderings never
// disagree.
//
// A connection gives one [KindHandshake] event when its handshake ends
// (OK or with a Cause) and, when the handshake succeeded, one
// [KindClose] event when the connection ends, saying how (Close).
type Event struct {
	Kind   string    // KindHandshake or KindClose
	Time   time.Time // when the event happened
	Remote string    // the client's address
	OK     bool      // the handshake completed (KindHandshake); always true for KindClose

	// What the handshake agreed on (as far as it got).
	Version uint16 // TLS version; see [Event.VersionName]
	Suite   uint16
	ALPN    string
	Resumed bool
	// SNI is the server name the client sent ("" for none); Object the
	// credential object whose certificate was served ("" when unknown:
	// no Options.Objects, or no certificate chosen); Certificate the
	// served certificate's subject.
	SNI, Object, Certificate string
	// Client is the client certificate's subject in QEMU's DN form, or
	// "" when it sent none.
	Client string

	// Cause and Message explain a failed handshake (see [Explain]).
	Cause   string
	Message string
	Err     error

	// Close says how a connection with a completed handshake ended
	// (KindClose): one of the Close* constants.
	Close string
	// BytesIn and BytesOut count application data; Duration is from
	// accept to the event.
	BytesIn, BytesOut int64
	Duration          time.Duration
}

// Event kinds.
const (
	KindHandshake = "handshake"
	KindClose     = "close"
)

// How a connection ends after a completed handshake.
const (
	// CloseNotify: the client sent close_notify (a clean close).
	CloseNotify = "close_notify"
	// CloseEOF: the client closed the TCP connection without
	// close_notify: a truncation. Clients that do this after their last
	// read (openssl s_time, many HTTP/1.0 clients) are common; a proxy
	// that does it mid-response is a bug.
	CloseEOF = "eof-without-close_notify"
	// CloseReset: the client reset the connection (it closed with unread
	// data, such as TLS 1.3 session tickets, or it crashed).
	CloseReset = "reset"
	// CloseIdle: the client sent nothing for IdleTimeout.
	CloseIdle = "idle-timeout"
	// CloseServer: the server closed after its greeting (not --echo).
	CloseServer = "server-closed"
	// CloseShutdown: the server stopped.
	CloseShutdown = "shutdown"
	// CloseError: another error ended the connection (in Message).
	CloseError = "error"
)

// VersionName names the TLS version as people write it ("TLS 1.0"), or
// "" when no version was agreed.
func (e Event) VersionName() string {
	if e.Version == 0 {
		return ""
	}
	return tls.VersionName(e.Version)
}

// SuiteName names the cipher suite, or "" when none was agreed.
func (e Event) SuiteName() string {
	if e.Suite == 0 {
		return ""
	}
	return tls.CipherSuiteName(e.Suite)
}

// LogLine renders the event as one line of text for a log:
//
//	2026-12-04T16:00:00Z 127.0.0.1:50412 ok TLS 1.3 TLS_AES_128_GCM_SHA256 sni "db.example" object srv, no client certificate
//	2026-12-04T16:00:00Z 127.0.0.1:50414 FAILED handshake-version TLS 1.0 sni "-": no common TLS version: ...
//	2026-12-04T16:00:01Z 127.0.0.1:50412 closed eof-without-close_notify after 0.4s, 0 bytes in, 26 out
//
// Text that came from the client (a DN, the SNI name, the first bytes
// of a plain-text request) is quoted or escaped, never printed raw.
func (e Event) LogLine() string {
	ts := e.Time.UTC().Format(time.RFC3339)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s ", ts, e.Remote)
	switch {
	case e.Kind == KindClose:
		fmt.Fprintf(&b, "closed %s after %s, %d bytes in, %d out", e.Close, e.Duration.Round(time.Millisecond), e.BytesIn, e.BytesOut)
		if e.Message != "" {
			fmt.Fprintf(&b, ": %s", e.Message)
		}
		return safeText(b.String())
	case !e.OK:
		fmt.Fprintf(&b, "FAILED %s", e.Cause)
		if v := e.VersionName(); v != "" {
			fmt.Fprintf(&b, " %s", v)
		}
		if e.SNI != "" {
			fmt.Fprintf(&b, " sni %q", e.SNI)
		}
		fmt.Fprintf(&b, ": %s", e.Message)
		return safeText(b.String())
	}
	fmt.Fprintf(&b, "ok %s %s", e.VersionName(), e.SuiteName())
	if e.SNI != "" {
		fmt.Fprintf(&b, " sni %q", e.SNI)
	} else {
		b.WriteString(" no sni")
	}
	if e.Object != "" {
		fmt.Fprintf(&b, " object %s", e.Object)
	}
	if e.ALPN != "" {
		fmt.Fprintf(&b, " alpn %q", e.ALPN)
	}
	if e.Client != "" {
		fmt.Fprintf(&b, ", client %s", e.Client)
	} else {
		b.WriteString(", no client certificate")
	}
	if e.Resumed {
		b.WriteString(" (resumed)")
	}
	return safeText(b.String())
}

// jsonEvent is the JSON Lines form (schema tlscreds.serve.event/v1):
// names, not numbers, for versions and suites; absent fields omitted.
type jsonEvent struct {
	Schema      string  `json:"schema"`
	Kind        string  `json:"kind"`
	Time        string  `json:"time"`
	Remote      string  `json:"remote"`
	OK          bool    `json:"ok"`
	Version     string  `json:"version,omitempty"`
	Suite       string  `json:"cipher_suite,omitempty"`
	ALPN        string  `json:"alpn,omitempty"`
	Resumed     bool    `json:"resumed,omitempty"`
	SNI         string  `json:"sni,omitempty"`
	Object      string  `json:"object,omitempty"`
	Certificate string  `json:"certificate,omitempty"`
	Client      string  `json:"client,omitempty"`
	Cause       string  `json:"cause,omitempty"`
	Message     string  `json:"message,omitempty"`
	Close       string  `json:"close,omitempty"`
	BytesIn     int64   `json:"bytes_in,omitempty"`
	BytesOut    int64   `json:"bytes_out,omitempty"`
	Seconds     float64 `json:"duration_seconds,omitempty"`
}

// EventSchema names the JSON form of an [Event].
const EventSchema = "tlscreds.serve.event/v1"

// MarshalJSON renders the event as one JSON object (one line of JSON
// Lines when encoded without indentation).
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonEvent{
		Schema: EventSchema, Kind: e.Kind, Time: e.Time.UTC().Format(time.RFC3339Nano), Remote: e.Remote, OK: e.OK,
		Version: e.VersionName(), Suite: e.SuiteName(), ALPN: e.ALPN, Resumed: e.Resumed,
		SNI: e.SNI, Object: e.Object, Certificate: e.Certificate, Client: e.Client,
		Cause: e.Cause, Message: e.Message, Close: e.Close, BytesIn: e.BytesIn, BytesOut: e.BytesOut,
		Seconds: e.Duration.Seconds(),
	})
}

// safeText escapes control characters (a client's SNI or DN could hold
// terminal escapes).
func safeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 32 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return '?'
		}
		return r
	}, s)
}
