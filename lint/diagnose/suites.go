package diagnose

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// crypto/tls offers only the suites it implements: no finite-field DHE,
// no AES-CCM, no ARIA or Camellia, and static RSA only when configured.
// To find out what a server that refused every suite Go offers does
// accept, diagnose writes TLS 1.2 ClientHellos of its own, one suite
// family at a time, and reads only the answer: a ServerHello (and the
// Certificate after it, for the key type), or an alert.

// suiteFamily is a set of TLS 1.2 suites sharing key exchange and
// authentication, with every bulk cipher (AES-GCM, AES-CBC, ChaCha20,
// AES-CCM, ARIA, Camellia, 3DES).
type suiteFamily struct {
	name   string // ECDHE-ECDSA, ECDHE-RSA, DHE-RSA, static-RSA
	auth   string // the certificate key type the family needs: ECDSA or RSA
	suites []uint16
}

// suiteFamilies are the families probed, with the IANA suite numbers.
var suiteFamilies = []suiteFamily{
	{"ECDHE-ECDSA", "ECDSA", []uint16{0xc02b, 0xc02c, 0xcca9, 0xc023, 0xc024, 0xc009, 0xc00a, 0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc05c, 0xc05d, 0xc072, 0xc073}},
	{"ECDHE-RSA", "RSA", []uint16{0xc02f, 0xc030, 0xcca8, 0xc027, 0xc028, 0xc013, 0xc014, 0xc060, 0xc061, 0xc076, 0xc077, 0xc012}},
	{"DHE-RSA", "RSA", []uint16{0x009e, 0x009f, 0xccaa, 0x0067, 0x006b, 0x0033, 0x0039, 0xc09e, 0xc09f, 0xc0a2, 0xc0a3, 0xc052, 0xc053, 0x0045, 0x0088, 0x0016}},
	{"static-RSA", "RSA", []uint16{0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035, 0xc09c, 0xc09d, 0xc0a0, 0xc0a1, 0xc050, 0xc051, 0x0041, 0x0084, 0x000a}},
}

// suiteNames names the suites of the families that crypto/tls does not
// (tls.CipherSuiteName knows only its own).
var suiteNames = map[uint16]string{
	0xc0ac: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", 0xc0ad: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
	0xc0ae: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", 0xc0af: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
	0xc05c: "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", 0xc05d: "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
	0xc072: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc073: "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
	0xc028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 0xc024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
	0xc060: "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", 0xc061: "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
	0xc076: "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0xc077: "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
	0x009e: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009f: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
	0xccaa: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
	0x006b: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", 0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
	0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0xc09e: "TLS_DHE_RSA_WITH_AES_128_CCM",
	0xc09f: "TLS_DHE_RSA_WITH_AES_256_CCM", 0xc0a2: "TLS_DHE_RSA_WITH_AES_128_CCM_8",
	0xc0a3: "TLS_DHE_RSA_WITH_AES_256_CCM_8", 0xc052: "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
	0xc053: "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", 0x0045: "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
	0x0088: "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", 0x0016: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
	0x003d: "TLS_RSA_WITH_AES_256_CBC_SHA256", 0xc09c: "TLS_RSA_WITH_AES_128_CCM", 0xc09d: "TLS_RSA_WITH_AES_256_CCM",
	0xc0a0: "TLS_RSA_WITH_AES_128_CCM_8", 0xc0a1: "TLS_RSA_WITH_AES_256_CCM_8",
	0xc050: "TLS_RSA_WITH_ARIA_128_GCM_SHA256", 0xc051: "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
	0x0041: "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", 0x0084: "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
}

// SuiteProbe is what a server answered to a ClientHello offering one
// suite family over TLS 1.2.
type SuiteProbe struct {
	Family string `json:"family"`
	// Accepted says the server answered with a ServerHello, choosing
	// Suite; KeyType is the key of the certificate it then sent.
	Accepted bool   `json:"accepted"`
	Suite    string `json:"cipher_suite,omitempty"`
	KeyType  string `json:"key_type,omitempty"`
	// Alert is the alert it answered with instead; Error what else
	// happened (a close, a reset, a timeout).
	Alert *Alert `json:"alert,omitempty"`
	Error string `json:"error,omitempty"`

	suite uint16
}

// suiteName names a suite by its IANA name.
func suiteName(id uint16) string {
	if n, ok := suiteNames[id]; ok {
		return n
	}
	return tls.CipherSuiteName(id) // 0xXXXX when unknown
}

// probeSuites offers each family in turn to addr.
func probeSuites(ctx context.Context, addr, sni string, timeout time.Duration) []SuiteProbe {
	var out []SuiteProbe
	for _, f := range suiteFamilies {
		p := SuiteProbe{Family: f.name}
		sh, err := rawHello(ctx, addr, sni, f.suites, timeout)
		switch {
		case sh.alert != nil:
			p.Alert = sh.alert
		case sh.suite != 0:
			p.Accepted, p.suite, p.Suite, p.KeyType = true, sh.suite, suiteName(sh.suite), sh.keyType
		case err != nil:
			p.Error = err.Error()
		}
		out = append(out, p)
	}
	return out
}

// helloAnswer is what rawHello read.
type helloAnswer struct {
	suite   uint16
	keyType string // of the first certificate, "" when none was read
	alert   *Alert
}

// rawHello writes a TLS 1.2 ClientHello offering suites and reads the
// server's answer: its ServerHello and Certificate, or an alert.
func rawHello(ctx context.Context, addr, sni string, suites []uint16, timeout time.Duration) (helloAnswer, error) {
	var ans helloAnswer
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return ans, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(clientHello(sni, suites)); err != nil {
		return ans, err
	}
	var hs []byte // handshake messages read so far
	for range 64 {
		var h [5]byte
		if _, err := io.ReadFull(c, h[:]); err != nil {
			return ans, err
		}
		n := int(binary.BigEndian.Uint16(h[3:]))
		if n > 1<<14+2048 {
			return ans, errors.New("a record longer than TLS allows")
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(c, body); err != nil {
			return ans, err
		}
		switch h[0] {
		case 21: // alert
			if len(body) >= 2 {
				if a, ok := AlertByNumber(body[1]); ok {
					ans.alert = &a
				} else {
					ans.alert = &Alert{Number: body[1], Name: fmt.Sprintf("alert %d", body[1])}
				}
			}
			return ans, nil
		case 22: // handshake
			hs = append(hs, body...)
		default:
			return ans, fmt.Errorf("the server answered with a record of type %d", h[0])
		}
		// Walk the complete handshake messages.
		for len(hs) >= 4 {
			typ, l := hs[0], int(hs[1])<<16|int(hs[2])<<8|int(hs[3])
			if len(hs) < 4+l {
				break
			}
			msg := hs[4 : 4+l]
			hs = hs[4+l:]
			switch typ {
			case 2: // ServerHello: version, random, session id, suite
				if len(msg) < 35 || len(msg) < 35+int(msg[34])+2 {
					return ans, errors.New("a ServerHello too short")
				}
				off := 35 + int(msg[34])
				ans.suite = binary.BigEndian.Uint16(msg[off:])
			case 11: // Certificate: the list, then the first certificate
				if len(msg) >= 6 {
					l := int(msg[3])<<16 | int(msg[4])<<8 | int(msg[5])
					if len(msg) >= 6+l {
						if cert, err := x509.ParseCertificate(msg[6 : 6+l]); err == nil {
							ans.keyType = keyDescription(cert)
						}
					}
				}
				return ans, nil
			case 14: // ServerHelloDone: no certificate (anonymous)
				return ans, nil
			}
		}
	}
	return ans, errors.New("no Certificate within 64 records")
}

// clientHello is a TLS 1.2 ClientHello record offering suites (and the
// renegotiation SCSV), with the extensions servers expect: SNI, every
// common group (finite-field ones included), point formats, signature
// algorithms and extended master secret.
func clientHello(sni string, suites []uint16) []byte {
	u16 := func(b []byte, v int) []byte { return append(b, byte(v>>8), byte(v)) }
	var ext []byte
	if sni != "" && net.ParseIP(sni) == nil {
		ext = u16(ext, 0x0000)
		ext = u16(ext, len(sni)+5)
		ext = u16(ext, len(sni)+3)
		ext = append(ext, 0)
		ext = u16(ext, len(sni))
		ext = append(ext, sni...)
	}
	groups := []int{0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104}
	ext = u16(ext, 0x000a)
	ext = u16(ext, 2*len(groups)+2)
	ext = u16(ext, 2*len(groups))
	for _, g := range groups {
		ext = u16(ext, g)
	}
	ext = append(ext, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00)
	sigs := []int{0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0807, 0x0808, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201, 0x0402, 0x0502, 0x0602}
	ext = u16(ext, 0x000d)
	ext = u16(ext, 2*len(sigs)+2)
	ext = u16(ext, 2*len(sigs))
	for _, s := range sigs {
		ext = u16(ext, s)
	}
	ext = append(ext, 0x00, 0x17, 0x00, 0x00)

	var body []byte
	body = append(body, 0x03, 0x03)
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	body = append(body, random...)
	body = append(body, 0) // no session id
	body = u16(body, 2*len(suites)+2)
	for _, s := range suites {
		body = u16(body, int(s))
	}
	body = u16(body, 0x00ff)
	body = append(body, 1, 0) // null compression
	body = u16(body, len(ext))
	body = append(body, ext...)

	hs := append([]byte{1, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
	rec := []byte{22, 0x03, 0x01}
	rec = u16(rec, len(hs))
	return append(rec, hs...)
}

func (r *Report) suiteAccepted() bool {
	for _, p := range r.Suites {
		if p.Accepted {
			return true
		}
	}
	return false
}

// suiteFindings says what the family probes found: which families the
// server accepts, with which certificate, and why Go could not use
// them; or, when it accepted none, that its suite set is unknown.
func suiteFindings(ps []SuiteProbe) string {
	var acc, ref []string
	var chosen []SuiteProbe
	key := ""
	for _, p := range ps {
		if p.Accepted {
			acc = append(acc, fmt.Sprintf("%s (it chose %s)", p.Family, p.Suite))
			chosen = append(chosen, p)
			if p.KeyType != "" {
				key = p.KeyType
			}
			continue
		}
		how := "closed"
		switch {
		case p.Alert != nil:
			how = fmt.Sprintf("alert %d %s", p.Alert.Number, p.Alert.Name)
		case p.Error != "":
			how = p.Error
		}
		ref = append(ref, p.Family+": "+how)
	}
	msg := "offered one TLS 1.2 suite family at a time (each with AES-GCM, AES-CBC, ChaCha20, AES-CCM, ARIA and Camellia, every common group, finite-field ones included) in ClientHellos diagnose writes itself, "
	if len(acc) == 0 {
		return msg + "the server refused every one (" + strings.Join(ref, "; ") + "): the server's suite set is unknown. " +
			"A TLS 1.2-only server whose cipher list is written for another key type than its certificate's (only ECDHE-ECDSA suites with an RSA certificate, or only ECDHE-RSA suites with an ECDSA one) refuses every client this way: compare its cipher list with its certificate's key type (openssl x509 -noout -text -in CERT)"
	}
	msg += "the server accepted " + strings.Join(acc, ", ")
	if len(ref) > 0 {
		msg += " and refused " + strings.Join(ref, "; ")
	}
	if key != "" {
		msg += "; its certificate is " + key
	}
	var why []string
	for _, p := range chosen {
		why = append(why, whyGoCannot(p))
	}
	return msg + ": " + strings.Join(why, "; ")
}

// whyGoCannot says why crypto/tls did not use a suite the server took.
func whyGoCannot(p SuiteProbe) string {
	n := p.Suite
	switch {
	case strings.Contains(n, "_CCM"):
		return n + " uses AES-CCM, which crypto/tls does not implement (OpenSSL and GnuTLS do)"
	case strings.Contains(n, "_ARIA_"), strings.Contains(n, "_CAMELLIA_"):
		return n + " uses a cipher (ARIA or Camellia) crypto/tls does not implement"
	case p.Family == "DHE-RSA":
		return n + " uses finite-field DHE key exchange, which crypto/tls does not implement"
	case p.Family == "static-RSA":
		return n + " uses static-RSA key exchange, which Go offers only when configured (removed from its defaults in 1.22; TLS 1.3 has none)"
	case strings.Contains(n, "3DES"):
		return n + " uses 3DES, which Go no longer offers by default"
	}
	return n + " is a suite Go offers, so the mismatch is elsewhere: the key-exchange group (Go offers X25519, P-256, P-384 and P-521) or the signature algorithm"
}
