package diagnose

import (
	"crypto/tls"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

func testClock() func() time.Time { return func() time.Time { return fixtures.TestClock } }

// target makes a lint target of a directory with a fixed endpoint and
// verify-peer setting.
func target(t *testing.T, id, dir string, ep creds.Endpoint, verifyPeer bool) lint.Target {
	t.Helper()
	tg, err := lint.DirTarget(id, dir, ep)
	if err != nil {
		t.Fatal(err)
	}
	tg.Spec.VerifyPeer = verifyPeer
	return tg
}

// copyCA writes a client directory holding only src's ca-cert.pem, or a
// CA of its own when src has none.
func copyCA(t *testing.T, g *fixtures.Generator, src string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(src, "ca-cert.pem"))
	if err != nil {
		root, err := g.Root(fixtures.Spec{})
		if err != nil {
			t.Fatal(err)
		}
		b = root.CertPEM()
	}
	if err := os.WriteFile(filepath.Join(dir, "ca-cert.pem"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// brokenTarget is a broken set's own object (its kind and password),
// with the id and verify-peer given.
func brokenTarget(t *testing.T, b fixtures.Broken, dir, id string, verifyPeer bool) lint.Target {
	t.Helper()
	var specs creds.Specs
	if sec := b.SecretSpec(); sec != "" {
		if err := specs.Add(sec); err != nil {
			t.Fatal(err)
		}
	}
	if err := specs.Add(b.ObjectSpec(dir)); err != nil {
		t.Fatal(err)
	}
	sp := specs.Objects[0]
	pw, err := specs.Password(sp)
	if err != nil {
		t.Fatal(err)
	}
	sp.ID, sp.VerifyPeer = id, verifyPeer
	return lint.Target{Spec: sp, Password: pw}
}

// pairBroken pairs a broken set with a partner that accepts everything
// else: a broken server with a client that trusts the server's CA file,
// and does not ask that client for a certificate; a broken client with a
// server that trusts the client's CA file, and does not have the client
// check the server.
func pairBroken(t *testing.T, b fixtures.Broken) PairReport {
	t.Helper()
	g := fixtures.New(fixtures.TestClock)
	dir := filepath.Join(t.TempDir(), b.Rule)
	if err := b.Write(g, dir); err != nil {
		t.Fatal(err)
	}
	host := "localhost"
	if len(b.Hosts) > 0 {
		host = b.Hosts[0]
	}
	o := PairOptions{Time: testClock()}
	if b.Endpoint == "server" {
		srv := brokenTarget(t, b, dir, "srv", false)
		cli := target(t, "cli", copyCA(t, g, dir), creds.EndpointClient, true)
		return PairTargets(srv, cli, host, o)
	}
	p, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srvDir := writeDir(t, p.ServerDir())
	if ca, err := os.ReadFile(filepath.Join(dir, "ca-cert.pem")); err == nil {
		if err := os.WriteFile(filepath.Join(srvDir, "ca-cert.pem"), ca, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := target(t, "srv", srvDir, creds.EndpointServer, true)
	cli := brokenTarget(t, b, dir, "cli", false)
	return PairTargets(srv, cli, host, o)
}

// names reports whether a report names the lint rule: as a finding's
// rule, or in a finding's citation.
func names(rep PairReport, rule string) bool {
	for _, f := range rep.Findings() {
		if f.Rule == rule || slices.Contains(f.CaughtBy, rule) {
			return true
		}
	}
	return false
}

// breaksInGo are broken sets whose handshake fails between Go endpoints
// (or whose object does not even load); warnsInGo are sets whose
// handshake works here but that pair still names, as a warning. The test
// checks both lists against reality, so they cannot rot; new sets are
// covered by the general rule: any set that breaks the handshake must be
// named.
var (
	breaksInGo = []string{
		"ca-key-usage-no-cert-sign", "ca-missing-basic-constraints", "ca-not-ca",
		"cert-expired", "cert-go-unparseable", "cert-not-yet-valid", "cert-unknown-critical-extension", "cert-weak-signature",
		"chain-no-issuer", "chain-signature-invalid",
		"file-der", "file-invalid", "file-missing", "file-unreadable",
		"host-not-covered", "identity-unpaired", "key-encrypted-no-password", "key-mismatch",
		"leaf-eku-wrong-purpose", "server-no-identity", "server-no-san", "object-not-usable-in-go",
	}
	warnsInGo = []string{"identity-missing-intermediate", "key-rsa-too-small", "leaf-self-signed"}
)

// TestPairBrokenSets pairs every broken set of the catalogue: every lint
// rule whose set breaks the handshake is named by pair.
func TestPairBrokenSets(t *testing.T) {
	t.Parallel()
	sets := map[string]bool{}
	for _, b := range fixtures.BrokenSets() {
		sets[b.Rule] = true
		t.Run(b.Rule, func(t *testing.T) {
			t.Parallel()
			rep := pairBroken(t, b)
			var b2 strings.Builder
			_ = WritePairTable(&b2, rep)
			t.Logf("%s", b2.String())
			switch {
			case b.Kind != "":
				// Go has no anonymous or PSK suites: whatever else is wrong
				// with the set, pair says that first.
				if rep.OK || !names(rep, "object-not-usable-in-go") {
					t.Errorf("a %s object paired (ok=%v) without naming object-not-usable-in-go", b.Kind, rep.OK)
				}
			case b.Priority != "":
				// Go cannot map a string GnuTLS refuses: pair fails before
				// any handshake and says why (priority-invalid is GnuTLS's
				// verdict, which lint gives).
				if rep.OK {
					t.Errorf("priority=%q paired", b.Priority)
				}
			case !rep.OK && !names(rep, b.Rule):
				t.Errorf("the %s set breaks the handshake, but pair does not name the rule", b.Rule)
			}
			if slices.Contains(breaksInGo, b.Rule) && rep.OK {
				t.Errorf("the %s set was expected to break the handshake", b.Rule)
			}
			if slices.Contains(warnsInGo, b.Rule) && (!rep.OK || !names(rep, b.Rule)) {
				t.Errorf("the %s set should pair (ok=%v) with a warning naming the rule", b.Rule, rep.OK)
			}
		})
	}
	for _, r := range append(slices.Clone(breaksInGo), warnsInGo...) {
		if !sets[r] {
			t.Errorf("no broken set %s in the catalogue", r)
		}
	}
}

// TestPair covers pairs of good objects and of objects that disagree.
func TestPair(t *testing.T) {
	t.Parallel()
	g := fixtures.New(fixtures.TestClock)
	p, err := g.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	other, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srvDir, cliDir := writeDir(t, p.ServerDir()), writeDir(t, p.ClientDir(0))
	noCert := writeDir(t, fixtures.Dir{CA: p.CABundle()})
	otherCert := writeDir(t, fixtures.Dir{CA: p.CABundle(), Client: other.Clients[0]})
	crl, err := g.CRL(p.Intermediate, fixtures.CRLSpec{Revoked: []*big.Int{p.Clients[0].Cert.SerialNumber}})
	if err != nil {
		t.Fatal(err)
	}
	d := p.ServerDir()
	d.CRL = crl
	revoking := writeDir(t, d)

	cases := []struct {
		name     string
		srv, cli string
		srvExtra string // spec properties
		cliExtra string
		ok       bool
		versions []string // versions that ran (not skipped)
		causes   []string
		subject  lint.Subject
	}{
		{name: "good", srv: srvDir, cli: cliDir, ok: true, versions: []string{"TLS 1.2", "TLS 1.3"}},
		{name: "client-tls13-only", srv: srvDir, cli: cliDir, cliExtra: ",priority=NORMAL:-VERS-TLS1.2", ok: true, versions: []string{"TLS 1.3"}},
		{name: "no-common-version", srv: srvDir, cli: cliDir, srvExtra: ",priority=NORMAL:-VERS-TLS1.3", cliExtra: ",priority=NORMAL:-VERS-TLS1.2",
			causes: []string{"handshake-version"}, subject: lint.SubjectObject},
		{name: "client-without-cert", srv: srvDir, cli: noCert, versions: []string{"TLS 1.2", "TLS 1.3"},
			causes: []string{"handshake-client-cert-required"}, subject: lint.SubjectClient},
		{name: "client-without-cert-verify-peer-off", srv: srvDir, cli: noCert, srvExtra: ",verify-peer=off", ok: true, versions: []string{"TLS 1.2", "TLS 1.3"}},
		{name: "client-cert-other-ca", srv: srvDir, cli: otherCert, versions: []string{"TLS 1.2", "TLS 1.3"},
			causes: []string{"handshake-unknown-ca"}, subject: lint.SubjectClient},
		{name: "client-revoked", srv: revoking, cli: cliDir, versions: []string{"TLS 1.2", "TLS 1.3"},
			causes: []string{"handshake-revoked"}, subject: lint.SubjectClient},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := loadObject(t, "srv", c.srv, creds.EndpointServer, c.srvExtra)
			cli := loadObject(t, "cli", c.cli, creds.EndpointClient, c.cliExtra)
			res := Pair(srv, cli, "", PairOptions{Time: testClock()})
			var ran []string
			ok := true
			for _, r := range res {
				if r.Skipped == "" {
					ran = append(ran, r.Version)
				}
				ok = ok && (r.OK || r.Skipped != "" && len(r.Findings) == 0)
				t.Logf("%s ok=%v skipped=%q server=%q client=%q", r.Version, r.OK, r.Skipped, r.ServerError, r.ClientError)
				for _, f := range r.Findings {
					t.Logf("  %s %s %s: %s", f.Severity, f.Rule, f.Subject, f.Message)
					if f.Severity == lint.Error && (!slices.Contains(c.causes, f.Rule) || f.Subject != c.subject) {
						t.Errorf("%s: unexpected %s finding %s about %s", r.Version, f.Severity, f.Rule, f.Subject)
					}
				}
				if r.Skipped == "" && !r.OK && len(r.Findings) == 0 {
					t.Errorf("%s failed without a finding", r.Version)
				}
			}
			if ok != c.ok {
				t.Errorf("ok = %v, want %v", ok, c.ok)
			}
			if !slices.Equal(ran, c.versions) {
				t.Errorf("versions run %v, want %v", ran, c.versions)
			}
		})
	}
}

// TestPairHostDefault checks the host taken from the server certificate,
// and an IP address host against a certificate without IP SANs.
func TestPairHostDefault(t *testing.T) {
	t.Parallel()
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{Names: []string{"db.example"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := loadObject(t, "srv", writeDir(t, p.ServerDir()), creds.EndpointServer, "")
	cli := loadObject(t, "cli", writeDir(t, p.ClientDir(0)), creds.EndpointClient, "")
	if h := DefaultHost(srv.Current()); h != "db.example" {
		t.Errorf("DefaultHost = %q", h)
	}
	res := Pair(srv, cli, "10.0.0.7", PairOptions{Time: testClock(), Versions: []uint16{tls.VersionTLS13}})
	if res[0].OK || len(res[0].Findings) != 1 || res[0].Findings[0].Rule != "handshake-name-mismatch" {
		t.Fatalf("%+v", res)
	}
	wantMessage(t, res[0].Findings, "handshake-name-mismatch", "10.0.0.7 is an IP address", "--servername db.example")
}
