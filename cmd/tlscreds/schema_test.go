package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// compileDocSchema compiles a JSON Schema published under docs/schema/.
func compileDocSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema", name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// TestCommandJSONSchemas: the JSON of gen pki and gen cert (each layout),
// p12 export, p12 import (each layout) and fingerprint, from the real commands on a generated PKI,
// validates against its schema under docs/schema/ and holds no key
// material or password.
func TestCommandJSONSchemas(t *testing.T) {
	p12, fp, gen := compileDocSchema(t, "tlscreds.p12.v1.json"), compileDocSchema(t, "tlscreds.fingerprint.v1.json"), compileDocSchema(t, "tlscreds.gen.v1.json")
	t.Chdir(t.TempDir())
	cli := func(args ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(append([]string{"tlscreds"}, args...), &out, &errb); code != 0 {
			t.Fatalf("tlscreds %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
		}
		return out.Bytes()
	}
	genPKI := cli("gen", "pki", "--intermediate", "--out", "pki", "--format", "json")
	for _, pw := range []string{"pw", "pw0"} {
		if err := os.WriteFile(pw, []byte("s3cret-pw\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	outputs := map[string][]byte{
		"gen-pki":         genPKI,
		"gen-pki-libvirt": cli("gen", "pki", "--layout", "libvirt", "--client", "a", "--client", "b", "--key", "rsa-2048", "--out", "lv", "--format", "json"),
		"gen-pki-kube":    cli("gen", "pki", "--layout", "kubernetes", "--key-format", "encrypted-pkcs8", "--key-password-file", "pw0", "--out", "kube", "--format", "json"),
		"gen-cert":        cli("gen", "cert", "--ca", "pki/ca", "--server", "--name", "vnc.example.com", "--out", "vnc", "--format", "json"),
		"export":          cli("p12", "export", "--creds", "pki/server", "--endpoint", "server", "--out", "s.p12", "--password-file", "pw", "--format", "json"),
		"export-client":   cli("p12", "export", "--creds", "pki/client", "--endpoint", "client", "--out", "c.p12", "--password-file", "pw", "--format", "json"),
		"import-qemu":     cli("p12", "import", "--out", "q", "--endpoint", "server", "--password-file", "pw", "--format", "json", "s.p12"),
		"import-libvirt":  cli("p12", "import", "--out", "l", "--endpoint", "client", "--layout", "libvirt", "--password-file", "pw", "--format", "json", "c.p12"),
		"import-kube":     cli("p12", "import", "--out", "k", "--endpoint", "server", "--layout", "kubernetes", "--password-file", "pw", "--format", "json", "s.p12"),
		"fingerprint":     cli("fingerprint", "--format", "json", "pki/server/server-cert.pem", "pki/server/ca-cert.pem"),
		"fingerprint-p12": cli("fingerprint", "--format", "json", "--password-file", "pw", "s.p12"),
	}
	for name, out := range outputs {
		schema := p12
		switch {
		case strings.HasPrefix(name, "fingerprint"):
			schema = fp
		case strings.HasPrefix(name, "gen"):
			schema = gen
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", name, err, out)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
		for _, secret := range []string{"PRIVATE KEY", "s3cret-pw"} {
			if bytes.Contains(out, []byte(secret)) {
				t.Errorf("%s: the JSON holds %q", name, secret)
			}
		}
	}
	// The schema is not a formality: a report with a key in it fails.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"schema":"tlscreds.p12/v1","action":"export","source":"d","endpoint":"server","written":[{"path":"x","mode":"0600"}],"certificates":[],"key":"-----BEGIN PRIVATE KEY-----"}`))
	if p12.Validate(bad) == nil {
		t.Error("the p12 schema accepts an extra key field and no certificates")
	}
	for _, want := range []string{`"role": "ca"`, `"issuer": {`, `"pki/server/server-key.pem"`} {
		if !bytes.Contains(genPKI, []byte(want)) {
			t.Errorf("gen pki --intermediate JSON lacks %s:\n%s", want, genPKI)
		}
	}
	if !bytes.Contains(outputs["export"], []byte(`"role": "chain"`)) {
		t.Errorf("export of a PKI with an intermediate lists no chain certificate:\n%s", outputs["export"])
	}
}

// TestServeJSONLinesSchema: every line serve --log-format json prints for
// a good handshake, a refused one (no client certificate) and their
// closes validates against docs/schema/tlscreds.serve.event.v1.json.
func TestServeJSONLinesSchema(t *testing.T) {
	schema := compileDocSchema(t, "tlscreds.serve.event.v1.json")
	g := fixtures.New(time.Now())
	p, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "server")
	if _, err := p.ServerDir().Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// With JSON Lines on standard output, "listening on" goes to standard
	// error, which servedLines drops: the test picks the port.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	lines, done := servedLines(ctx, "--creds", dir, "--listen", addr, "--log-format", "json")
	var events []string
	timeout := time.After(20 * time.Second)
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve's output ended; events so far: %v", events)
			}
			return l
		case <-timeout:
			t.Fatalf("timed out; events so far: %v", events)
		}
		return ""
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close() // a connection without a handshake: an event too
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve does not listen on %s: %v", addr, err)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.Root.Cert)
	c := p.Clients[0]
	for _, certs := range [][]tls.Certificate{{{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key}}, nil} {
		conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: certs})
		if err == nil {
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			conn.Read(make([]byte, 100))
			conn.Close()
		}
	}
	kinds := map[string]bool{}
	for !(kinds["handshake ok"] && kinds["handshake failed"] && kinds["close"]) {
		l := next()
		if !strings.HasPrefix(l, "{") {
			continue
		}
		events = append(events, l)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		if err != nil {
			t.Fatalf("not JSON: %v: %s", err, l)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%v\n%s", err, l)
		}
		switch {
		case strings.Contains(l, `"kind":"close"`):
			kinds["close"] = true
		case strings.Contains(l, `"ok":true`):
			kinds["handshake ok"] = true
		default:
			kinds["handshake failed"] = true
		}
	}
	cancel()
	<-done
}
