package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
)

// manifestSet is a directory of credential directories and a manifest
// over them.
type manifestSet struct {
	t   *testing.T
	dir string
}

func newManifestSet(t *testing.T) *manifestSet { return &manifestSet{t: t, dir: t.TempDir()} }

func (s *manifestSet) write(sub string, d fixtures.Dir) {
	s.t.Helper()
	if _, err := d.Write(filepath.Join(s.dir, sub), layout.QEMU, false); err != nil {
		s.t.Fatal(err)
	}
}

func (s *manifestSet) lint(text string) []Result {
	s.t.Helper()
	path := filepath.Join(s.dir, "manifest.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		s.t.Fatal(err)
	}
	return CheckManifest(m, Options{Now: fixtures.TestClock})
}

// findings returns the findings of rule on object id.
func findings(rs []Result, id, rule string) []Finding {
	var out []Finding
	for _, r := range rs {
		for _, f := range r.Findings {
			if r.Object == id && f.Rule == rule {
				out = append(out, f)
			}
		}
	}
	return out
}

// only checks that rule fires on object id (with want in its message)
// and that nothing else reaches Warning.
func only(t *testing.T, rs []Result, id, rule, want string) {
	t.Helper()
	fs := findings(rs, id, rule)
	if len(fs) == 0 {
		t.Errorf("%s did not fire on %s; results: %v", rule, id, resultSummary(rs))
		return
	}
	if !strings.Contains(fs[0].Message, want) {
		t.Errorf("%s message %q lacks %q", rule, fs[0].Message, want)
	}
	if fs[0].Fix == "" || fs[0].Subject != SubjectObject || !strings.HasSuffix(fs[0].File, "manifest.yaml") {
		t.Errorf("finding lacks fix, subject or file: %+v", fs[0])
	}
	for _, r := range rs {
		for _, f := range r.Findings {
			if f.Rule != rule && f.Severity >= Warning {
				t.Errorf("unexpected %s on %s: %s", f.Rule, r.Object, f.Message)
			}
		}
	}
}

func resultSummary(rs []Result) []string {
	var out []string
	for _, r := range rs {
		for _, f := range r.Findings {
			out = append(out, r.Object+": "+f.Rule+": "+f.Message)
		}
	}
	return out
}

func mustPKI(t *testing.T, o fixtures.PKIOptions) *fixtures.PKI {
	t.Helper()
	p, err := gen.PKI(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const pairManifest = `
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: tls1, endpoint: client, dir: client}
endpoints:
  - {name: vnc, role: server, objects: [tls0], hosts: [localhost, 127.0.0.1]}
  - {name: migrate, role: client, objects: [tls1], server: vnc}
`

func TestCheckManifestClean(t *testing.T) {
	s := newManifestSet(t)
	p := mustPKI(t, fixtures.PKIOptions{})
	s.write("server", p.ServerDir())
	s.write("client", p.ClientDir(0))
	rs := s.lint(pairManifest)
	if len(rs) != 2 || rs[0].Object != "tls0" || rs[1].Object != "tls1" {
		t.Fatalf("results %+v", rs)
	}
	for _, r := range rs {
		if r.Status != "ok" {
			t.Errorf("%s: %s: %v", r.Object, r.Status, resultSummary(rs))
		}
	}
	if !strings.HasSuffix(rs[1].Note, "manifest.yaml:4; endpoints migrate") {
		t.Errorf("note %q", rs[1].Note)
	}
}

func TestCheckManifestClientUntrusted(t *testing.T) {
	p := mustPKI(t, fixtures.PKIOptions{})
	other := mustPKI(t, fixtures.PKIOptions{Clients: []string{"stranger"}})
	for _, tc := range []struct {
		name   string
		client fixtures.Dir
		extra  string // appended to the vnc endpoint
		want   string
	}{
		{"other-ca", fixtures.Dir{CA: p.CABundle(), Client: other.Clients[0]}, "", `server endpoint "vnc" (object tls0) does not trust client endpoint "migrate" (object tls1)'s certificate "stranger": x509: certificate signed by unknown authority`},
		{"no-certificate", fixtures.Dir{CA: p.CABundle()}, "", `has no certificate, and server endpoint "vnc" requires one`},
		{"authz", p.ClientDir(0), `, authz: {rules: [{match: "CN=*", policy: allow, format: glob}]}`, `TLS x509 authz check for O=tlscreds test PKI,CN=client is denied`},
		{"pins", p.ClientDir(0), `, pins: ["` + creds.CertPin(p.Server.Cert, creds.PinCert).String() + `"]`, `matches none of its pins (add spki-sha256:`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newManifestSet(t)
			s.write("server", p.ServerDir())
			s.write("client", tc.client)
			text := strings.Replace(pairManifest, "hosts: [localhost, 127.0.0.1]", "hosts: [localhost, 127.0.0.1]"+tc.extra, 1)
			rs := s.lint(text)
			fs := findings(rs, "tls1", "manifest-client-untrusted-by-server")
			if len(fs) == 0 || !strings.Contains(fs[0].Message, tc.want) || fs[0].Severity != Error {
				t.Errorf("findings %v, want one with %q", resultSummary(rs), tc.want)
			}
		})
	}
}

func TestCheckManifestServerUntrusted(t *testing.T) {
	p, other := mustPKI(t, fixtures.PKIOptions{}), mustPKI(t, fixtures.PKIOptions{})
	// The client has no certificate, and the server asks for none.
	s := newManifestSet(t)
	s.write("server", p.ServerDir())
	s.write("client", fixtures.Dir{CA: other.CABundle()})
	only(t, s.lint(strings.Replace(pairManifest, "127.0.0.1]}", "127.0.0.1], verify-peer: false}", 1)), "tls1", "manifest-server-untrusted-by-client",
		`client endpoint "migrate" (object tls1) does not trust server endpoint "vnc"'s certificate "localhost" (object tls0): x509: certificate signed by unknown authority`)

	// Pins instead of the CA: the CA is not consulted, the pin is.
	s2 := newManifestSet(t)
	s2.write("server", p.ServerDir())
	s2.write("client", fixtures.Dir{CA: other.CABundle()})
	wrong := creds.CertPin(other.Server.Cert, creds.PinSPKI).String()
	text := strings.Replace(pairManifest, "127.0.0.1]}", "127.0.0.1], verify-peer: false}", 1)
	rs := s2.lint(strings.Replace(text, "server: vnc}", "server: vnc, pins: [\""+wrong+"\"], pins-only: true}", 1))
	if fs := findings(rs, "tls1", "manifest-server-untrusted-by-client"); len(fs) != 1 || !strings.Contains(fs[0].Message, "matches none of its pins") {
		t.Errorf("pins only: %v", resultSummary(rs))
	}
}

func TestCheckManifestSNIAndHosts(t *testing.T) {
	p := mustPKI(t, fixtures.PKIOptions{})
	console, err := gen.Server(p.Root, fixtures.Spec{DNSNames: []string{"console.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	s := newManifestSet(t)
	s.write("server", p.ServerDir())
	s.write("console", fixtures.Dir{CA: p.CABundle(), Server: console})
	s.write("client", p.ClientDir(0))
	rs := s.lint(`
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: tls2, endpoint: server, dir: console}
  - {id: tls1, endpoint: client, dir: client}
endpoints:
  - name: vnc
    role: server
    objects: [tls0, {id: tls2, names: [con.example.test]}]
    hosts: [localhost, console.example.test, con.example.test, vnc.example.test, 10.1.2.3]
  - name: strict
    role: server
    objects: [tls0, tls2]
    strict-sni: true
    hosts: [elsewhere.example.test]
  - {name: migrate, role: client, objects: [tls1], server: vnc, host: www.example.test}
`)
	if fs := findings(rs, "tls2", "manifest-sni-not-covered"); len(fs) != 1 ||
		!strings.Contains(fs[0].Message, `server endpoint "vnc" serves "con.example.test" with object tls2, whose certificate covers only [console.example.test]`) ||
		!strings.HasSuffix(fs[0].Message, "(manifest.yaml:9)") {
		t.Errorf("sni: %v", resultSummary(rs))
	}
	hosts := findings(rs, "tls0", "manifest-host-not-covered")
	var msgs []string
	for _, f := range hosts {
		msgs = append(msgs, f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`clients reach server endpoint "vnc" as "con.example.test"; object tls2 answers, and its certificate covers only [console.example.test]`,
		`as "vnc.example.test"; object tls0 answers, and its certificate covers only [localhost, 127.0.0.1, ::1]`,
		`as "10.1.2.3"; object tls0 answers`, `an IP address matches IP SANs only`,
		`clients reach server endpoint "strict" as "elsewhere.example.test", which no object's names cover, and strict-sni refuses it`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("host findings lack %q:\n%s", want, all)
		}
	}
	if len(hosts) != 4 {
		t.Errorf("%d host findings on tls0, want 4 (localhost and console.example.test are covered):\n%s", len(hosts), all)
	}
	if fs := findings(rs, "tls1", "manifest-host-not-covered"); len(fs) != 1 || !strings.Contains(fs[0].Message, `connections of client endpoint "migrate" reach server endpoint "vnc" as "www.example.test"`) {
		t.Errorf("client host: %v", resultSummary(rs))
	}
}

func TestCheckManifestKeyReusedAndSharedDir(t *testing.T) {
	p := mustPKI(t, fixtures.PKIOptions{})
	twin, err := gen.Server(p.Root, fixtures.Spec{DNSNames: []string{"localhost"}, Key: p.Server.Key})
	if err != nil {
		t.Fatal(err)
	}
	s := newManifestSet(t)
	s.write("server", p.ServerDir())
	s.write("twin", fixtures.Dir{CA: p.CABundle(), Server: twin})
	s.write("both", fixtures.Dir{CA: p.CABundle(), Server: p.Server, Client: p.Clients[0]})
	rs := s.lint(`
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: twin, endpoint: server, dir: twin}
  - {id: again, endpoint: server, dir: server}
  - {id: mig-in, endpoint: server, dir: both}
  - {id: mig-out, endpoint: client, dir: both}
`)
	fs := findings(rs, "twin", "manifest-key-reused")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "object twin's key (") || !strings.Contains(fs[0].Message, "is the same key as object tls0's") || fs[0].Severity != Warning {
		t.Errorf("key reuse: %v", resultSummary(rs))
	}
	// The same files under two ids are one credential, not a reuse; the
	// migration directory's server key is p.Server's key in another file.
	if fs := findings(rs, "again", "manifest-key-reused"); len(fs) != 0 {
		t.Errorf("same files flagged: %v", fs)
	}
	if fs := findings(rs, "mig-in", "manifest-key-reused"); len(fs) != 1 {
		t.Errorf("copied key not flagged: %v", resultSummary(rs))
	}
	fs = findings(rs, "mig-out", "manifest-dir-both-endpoints")
	if len(fs) != 1 || fs[0].Severity != Info || !strings.Contains(fs[0].Message, "is object mig-in's (endpoint=server) and object mig-out's (endpoint=client) directory") {
		t.Errorf("shared dir: %v", resultSummary(rs))
	}
}

func TestCheckManifestAuthzAndPins(t *testing.T) {
	p := mustPKI(t, fixtures.PKIOptions{})
	s := newManifestSet(t)
	s.write("server", p.ServerDir())
	s.write("client", p.ClientDir(0))
	spkiAsThumb := creds.Pin{Kind: creds.PinCert, Hash: creds.CertPin(p.Clients[0].Cert, creds.PinSPKI).Hash}
	good := creds.CertPin(p.Clients[0].Cert, creds.PinCert)
	rs := s.lint(`
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: tls1, endpoint: client, dir: client}
endpoints:
  - name: vnc
    role: server
    objects: [tls0]
    hosts: [localhost]
    pins: ["` + good.String() + `", "` + spkiAsThumb.String() + `"]
    authz:
      rules:
        - {match: "CN=client,O=tlscreds test PKI", policy: allow}
        - {match: "O=tlscreds test PKI,CN=cl?ent", policy: allow, format: glob}
        - {match: "O=nobody,CN=*", policy: deny, format: glob}
  - {name: migrate, role: client, objects: [tls1], server: vnc, pins: ["` + creds.CertPin(p.Server.Cert, creds.PinSPKI).String() + `"]}
`)
	fs := findings(rs, "tls0", "manifest-authz-matches-nothing")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, `authz rule 0 (exact "CN=client,O=tlscreds test PKI") matches none of the known client DNs "O=tlscreds test PKI,CN=client"`) ||
		!strings.Contains(fs[0].Message, "RFC 4514 order") {
		t.Errorf("authz: %v", resultSummary(rs))
	}
	fs = findings(rs, "tls0", "manifest-pin-matches-nothing")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "pin "+spkiAsThumb.String()+" matches none") || !strings.Contains(fs[0].Message, "write it as spki-sha256:") {
		t.Errorf("pins: %v", resultSummary(rs))
	}
	if fs := findings(rs, "tls1", "manifest-pin-matches-nothing"); len(fs) != 0 {
		t.Errorf("the client's pin matches its server: %v", fs)
	}
	// The client is allowed by rule 1 and pinned by the good pin.
	if fs := findings(rs, "tls1", "manifest-client-untrusted-by-server"); len(fs) != 0 {
		t.Errorf("client refused: %v", fs)
	}
}

// TestManifestRulesAreRegistered pins the contract with the catalogue:
// every manifest rule is registered with subject object, and Run (per
// object) never reports one.
func TestManifestRulesAreRegistered(t *testing.T) {
	n := 0
	for _, r := range Rules() {
		if strings.HasPrefix(r.ID, "manifest-") {
			n++
			if r.Subject != SubjectObject {
				t.Errorf("%s: subject %s", r.ID, r.Subject)
			}
		}
	}
	if n != 8 {
		t.Errorf("%d manifest rules, want 8", n)
	}
	p := mustPKI(t, fixtures.PKIOptions{})
	dir := t.TempDir()
	if _, err := p.ServerDir().Write(dir, layout.QEMU, false); err != nil {
		t.Fatal(err)
	}
	for _, f := range lintPath(t, dir, "server", Options{}) {
		if strings.HasPrefix(f.Rule, "manifest-") {
			t.Errorf("Run reported %s", f.Rule)
		}
	}
}
