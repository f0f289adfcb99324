package creds_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// The helpers below are shared by the config, registry and example tests
// of this package; their names start with lab so they do not collide with
// other test files.

// labClock is the clock certificates are generated and verified with.
func labClock() time.Time { return fixtures.TestClock }

// labWriteDir writes d into a new directory in the QEMU layout.
func labWriteDir(t testing.TB, d fixtures.Dir) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := d.Write(dir, layout.QEMU, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

// labRewrite replaces the files of dir with d's.
func labRewrite(t testing.TB, dir string, d fixtures.Dir) {
	t.Helper()
	if _, err := d.Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
}

// labSource parses an object spec and loads it with the test clock.
func labSource(t testing.TB, spec string) *creds.Source {
	t.Helper()
	sp, _, err := creds.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{Now: labClock})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// labPKI generates a PKI with the test clock.
func labPKI(t testing.TB, o fixtures.PKIOptions) *fixtures.PKI {
	t.Helper()
	p, err := fixtures.New(fixtures.TestClock).PKI(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// labServer is a TLS server on 127.0.0.1 that completes the handshake,
// reads "ping" and answers "pong" on every connection, and reports each
// connection's outcome.
type labServer struct {
	Addr    string
	results chan labResult
}

type labResult struct {
	State tls.ConnectionState // set when the handshake succeeded
	Err   error               // from the handshake, or the exchange after it
}

func labServe(t testing.TB, cfg *tls.Config) *labServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &labServer{Addr: ln.Addr().String(), results: make(chan labResult, 1024)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.handle(c, cfg)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return s
}

func (s *labServer) handle(c net.Conn, cfg *tls.Config) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	tc := tls.Server(c, cfg)
	var r labResult
	if r.Err = tc.Handshake(); r.Err == nil {
		r.State = tc.ConnectionState()
		buf := make([]byte, 4)
		if _, err := io.ReadFull(tc, buf); err != nil {
			r.Err = err
		} else if _, err := tc.Write([]byte("pong")); err != nil {
			r.Err = err
		}
	}
	select {
	case s.results <- r:
	default: // nobody is counting (the concurrent test)
	}
}

// next returns the outcome of the next connection the server finished.
func (s *labServer) next(t testing.TB) labResult {
	t.Helper()
	select {
	case r := <-s.results:
		return r
	case <-time.After(15 * time.Second):
		t.Fatal("the server reported no connection within 15s")
		return labResult{}
	}
}

// labDial connects, handshakes, writes "ping" and reads "pong": in TLS
// 1.3 a server's refusal of the client certificate surfaces only there.
// The state is the one after the handshake, even when the exchange fails.
func labDial(addr string, cfg *tls.Config) (tls.ConnectionState, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	tc := tls.Client(c, cfg)
	if err := tc.Handshake(); err != nil {
		return tls.ConnectionState{}, err
	}
	st := tc.ConnectionState()
	if _, err := tc.Write([]byte("ping")); err != nil {
		return st, err
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(tc, buf); err != nil {
		return st, err
	}
	if string(buf) != "pong" {
		return st, fmt.Errorf("read %q, want pong", buf)
	}
	return st, nil
}

// labRoundTrip dials s and returns both sides' outcomes.
func labRoundTrip(t testing.TB, s *labServer, cfg *tls.Config) (tls.ConnectionState, labResult, error) {
	t.Helper()
	st, err := labDial(s.Addr, cfg)
	return st, s.next(t), err
}

func labPeerCN(st tls.ConnectionState) string {
	if len(st.PeerCertificates) == 0 {
		return ""
	}
	return st.PeerCertificates[0].Subject.CommonName
}

func labServerConfig(t testing.TB, src *creds.Source, o creds.ServerOptions) *tls.Config {
	t.Helper()
	if o.Time == nil {
		o.Time = labClock
	}
	cfg, err := creds.ServerConfig(src, o)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func labClientConfig(t testing.TB, src *creds.Source, name string, o creds.ClientOptions) *tls.Config {
	t.Helper()
	if o.Time == nil {
		o.Time = labClock
	}
	cfg, err := creds.ClientConfig(src, name, o)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func labVersion(v uint16) string {
	switch v {
	case tls.VersionTLS12:
		return "TLS1.2"
	case tls.VersionTLS13:
		return "TLS1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// TestServerConfigClientAuth runs verify-peer on and off against every
// kind of client: with a good certificate, without one, with a revoked one
// (the server directory holds a CRL), and with one from another CA.
func TestServerConfigClientAuth(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{Clients: []string{"client", "revoked"}})
	other := labPKI(t, fixtures.PKIOptions{Clients: []string{"stranger"}})
	crl, err := g.CRL(p.Root, fixtures.CRLSpec{Revoked: []*big.Int{p.Clients[1].Cert.SerialNumber}})
	if err != nil {
		t.Fatal(err)
	}
	srvDir := labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Server: p.Server, CRL: crl})
	clientDirs := map[string]string{
		"present":  labWriteDir(t, p.ClientDir(0)),
		"absent":   labWriteDir(t, fixtures.Dir{CA: p.CABundle()}),
		"revoked":  labWriteDir(t, p.ClientDir(1)),
		"other-ca": labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Client: other.Clients[0]}),
	}

	type want struct {
		ok        bool
		serverCN  string // the client CN the server sees
		serverErr string // substring of the server's error
		serverIs  error
		clientErr map[uint16]string // substring of the client's error, by version
	}
	both := func(s string) map[uint16]string { return map[uint16]string{tls.VersionTLS12: s, tls.VersionTLS13: s} }
	cases := []struct {
		verifyPeer bool
		client     string
		want       want
	}{
		{true, "present", want{ok: true, serverCN: "client"}},
		{true, "absent", want{serverErr: "tls: client didn't provide a certificate", clientErr: map[uint16]string{
			tls.VersionTLS12: "remote error: tls: handshake failure",
			tls.VersionTLS13: "remote error: tls: certificate required",
		}}},
		{true, "revoked", want{serverIs: creds.ErrRevoked, clientErr: both("remote error: tls: bad certificate")}},
		{true, "other-ca", want{serverErr: "x509: certificate signed by unknown authority", clientErr: both("remote error: tls: unknown certificate authority")}},
		// verify-peer=off: a client without a certificate is accepted, as
		// in QEMU; one that sends a certificate must still pass (stricter
		// than QEMU, which checks nothing).
		{false, "present", want{ok: true, serverCN: "client"}},
		{false, "absent", want{ok: true}},
		{false, "revoked", want{serverIs: creds.ErrRevoked, clientErr: both("remote error: tls: bad certificate")}},
		{false, "other-ca", want{serverErr: "x509: certificate signed by unknown authority", clientErr: both("remote error: tls: unknown certificate authority")}},
	}
	servers := map[bool]*labServer{}
	for _, vp := range []bool{true, false} {
		src := labSource(t, fmt.Sprintf("tls-creds-x509,id=srv,endpoint=server,dir=%s,verify-peer=%v", srvDir, vp))
		servers[vp] = labServe(t, labServerConfig(t, src, creds.ServerOptions{}))
	}
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/verify-peer=%v/%s", labVersion(version), c.verifyPeer, c.client), func(t *testing.T) {
				src := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+clientDirs[c.client])
				cfg := labClientConfig(t, src, "localhost", creds.ClientOptions{
					Base: &tls.Config{MinVersion: version, MaxVersion: version},
				})
				st, sres, cerr := labRoundTrip(t, servers[c.verifyPeer], cfg)
				if c.want.ok {
					if cerr != nil || sres.Err != nil {
						t.Fatalf("want success; client: %v; server: %v", cerr, sres.Err)
					}
					if got := labPeerCN(sres.State); got != c.want.serverCN {
						t.Errorf("server saw client %q, want %q", got, c.want.serverCN)
					}
					if st.Version != version || labPeerCN(st) != "localhost" {
						t.Errorf("client: version %s, server CN %q", labVersion(st.Version), labPeerCN(st))
					}
					return
				}
				if sres.Err == nil {
					t.Fatalf("server accepted the client (CN %q)", labPeerCN(sres.State))
				}
				if c.want.serverIs != nil && !errors.Is(sres.Err, c.want.serverIs) {
					t.Errorf("server error %q is not %v", sres.Err, c.want.serverIs)
				}
				if c.want.serverErr != "" && !strings.Contains(sres.Err.Error(), c.want.serverErr) {
					t.Errorf("server error %q lacks %q", sres.Err, c.want.serverErr)
				}
				if want := c.want.clientErr[version]; cerr == nil || !strings.Contains(cerr.Error(), want) {
					t.Errorf("client error %v, want one containing %q", cerr, want)
				}
			})
		}
	}
}

// TestServerConfigClientAuthOverride checks that ServerOptions.ClientAuth
// overrides verify-peer both ways.
func TestServerConfigClientAuthOverride(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srvDir := labWriteDir(t, p.ServerDir())
	bare := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+labWriteDir(t, fixtures.Dir{CA: p.CABundle()}))
	withCert := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+labWriteDir(t, p.ClientDir(0)))
	cases := []struct {
		verifyPeer bool
		auth       creds.ClientAuth
		client     *creds.Source
		wantOK     bool
		wantCN     string
	}{
		{false, creds.ClientAuthRequire, bare, false, ""},
		{false, creds.ClientAuthRequire, withCert, true, "client"},
		{true, creds.ClientAuthRequest, bare, true, ""},
		{true, creds.ClientAuthNone, withCert, true, ""}, // not asked, so not sent
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("verify-peer=%v/%s/cert=%v", c.verifyPeer, c.auth, c.client == withCert), func(t *testing.T) {
			src := labSource(t, fmt.Sprintf("tls-creds-x509,id=srv,endpoint=server,dir=%s,verify-peer=%v", srvDir, c.verifyPeer))
			srv := labServe(t, labServerConfig(t, src, creds.ServerOptions{ClientAuth: c.auth}))
			_, sres, cerr := labRoundTrip(t, srv, labClientConfig(t, c.client, "localhost", creds.ClientOptions{}))
			if ok := cerr == nil && sres.Err == nil; ok != c.wantOK {
				t.Fatalf("ok=%v, want %v; client: %v; server: %v", ok, c.wantOK, cerr, sres.Err)
			}
			if c.wantOK && labPeerCN(sres.State) != c.wantCN {
				t.Errorf("server saw client %q, want %q", labPeerCN(sres.State), c.wantCN)
			}
		})
	}
}

// TestClientConfigServerName checks host name verification: DNS names
// match DNS SANs, IP addresses only IP SANs.
func TestClientConfigServerName(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srv := labServe(t, labServerConfig(t, labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir())), creds.ServerOptions{}))
	cli := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+labWriteDir(t, p.ClientDir(0)))

	// A server whose certificate names 127.0.0.1 only in its CN and DNS SAN.
	g := fixtures.New(fixtures.TestClock)
	dnsOnly, err := g.Server(p.Root, fixtures.Spec{CommonName: "127.0.0.1", DNSNames: []string{"localhost", "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	dnsSrv := labServe(t, labServerConfig(t, labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+
		labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Server: dnsOnly})), creds.ServerOptions{}))

	for _, c := range []struct {
		srv    *labServer
		name   string
		wantOK bool
	}{
		{srv, "localhost", true},
		{srv, "LOCALHOST", true},
		{srv, "127.0.0.1", true},
		{srv, "::1", true},
		{srv, "wrong.test", false},
		{dnsSrv, "localhost", true},
		{dnsSrv, "127.0.0.1", false}, // no IP SAN: the CN and a DNS SAN spelling the address do not count
	} {
		t.Run(fmt.Sprintf("%s/%s", c.name, map[bool]string{true: "ip-san", false: "dns-only"}[c.srv == srv]), func(t *testing.T) {
			_, sres, cerr := labRoundTrip(t, c.srv, labClientConfig(t, cli, c.name, creds.ClientOptions{}))
			if c.wantOK {
				if cerr != nil || sres.Err != nil {
					t.Fatalf("client: %v; server: %v", cerr, sres.Err)
				}
				return
			}
			var he x509.HostnameError
			var ve *tls.CertificateVerificationError
			if !errors.As(cerr, &he) || !errors.As(cerr, &ve) {
				t.Fatalf("client error %v (%T), want a *tls.CertificateVerificationError wrapping x509.HostnameError", cerr, cerr)
			}
			if he.Host != c.name {
				t.Errorf("HostnameError.Host = %q, want %q", he.Host, c.name)
			}
			if sres.Err == nil || !strings.Contains(sres.Err.Error(), "remote error: tls: bad certificate") {
				t.Errorf("server error %v, want alert bad certificate", sres.Err)
			}
		})
	}
}

// TestClientConfigTrust checks that a client trusts only its object's CA
// when verify-peer=on, and anything when verify-peer=off (QEMU).
func TestClientConfigTrust(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	other := labPKI(t, fixtures.PKIOptions{})
	srv := labServe(t, labServerConfig(t, labSource(t, "tls-creds-x509,id=srv,endpoint=server,verify-peer=off,dir="+
		labWriteDir(t, p.ServerDir())), creds.ServerOptions{}))
	otherDir := labWriteDir(t, fixtures.Dir{CA: other.CABundle()})

	on := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+otherDir)
	_, sres, cerr := labRoundTrip(t, srv, labClientConfig(t, on, "localhost", creds.ClientOptions{}))
	var ua x509.UnknownAuthorityError
	if !errors.As(cerr, &ua) {
		t.Errorf("verify-peer=on, server from another CA: client error %v, want x509.UnknownAuthorityError", cerr)
	}
	if sres.Err == nil {
		t.Error("server handshake succeeded although the client refused it")
	}

	off := labSource(t, "tls-creds-x509,id=cli,endpoint=client,verify-peer=off,dir="+otherDir)
	cfg := labClientConfig(t, off, "wrong.test", creds.ClientOptions{})
	if _, sres, cerr := labRoundTrip(t, srv, cfg); cerr != nil || sres.Err != nil {
		t.Errorf("verify-peer=off: client: %v; server: %v", cerr, sres.Err)
	}

	if _, err := creds.ClientConfig(on, "", creds.ClientOptions{}); err == nil || !strings.Contains(err.Error(), "No hostname for certificate validation") {
		t.Errorf("verify-peer=on without a server name: %v", err)
	}
	if _, err := creds.ClientConfig(off, "", creds.ClientOptions{}); err != nil {
		t.Errorf("verify-peer=off without a server name: %v", err)
	}
}

func TestConfigWrongEndpoint(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srv := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	cli := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(0))) // endpoint=client is the default

	_, err := creds.ServerConfig(cli, creds.ServerOptions{})
	var ee *creds.EndpointError
	if !errors.Is(err, creds.ErrWrongEndpoint) || !errors.As(err, &ee) || ee.Have != creds.EndpointClient ||
		!strings.Contains(err.Error(), `"Expected TLS credentials for a server endpoint"`) {
		t.Errorf("ServerConfig over a client object: %v", err)
	}
	_, err = creds.ClientConfig(srv, "localhost", creds.ClientOptions{})
	if !errors.Is(err, creds.ErrWrongEndpoint) || !strings.Contains(err.Error(), `"Expected TLS credentials for a client endpoint"`) {
		t.Errorf("ClientConfig over a server object: %v", err)
	}
}

func TestConfigUnsupportedKind(t *testing.T) {
	pskDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(pskDir, "keys.psk"), []byte("qemu:009d5638c40fde0c\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{
		"tls-creds-anon,id=anon0,endpoint=server",
		"tls-creds-anon,id=anon0,endpoint=client",
		"tls-creds-psk,id=psk0,endpoint=server,dir=" + pskDir,
		"tls-creds-psk,id=psk0,endpoint=client,dir=" + pskDir,
	} {
		src := labSource(t, spec)
		t.Run(fmt.Sprintf("%s/%s", src.Spec().Kind, src.Spec().Endpoint), func(t *testing.T) {
			_, serr := creds.ServerConfig(src, creds.ServerOptions{})
			_, cerr := creds.ClientConfig(src, "localhost", creds.ClientOptions{})
			for _, err := range []error{serr, cerr} {
				var ue *creds.UnsupportedError
				if !errors.Is(err, creds.ErrUnsupportedKind) || !errors.As(err, &ue) || ue.Kind != src.Spec().Kind {
					t.Fatalf("got %v, want an *UnsupportedError", err)
				}
				for _, s := range []string{"no anonymous, DHE or external-PSK cipher suites", "tls-creds-x509", "tlscreds gen pki"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("message %q lacks %q", err, s)
					}
				}
			}
		})
	}
}

func TestConfigPriority(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srvDir, cliDir := labWriteDir(t, p.ServerDir()), labWriteDir(t, p.ClientDir(0))
	const only13 = "NORMAL:-VERS-ALL:+VERS-TLS1.3"

	srcSrv := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir+",priority="+only13)
	cfg := labServerConfig(t, srcSrv, creds.ServerOptions{Base: &tls.Config{MinVersion: tls.VersionTLS12}})
	if cfg.MinVersion != tls.VersionTLS13 || cfg.MaxVersion != tls.VersionTLS13 {
		t.Errorf("server config versions %s-%s, want TLS1.3 only", labVersion(cfg.MinVersion), labVersion(cfg.MaxVersion))
	}
	srv := labServe(t, cfg)
	cli := labSource(t, "tls-creds-x509,id=cli,dir="+cliDir)
	st, sres, cerr := labRoundTrip(t, srv, labClientConfig(t, cli, "localhost", creds.ClientOptions{}))
	if cerr != nil || sres.Err != nil || st.Version != tls.VersionTLS13 {
		t.Errorf("default client: version %s; client: %v; server: %v", labVersion(st.Version), cerr, sres.Err)
	}
	_, sres, cerr = labRoundTrip(t, srv, labClientConfig(t, cli, "localhost", creds.ClientOptions{Base: &tls.Config{MaxVersion: tls.VersionTLS12}}))
	if sres.Err == nil || !strings.Contains(sres.Err.Error(), "unsupported versions") ||
		cerr == nil || !strings.Contains(cerr.Error(), "protocol version not supported") {
		t.Errorf("TLS 1.2 client: client: %v; server: %v", cerr, sres.Err)
	}

	// The client's priority applies the same way.
	cli13 := labSource(t, "tls-creds-x509,id=cli,dir="+cliDir+",priority="+only13)
	if c := labClientConfig(t, cli13, "localhost", creds.ClientOptions{}); c.MinVersion != tls.VersionTLS13 {
		t.Errorf("client config MinVersion %s, want TLS1.3", labVersion(c.MinVersion))
	}

	// A base that is never changed: the object's priority wins in the copy.
	base := &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}
	_ = labServerConfig(t, srcSrv, creds.ServerOptions{Base: base})
	if base.MaxVersion != tls.VersionTLS12 || base.GetConfigForClient != nil {
		t.Error("ServerConfig modified Base")
	}
	_ = labClientConfig(t, cli13, "localhost", creds.ClientOptions{Base: base})
	if base.MinVersion != tls.VersionTLS12 || base.InsecureSkipVerify || base.GetClientCertificate != nil || base.ServerName != "" {
		t.Error("ClientConfig modified Base")
	}

	bad := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir+",priority=NORMAL:+ANON-DH")
	_, err := creds.ServerConfig(bad, creds.ServerOptions{})
	var pe *creds.PriorityError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "object srv") {
		t.Errorf("unmappable priority: %v, want a *PriorityError naming the object", err)
	}
}

// TestServerConfigCachesPerSnapshot checks that an unchanged source gives
// the same inner config without allocating, and a reload a new one.
func TestServerConfigCachesPerSnapshot(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	dir := labWriteDir(t, p.ServerDir())
	src := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+dir)
	cfg := labServerConfig(t, src, creds.ServerOptions{})
	hello := &tls.ClientHelloInfo{}
	first, err := cfg.GetConfigForClient(hello)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := cfg.GetConfigForClient(hello)
	if first != second {
		t.Error("GetConfigForClient built a new config for an unchanged source")
	}
	if got := first.Certificates[0].Certificate[0]; !bytes.Equal(got, p.Server.Cert.Raw) {
		t.Error("inner config does not serve the object's certificate")
	}
	allocs := testing.AllocsPerRun(100, func() {
		if c, _ := cfg.GetConfigForClient(hello); c != first {
			t.Fatal("config changed")
		}
	})
	if allocs != 0 {
		t.Errorf("GetConfigForClient allocates %v times per call for an unchanged source, want 0", allocs)
	}

	p2 := labPKI(t, fixtures.PKIOptions{})
	labRewrite(t, dir, p2.ServerDir())
	if changed, err := src.Reload(); !changed || err != nil {
		t.Fatalf("Reload: changed=%v, err=%v", changed, err)
	}
	third, _ := cfg.GetConfigForClient(hello)
	if third == first || !servedLeaf(t, &third.Certificates[0]).Equal(p2.Server.Cert) {
		t.Error("GetConfigForClient did not follow the reload")
	}
}

// TestConfigReload replaces a server's and a client's files with a new PKI
// and checks that the same configs use the new credentials.
func TestConfigReload(t *testing.T) {
	p1, p2 := labPKI(t, fixtures.PKIOptions{}), labPKI(t, fixtures.PKIOptions{})
	srvDir, cliDir := labWriteDir(t, p1.ServerDir()), labWriteDir(t, p1.ClientDir(0))
	srvSrc := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir)
	cliSrc := labSource(t, "tls-creds-x509,id=cli,endpoint=client,dir="+cliDir)
	srv := labServe(t, labServerConfig(t, srvSrc, creds.ServerOptions{}))
	cli := labClientConfig(t, cliSrc, "localhost", creds.ClientOptions{})

	expect := func(step string, p *fixtures.PKI) {
		t.Helper()
		st, sres, cerr := labRoundTrip(t, srv, cli)
		if cerr != nil || sres.Err != nil {
			t.Fatalf("%s: client: %v; server: %v", step, cerr, sres.Err)
		}
		if !st.PeerCertificates[0].Equal(p.Server.Cert) {
			t.Errorf("%s: server presented the wrong certificate", step)
		}
		if !sres.State.PeerCertificates[0].Equal(p.Clients[0].Cert) {
			t.Errorf("%s: client presented the wrong certificate", step)
		}
	}
	expect("before reload", p1)

	if changed, err := srvSrc.Reload(); changed || err != nil {
		t.Errorf("unchanged files: changed=%v, err=%v", changed, err)
	}
	if srvSrc.Gen() != 1 {
		t.Errorf("Gen() = %d after a no-op reload, want 1", srvSrc.Gen())
	}

	labRewrite(t, srvDir, p2.ServerDir())
	labRewrite(t, cliDir, p2.ClientDir(0))
	for _, src := range []*creds.Source{srvSrc, cliSrc} {
		if changed, err := src.Reload(); !changed || err != nil {
			t.Fatalf("%s: Reload: changed=%v, err=%v", src.ID(), changed, err)
		}
		if src.Gen() != 2 {
			t.Errorf("%s: Gen() = %d, want 2", src.ID(), src.Gen())
		}
	}
	expect("after reload", p2)

	before := srvSrc.Current()
	if err := os.WriteFile(filepath.Join(srvDir, "server-cert.pem"), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := srvSrc.Reload()
	if changed || err == nil || !strings.HasPrefix(err.Error(), "creds: reload: object srv: ") || strings.Count(err.Error(), "srv") != 1 || !strings.Contains(err.Error(), "server-cert.pem") {
		t.Errorf("garbage: changed=%v, err=%v", changed, err)
	}
	var le *creds.LoadError
	if !errors.As(err, &le) {
		t.Errorf("reload error %v does not wrap the *LoadError", err)
	}
	if srvSrc.Current() != before || srvSrc.Gen() != 2 {
		t.Error("a failed reload replaced the snapshot")
	}
	expect("after a failed reload", p2)
}

// TestServerConfigRevocationOnResumption revokes a client that already
// has a session: the resumed connection must be refused too, which only a
// check in VerifyConnection achieves.
func TestServerConfigRevocationOnResumption(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(labVersion(version), func(t *testing.T) {
			g := fixtures.New(fixtures.TestClock)
			p := labPKI(t, fixtures.PKIOptions{})
			srvDir := labWriteDir(t, p.ServerDir())
			srvSrc := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir)
			var mu sync.Mutex
			var authorized []bool // DidResume of each connection Authorize saw
			srv := labServe(t, labServerConfig(t, srvSrc, creds.ServerOptions{Authorize: func(cs tls.ConnectionState) error {
				mu.Lock()
				defer mu.Unlock()
				authorized = append(authorized, cs.DidResume)
				return nil
			}}))
			cli := labClientConfig(t, labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(0))), "localhost",
				creds.ClientOptions{
					Base:         &tls.Config{MinVersion: version, MaxVersion: version},
					SessionCache: tls.NewLRUClientSessionCache(4),
				})
			for i := range 2 {
				if _, sres, cerr := labRoundTrip(t, srv, cli); cerr != nil || sres.Err != nil {
					t.Fatalf("connection %d: client: %v; server: %v", i, cerr, sres.Err)
				}
			}
			mu.Lock()
			if len(authorized) != 2 || !authorized[1] {
				t.Fatalf("Authorize saw DidResume %v, want [false true]", authorized)
			}
			mu.Unlock()

			crl, err := g.CRL(p.Root, fixtures.CRLSpec{Revoked: []*big.Int{p.Clients[0].Cert.SerialNumber}})
			if err != nil {
				t.Fatal(err)
			}
			labRewrite(t, srvDir, fixtures.Dir{CA: p.CABundle(), Server: p.Server, CRL: crl})
			if changed, err := srvSrc.Reload(); !changed || err != nil {
				t.Fatalf("Reload: changed=%v, err=%v", changed, err)
			}
			st, sres, cerr := labRoundTrip(t, srv, cli)
			if !errors.Is(sres.Err, creds.ErrRevoked) || cerr == nil {
				t.Fatalf("after revocation: client: %v; server: %v", cerr, sres.Err)
			}
			if version == tls.VersionTLS13 && !st.DidResume {
				t.Error("the refused connection was not a resumption; the test proves nothing")
			}
			for _, s := range []string{"object srv", "ca-crl.pem", `"CN=client,O=tlscreds test PKI"`} {
				if !strings.Contains(sres.Err.Error(), s) {
					t.Errorf("error %q lacks %q", sres.Err, s)
				}
			}
		})
	}
}

// TestServerConfigRevokedIntermediate revokes the intermediate CA: every
// client below it is refused.
func TestServerConfigRevokedIntermediate(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{Intermediate: true})
	crl, err := g.CRL(p.Root, fixtures.CRLSpec{
		Revoked: []*big.Int{p.Intermediate.Cert.SerialNumber},
		// A CRL past its next update still applies.
		ThisUpdate: fixtures.TestClock.Add(-60 * 24 * time.Hour),
		NextUpdate: fixtures.TestClock.Add(-30 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := labServe(t, labServerConfig(t, labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+
		labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Server: p.Server, CRL: crl})), creds.ServerOptions{}))
	cli := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(0)))
	_, sres, _ := labRoundTrip(t, srv, labClientConfig(t, cli, "localhost", creds.ClientOptions{}))
	if !errors.Is(sres.Err, creds.ErrRevoked) {
		t.Fatalf("server error %v, want ErrRevoked", sres.Err)
	}
	for _, s := range []string{"CA certificate in the client's chain", "due for an update"} {
		if !strings.Contains(sres.Err.Error(), s) {
			t.Errorf("error %q lacks %q", sres.Err, s)
		}
	}
}

// TestConfigAuthorize checks that Authorize runs on both sides and that
// its error fails the handshake.
func TestConfigAuthorize(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{Clients: []string{"alice", "bob"}})
	errNotAlice := errors.New("only alice")
	srvSrc := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	srv := labServe(t, labServerConfig(t, srvSrc, creds.ServerOptions{Authorize: func(cs tls.ConnectionState) error {
		if len(cs.VerifiedChains) == 0 || cs.VerifiedChains[0][0].Subject.CommonName != "alice" {
			return errNotAlice
		}
		return nil
	}}))
	var clientSaw []string
	for i, name := range []string{"alice", "bob"} {
		cli := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(i)))
		cfg := labClientConfig(t, cli, "localhost", creds.ClientOptions{Authorize: func(cs tls.ConnectionState) error {
			clientSaw = append(clientSaw, fmt.Sprintf("%s:%d", cs.PeerCertificates[0].Subject.CommonName, len(cs.VerifiedChains)))
			return nil
		}})
		_, sres, cerr := labRoundTrip(t, srv, cfg)
		if name == "alice" && (cerr != nil || sres.Err != nil) {
			t.Errorf("alice: client: %v; server: %v", cerr, sres.Err)
		}
		if name == "bob" && (!errors.Is(sres.Err, errNotAlice) || cerr == nil || !strings.Contains(cerr.Error(), "bad certificate")) {
			t.Errorf("bob: client: %v; server: %v", cerr, sres.Err)
		}
	}
	if want := "localhost:1 localhost:1"; strings.Join(clientSaw, " ") != want {
		t.Errorf("client Authorize saw %q, want %q", clientSaw, want)
	}
}

// TestServerConfigConcurrentReload handshakes from several goroutines
// while another rewrites the server's files and reloads (run with -race).
// Both server certificates come from the same CA, so every handshake must
// succeed, whichever snapshot serves it; a half-written pair of files must
// never be served.
func TestServerConfigConcurrentReload(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{})
	alt, err := g.Server(p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, CommonName: "alt"})
	if err != nil {
		t.Fatal(err)
	}
	dirs := []fixtures.Dir{p.ServerDir(), {CA: p.CABundle(), Server: alt}}
	srvDir := labWriteDir(t, dirs[0])
	srvSrc := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir)
	srv := labServe(t, labServerConfig(t, srvSrc, creds.ServerOptions{}))
	cliSrc := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(0)))

	const clients, rounds = 8, 20
	done := make(chan struct{})
	type reloadStats struct {
		changed int
		err     error
	}
	reloads := make(chan reloadStats)
	go func() {
		var st reloadStats
		for i := 0; ; i++ {
			select {
			case <-done:
				reloads <- st
				return
			default:
			}
			if _, err := dirs[i%2].Write(srvDir, layout.QEMU, true); err != nil {
				st.err = err
			}
			// A reload between the cert and the key file being replaced
			// fails (key mismatch) and keeps the previous snapshot.
			if changed, err := srvSrc.Reload(); changed && err == nil {
				st.changed++
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, clients*rounds)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg, err := creds.ClientConfig(cliSrc, "localhost", creds.ClientOptions{Time: labClock})
			if err != nil {
				errs <- err
				return
			}
			for range rounds {
				st, err := labDial(srv.Addr, cfg)
				if err == nil && !st.PeerCertificates[0].Equal(p.Server.Cert) && !st.PeerCertificates[0].Equal(alt.Cert) {
					err = errors.New("served an unknown certificate")
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	st := <-reloads
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st.err != nil {
		t.Error(st.err)
	}
	if st.changed == 0 {
		t.Error("no reload changed the snapshot while clients ran")
	}
	t.Logf("%d reloads changed the snapshot during %d handshakes; generation %d", st.changed, clients*rounds, srvSrc.Gen())
}

// servedLeaf parses the leaf of a certificate a config serves (server
// objects with one identity do not keep TLS.Leaf; see creds.Identity).
func servedLeaf(t testing.TB, c *tls.Certificate) *x509.Certificate {
	t.Helper()
	if c == nil || len(c.Certificate) == 0 {
		t.Fatal("no certificate served")
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}
