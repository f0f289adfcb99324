package diagnose

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// memPipe returns the two ends of an in-memory connection whose writes
// never block. net.Pipe is unbuffered, and a TLS 1.2 server that sends an
// alert while the client is still writing its flight deadlocks there: both
// sides block in Write. Over TCP the kernel buffers; here each direction
// has its own buffer. Reads honour read deadlines; writes need none.
func memPipe() (net.Conn, net.Conn) {
	ab, ba := newStream(), newStream()
	return &memConn{r: ba, w: ab}, &memConn{r: ab, w: ba}
}

// stream is one direction of a memPipe.
type stream struct {
	mu     sync.Mutex
	buf    []byte
	closed bool          // the writer closed: readers get EOF once buf is empty
	ready  chan struct{} // signalled after every write and on close
}

func newStream() *stream { return &stream{ready: make(chan struct{}, 1)} }

func (s *stream) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

type memConn struct {
	r, w *stream
	mu   sync.Mutex
	dl   time.Time // read deadline
}

func (c *memConn) Read(p []byte) (int, error) {
	for {
		c.r.mu.Lock()
		if len(c.r.buf) > 0 {
			n := copy(p, c.r.buf)
			c.r.buf = c.r.buf[n:]
			c.r.mu.Unlock()
			return n, nil
		}
		closed := c.r.closed
		c.r.mu.Unlock()
		if closed {
			return 0, io.EOF
		}
		c.mu.Lock()
		dl := c.dl
		c.mu.Unlock()
		if dl.IsZero() {
			<-c.r.ready
			continue
		}
		d := time.Until(dl)
		if d <= 0 {
			return 0, os.ErrDeadlineExceeded
		}
		t := time.NewTimer(d)
		select {
		case <-c.r.ready:
			t.Stop()
		case <-t.C:
			return 0, os.ErrDeadlineExceeded
		}
	}
}

func (c *memConn) Write(p []byte) (int, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if c.w.closed {
		return 0, io.ErrClosedPipe
	}
	c.w.buf = append(c.w.buf, p...)
	c.w.signal()
	return len(p), nil
}

// Close ends both directions: the peer reads EOF, and its writes fail.
func (c *memConn) Close() error {
	for _, s := range []*stream{c.w, c.r} {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.signal()
	}
	return nil
}

// CloseWrite ends this side's writing: the peer reads EOF after what was
// written, and may still write.
func (c *memConn) CloseWrite() error {
	c.w.mu.Lock()
	c.w.closed = true
	c.w.mu.Unlock()
	c.w.signal()
	return nil
}

func (c *memConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

func (c *memConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.dl = t
	c.mu.Unlock()
	c.r.signal() // a waiting Read re-reads the deadline
	return nil
}

func (c *memConn) SetWriteDeadline(time.Time) error { return nil }
func (c *memConn) LocalAddr() net.Addr              { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return memAddr{} }

type memAddr struct{}

func (memAddr) Network() string { return "memory" }
func (memAddr) String() string  { return "in-process" }
