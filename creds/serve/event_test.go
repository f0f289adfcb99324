package serve

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestEventRenderings holds the log line and the JSON Lines form of the
// one event model to each other: versions by name, the SNI name and the
// object chosen, client text escaped.
func TestEventRenderings(t *testing.T) {
	at := time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC)
	ok := Event{Kind: KindHandshake, Time: at, Remote: "127.0.0.1:5000", OK: true, Version: tls.VersionTLS10,
		Suite: tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, SNI: "db.example\x1b[31m", Object: "srv", Client: `"CN=alice"`}
	line := ok.LogLine()
	for _, want := range []string{"ok TLS 1.0 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", `sni "db.example\x1b[31m"`, "object srv", `client "CN=alice"`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	if strings.ContainsRune(line, 0x1b) {
		t.Errorf("log line %q carries a raw escape", line)
	}
	b, err := json.Marshal(ok)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["schema"] != EventSchema || got["version"] != "TLS 1.0" || got["object"] != "srv" || got["kind"] != "handshake" || got["ok"] != true {
		t.Errorf("JSON = %s", b)
	}
	closed := Event{Kind: KindClose, Time: at, Remote: "127.0.0.1:5000", OK: true, Close: CloseEOF, BytesIn: 3, BytesOut: 3, Duration: 1500 * time.Millisecond}
	if l := closed.LogLine(); !strings.Contains(l, "closed eof-without-close_notify after 1.5s, 3 bytes in, 3 out") {
		t.Errorf("close line = %q", l)
	}
	failed := Event{Kind: KindHandshake, Time: at, Remote: "r", Version: tls.VersionTLS11, Cause: cause.Version, Message: "no common TLS version"}
	if l := failed.LogLine(); !strings.Contains(l, "FAILED handshake-version TLS 1.1: no common TLS version") {
		t.Errorf("failure line = %q", l)
	}
}

// TestCloseKinds: after a completed handshake, the close event says
// whether the client sent close_notify, closed TCP without it, or reset.
func TestCloseKinds(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	l := startLab(t, g, ",verify-peer=off", Options{Echo: true}, creds.ServerOptions{Time: func() time.Time { return fixtures.TestClock }})
	run := func(end func(c *tls.Conn, raw *net.TCPConn)) Event {
		t.Helper()
		l.reset()
		raw, err := net.Dial("tcp", l.addr)
		if err != nil {
			t.Fatal(err)
		}
		c := tls.Client(raw, l.clientConfig(nil))
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Read(make([]byte, 4)); err != nil {
			t.Fatal(err)
		}
		end(c, raw.(*net.TCPConn))
		for i := 0; i < 200; i++ {
			l.mu.Lock()
			for _, ev := range l.events {
				if ev.Kind == KindClose {
					l.mu.Unlock()
					return ev
				}
			}
			l.mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("no close event")
		return Event{}
	}
	tests := []struct {
		name string
		end  func(c *tls.Conn, raw *net.TCPConn)
		want string
	}{
		{"close_notify", func(c *tls.Conn, raw *net.TCPConn) { c.Close() }, CloseNotify},
		{"TCP close without close_notify", func(c *tls.Conn, raw *net.TCPConn) { raw.Close() }, CloseEOF},
		{"reset", func(c *tls.Conn, raw *net.TCPConn) { raw.SetLinger(0); raw.Close() }, CloseReset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := run(tt.end)
			if ev.Close != tt.want || ev.BytesIn != 4 || ev.BytesOut != 4 {
				t.Errorf("close event = %s, want close %s after 4 bytes each way", ev.LogLine(), tt.want)
			}
		})
	}
}
