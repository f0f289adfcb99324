package diagnose

import (
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
)

// maxRecorded bounds the bytes of the server's first flight a recorder
// keeps: enough to show plain text and to see a ServerHello.
const maxRecorded = 512

// recorder wraps the TCP connection under crypto/tls and notes what came
// from the server: the first bytes, and whether the connection itself
// ended (EOF, reset). crypto/tls returns io.EOF both for a close_notify
// alert and for a TCP close at a record boundary; only the transport
// tells them apart: after close_notify, crypto/tls stops reading and the
// transport never reports its end.
type recorder struct {
	net.Conn
	mu    sync.Mutex
	first []byte
	total int
	eof   bool // the transport returned io.EOF
	reset bool // the transport returned ECONNRESET
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.mu.Lock()
	defer r.mu.Unlock()
	if n > 0 {
		r.total += n
		if room := maxRecorded - len(r.first); room > 0 {
			r.first = append(r.first, p[:min(n, room)]...)
		}
	}
	switch {
	case errors.Is(err, io.EOF):
		r.eof = true
	case errors.Is(err, syscall.ECONNRESET):
		r.reset = true
	}
	return n, err
}

// restart forgets what was recorded (after a STARTTLS preamble).
func (r *recorder) restart() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.first, r.total, r.eof, r.reset = nil, 0, false, false
}

type recorded struct {
	first      []byte
	total      int
	eof, reset bool
}

func (r *recorder) snapshot() recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return recorded{first: append([]byte(nil), r.first...), total: r.total, eof: r.eof, reset: r.reset}
}

// serverHelloSeen reports whether the recorded bytes start with a TLS
// handshake record holding a ServerHello (record type 22, message type 2),
// i.e. the server accepted the ClientHello.
func serverHelloSeen(b []byte) bool {
	return len(b) >= 6 && b[0] == 0x16 && b[1] == 0x03 && b[5] == 0x02
}

// isText reports whether b is mostly printable ASCII (a banner, HTTP).
func isText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	n := 0
	for _, c := range b {
		if c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) {
			n++
		}
	}
	return n*10 >= len(b)*9
}
