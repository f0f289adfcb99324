package creds_test

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

func TestParsePin(t *testing.T) {
	c, err := fixtures.New(fixtures.TestClock).Root(fixtures.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	ci := creds.DescribeCert(c.Cert, fixtures.TestClock)
	thumb := sha256.Sum256(c.Cert.Raw)
	spki := sha256.Sum256(c.Cert.RawSubjectPublicKeyInfo)
	certPin := creds.Pin{Kind: creds.PinCert, Hash: thumb}
	spkiPin := creds.Pin{Kind: creds.PinSPKI, Hash: spki}
	for _, tc := range []struct {
		in   string
		want creds.Pin
	}{
		{"sha256:" + ci.SHA256Fingerprint, certPin},                    // AB:CD:... as openssl prints it
		{"SHA256:" + strings.ToLower(ci.SHA256Fingerprint), certPin},   // any case
		{"sha256:" + hex.EncodeToString(thumb[:]), certPin},            // no colons
		{ci.OpenSSLFingerprint(), certPin},                             // OpenSSL 3's whole line
		{"SHA256 Fingerprint=" + ci.SHA256Fingerprint + "\n", certPin}, // OpenSSL 1.1.1's
		{"spki-sha256:" + strings.TrimPrefix(ci.SPKISHA256, "sha256:"), spkiPin},
		{"SPKI-SHA256:" + strings.ToUpper(hex.EncodeToString(spki[:])), spkiPin},
		{"pin-sha256:" + ci.PinSHA256, spkiPin},
		{`pin-sha256:"` + ci.PinSHA256 + `"`, spkiPin}, // HPKP header form
	} {
		got, err := creds.ParsePin(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
		if !got.Matches(c.Cert) || !(creds.Pins{got}).Match(c.Cert) {
			t.Errorf("%q does not match its certificate", tc.in)
		}
		if back, err := creds.ParsePin(got.String()); err != nil || back != got {
			t.Errorf("%q: String() %q does not parse back: %v", tc.in, got.String(), err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "want sha256:HEX"},
		{ci.SHA256Fingerprint[:2], "want sha256:HEX"}, // no kind: "AB" has no colon
		{"md5:" + hex.EncodeToString(thumb[:16]), `unknown kind "md5"`},
		{"sha256:" + hex.EncodeToString(thumb[:31]), "want 32 hex bytes"},
		{"sha256:zz", "want 32 hex bytes"},
		{"spki-sha256:" + ci.PinSHA256, "want 32 hex bytes"}, // base64 where hex belongs
		{"pin-sha256:" + hex.EncodeToString(spki[:]), "in base64"},
	} {
		_, err := creds.ParsePin(tc.in)
		if err == nil || !errors.Is(err, creds.ErrBadPin) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want ErrBadPin with %q", tc.in, err, tc.want)
		}
	}
	if _, err := creds.ParsePins("sha256:x", "spki-sha256:y"); err == nil || strings.Count(err.Error(), "invalid pin") != 2 {
		t.Errorf("ParsePins joins every failure: %v", err)
	}
}

func TestPinsVerify(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{Clients: []string{"a", "b"}})
	a, b := p.Clients[0].Cert, p.Clients[1].Cert
	pins := creds.Pins{creds.CertPin(a, creds.PinCert), creds.CertPin(b, creds.PinSPKI)}
	for _, tc := range []struct {
		cs   tls.ConnectionState
		want bool
	}{
		{tls.ConnectionState{PeerCertificates: []*x509.Certificate{a}}, true},
		{tls.ConnectionState{PeerCertificates: []*x509.Certificate{b}}, true},
		{tls.ConnectionState{PeerCertificates: []*x509.Certificate{p.Server.Cert}}, false},
		{tls.ConnectionState{}, false},
	} {
		err := pins.Verify(tc.cs)
		if (err == nil) != tc.want || (err != nil && !errors.Is(err, creds.ErrNotPinned)) {
			t.Errorf("%d certificates: Verify = %v", len(tc.cs.PeerCertificates), err)
		}
	}
	if err := (creds.Pins{}).Verify(tls.ConnectionState{PeerCertificates: []*x509.Certificate{a}}); !errors.Is(err, creds.ErrNotPinned) {
		t.Errorf("an empty list matched: %v", err)
	}
}

// TestServerPins runs a pins-only server against a pinned client from
// another CA (the CA is not consulted) and an unpinned one, then removes
// the pinned client's pin: its resumed session must be refused too, which
// only a check in VerifyConnection achieves.
func TestServerPins(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(labVersion(version), func(t *testing.T) {
			p := labPKI(t, fixtures.PKIOptions{})
			other := labPKI(t, fixtures.PKIOptions{Clients: []string{"pinned", "unpinned"}})
			srcSrv := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
			pinned := creds.CertPin(other.Clients[0].Cert, creds.PinCert)
			rotated := creds.CertPin(p.Clients[0].Cert, creds.PinSPKI) // another client's, for rotation
			pins := creds.NewPinSet(rotated, pinned)
			srv := labServe(t, labServerConfig(t, srcSrv, creds.ServerOptions{Pins: pins, PinsOnly: true}))
			client := func(i int) *tls.Config {
				dir := labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Client: other.Clients[i]})
				return labClientConfig(t, labSource(t, "tls-creds-x509,id=cli,dir="+dir), "localhost", creds.ClientOptions{
					Base:         &tls.Config{MinVersion: version, MaxVersion: version},
					SessionCache: tls.NewLRUClientSessionCache(4),
				})
			}
			good := client(0)
			for i, wantResume := range []bool{false, true} {
				st, sres, cerr := labRoundTrip(t, srv, good)
				if cerr != nil || sres.Err != nil {
					t.Fatalf("pinned client, connection %d: client: %v; server: %v", i, cerr, sres.Err)
				}
				if st.DidResume != wantResume || sres.State.DidResume != wantResume {
					t.Errorf("connection %d: DidResume client %v server %v, want %v", i, st.DidResume, sres.State.DidResume, wantResume)
				}
			}

			_, sres, cerr := labRoundTrip(t, srv, client(1))
			if !errors.Is(sres.Err, creds.ErrNotPinned) || cerr == nil {
				t.Fatalf("unpinned client: client: %v; server: %v", cerr, sres.Err)
			}
			for _, s := range []string{"object srv", "CN=unpinned", "sha256:", "spki-sha256:"} {
				if !strings.Contains(sres.Err.Error(), s) {
					t.Errorf("server error %q lacks %q", sres.Err, s)
				}
			}

			pins.Set(creds.Pins{rotated})
			st, sres, cerr := labRoundTrip(t, srv, good)
			if !errors.Is(sres.Err, creds.ErrNotPinned) || cerr == nil {
				t.Fatalf("after its pin was removed: client: %v; server: %v", cerr, sres.Err)
			}
			if !st.DidResume && version == tls.VersionTLS13 {
				t.Error("the refused connection was not a resumption; the test proves nothing")
			}
		})
	}
}

// TestServerPinsWithCA checks that pins add to the CA check: a client
// needs both.
func TestServerPinsWithCA(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{Clients: []string{"pinned", "unpinned"}})
	other := labPKI(t, fixtures.PKIOptions{Clients: []string{"stranger"}})
	srcSrv := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	pins := creds.NewPinSet(creds.CertPin(p.Clients[0].Cert, creds.PinSPKI), creds.CertPin(other.Clients[0].Cert, creds.PinCert))
	srv := labServe(t, labServerConfig(t, srcSrv, creds.ServerOptions{Pins: pins}))
	for _, tc := range []struct {
		name   string
		client *fixtures.Cert
		ok     bool
		is     error
		substr string
	}{
		{"pinned", p.Clients[0], true, nil, ""},
		{"unpinned", p.Clients[1], false, creds.ErrNotPinned, ""},
		{"pinned-other-ca", other.Clients[0], false, nil, "unknown authority"},
		{"no-certificate", nil, false, nil, "didn't provide a certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Client: tc.client})
			_, sres, cerr := labRoundTrip(t, srv, labClientConfig(t, labSource(t, "tls-creds-x509,id=cli,dir="+dir), "localhost", creds.ClientOptions{}))
			if tc.ok {
				if cerr != nil || sres.Err != nil {
					t.Fatalf("client: %v; server: %v", cerr, sres.Err)
				}
				return
			}
			if sres.Err == nil || cerr == nil {
				t.Fatalf("accepted; client: %v; server: %v", cerr, sres.Err)
			}
			if tc.is != nil && !errors.Is(sres.Err, tc.is) {
				t.Errorf("server error %v is not %v", sres.Err, tc.is)
			}
			if tc.substr != "" && !strings.Contains(sres.Err.Error(), tc.substr) {
				t.Errorf("server error %v lacks %q", sres.Err, tc.substr)
			}
		})
	}
}

// TestClientPins pins the server: with the CA check, instead of it, and
// a pin that does not match.
func TestClientPins(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	other := labPKI(t, fixtures.PKIOptions{})
	srv := labServe(t, labServerConfig(t, labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir())),
		creds.ServerOptions{ClientAuth: creds.ClientAuthNone}))
	right := creds.NewPinSet(creds.CertPin(p.Server.Cert, creds.PinSPKI))
	wrong := creds.NewPinSet(creds.CertPin(other.Server.Cert, creds.PinCert))
	ownCA := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, fixtures.Dir{CA: p.CABundle()}))
	otherCA := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, fixtures.Dir{CA: other.CABundle()}))
	for _, tc := range []struct {
		name     string
		src      *creds.Source
		host     string
		pins     *creds.PinSet
		pinsOnly bool
		wantErr  string
	}{
		{"ca-and-pin", ownCA, "localhost", right, false, ""},
		{"ca-and-wrong-pin", ownCA, "localhost", wrong, false, "matches no pin"},
		{"pins-only", otherCA, "", right, true, ""},
		{"pins-only-wrong", otherCA, "", wrong, true, "matches no pin"},
		{"pin-but-wrong-ca", otherCA, "localhost", right, false, "unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := labClientConfig(t, tc.src, tc.host, creds.ClientOptions{Pins: tc.pins, PinsOnly: tc.pinsOnly})
			_, _, cerr := labRoundTrip(t, srv, cfg)
			switch {
			case tc.wantErr == "" && cerr != nil:
				t.Errorf("refused: %v", cerr)
			case tc.wantErr != "" && (cerr == nil || !strings.Contains(cerr.Error(), tc.wantErr)):
				t.Errorf("error %v, want %q", cerr, tc.wantErr)
			case strings.Contains(tc.wantErr, "pin") && !errors.Is(cerr, creds.ErrNotPinned):
				t.Errorf("error %v does not wrap ErrNotPinned", cerr)
			}
		})
	}
}

func TestPinConfigErrors(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srv := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	cli := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, p.ClientDir(0)))
	pins := creds.NewPinSet()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{second(creds.ServerConfig(srv, creds.ServerOptions{PinsOnly: true})), "PinsOnly without Pins"},
		{second(creds.ServerConfig(srv, creds.ServerOptions{Pins: pins, ClientAuth: creds.ClientAuthNone})), "ClientAuthNone"},
		{second(creds.ClientConfig(cli, "localhost", creds.ClientOptions{PinsOnly: true})), "PinsOnly without Pins"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("error %v, want %q", tc.err, tc.want)
		}
	}
	cfg, err := creds.ServerConfig(srv, creds.ServerOptions{Pins: pins, PinsOnly: true, Time: labClock})
	if err != nil {
		t.Fatal(err)
	}
	inner, _ := cfg.GetConfigForClient(&tls.ClientHelloInfo{})
	if inner.ClientAuth != tls.RequireAnyClientCert || inner.ClientCAs != nil {
		t.Errorf("pins only: ClientAuth %v, ClientCAs %v; want RequireAnyClientCert and no CA list", inner.ClientAuth, inner.ClientCAs)
	}
}

func second[T any](_ T, err error) error { return err }

func FuzzParsePin(f *testing.F) {
	f.Add("sha256:AB:CD")
	f.Add("SHA256 Fingerprint=00")
	f.Add("pin-sha256:\"AAAA\"")
	f.Add("spki-sha256:" + strings.Repeat("0", 64))
	f.Fuzz(func(t *testing.T, s string) {
		p, err := creds.ParsePin(s)
		if err != nil {
			if !errors.Is(err, creds.ErrBadPin) {
				t.Errorf("%q: error %v is not ErrBadPin", s, err)
			}
			return
		}
		if back, err := creds.ParsePin(p.String()); err != nil || back != p {
			t.Errorf("%q: %v does not round-trip: %v", s, p, err)
		}
	})
}
