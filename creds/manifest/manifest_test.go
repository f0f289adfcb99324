package manifest_test

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
)

func clock() time.Time { return fixtures.TestClock }

// writeManifest writes text as dir/manifest.yaml.
func writeManifest(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "manifest.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeDir(t *testing.T, dir string, d fixtures.Dir) {
	t.Helper()
	if _, err := d.Write(dir, layout.QEMU, false); err != nil {
		t.Fatal(err)
	}
}

// lines numbers a manifest so that tests can name lines.
const base = `objects:
  - id: tls0
    endpoint: server
    dir: server
  - id: tls1
    endpoint: client
    dir: client
endpoints:
  - name: vnc
    role: server
    objects: [tls0]
    hosts: [localhost]
`

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // each a whole line of the error, or a prefix of one
	}{
		{"unknown-top-key", "objcts: []\n", []string{`manifest.yaml:1: manifest: unknown key "objcts" (valid: objects, secrets, endpoints, as-user)`, `manifest.yaml:1: manifest: no objects:`}},
		{"no-objects", "endpoints: []\n", []string{`manifest.yaml:1: manifest: no objects:`}},
		{"yaml-syntax", "objects:\n  - id: a\n    dir: d: e\n", []string{`manifest.yaml:3: invalid YAML: mapping values are not allowed in this context`}},
		{"empty", "", []string{`manifest.yaml: empty manifest`}},
		{"not-a-mapping", "- a\n", []string{`manifest.yaml:1: manifest: want a mapping`}},
		{"unknown-property", "objects:\n  - id: tls0\n    dir: d\n    colour: red\n",
			[]string{`manifest.yaml:4: object "tls0": property "colour": unknown property for tls-creds-x509 (valid: `}},
		{"bad-endpoint-value", "objects:\n  - id: tls0\n    endpoint: sever\n    dir: d\n",
			[]string{`manifest.yaml:3: object "tls0": property "endpoint": invalid value "sever" (want server or client)`}},
		{"list-value", "objects:\n  - id: tls0\n    dir: [a, b]\n", []string{`manifest.yaml:3: object "tls0": property "dir": want a string or a boolean, not a list`}},
		{"missing-id", "objects:\n  - dir: d\n", []string{`manifest.yaml:2: objects[0]: property "id": missing`}},
		{"anon-psk-type", "objects:\n  - id: p\n    type: tls-creds-psk\n    dir: d\n    cert: c\n", []string{`manifest.yaml:5: object "p": property "cert": unknown property for tls-creds-psk`}},
		{"unknown-type", "objects:\n  - id: p\n    type: tls-creds-x510\n    dir: d\n", []string{`manifest.yaml:3: object "p": property "qom-type": unknown object type "tls-creds-x510"`}},
		{"duplicate-key", "objects:\n  - id: a\n    dir: d\n    dir: e\n", []string{`manifest.yaml:4: object "a": key "dir" given twice (first at line 3)`}},
		{"duplicate-id", "secrets:\n  - id: a\n    data: x\nobjects:\n  - id: a\n    dir: d\n",
			[]string{`manifest.yaml:5: duplicate id "a" (first at line 2)`}},
		{"secret-in-objects", "objects:\n  - id: s\n    type: secret\n    data: x\n", []string{`manifest.yaml:2: object "s": a secret belongs under secrets:, not objects:`}},
		{"unknown-secret", "objects:\n  - id: a\n    dir: d\n    passwordid: sec9\n", []string{`manifest.yaml:2: object "a": passwordid "sec9" names no secret`}},
		{"dangling-object", base + "  - name: nbd\n    role: server\n    objects: [tls0, tls9]\n",
			[]string{`manifest.yaml:15: endpoint "nbd": unknown object "tls9"`}},
		{"duplicate-endpoint", base + "  - name: vnc\n    role: server\n    objects: [tls0]\n",
			[]string{`manifest.yaml:13: endpoint "vnc": name given twice (first at line 9)`}},
		{"wrong-role", base + "  - name: m\n    role: client\n    objects: [tls0]\n    host: x\n",
			[]string{`manifest.yaml:15: endpoint "m": object "tls0" has endpoint=server, a client endpoint needs endpoint=client`}},
		{"bad-role", base + "  - name: m\n    role: peer\n    objects: [tls1]\n", []string{`manifest.yaml:14: endpoint "m": role: invalid value "peer" (want server or client)`}},
		{"unknown-endpoint-key", base + "    tls-min: 1.3\n", []string{`manifest.yaml:13: endpoint "vnc": unknown key "tls-min"`}},
		{"unknown-server", base + "  - name: m\n    role: client\n    objects: [tls1]\n    server: vcn\n",
			[]string{`manifest.yaml:13: endpoint "m": server: unknown endpoint "vcn"`}},
		{"client-no-host", base + "  - name: m\n    role: client\n    objects: [tls1]\n",
			[]string{`manifest.yaml:13: endpoint "m": no host to check the server's certificate against`}},
		{"client-two-objects", base + "  - name: m\n    role: client\n    objects: [tls1, tls1]\n    host: x\n",
			[]string{`manifest.yaml:15: endpoint "m": object "tls1" listed twice`, `manifest.yaml:15: endpoint "m": a client endpoint uses one object`}},
		{"server-keys-on-client", base + "  - name: m\n    role: client\n    objects: [tls1]\n    server: vnc\n    hosts: [a]\n    strict-sni: true\n",
			[]string{`manifest.yaml:17: endpoint "m": hosts applies to server endpoints only; a client connects to one name: use host`,
				`manifest.yaml:18: endpoint "m": strict-sni applies to server endpoints only`}},
		{"names-on-client", base + "  - name: m\n    role: client\n    objects: [{id: tls1, names: [a]}]\n    server: vnc\n",
			[]string{`manifest.yaml:15: endpoint "m": objects[0]: names (SNI) apply to server endpoints only`}},
		{"bad-pin", base + "    pins: [\"sha1:00\"]\n", []string{`manifest.yaml:13: endpoint "vnc": invalid pin "sha1:00": unknown kind "sha1"`}},
		{"pins-only-without-pins", base + "    pins-only: true\n", []string{`manifest.yaml:13: endpoint "vnc": pins-only without pins`}},
		{"bad-min-tls", base + "    min-tls: 1.1\n", []string{`manifest.yaml:13: endpoint "vnc": min-tls: invalid value "1.1" (want "1.2" or "1.3")`}},
		{"bad-bool", base + "    strict-sni: maybe\n", []string{`manifest.yaml:13: endpoint "vnc": strict-sni: want true or false, not "maybe"`}},
		{"bad-authz", base + "    authz:\n      policy: permit\n      rules:\n        - {match: a, policy: allow, format: regex}\n        - {policy: allow}\n        - {match: b, policy: allow, colour: red}\n",
			[]string{`manifest.yaml:14: endpoint "vnc": authz: policy: invalid value "permit" (want allow or deny)`,
				`manifest.yaml:16: endpoint "vnc": authz: rules[0]: format: invalid value "regex" (want exact or glob)`,
				`manifest.yaml:17: endpoint "vnc": authz: rules[1]: no match`,
				`manifest.yaml:18: endpoint "vnc": authz: rules[2]: unknown key "colour"`}},
		{"secret-as-object", base + "  - name: nbd\n    role: server\n    objects: [sec0]\nsecrets:\n  - id: sec0\n    data: x\n",
			[]string{`manifest.yaml:15: endpoint "nbd": "sec0" is a secret, not a credentials object`}},
		{"every-problem-at-once", base + "  - name: nbd\n    role: server\n    objects: [tls9]\n    min-tls: 1.1\n",
			[]string{`manifest.yaml:15: endpoint "nbd": unknown object "tls9"`, `manifest.yaml:16: endpoint "nbd": min-tls: invalid value "1.1"`}},
		{"no-cascade", "objects:\n  - {id: tls0, endpoint: sever, dir: d}\nendpoints:\n  - {name: e, role: server, objects: [tls0]}\n  - {name: c, role: client, objects: [x], server: e, pins-only: maybe}\n  - {name: d, role: client, objects: [x], server: c}\n",
			[]string{`manifest.yaml:2: object "tls0": property "endpoint": invalid value "sever"`, `manifest.yaml:5: endpoint "c": pins-only: want true or false`,
				`manifest.yaml:5: endpoint "c": unknown object "x"`, `manifest.yaml:6: endpoint "d": unknown object "x"`, `manifest.yaml:6: endpoint "d": server: endpoint "c" is a client endpoint`}},
		{"anon-endpoint", "objects:\n  - id: anon0\n    type: tls-creds-anon\n    endpoint: server\nendpoints:\n  - name: e\n    role: server\n    objects: [anon0]\n",
			[]string{`manifest.yaml:8: endpoint "e": object "anon0" is a tls-creds-anon`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeManifest(t, t.TempDir(), tc.text)
			_, err := manifest.Load(path)
			if err == nil {
				t.Fatal("loaded")
			}
			lines := strings.Split(strings.ReplaceAll(err.Error(), path, "manifest.yaml"), "\n")
			if len(lines) != len(tc.want) {
				t.Errorf("%d errors, want %d:\n\t%s", len(lines), len(tc.want), strings.Join(lines, "\n\t"))
			}
			for _, want := range tc.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, want)
				}
				if !found {
					t.Errorf("no error line starting with\n\t%s\ngot:\n\t%s", want, strings.Join(lines, "\n\t"))
				}
			}
			var me *manifest.Error
			if !errors.As(err, &me) {
				t.Errorf("%T is not a *manifest.Error", err)
			}
		})
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	if _, err := manifest.Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if _, err := manifest.Load(filepath.Join(t.TempDir(), "none.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestLoadJSON reads the JSON form, with paths resolved against the
// manifest's directory, and the defaults filled in.
func TestLoadJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	text := `{"objects": [{"id": "tls0", "qom-type": "tls-creds-x509", "endpoint": "server", "dir": "server", "verify-peer": false},
	                      {"id": "tls1", "dir": "/abs/client", "verify-peer": "off"}],
	          "endpoints": [{"name": "vnc", "role": "server", "objects": ["tls0"], "min-tls": 1.3, "strict-sni": "yes",
	                         "authz": {"rules": [{"match": "CN=a", "policy": "allow"}]}},
	                        {"name": "m", "role": "client", "objects": ["tls1"], "server": "vnc"}]}`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tls0, tls1 := m.Object("tls0"), m.Object("tls1")
	if tls0.Dir != filepath.Join(dir, "server") || tls1.Dir != "/abs/client" {
		t.Errorf("dirs %q %q", tls0.Dir, tls1.Dir)
	}
	if tls0.VerifyPeer || tls1.VerifyPeer || tls1.Endpoint != creds.EndpointClient {
		t.Errorf("properties: %+v %+v", tls0, tls1)
	}
	vnc := m.Endpoint("vnc")
	if vnc.MinTLS != tls.VersionTLS13 || !vnc.StrictSNI || vnc.Authz.Policy != creds.AuthzDeny || vnc.Authz.Rules[0].Format != creds.AuthzExact {
		t.Errorf("endpoint %+v, authz %+v", vnc, vnc.Authz)
	}
	if m.ServerName(m.Endpoint("m")) != "" || m.ObjectLine("tls1") != 2 || len(m.Clients("vnc")) != 1 {
		t.Errorf("ServerName %q, line %d, clients %v", m.ServerName(m.Endpoint("m")), m.ObjectLine("tls1"), m.Clients("vnc"))
	}
}

// pki writes a server directory, an SNI server directory, and client
// directories for a client "good" (C=UK,CN=qemu) and "bad"; it returns
// the directory they are in.
func pki(t *testing.T) (string, *fixtures.PKI) {
	t.Helper()
	g := fixtures.New(fixtures.TestClock)
	p, err := g.PKI(fixtures.PKIOptions{Names: []string{"vnc.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	good, err := g.Client(p.Root, fixtures.Spec{Subject: pkix.Name{Country: []string{"UK"}, CommonName: "qemu"}})
	if err != nil {
		t.Fatal(err)
	}
	console, err := g.Server(p.Root, fixtures.Spec{DNSNames: []string{"console.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeDir(t, filepath.Join(dir, "server"), p.ServerDir())
	writeDir(t, filepath.Join(dir, "console"), fixtures.Dir{CA: p.CABundle(), Server: console})
	writeDir(t, filepath.Join(dir, "good"), fixtures.Dir{CA: p.CABundle(), Client: good})
	writeDir(t, filepath.Join(dir, "bad"), p.ClientDir(0))
	p.Clients = append(p.Clients, good)
	return dir, p
}

// handshake runs one connection between the configs over loopback and
// returns the client's state and both errors (the server's refusal of a
// client certificate reaches the client on its first read in TLS 1.3).
func handshake(srvCfg, cliCfg *tls.Config) (tls.ConnectionState, error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return tls.ConnectionState{}, err, err
	}
	defer ln.Close()
	srvErr := make(chan error, 1)
	go func() {
		s, err := ln.Accept()
		if err != nil {
			srvErr <- err
			return
		}
		defer s.Close()
		_ = s.SetDeadline(time.Now().Add(10 * time.Second))
		ts := tls.Server(s, srvCfg)
		if err = ts.Handshake(); err == nil {
			_, err = ts.Write([]byte("ok"))
		}
		srvErr <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return tls.ConnectionState{}, err, <-srvErr
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	tc := tls.Client(c, cliCfg)
	err = tc.Handshake()
	st := tc.ConnectionState()
	if err == nil {
		_, err = io.ReadFull(tc, make([]byte, 2))
	}
	return st, err, <-srvErr
}

func TestConfigs(t *testing.T) {
	dir, p := pki(t)
	pin := creds.CertPin(p.Clients[1].Cert, creds.PinSPKI)
	path := writeManifest(t, dir, `
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: console, endpoint: server, dir: console}
  - {id: good, endpoint: client, dir: good}
  - {id: bad, endpoint: client, dir: bad}
endpoints:
  - name: vnc
    role: server
    objects: [tls0, {id: console, names: [console.example.test, con.example.test]}]
    hosts: [vnc.example.test, console.example.test]
    authz:
      rules:
        - {match: "C=UK,CN=q*", policy: allow, format: glob}
    pins: ["`+pin.String()+`"]
    min-tls: "1.3"
  - name: good
    role: client
    objects: [good]
    server: vnc
  - name: console
    role: client
    objects: [good]
    server: vnc
    host: console.example.test
  - name: bad
    role: client
    objects: [bad]
    server: vnc
`)
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Registry(manifest.Options{Time: clock}); err != nil {
		t.Fatal(err)
	}
	srv, err := m.ServerConfig("vnc")
	if err != nil {
		t.Fatal(err)
	}
	client := func(name string) *tls.Config {
		t.Helper()
		c, err := m.ClientConfig(name)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	st, cerr, serr := handshake(srv, client("good"))
	if cerr != nil || serr != nil {
		t.Fatalf("good: client %v; server %v", cerr, serr)
	}
	if st.Version != tls.VersionTLS13 || st.PeerCertificates[0].DNSNames[0] != "vnc.example.test" {
		t.Errorf("good: %s, served %v", tls.VersionName(st.Version), st.PeerCertificates[0].DNSNames)
	}
	// The session cache is the endpoint's: the next connection resumes.
	if st, cerr, serr = handshake(srv, client("good")); cerr != nil || serr != nil || !st.DidResume {
		t.Errorf("good, again: client %v; server %v; resumed %v", cerr, serr, st.DidResume)
	}
	if st, cerr, serr = handshake(srv, client("console")); cerr != nil || serr != nil || st.PeerCertificates[0].DNSNames[0] != "console.example.test" {
		t.Errorf("console (SNI): client %v; server %v", cerr, serr)
	}
	// bad is from the right CA but neither pinned nor allowed by authz:
	// the pin check comes first.
	if _, cerr, serr = handshake(srv, client("bad")); !errors.Is(serr, creds.ErrNotPinned) || cerr == nil {
		t.Errorf("bad: client %v; server %v", cerr, serr)
	}
	old := client("good").Clone()
	old.MaxVersion = tls.VersionTLS12
	if _, cerr, _ = handshake(srv, old); cerr == nil {
		t.Error("a TLS 1.2 client got past min-tls 1.3")
	}

	for _, tc := range []struct {
		call func(string) (*tls.Config, error)
		name string
		want string
	}{
		{m.ServerConfig, "good", `endpoint "good" is a client endpoint, not a server endpoint`},
		{m.ClientConfig, "vnc", `endpoint "vnc" is a server endpoint, not a client endpoint`},
		{m.ClientConfig, "nope", `unknown endpoint "nope" (endpoints: [vnc good console bad])`},
	} {
		if _, err := tc.call(tc.name); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestConfigsAuthz checks the authz list alone: a client from the right
// CA whose DN it does not allow is refused with QEMU's message.
func TestConfigsAuthz(t *testing.T) {
	dir, _ := pki(t)
	path := writeManifest(t, dir, `
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: good, endpoint: client, dir: good}
  - {id: bad, endpoint: client, dir: bad}
endpoints:
  - {name: vnc, role: server, objects: [tls0], hosts: [vnc.example.test], verify-peer: false,
     authz: {policy: deny, rules: [{match: "C=UK,CN=qemu", policy: allow}]}}
  - {name: good, role: client, objects: [good], server: vnc}
  - {name: bad, role: client, objects: [bad], server: vnc}
`)
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Registry(manifest.Options{Time: clock}); err != nil {
		t.Fatal(err)
	}
	srv, _ := m.ServerConfig("vnc")
	good, _ := m.ClientConfig("good")
	bad, _ := m.ClientConfig("bad")
	if _, cerr, serr := handshake(srv, good); cerr != nil || serr != nil {
		t.Errorf("good: client %v; server %v", cerr, serr)
	}
	_, cerr, serr := handshake(srv, bad)
	if cerr == nil || serr == nil || serr.Error() != "TLS x509 authz check for O=tlscreds test PKI,CN=client is denied" {
		t.Errorf("bad: client %v; server %v", cerr, serr)
	}
}

func TestRegistryErrors(t *testing.T) {
	dir, _ := pki(t)
	path := writeManifest(t, dir, `objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: gone, endpoint: server, dir: nowhere}
  - {id: locked, endpoint: client, dir: good, passwordid: pw}
secrets:
  - {id: pw, file: no-such-password}
`)
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := m.Registry(manifest.Options{})
	if reg != nil || err == nil {
		t.Fatalf("registry %v, err %v", reg, err)
	}
	for _, want := range []string{path + ":3: object gone: ", path + ":4: "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// Without a successful Registry call the configs load with zero
	// options, and fail the same way.
	if _, err := m.ServerConfig("x"); err == nil {
		t.Error("ServerConfig of an unknown endpoint")
	}
}

// FuzzParse checks that no input makes Parse panic or hang, and that
// every failure is a located *manifest.Error.
func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte(`{"objects": [{"id": "a", "dir": "d"}], "endpoints": [{"name": "e", "role": "client", "objects": ["a"], "host": "h"}]}`))
	f.Add([]byte("objects: &a [*a]\n"))
	f.Add([]byte("endpoints:\n  - {name: e, role: server, objects: [{id: x, names: [a]}], authz: {rules: [{match: '*', policy: allow, format: glob}]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := manifest.Parse("fuzz.yaml", "/base", data)
		if err == nil {
			return
		}
		var me *manifest.Error
		if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Errorf("error %q is not a located *manifest.Error", err)
		}
	})
}

// TestLookupsLargeManifest parses a 10,000-object manifest in its
// indented JSON form (about 1.5 MB, more than the old 1 MiB cap) and
// checks the indexed lookups against the file: each object, each
// endpoint, the clients of each server and the endpoints using each
// object, in file order.
func TestLookupsLargeManifest(t *testing.T) {
	const n = 5000 // server objects; as many client objects
	type obj struct {
		ID       string `json:"id"`
		Endpoint string `json:"endpoint"`
		Dir      string `json:"dir"`
	}
	type ep struct {
		Name    string   `json:"name"`
		Role    string   `json:"role"`
		Objects []string `json:"objects"`
		Hosts   []string `json:"hosts,omitempty"`
		Server  string   `json:"server,omitempty"`
	}
	var doc struct {
		Objects   []obj `json:"objects"`
		Endpoints []ep  `json:"endpoints"`
	}
	all := ep{Name: "sni", Role: "server", Hosts: []string{"h.example"}}
	for i := range n {
		doc.Objects = append(doc.Objects, obj{fmt.Sprintf("s%d", i), "server", fmt.Sprintf("d/s%d", i)})
		all.Objects = append(all.Objects, fmt.Sprintf("s%d", i))
	}
	doc.Endpoints = append(doc.Endpoints, all)
	for i := range n {
		doc.Objects = append(doc.Objects, obj{fmt.Sprintf("c%d", i), "client", fmt.Sprintf("d/c%d", i)})
		server := "sni"
		if i%2 == 1 {
			server = fmt.Sprintf("one%d", i/2%10)
		}
		doc.Endpoints = append(doc.Endpoints, ep{Name: fmt.Sprintf("cl%d", i), Role: "client", Objects: []string{fmt.Sprintf("c%d", i)}, Server: server})
	}
	for j := range 10 {
		doc.Endpoints = append(doc.Endpoints, ep{Name: fmt.Sprintf("one%d", j), Role: "server", Objects: []string{fmt.Sprintf("s%d", j)}, Hosts: []string{"h.example"}})
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= 1<<20 {
		t.Fatalf("the manifest is %d bytes; the test wants one over 1 MiB", len(data))
	}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range doc.Objects {
		if sp := m.Object(o.ID); sp == nil || string(sp.Endpoint) != o.Endpoint || sp.Dir != filepath.Join(filepath.Dir(path), o.Dir) {
			t.Fatalf("Object(%q) = %+v", o.ID, sp)
		}
	}
	if m.Object("nope") != nil || m.Endpoint("nope") != nil || m.Clients("nope") != nil || m.Uses("nope") != nil {
		t.Error("lookups of unknown names found something")
	}
	clients := map[string][]string{}
	uses := map[string][]string{}
	for _, e := range doc.Endpoints {
		if got := m.Endpoint(e.Name); got == nil || got.Name != e.Name || string(got.Role) != e.Role {
			t.Fatalf("Endpoint(%q) = %+v", e.Name, got)
		}
		if e.Role == "client" {
			clients[e.Server] = append(clients[e.Server], e.Name)
		}
		for _, id := range e.Objects {
			uses[id] = append(uses[id], e.Name)
		}
	}
	for server, want := range clients {
		var got []string
		for _, e := range m.Clients(server) {
			got = append(got, e.Name)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Clients(%q) = %d endpoints, want %d (%v...)", server, len(got), len(want), want[:2])
		}
	}
	for _, o := range doc.Objects {
		if got := m.Uses(o.ID); !slices.Equal(got, uses[o.ID]) {
			t.Fatalf("Uses(%q) = %v, want %v", o.ID, got, uses[o.ID])
		}
	}
}

// TestAsUser: the service user of each object is its own as-user, else
// the manifest's; a secret takes none, and a name with a colon or a
// slash is no user name.
func TestAsUser(t *testing.T) {
	m, err := manifest.Parse("m.yaml", "", []byte("as-user: qemu\nobjects:\n  - id: a\n    dir: /x\n  - id: b\n    dir: /y\n    as-user: libvirt-qemu\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, user string
		line     int
	}{{"a", "qemu", 1}, {"b", "libvirt-qemu", 7}} {
		if u, line := m.UserOf(c.id); u != c.user || line != c.line {
			t.Errorf("UserOf(%s) = %q, %d; want %q, %d", c.id, u, line, c.user, c.line)
		}
	}
	if m.Object("b").Dir != "/y" {
		t.Errorf("as-user reached the spec: %+v", m.Object("b"))
	}
	for _, bad := range []string{
		"objects:\n  - id: a\n    dir: /x\n    as-user: a:b\n",
		"as-user: [qemu]\nobjects:\n  - id: a\n    dir: /x\n",
		"secrets:\n  - id: s\n    data: x\n    as-user: qemu\nobjects:\n  - id: a\n    dir: /x\n",
	} {
		if _, err := manifest.Parse("m.yaml", "", []byte(bad)); err == nil || !strings.Contains(err.Error(), "as-user") {
			t.Errorf("%q: error %v, want one about as-user", bad, err)
		}
	}
}
