package starttls

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
)

// MySQL and MariaDB protocol constants (the MySQL client/server
// protocol's "Initial Handshake" and "SSLRequest" packets).
const (
	mysqlProtocol10  = 0x0a
	mysqlClientSSL   = 0x0800
	mysqlMaxGreeting = 64 << 10
	// mysqlSSLCaps are the capability flags OpenSSL's s_client
	// -starttls mysql sends (CLIENT_SSL, CLIENT_PROTOCOL_41,
	// CLIENT_SECURE_CONNECTION and the usual others).
	mysqlSSLCaps = 0x007fae85
)

// mysqlPacket reads one packet: a 3-byte little-endian payload length,
// a sequence number and the payload.
func mysqlPacket(r io.Reader, what string) (seq byte, payload, got []byte, err error) {
	hdr := make([]byte, 4)
	if n, err := io.ReadFull(r, hdr); err != nil {
		return 0, nil, hdr[:n], readErr(what, hdr[:n], err)
	}
	if LooksLikeTLSRecord(hdr) {
		return 0, nil, hdr, badPreamble(hdr, "reading %s: the server sent a TLS record: this port speaks TLS from the first byte", what)
	}
	n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
	if n == 0 || n > mysqlMaxGreeting {
		return 0, nil, hdr, badPreamble(hdr, "reading %s: a packet of %d bytes: this is not a MySQL or MariaDB server", what, n)
	}
	payload = make([]byte, n)
	if m, err := io.ReadFull(r, payload); err != nil {
		got = append(hdr, payload[:m]...)
		return 0, nil, got, readErr(what, got, err)
	}
	return hdr[3], payload, append(hdr, payload...), nil
}

// mysqlError reads an ERR packet's payload: 0xff, the error code, an
// optional "#" and SQLSTATE, the message.
func mysqlError(p []byte) string {
	if len(p) < 3 {
		return "an error packet"
	}
	code := binary.LittleEndian.Uint16(p[1:3])
	msg := p[3:]
	state := ""
	if len(msg) >= 6 && msg[0] == '#' {
		state, msg = string(msg[1:6]), msg[6:]
	}
	s := fmt.Sprintf("ERROR %d", code)
	if state != "" {
		s += " (" + state + ")"
	}
	return s + ": " + clip(string(msg))
}

// mysqlStartTLS reads the server's Initial Handshake, checks that it
// offers TLS (CLIENT_SSL) and sends the SSLRequest, after which the TLS
// handshake starts at once (the server does not answer it), as the
// mariadb and mysql clients with --ssl and openssl s_client -starttls
// mysql do.
func mysqlStartTLS(c net.Conn) ([]string, error) {
	_, p, got, err := mysqlPacket(c, "the server's greeting")
	if err != nil {
		return nil, err
	}
	if p[0] == 0xff {
		return nil, &Error{Msg: "the server refused the connection before any TLS: " + mysqlError(p)}
	}
	if p[0] != mysqlProtocol10 {
		return nil, badPreamble(got, "the server's greeting is not a MySQL protocol 10 handshake (it starts with byte %#x): this is not a MySQL or MariaDB server", p[0])
	}
	version, rest, ok := bytes.Cut(p[1:], []byte{0})
	// thread id (4), auth-plugin-data-part-1 (8), filler (1), then the
	// capability flags' lower two bytes.
	if !ok || len(rest) < 15 {
		return nil, badPreamble(got, "the server's greeting is too short for a MySQL handshake: this is not a MySQL or MariaDB server")
	}
	caps := binary.LittleEndian.Uint16(rest[13:15])
	steps := []string{fmt.Sprintf("the server greeted: MySQL protocol 10, server version %q", clip(string(version)))}
	if caps&mysqlClientSSL == 0 {
		return steps, &Error{Msg: fmt.Sprintf("the server does not offer TLS: its greeting lacks the CLIENT_SSL capability (MariaDB or MySQL %s without ssl_cert and ssl_key: have_ssl is DISABLED)", clip(string(version)))}
	}
	req := make([]byte, 4, 36)
	req[0], req[3] = 32, 1 // payload length 32, sequence number 1
	req = binary.LittleEndian.AppendUint32(req, mysqlSSLCaps)
	req = binary.LittleEndian.AppendUint32(req, 1<<24) // max packet size
	req = append(req, 0x21)                            // utf8_general_ci
	req = append(req, make([]byte, 23)...)
	if err := writeAll(c, req); err != nil {
		return steps, fmt.Errorf("sending the SSLRequest: %w", err)
	}
	return append(steps, "sent the SSLRequest: TLS follows"), nil
}

// LooksLikeMySQLGreeting reports whether b starts like a MySQL or
// MariaDB server's Initial Handshake packet: a plausible length, sequence
// number 0, protocol 10 and a printable version.
func LooksLikeMySQLGreeting(b []byte) bool {
	if len(b) < 7 || b[3] != 0 || b[4] != mysqlProtocol10 {
		return false
	}
	n := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
	if n < 20 || n > mysqlMaxGreeting {
		return false
	}
	for _, c := range b[5:min(len(b), 10)] {
		if c != 0 && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return b[5] >= '0' && b[5] <= '9'
}
