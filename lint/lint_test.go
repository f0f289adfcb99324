package lint

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

var gen = fixtures.New(fixtures.TestClock)

func lintDir(t *testing.T, d fixtures.Dir, endpoint string, o Options) []Finding {
	t.Helper()
	dir := t.TempDir()
	if _, err := d.Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	return lintPath(t, dir, endpoint, o)
}

func lintPath(t *testing.T, dir, endpoint string, o Options) []Finding {
	t.Helper()
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=" + endpoint + ",dir=" + strings.ReplaceAll(dir, ",", ",,"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := creds.Read(sp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.Now.IsZero() {
		o.Now = fixtures.TestClock
	}
	return Run(m, o)
}

func ruleIDs(fs []Finding, min Severity) []string {
	var ids []string
	for _, f := range fs {
		if f.Severity >= min {
			ids = append(ids, f.Rule)
		}
	}
	return ids
}

func TestGoodSetsAreClean(t *testing.T) {
	for _, kt := range []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048, fixtures.Ed25519} {
		for _, inter := range []bool{false, true} {
			p, err := gen.PKI(fixtures.PKIOptions{KeyType: kt, Intermediate: inter})
			if err != nil {
				t.Fatal(err)
			}
			for _, prof := range Profiles {
				for ep, d := range map[string]fixtures.Dir{"server": p.ServerDir(), "client": p.ClientDir(0)} {
					fs := lintDir(t, d, ep, Options{Profile: prof, Hosts: []string{"localhost", "127.0.0.1"}})
					if ids := ruleIDs(fs, Warning); len(ids) > 0 {
						t.Errorf("%s intermediate=%v %s %s: findings %v: %+v", kt, inter, prof, ep, ids, fs)
					}
				}
			}
		}
	}
}

func TestRegistryIsComplete(t *testing.T) {
	for _, r := range Rules() {
		if r.ID == "" || r.Summary == "" || r.Fix == "" || r.Citation == "" || (r.check == nil) == (r.reportedBy == "") || r.Severity == 0 {
			t.Errorf("rule %q is incomplete: %+v", r.ID, r)
		}
		if strings.ToLower(r.ID) != r.ID || strings.Contains(r.ID, " ") {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
	}
}

func TestExpiringCRLAndShareThreshold(t *testing.T) {
	p, err := gen.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	crl, err := gen.CRL(p.Root, fixtures.CRLSpec{NextUpdate: fixtures.TestClock.Add(5 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	d := p.ServerDir()
	d.CRL = crl
	fs := lintDir(t, d, "server", Options{WarnWithin: 30 * 24 * time.Hour})
	var msgs []string
	for _, f := range fs {
		if f.Rule == "cert-expiring-soon" {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "the CRL must be renewed by") {
		t.Errorf("expiring-soon findings = %q, want one about the CRL", msgs)
	}
	// A share of the lifetime: a 1-year leaf is within 100% but not 1%.
	if fs := lintDir(t, p.ServerDir(), "server", Options{WarnShare: 0.01}); len(ruleIDs(fs, Warning)) != 0 {
		t.Errorf("1%% threshold fired on a fresh leaf: %v", fs)
	}
	if fs := lintDir(t, p.ServerDir(), "server", Options{WarnShare: 1}); len(ruleIDs(fs, Warning)) == 0 {
		t.Error("100% threshold did not fire")
	}
}

// A CA file whose CAs name each other as issuers (none self-issued) is a
// loop, not a missing issuer: QEMU 10.2's walk never ends over it
// (TestQEMUHangsOnACALoop in lint/qemudiff measures it).
func TestChainLoop(t *testing.T) {
	named := func(cn string) fixtures.Spec { return fixtures.Spec{Subject: pkix.Name{CommonName: cn}} }
	y0, err := gen.Root(named("loop Y"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := gen.Intermediate(y0, named("loop X"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := gen.Intermediate(x, fixtures.Spec{Subject: pkix.Name{CommonName: "loop Y"}, Key: y0.Key})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := gen.Server(y, fixtures.Spec{Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"}})
	if err != nil {
		t.Fatal(err)
	}
	fs := lintDir(t, fixtures.Dir{CA: []*x509.Certificate{y.Cert, x.Cert}, Server: leaf}, "server", Options{Profile: ProfileQEMU1020})
	var msgs []string
	for _, f := range fs {
		if f.Rule == "chain-no-issuer" {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "loops") || strings.Contains(msgs[0], "no certificate in") {
		t.Errorf("chain-no-issuer findings %q, want one saying the chain loops", msgs)
	}
}
