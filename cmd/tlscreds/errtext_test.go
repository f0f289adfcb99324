package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// userTextFaults are what an error shown to a person must not hold: Go's
// encoding/asn1 text and struct dumps, a library's package prefix after
// the file it is about, the object or file named twice.
var userTextFaults = []struct {
	what string
	re   *regexp.Regexp
}{
	{"an encoding/asn1 message", regexp.MustCompile(`asn1:`)},
	{"a Go struct dump", regexp.MustCompile(`\{[a-zA-Z]+:[^ ]* [a-zA-Z]+:`)},
	{"the privkey package prefix", regexp.MustCompile(`privkey: `)},
	{"the object named twice", regexp.MustCompile(`object (\S+): .*object (\S+):`)},
	{"the file named twice in a row", regexp.MustCompile(`(\S+\.pem): (dh parameters|psk file) `)},
	{"a reload naming the object twice", regexp.MustCompile(`reload (\S+): object `)},
}

func checkUserText(t *testing.T, where, text string) {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		for _, f := range userTextFaults {
			if m := f.re.FindStringSubmatch(line); m != nil {
				if f.what == "the object named twice" && m[1] != m[2] {
					continue
				}
				t.Errorf("%s: %s in %q", where, f.what, line)
			}
		}
	}
}

// TestErrorTextOverBrokenSets runs lint and inspect over every broken set
// of the catalogue, and over sets whose key, CRL, DH parameters and
// certificate blocks hold malformed DER, and loads and reloads each with
// the library: no line shown to a user holds Go's asn1 text, a struct
// dump or a stuttering prefix.
func TestErrorTextOverBrokenSets(t *testing.T) {
	root := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"tlscreds", "gen", "broken", "--all", "--out", root}, &out, &errOut); code != 0 {
		t.Fatalf("gen broken --all: exit %d: %s", code, errOut.String())
	}
	// Malformed DER inside well-formed PEM, one file at a time, over a
	// good server set: the parsers below creds give asn1 errors here.
	garbage := "MAMCAQA=" // SEQUENCE { INTEGER 0 } cut short
	hostile := map[string][2]string{
		"der-pkcs8-key":   {"server-key.pem", "PRIVATE KEY"},
		"der-pkcs1-key":   {"server-key.pem", "RSA PRIVATE KEY"},
		"der-sec1-key":    {"server-key.pem", "EC PRIVATE KEY"},
		"der-crl":         {"ca-crl.pem", "X509 CRL"},
		"der-dh-params":   {"dh-params.pem", "DH PARAMETERS"},
		"der-certificate": {"server-cert.pem", "CERTIFICATE"},
	}
	for name, h := range hostile {
		dir := filepath.Join(root, name)
		if err := fixtures.GoodSets()["server-ecdsa"](fixtures.New(fixtures.TestClock), dir); err != nil {
			t.Fatal(err)
		}
		pemText := "-----BEGIN " + h[1] + "-----\n" + garbage + "\n-----END " + h[1] + "-----\n"
		if err := os.WriteFile(filepath.Join(dir, h[0]), []byte(pemText), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sets, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) < len(fixtures.BrokenSets())+len(hostile) {
		t.Fatalf("%d sets written, want %d", len(sets), len(fixtures.BrokenSets())+len(hostile))
	}
	for _, e := range sets {
		dir := filepath.Join(root, e.Name())
		for _, cmd := range [][]string{{"lint", dir}, {"inspect", dir}} {
			var o, eo bytes.Buffer
			run(append([]string{"tlscreds"}, cmd...), &o, &eo)
			checkUserText(t, e.Name()+": tlscreds "+cmd[0], o.String()+eo.String())
		}
		for _, ep := range []creds.Endpoint{creds.EndpointServer, creds.EndpointClient} {
			sp, err := creds.NewSpec(creds.KindX509, "tls0", "endpoint", string(ep), "dir", dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := creds.Load(sp, creds.LoadOptions{}); err != nil {
				checkUserText(t, e.Name()+": creds.Load", err.Error())
			}
		}
	}
}
