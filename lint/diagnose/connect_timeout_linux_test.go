//go:build linux

package diagnose

import (
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// A TCP connect that gets no answer (a firewall that drops packets) is
// reported as a connect timeout, not as a handshake that stalled. The
// address that does not answer is a loopback listener whose accept queue
// is full and never drained: Linux drops the SYNs it cannot queue, so
// the connect waits as it would for a host behind a dropping firewall.
func TestProbeConnectTimeout(t *testing.T) {
	t.Parallel()
	addr := unansweredAddr(t)
	r, fs := probe(t, addr, ProbeOptions{Timeout: time.Second})
	if r.OK {
		t.Fatal("probe succeeded")
	}
	wantCauses(t, fs, "handshake-timeout")
	wantMessage(t, fs, "handshake-timeout", "the TCP connection to "+addr+" did not complete within 1s", "drops the packets")
}

// unansweredAddr returns a 127.0.0.1 address whose connects hang: a
// socket listening with a backlog of 0 that never accepts, its queue
// filled first. It fails the test if the queue cannot be filled within a
// few connections.
func unansweredAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	for range 8 {
		c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return addr // the queue is full: connects now hang
			}
			t.Fatalf("filling the accept queue of %s: %v", addr, err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Fatalf("the accept queue of %s did not fill in 8 connections", addr)
	return ""
}
