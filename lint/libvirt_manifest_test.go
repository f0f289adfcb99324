package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestLibvirtManifestEqualsHost: a manifest that declares a host's
// libvirt objects (layout: libvirt with the ca, crl, cert and key files
// libvirt reads) gives, object by object, exactly the findings of
// `lint --libvirt` on that host: the two are one model, not two
// checkers. The host has a finding of each class (a CRL libvirt refuses,
// a key mode virt-pki-validate warns about, a certificate expiring soon).
func TestLibvirtManifestEqualsHost(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	pki, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	tmp := t.TempDir()
	for _, d := range []struct {
		name string
		dir  fixtures.Dir
	}{{"server", pki.ServerDir()}, {"client", pki.ClientDir(0)}} {
		if _, err := d.dir.Write(filepath.Join(tmp, d.name), layout.Libvirt, true); err != nil {
			t.Fatal(err)
		}
	}
	install := func(from, to string, mode os.FileMode) {
		data, err := os.ReadFile(filepath.Join(tmp, from))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, to)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	install("server/cacert.pem", "etc/pki/CA/cacert.pem", 0o644)
	install("server/servercert.pem", "etc/pki/libvirt/servercert.pem", 0o644)
	install("server/serverkey.pem", "etc/pki/libvirt/private/serverkey.pem", 0o644) // virt-pki-validate: 0600
	install("client/clientcert.pem", "etc/pki/libvirt/clientcert.pem", 0o644)
	install("client/clientkey.pem", "etc/pki/libvirt/private/clientkey.pem", 0o600)
	if err := os.WriteFile(filepath.Join(root, "etc/pki/CA/cacrl.pem"), []byte("not a CRL\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	o := Options{Profile: ProfileLibvirt, Now: fixtures.TestClock, WarnWithin: 400 * 24 * 3600e9}
	targets, err := LibvirtTargets(LibvirtHost{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	host := map[string][]string{}
	for _, tg := range targets {
		host[tg.Spec.ID] = findingKeys(Check(tg, o).Findings)
	}

	yaml := "objects:\n"
	for _, tg := range targets {
		yaml += fmt.Sprintf("  - {id: %s, endpoint: %s, layout: libvirt, ca: %s, crl: %s, cert: %s, key: %s}\n",
			tg.Spec.ID, tg.Spec.Endpoint, tg.Spec.CA, tg.Spec.CRL, tg.Spec.Cert, tg.Spec.Key)
	}
	m, err := manifest.Parse("host.yaml", "", []byte(yaml))
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	fromManifest := map[string][]string{}
	for _, r := range CheckManifest(m, o) {
		fromManifest[r.Object] = findingKeys(r.Findings)
	}

	if len(host) != 2 || len(host["libvirt-server"]) == 0 || len(host["libvirt-client"]) == 0 {
		t.Fatalf("want findings on both libvirt objects, got %v", host)
	}
	for _, want := range []string{"file-invalid error", "key-permissions warning", "cert-expiring-soon warning"} {
		if !strings.Contains(strings.Join(host["libvirt-server"], "\n"), want) {
			t.Errorf("the host's server object lacks a %s finding: %v", want, host["libvirt-server"])
		}
	}
	for id, want := range host {
		if got := strings.Join(fromManifest[id], "\n"); got != strings.Join(want, "\n") {
			t.Errorf("%s: lint --libvirt found\n\t%s\nthe manifest\n\t%s", id, strings.Join(want, "\n\t"), strings.ReplaceAll(got, "\n", "\n\t"))
		}
	}
}

// findingKeys are the findings as sorted "rule severity file: message"
// lines.
func findingKeys(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s: %s", f.Rule, f.Severity, f.File, f.Message))
	}
	sort.Strings(out)
	return out
}
