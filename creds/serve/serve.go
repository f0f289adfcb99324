// Package serve runs a TLS test server over a factory-built configuration
// and says, for every connection, who connected and — when the handshake
// failed — why, from the server's side.
//
// It is what `tlscreds serve` runs: an echo server for trying clients
// against a credential object. Connections are bounded in number and
// time, and [Server.Serve] returns when its context ends, after the open
// connections close.
package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// Options control a [Server].
type Options struct {
	// Config is the server's TLS configuration, usually from
	// creds.ServerConfig; it is used for every connection.
	Config *tls.Config
	// Objects are the credential objects Config serves: an event names
	// the one whose certificate was chosen (by SNI). Optional.
	Objects []*creds.Source
	// Echo writes back what each client sends; otherwise the server
	// answers one line and closes.
	Echo bool
	// HandshakeTimeout bounds each handshake (default 10s); IdleTimeout
	// each read after it (default 30s).
	HandshakeTimeout, IdleTimeout time.Duration
	// MaxConns bounds concurrent connections (default 256); more wait.
	// A zero or negative bound, time or count, means the default: there
	// is no way to ask for no bound.
	MaxConns int
	// Log receives the events of every connection (see [Event]); nil
	// discards them. It is called from the connections' goroutines.
	Log func(Event)
}

// Server is a running TLS test server.
type Server struct {
	o  Options
	l  net.Listener
	wg sync.WaitGroup
}

// New makes a server on l (which should be bound to loopback in tests).
func New(l net.Listener, o Options) *Server {
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 30 * time.Second
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 256
	}
	if o.Log == nil {
		o.Log = func(Event) {}
	}
	return &Server{o: o, l: l}
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.l.Addr() }

// Serve accepts connections until ctx ends, then closes the listener and
// waits for the open connections, which are closed too.
func (s *Server) Serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { <-ctx.Done(); s.l.Close() }()
	slots := make(chan struct{}, s.o.MaxConns)
	for {
		c, err := s.l.Accept()
		if err != nil {
			s.wg.Wait()
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		slots <- struct{}{}
		s.wg.Add(1)
		go func() {
			defer func() { <-slots; s.wg.Done() }()
			stop := context.AfterFunc(ctx, func() { c.Close() })
			defer stop()
			s.handle(c)
		}()
	}
}

func (s *Server) handle(raw net.Conn) {
	defer raw.Close()
	start := time.Now()
	wire := &wire{Conn: raw}
	ev := Event{Kind: KindHandshake, Time: start, Remote: raw.RemoteAddr().String()}
	var served *tls.Certificate
	conn := tls.Server(wire, s.connConfig(&served))
	_ = conn.SetDeadline(time.Now().Add(s.o.HandshakeTimeout))
	err := conn.Handshake()
	cs := conn.ConnectionState()
	ev.Version, ev.Suite, ev.SNI, ev.Resumed, ev.ALPN = cs.Version, cs.CipherSuite, cs.ServerName, cs.DidResume, cs.NegotiatedProtocol
	ev.Client = clientName(cs)
	ev.Object, ev.Certificate = s.objectOf(served)
	ended := ""
	if err != nil && completedBeforeTickets(err, cs, wire) {
		// The client finished its handshake and hung up before reading
		// the TLS 1.3 session tickets crypto/tls sends after the
		// client's Finished when it asked for a client certificate
		// (`openssl s_time -new` does this): not a handshake failure.
		err, ended = nil, CloseReset
	}
	if err != nil {
		ev.Err = err
		ev.Cause, ev.Message = Explain(err, cs)
		ev.Time = time.Now()
		s.o.Log(ev)
		return
	}
	ev.OK = true
	ev.Time = time.Now()
	s.o.Log(ev)
	closed := Event{Kind: KindClose, Remote: ev.Remote, OK: true, Version: ev.Version, Suite: ev.Suite, SNI: ev.SNI, Object: ev.Object, Client: ev.Client}
	if ended == "" {
		ended = s.converse(conn, wire, &closed)
	}
	closed.Close = ended
	closed.Time = time.Now()
	closed.Duration = closed.Time.Sub(start)
	s.o.Log(closed)
}

// converse runs the connection after the handshake (a greeting, or the
// echo loop) and says how it ended.
func (s *Server) converse(conn *tls.Conn, w *wire, ev *Event) string {
	if !s.o.Echo {
		_ = conn.SetDeadline(time.Now().Add(s.o.IdleTimeout))
		n, err := io.WriteString(conn, "hello from tlscreds serve\n")
		ev.BytesOut += int64(n)
		if err != nil {
			return closeKind(err, w, ev)
		}
		_ = conn.Close()
		return CloseServer
	}
	buf := make([]byte, 32<<10)
	for {
		_ = conn.SetDeadline(time.Now().Add(s.o.IdleTimeout))
		n, err := conn.Read(buf)
		if n > 0 {
			ev.BytesIn += int64(n)
			m, werr := conn.Write(buf[:n])
			ev.BytesOut += int64(m)
			if werr != nil {
				return closeKind(werr, w, ev)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) && !w.sawEOF() {
				// crypto/tls returns io.EOF for close_notify and stops
				// reading; a TCP close shows on the wire as well.
				_ = conn.Close()
				return CloseNotify
			}
			return closeKind(err, w, ev)
		}
	}
}

// closeKind classifies the error that ended a connection.
func closeKind(err error, w *wire, ev *Event) string {
	var ne net.Error
	switch {
	case errors.Is(err, net.ErrClosed):
		return CloseShutdown
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return CloseReset
	case errors.As(err, &ne) && ne.Timeout():
		return CloseIdle
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return CloseEOF
	}
	ev.Message = err.Error()
	return CloseError
}

// completedBeforeTickets reports whether a handshake "failed" only in
// writing the TLS 1.3 session tickets after the client's Finished: the
// error is a write error (reset or broken pipe) and the client had
// already sent its encrypted flight (records of type application_data,
// which in TLS 1.3 before the handshake ends can only be the client's
// Certificate, CertificateVerify and Finished; crypto/tls takes no
// 0-RTT data).
func completedBeforeTickets(err error, cs tls.ConnectionState, w *wire) bool {
	var oe *net.OpError
	return cs.Version == tls.VersionTLS13 && errors.As(err, &oe) && oe.Op == "write" &&
		(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) && w.encryptedRecords() > 0
}

// connConfig wraps the configuration to note the certificate chosen for
// this connection.
func (s *Server) connConfig(served **tls.Certificate) *tls.Config {
	base := s.o.Config
	cfg := base.Clone()
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		inner := base
		if base.GetConfigForClient != nil {
			c, err := base.GetConfigForClient(hello)
			if err != nil {
				return nil, err
			}
			if c != nil {
				inner = c
			}
		}
		out := inner.Clone()
		certs, get := inner.Certificates, inner.GetCertificate
		out.Certificates = nil
		out.GetCertificate = func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
			var c *tls.Certificate
			var err error
			switch {
			case get != nil && len(certs) == 0:
				c, err = get(h)
			case len(certs) == 1:
				c = &certs[0]
			case len(certs) > 1:
				c = &certs[0]
				for i := range certs {
					if h.SupportsCertificate(&certs[i]) == nil {
						c = &certs[i]
						break
					}
				}
			}
			*served = c
			return c, err
		}
		return out, nil
	}
	return cfg
}

// objectOf names the object whose certificate c is, and c's subject.
func (s *Server) objectOf(c *tls.Certificate) (object, subject string) {
	if c == nil || len(c.Certificate) == 0 {
		return "", ""
	}
	leaf := c.Leaf
	if leaf == nil {
		leaf, _ = x509.ParseCertificate(c.Certificate[0])
	}
	if leaf != nil {
		subject = leaf.Subject.String()
	}
	for _, src := range s.o.Objects {
		obj := src.Current()
		if obj == nil {
			continue
		}
		for _, id := range obj.Identities {
			if len(id.TLS.Certificate) > 0 && bytes.Equal(id.TLS.Certificate[0], c.Certificate[0]) {
				return src.ID(), subject
			}
		}
	}
	return "", subject
}

// wire is the TCP connection under crypto/tls. It follows the record
// layer of what the client sends (to tell a client that finished its
// TLS 1.3 handshake from one that did not) and notes when the transport
// itself ended: crypto/tls returns io.EOF both for close_notify and for
// a TCP close, and only the transport tells them apart.
type wire struct {
	net.Conn
	mu        sync.Mutex
	hdr       [5]byte
	hdrN      int
	skip      int // bytes of the current record's body still to come
	encrypted int // records of type application_data (23) seen
	eof       bool
}

func (w *wire) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	b := p[:n]
	for len(b) > 0 {
		if w.skip > 0 {
			k := min(w.skip, len(b))
			w.skip -= k
			b = b[k:]
			continue
		}
		k := copy(w.hdr[w.hdrN:], b)
		w.hdrN += k
		b = b[k:]
		if w.hdrN == len(w.hdr) {
			if w.hdr[0] == 23 {
				w.encrypted++
			}
			w.skip = int(w.hdr[3])<<8 | int(w.hdr[4])
			w.hdrN = 0
		}
	}
	if errors.Is(err, io.EOF) {
		w.eof = true
	}
	return n, err
}

func (w *wire) encryptedRecords() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.encrypted
}

func (w *wire) sawEOF() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.eof
}
