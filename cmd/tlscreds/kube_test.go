package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestKubeSecretsCommands reads a kubectl Secret list with lint, inspect
// and pair: findings name the Secret and its key.
func TestKubeSecretsCommands(t *testing.T) {
	g := fixtures.New(time.Now())
	p, _ := g.PKI(fixtures.PKIOptions{})
	other, _ := g.PKI(fixtures.PKIOptions{})
	dir := t.TempDir()
	good := tlsFiles(t, p.Server, p.Root)
	bad := tlsFiles(t, p.Server, p.Root)
	bad["tls.key"] = tlsFiles(t, other.Server, other.Root)["tls.key"]
	list := filepath.Join(dir, "secrets.yaml")
	os.WriteFile(list, secretList(t, map[string]map[string][]byte{"web-tls": good, "old-tls": bad}), 0o644)
	client := filepath.Join(dir, "client")
	if _, err := p.ClientDir(0).Write(client, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	runOut := func(want int, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(append([]string{"tlscreds"}, args...), &out, &errb); code != want {
			t.Fatalf("tlscreds %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	out := runOut(1, "lint", "--kube-secrets", list)
	for _, want := range []string{"secret:prod/old-tls", "key-mismatch", "tls.key", "secret:prod/web-tls (prod/web-tls, server endpoint, profile qemu): ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("lint output lacks %q:\n%s", want, out)
		}
	}
	out = runOut(1, "lint", "--format", "json", "--kube-secrets", list)
	if !strings.Contains(out, `"file": "secret:prod/old-tls/tls.key"`) {
		t.Errorf("the JSON finding does not name the Secret's key:\n%s", out)
	}
	out = runOut(0, "inspect", "--kube-secrets", list)
	if !strings.Contains(out, "secret:prod/web-tls/tls.crt") {
		t.Errorf("inspect does not list the Secret's files:\n%s", out)
	}
	runOut(0, "pair", "--kube-secrets", list, "--server", "secret:prod/web-tls", "--client", client)
	runOut(1, "pair", "--kube-secrets", list, "--server", "secret:prod/old-tls", "--client", client)
	out = runOut(2, "pair", "--kube-secrets", list, "--server", "secret:prod/none", "--client", client)
	if !strings.Contains(out, "no such TLS Secret") {
		t.Errorf("a missing Secret: %s", out)
	}
}
