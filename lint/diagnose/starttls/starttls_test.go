package starttls

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// scripted is a connection whose server side is a fixed byte string: it
// reads from it (io.EOF at its end) and records what the client writes.
type scripted struct {
	r     *bytes.Reader
	wrote bytes.Buffer
}

func (s *scripted) Read(b []byte) (int, error)       { return s.r.Read(b) }
func (s *scripted) Write(b []byte) (int, error)      { return s.wrote.Write(b) }
func (s *scripted) Close() error                     { return nil }
func (s *scripted) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (s *scripted) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (s *scripted) SetDeadline(time.Time) error      { return nil }
func (s *scripted) SetReadDeadline(time.Time) error  { return nil }
func (s *scripted) SetWriteDeadline(time.Time) error { return nil }
func script(server string) *scripted                 { return &scripted{r: bytes.NewReader([]byte(server))} }
func (s *scripted) rest() string                     { b, _ := io.ReadAll(s.r); return string(b) }

// What qemu-nbd and QEMU's VNC server send up to the TLS handshake,
// followed by the first bytes of a ServerHello-sized TLS record.
const (
	nbdUpToTLS = "NBDMAGICIHAVEOPT\x00\x03" + // greeting: fixed newstyle, no zeroes
		"\x00\x03\xe8\x89\x04\x55\x65\xa9\x00\x00\x00\x05\x00\x00\x00\x01\x00\x00\x00\x00" // NBD_REP_ACK to NBD_OPT_STARTTLS
	vncUpToTLS = "RFB 003.008\n" + "\x01\x13" + // one security type: VeNCrypt
		"\x00\x02" + "\x00" + // VeNCrypt 0.2, accepted
		"\x01\x00\x00\x01\x04" + "\x01" // one subtype, X509None (260), accepted
	tlsRecord = "\x16\x03\x03\x00\x2a"
)

// Negotiate stops exactly where TLS begins: the TLS bytes stay unread.
func TestNegotiateReadsNoTLSByte(t *testing.T) {
	for _, tt := range []struct {
		proto, server, wrote, step string
	}{
		{NBD, nbdUpToTLS, "IHAVEOPT\x00\x00\x00\x05\x00\x00\x00\x00", "STARTTLS"},
		{VNC, vncUpToTLS, "RFB 003.008\n\x13\x00\x02\x00\x00\x01\x04", "chose X509None"},
	} {
		c := script(tt.server + tlsRecord)
		steps, err := Negotiate(c, tt.proto)
		if err != nil {
			t.Fatalf("%s: %v", tt.proto, err)
		}
		if rest := c.rest(); rest != tlsRecord {
			t.Errorf("%s: left %q unread, want the TLS record %q", tt.proto, rest, tlsRecord)
		}
		if !strings.Contains(c.wrote.String(), tt.wrote) {
			t.Errorf("%s: the client wrote %q, want it to contain %q", tt.proto, c.wrote.String(), tt.wrote)
		}
		if !strings.Contains(strings.Join(steps, "\n"), tt.step) {
			t.Errorf("%s: steps %q lack %q", tt.proto, steps, tt.step)
		}
	}
}

// A port that speaks TLS from the first byte answers neither protocol:
// the error says so (Error.TLS), with what the server sent.
func TestNegotiateOnATLSPort(t *testing.T) {
	for _, proto := range []string{NBD, VNC} {
		_, err := Negotiate(script(tlsRecord+"\x02\x00\x00\x26\x03\x03abcdefgh"), proto)
		var e *Error
		if !errors.As(err, &e) || !e.TLS || len(e.Got) == 0 {
			t.Errorf("%s: %v, want an *Error with TLS set and the bytes received", proto, err)
		}
	}
	if _, err := Negotiate(script(""), "ftp"); err == nil || !strings.Contains(err.Error(), "unknown STARTTLS protocol") {
		t.Errorf("Negotiate(ftp) = %v", err)
	}
}

// FuzzNegotiate feeds the NBD and VNC preamble readers whatever a server
// might send: they must neither panic nor succeed without steps.
func FuzzNegotiate(f *testing.F) {
	f.Add(true, []byte(nbdUpToTLS))
	f.Add(true, []byte("NBDMAGIC\x00\x00\x42\x02\x81\x86\x12\x53"))
	f.Add(false, []byte(vncUpToTLS))
	f.Add(false, []byte("RFB 003.008\n\x00\x00\x00\x00\x05hello"))
	f.Fuzz(func(t *testing.T, nbd bool, server []byte) {
		proto := VNC
		if nbd {
			proto = NBD
		}
		steps, err := Negotiate(script(string(server)), proto)
		if err == nil && len(steps) == 0 {
			t.Fatal("success without steps")
		}
	})
}
