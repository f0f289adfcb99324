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
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// Options control a [Server].
type Options struct {
	// Config is the server's TLS configuration, usually from
	// creds.ServerConfig; it is used for every connection.
	Config *tls.Config
	// Echo writes back what each client sends; otherwise the server
	// answers one line and closes.
	Echo bool
	// HandshakeTimeout bounds each handshake (default 10s); IdleTimeout
	// each read after it (default 30s).
	HandshakeTimeout, IdleTimeout time.Duration
	// MaxConns bounds concurrent connections (default 256); more wait.
	MaxConns int
	// Log receives one event per connection; nil discards them.
	Log func(Event)
}

// Event is what happened on one connection.
type Event struct {
	Time    time.Time
	Remote  string
	OK      bool
	Version uint16
	Suite   uint16
	SNI     string
	Resumed bool
	// Client is the client certificate's subject in QEMU's DN form, or
	// "" when it sent none.
	Client string
	// Cause and Message explain a failed handshake (see [Explain]).
	Cause   string
	Message string
	Err     error
}

// Server is a running TLS test server.
type Server struct {
	o  Options
	l  net.Listener
	wg sync.WaitGroup
}

// New makes a server on l (which should be bound to loopback in tests).
func New(l net.Listener, o Options) *Server {
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = 30 * time.Second
	}
	if o.MaxConns == 0 {
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
	ev := Event{Time: time.Now(), Remote: raw.RemoteAddr().String()}
	conn := tls.Server(raw, s.o.Config)
	_ = conn.SetDeadline(time.Now().Add(s.o.HandshakeTimeout))
	err := conn.Handshake()
	cs := conn.ConnectionState()
	ev.Version, ev.Suite, ev.SNI, ev.Resumed = cs.Version, cs.CipherSuite, cs.ServerName, cs.DidResume
	ev.Client = clientName(cs)
	if err != nil {
		ev.Err = err
		ev.Cause, ev.Message = Explain(err, cs)
		s.o.Log(ev)
		return
	}
	ev.OK = true
	s.o.Log(ev)
	if !s.o.Echo {
		_ = conn.SetDeadline(time.Now().Add(s.o.IdleTimeout))
		_, _ = io.WriteString(conn, "hello from tlscreds serve\n")
		_ = conn.Close()
		return
	}
	buf := make([]byte, 32<<10)
	for {
		_ = conn.SetDeadline(time.Now().Add(s.o.IdleTimeout))
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
