package creds

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	aead128Suites = []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
	aead256Suites = []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
	secure192Curves = []tls.CurveID{tls.SecP384r1MLKEM1024, tls.CurveP384, tls.CurveP521}
)

const (
	v12 = tls.VersionTLS12
	v13 = tls.VersionTLS13
)

func TestParsePriority(t *testing.T) {
	tests := []struct {
		text       string
		min, max   uint16
		suites     []uint16
		curves     []tls.CurveID
		serverPref bool
		note       string // substring of one note; "" = no notes
	}{
		{text: "", min: v12, max: v13},
		{text: "NORMAL", min: v12, max: v13},
		{text: "normal", min: v12, max: v13},
		{text: "PERFORMANCE", min: v12, max: v13},
		{text: "PFS", min: v12, max: v13},
		{text: "SECURE128", min: v12, max: v13, suites: aead128Suites},
		{text: "SECURE192", min: v12, max: v13, suites: aead256Suites, curves: secure192Curves, note: "TLS 1.3 suites are fixed"},
		{text: "SECURE256", min: v12, max: v13, suites: aead256Suites, curves: secure192Curves, note: "TLS 1.3 suites are fixed"},
		{text: "@SYSTEM", min: v12, max: v13, note: "@SYSTEM: Go has no system crypto policy; treated as NORMAL"},
		{text: "@QEMU,SYSTEM", min: v12, max: v13, note: "@QEMU,SYSTEM: Go has no system crypto policy"},
		{text: "@LIBVIRT,SYSTEM:-VERS-TLS1.2", min: v13, max: v13, note: "no system crypto policy"},
		{text: "NORMAL:-VERS-TLS1.0", min: v12, max: v13},
		{text: "NORMAL:-VERS-TLS1.1", min: v12, max: v13},
		{text: "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1:-VERS-SSL3.0", min: v12, max: v13},
		{text: "NORMAL:+VERS-TLS1.3", min: v12, max: v13},
		{text: "NORMAL:-VERS-ALL:+VERS-TLS1.3", min: v13, max: v13},
		{text: "NORMAL:-VERS-ALL:+VERS-TLS1.2", min: v12, max: v12},
		{text: "NORMAL:-VERS-TLS1.3", min: v12, max: v12},
		{text: "NORMAL:!VERS-TLS1.2", min: v13, max: v13},
		{text: "NORMAL:-VERS-ALL:+VERS-ALL", min: v12, max: v13, note: "+VERS-ALL: crypto/tls enables TLS 1.2 and 1.3 only"},
		{text: "NORMAL:-VERS-TLS-ALL:+VERS-TLS1.2", min: v12, max: v12},
		{text: "NORMAL:-VERS-DTLS-ALL", min: v12, max: v13},
		{text: "NORMAL:%SERVER_PRECEDENCE", min: v12, max: v13, serverPref: true, note: "ignores PreferServerCipherSuites since Go 1.18"},
		{text: "NORMAL:%COMPAT", min: v12, max: v13},
		{text: "SECURE256:-VERS-TLS1.2", min: v13, max: v13, curves: secure192Curves, note: "TLS 1.3 suites are fixed"},
		{text: "NORMAL:-CIPHER-ALL:+AES-256-GCM", min: v12, max: v13,
			suites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
			note:   "AES-128-GCM, AES-256-GCM and CHACHA20-POLY1305 stay enabled for TLS 1.3"},
		{text: "NORMAL:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305", min: v12, max: v13, suites: aead128Suites},
		{text: "NORMAL:-AES-128-CBC:-AES-256-CBC", min: v12, max: v13, suites: aead128Suites},
		{text: "NORMAL:-SHA1", min: v12, max: v13, suites: aead128Suites},
		{text: "NORMAL:-SHA1:+SHA1:-MD5", min: v12, max: v13},
		{text: "SECURE128:+AES-128-CBC", min: v12, max: v13, suites: append(slices.Clone(aead128Suites),
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)},
		{text: "NORMAL:-CIPHER-ALL:+CIPHER-ALL", min: v12, max: v13},
		{text: "NORMAL:+CHACHA20-POLY1305", min: v12, max: v13},
		{text: "NORMAL:-CAMELLIA-128-GCM:-3DES-CBC:-ARCFOUR-128:-AES-128-CCM", min: v12, max: v13},
		{text: "NORMAL:-ECDHE-RSA", min: v12, max: v13, suites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA}},
		{text: "NORMAL:-KX-ALL:+ECDHE-RSA:+ECDHE-ECDSA", min: v12, max: v13},
		{text: "NORMAL:-RSA:-DHE-RSA:-DHE-DSS:-ANON-DH:-ANON-ECDH:-PSK:-DHE-PSK:-ECDHE-PSK:-SRP", min: v12, max: v13},
		{text: "NORMAL:-CIPHER-ALL", min: v13, max: v13, note: "no TLS 1.2 cipher suite left: TLS 1.2 disabled"},
		{text: "NORMAL:-KX-ALL", min: v13, max: v13, note: "no TLS 1.2 cipher suite left"},
		{text: "NORMAL:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519", min: v12, max: v13,
			curves: []tls.CurveID{tls.X25519, tls.CurveP256}},
		{text: "NORMAL:-CURVE-ALL:+CURVE-SECP384R1", min: v12, max: v13, curves: []tls.CurveID{tls.CurveP384}},
		{text: "NORMAL:-GROUP-X25519-MLKEM768:-GROUP-SECP256R1-MLKEM768:-GROUP-SECP384R1-MLKEM1024", min: v12, max: v13,
			curves: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}},
		{text: "NORMAL:-GROUP-ALL:+GROUP-EC-ALL", min: v12, max: v13,
			curves: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}},
		{text: "NORMAL:-GROUP-EC-ALL", min: v12, max: v13,
			curves: []tls.CurveID{tls.X25519MLKEM768, tls.SecP256r1MLKEM768, tls.SecP384r1MLKEM1024}},
		{text: "SECURE192:+GROUP-ALL", min: v12, max: v13, suites: aead256Suites, note: "TLS 1.3 suites are fixed"},
		{text: "NORMAL:-GROUP-FFDHE2048:-GROUP-FFDHE3072:-GROUP-DH-ALL:-GROUP-X448", min: v12, max: v13},
		{text: "NORMAL:+GROUP-FFDHE3072", min: v12, max: v13, note: "+GROUP-FFDHE3072: crypto/tls has no finite-field (FFDHE) or X448 groups; using the elliptic-curve groups only"},
		{text: "NORMAL:+COMP-NULL:-COMP-DEFLATE:-COMP-ALL", min: v12, max: v13},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p, err := ParsePriority(tt.text)
			if err != nil {
				t.Fatalf("ParsePriority: %v", err)
			}
			if p.MinVersion != tt.min || p.MaxVersion != tt.max {
				t.Errorf("versions = %#x..%#x, want %#x..%#x", p.MinVersion, p.MaxVersion, tt.min, tt.max)
			}
			if !slices.Equal(p.CipherSuites, tt.suites) {
				t.Errorf("CipherSuites = %v, want %v", suiteNames(p.CipherSuites), suiteNames(tt.suites))
			}
			if (p.CipherSuites == nil) != (tt.suites == nil) {
				t.Errorf("CipherSuites nil = %v, want %v", p.CipherSuites == nil, tt.suites == nil)
			}
			if !slices.Equal(p.CurvePreferences, tt.curves) || (p.CurvePreferences == nil) != (tt.curves == nil) {
				t.Errorf("CurvePreferences = %v, want %v", p.CurvePreferences, tt.curves)
			}
			if p.PreferServerCipherSuites != tt.serverPref {
				t.Errorf("PreferServerCipherSuites = %v", p.PreferServerCipherSuites)
			}
			if p.Text != tt.text {
				t.Errorf("Text = %q", p.Text)
			}
			notes := strings.Join(p.Notes, "\n")
			if tt.note == "" && len(p.Notes) > 0 {
				t.Errorf("unexpected notes: %q", p.Notes)
			}
			if !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q lack %q", p.Notes, tt.note)
			}
		})
	}
}

func suiteNames(ids []uint16) []string {
	var names []string
	for _, id := range ids {
		names = append(names, tls.CipherSuiteName(id))
	}
	return names
}

func TestParsePriorityErrors(t *testing.T) {
	tests := []struct {
		text, element, want string
	}{
		{"NORMAL:+VERS-TLS1.0", "+VERS-TLS1.0", "cannot enable: Go's minimum here is TLS 1.2"},
		{"NORMAL:+VERS-TLS1.1", "+VERS-TLS1.1", "Go's minimum here is TLS 1.2"},
		{"NORMAL:+VERS-SSL3.0", "+VERS-SSL3.0", "Go's minimum here is TLS 1.2"},
		{"NORMAL:-VERS-ALL", "", "no TLS version left: crypto/tls offers TLS 1.2 and 1.3"},
		{"NORMAL:-VERS-TLS1.2:-VERS-TLS1.3", "", "no TLS version left"},
		{"NORMAL:-CIPHER-ALL:-VERS-TLS1.3", "", "no TLS 1.2 cipher suite left and TLS 1.3 is disabled"},
		{"NORMAL:-GROUP-ALL:+GROUP-FFDHE2048", "", "no usable key exchange group: crypto/tls has no finite-field (FFDHE) or X448 groups (asked for +GROUP-FFDHE2048)"},
		{"NORMAL:-GROUP-ALL:+GROUP-DH-ALL", "", "crypto/tls has no finite-field (FFDHE)"},
		{"NORMAL:-GROUP-ALL:+GROUP-X448", "", "or X448 groups"},
		{"NORMAL:-GROUP-ALL", "", "no key exchange group left"},
		{"NORMAL:+ANON-DH", "+ANON-DH", "crypto/tls has no anonymous key exchange"},
		{"NORMAL:+ANON-ECDH", "+ANON-ECDH", "crypto/tls has no anonymous key exchange"},
		{"NORMAL:+DHE-PSK", "+DHE-PSK", "crypto/tls has no pre-shared-key (TLS-PSK) key exchange"},
		{"NORMAL:+PSK", "+PSK", "crypto/tls has no pre-shared-key"},
		{"NORMAL:+ECDHE-PSK", "+ECDHE-PSK", "crypto/tls has no pre-shared-key"},
		{"NORMAL:+ECDHE-PSK:+DHE-PSK:+PSK", "+ECDHE-PSK", "crypto/tls has no pre-shared-key"},
		{"NORMAL:+DHE-RSA", "+DHE-RSA", "crypto/tls has no finite-field DHE key exchange"},
		{"NORMAL:+RSA", "+RSA", "static RSA key exchange (no forward secrecy) is not supported"},
		{"NORMAL:+SRP", "+SRP", "crypto/tls has no SRP key exchange"},
		{"NORMAL:+FOO", "+FOO", "unknown element (supported: keywords NORMAL"},
		{"NORMAL:FOO", "FOO", "unknown element: want +NAME, -NAME or %FLAG"},
		{"FOO", "FOO", "unknown keyword (supported: keywords NORMAL, PERFORMANCE"},
		{"SYSTEM", "SYSTEM", "unknown keyword"},
		{"NONE:+VERS-TLS1.2", "NONE", "NONE (list every algorithm by hand) is not supported"},
		{"LEGACY", "LEGACY", "LEGACY enables TLS versions"},
		{"-VERS-TLS1.0", "-VERS-TLS1.0", "starts with a keyword such as NORMAL, not a modifier"},
		{":NORMAL", "", "empty keyword"},
		{"NORMAL::-VERS-TLS1.0", "", "empty element"},
		{"NORMAL:", "", "empty element"},
		{"NORMAL:%NO_TICKETS", "%NO_TICKETS", "flag not supported by crypto/tls (supported flags: %SERVER_PRECEDENCE, %COMPAT)"},
		{"NORMAL:SECURE128", "SECURE128", "a keyword is only allowed as the first element"},
		{"NORMAL:+SIGN-RSA-SHA256", "+SIGN-RSA-SHA256", "restrict signature algorithms"},
		{"NORMAL:-SIGN-ALL", "-SIGN-ALL", "restrict signature algorithms"},
		{"NORMAL:+CTYPE-OPENPGP", "+CTYPE-OPENPGP", "no certificate-type setting"},
		{"NORMAL:+COMP-DEFLATE", "+COMP-DEFLATE", "crypto/tls has no TLS compression"},
		{"NORMAL:-COMP-NULL", "-COMP-NULL", "cannot disable the null compression method"},
		{"NORMAL:-COMP-FOO", "-COMP-FOO", "unknown element"},
		{"NORMAL:+AES-128-CCM", "+AES-128-CCM", "crypto/tls has no AES-128-CCM cipher suites"},
		{"NORMAL:+3DES-CBC", "+3DES-CBC", "crypto/tls has no 3DES-CBC cipher suites"},
		{"NORMAL:+MD5", "+MD5", "crypto/tls has no MD5 MAC"},
		{"NORMAL:+VERS-DTLS1.2", "+VERS-DTLS1.2", "crypto/tls has no DTLS"},
		{"NORMAL:-VERS-TLS9", "-VERS-TLS9", "unknown protocol version"},
		{"NORMAL:+GROUP-FOO", "+GROUP-FOO", "unknown group"},
		{"@", "@", `invalid system policy keyword ""`},
		{"@QEMU,", "@QEMU,", `invalid system policy keyword ""`},
		{"@QE MU", "@QE MU", `invalid system policy keyword "QE MU"`},
		{" NORMAL", " NORMAL", "unknown keyword"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p, err := ParsePriority(tt.text)
			if err == nil {
				t.Fatalf("no error; got %+v", p)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tt.want)
			}
			var pe *PriorityError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *PriorityError", err)
			}
			if pe.Element != tt.element || pe.Text != tt.text {
				t.Errorf("Element, Text = %q, %q; want %q, %q", pe.Element, pe.Text, tt.element, tt.text)
			}
		})
	}

	_, err := ParsePriority("NORMAL:+VERS-TLS1.0")
	const want = `priority "NORMAL:+VERS-TLS1.0" cannot be mapped onto Go's crypto/tls: element "+VERS-TLS1.0": cannot enable: Go's minimum here is TLS 1.2 (older versions need GODEBUG settings and are insecure)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestPriorityApply(t *testing.T) {
	p, err := ParsePriority("SECURE256:-VERS-TLS1.3")
	if err != nil {
		t.Fatal(err)
	}
	c := &tls.Config{MinVersion: tls.VersionTLS13, CipherSuites: []uint16{1}, CurvePreferences: []tls.CurveID{tls.X25519}}
	p.Apply(c)
	if c.MinVersion != v12 || c.MaxVersion != v12 {
		t.Errorf("versions = %#x..%#x", c.MinVersion, c.MaxVersion)
	}
	if !slices.Equal(c.CipherSuites, aead256Suites) || !slices.Equal(c.CurvePreferences, secure192Curves) {
		t.Errorf("CipherSuites %v, CurvePreferences %v", suiteNames(c.CipherSuites), c.CurvePreferences)
	}
	c.CipherSuites[0] = 0
	if p.CipherSuites[0] == 0 {
		t.Error("Apply shares the CipherSuites slice")
	}

	normal, _ := ParsePriority("NORMAL")
	normal.Apply(c)
	if c.CipherSuites != nil || c.CurvePreferences != nil || c.MinVersion != v12 || c.MaxVersion != v13 {
		t.Errorf("NORMAL did not restore defaults: %+v", c)
	}
}

// testServerCert makes a self-signed ECDSA certificate for 127.0.0.1, valid
// around a fixed instant so the test never expires.
func testServerCert(t *testing.T, now time.Time) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "priority test"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// handshake runs one TLS handshake over loopback and returns the client's
// view and both sides' errors.
func handshake(t *testing.T, server, client *tls.Config) (tls.ConnectionState, error, error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	serverErr := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			serverErr <- err
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		serverErr <- tls.Server(conn, server).Handshake()
	}()
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	tc := tls.Client(conn, client)
	clientErr := tc.Handshake()
	state := tc.ConnectionState()
	tc.Close()
	return state, clientErr, <-serverErr
}

func TestPriorityHandshake(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cert, pool := testServerCert(t, now)
	p, err := ParsePriority("NORMAL:-VERS-ALL:+VERS-TLS1.3")
	if err != nil {
		t.Fatal(err)
	}
	server := &tls.Config{Certificates: []tls.Certificate{cert}, Time: func() time.Time { return now }}
	p.Apply(server)

	client12 := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12, Time: func() time.Time { return now }}
	_, clientErr, serverErr := handshake(t, server, client12)
	if clientErr == nil || serverErr == nil {
		t.Fatalf("TLS 1.2 client against a TLS 1.3-only server: client err %v, server err %v; want both to fail", clientErr, serverErr)
	}
	if !strings.Contains(serverErr.Error(), "unsupported versions") {
		t.Errorf("server error %q does not mention the versions", serverErr)
	}

	client13 := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", Time: func() time.Time { return now }}
	state, clientErr, serverErr := handshake(t, server, client13)
	if clientErr != nil || serverErr != nil {
		t.Fatalf("TLS 1.3 handshake: client err %v, server err %v", clientErr, serverErr)
	}
	if state.Version != tls.VersionTLS13 {
		t.Errorf("negotiated %s, want TLS 1.3", tls.VersionName(state.Version))
	}

	// A TLS 1.2 SECURE256 server accepts only 256-bit AEAD suites.
	p, err = ParsePriority("SECURE256:-VERS-TLS1.3")
	if err != nil {
		t.Fatal(err)
	}
	server = &tls.Config{Certificates: []tls.Certificate{cert}, Time: func() time.Time { return now }}
	p.Apply(server)
	client := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", Time: func() time.Time { return now },
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}
	if _, clientErr, _ := handshake(t, server, client); clientErr == nil {
		t.Error("AES-128-GCM-only client connected to a SECURE256 TLS 1.2 server")
	}
	client.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}
	state, clientErr, serverErr = handshake(t, server, client)
	if clientErr != nil || serverErr != nil {
		t.Fatalf("SECURE256 handshake: client err %v, server err %v", clientErr, serverErr)
	}
	if state.Version != tls.VersionTLS12 || state.CipherSuite != tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 {
		t.Errorf("negotiated %s %s", tls.VersionName(state.Version), tls.CipherSuiteName(state.CipherSuite))
	}
}

func ExampleParsePriority() {
	p, err := ParsePriority("SECURE256:-VERS-TLS1.2")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := &tls.Config{}
	p.Apply(cfg)
	fmt.Println(tls.VersionName(cfg.MinVersion), tls.VersionName(cfg.MaxVersion), cfg.CurvePreferences)
	for _, n := range p.Notes {
		fmt.Println("note:", n)
	}

	_, err = ParsePriority("NORMAL:+VERS-TLS1.1")
	fmt.Println(err)
	// Output:
	// TLS 1.3 TLS 1.3 [SecP384r1MLKEM1024 CurveP384 CurveP521]
	// note: TLS 1.3 suites are fixed in crypto/tls: AES-128-GCM, AES-256-GCM and CHACHA20-POLY1305 stay enabled for TLS 1.3
	// priority "NORMAL:+VERS-TLS1.1" cannot be mapped onto Go's crypto/tls: element "+VERS-TLS1.1": cannot enable: Go's minimum here is TLS 1.2 (older versions need GODEBUG settings and are insecure)
}

func FuzzParsePriority(f *testing.F) {
	for _, seed := range []string{
		"NORMAL", "SECURE256:-VERS-TLS1.2", "@QEMU,SYSTEM", "NORMAL:-VERS-ALL:+VERS-TLS1.3",
		"NORMAL:-CIPHER-ALL:+AES-256-GCM:%SERVER_PRECEDENCE", "NORMAL:-GROUP-ALL:+GROUP-FFDHE2048",
		"NORMAL:+ANON-DH", "", ":",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePriority(s)
		if err != nil {
			var pe *PriorityError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *PriorityError", err)
			}
			return
		}
		if p.MinVersion < tls.VersionTLS12 || p.MaxVersion > tls.VersionTLS13 || p.MinVersion > p.MaxVersion {
			t.Fatalf("versions %#x..%#x", p.MinVersion, p.MaxVersion)
		}
		if p.CurvePreferences != nil && len(p.CurvePreferences) == 0 {
			t.Fatal("empty, non-nil CurvePreferences")
		}
		if p.CipherSuites != nil && (len(p.CipherSuites) == 0 || p.MinVersion != tls.VersionTLS12) {
			t.Fatalf("CipherSuites %v with versions %#x..%#x", p.CipherSuites, p.MinVersion, p.MaxVersion)
		}
	})
}
