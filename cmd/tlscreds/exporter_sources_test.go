package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

// scrapeSeries fetches /metrics and returns its sample lines.
func scrapeSeries(t *testing.T, addr string) []string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(body), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// seriesValue is the value of the one sample of name whose labels
// include every want (`label="value"`), "" when there is none.
func seriesValue(t *testing.T, lines []string, name string, want ...string) string {
	t.Helper()
	var found []string
	for _, l := range lines {
		if !strings.HasPrefix(l, name+"{") {
			continue
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(l, w)
		}
		if ok {
			found = append(found, l[strings.LastIndexByte(l, ' ')+1:])
		}
	}
	if len(found) > 1 {
		t.Errorf("%s%v: %d series, want one", name, want, len(found))
	}
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

// TestExporterManifestAndQEMUConf runs the exporter over a manifest and a
// libvirt qemu.conf (real generated credential directories, a good one
// and one whose key belongs to another certificate) and asserts the
// series each source yields, by the objects' identities.
func TestExporterManifestAndQEMUConf(t *testing.T) {
	root := t.TempDir()
	g := fixtures.New(time.Now())
	good, bad, both := filepath.Join(root, "good"), filepath.Join(root, "bad"), filepath.Join(root, "qemu")
	if err := fixtures.GoodSets()["server-ecdsa"](g, good); err != nil {
		t.Fatal(err)
	}
	b, ok := fixtures.LookupBroken("key-mismatch")
	if !ok {
		t.Fatal("no broken set key-mismatch")
	}
	if err := b.Write(g, bad); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.GoodSets()["server-ecdsa"](g, both); err != nil {
		t.Fatal(err)
	}
	man := filepath.Join(root, "fleet.yaml")
	os.WriteFile(man, []byte(fmt.Sprintf("objects:\n  - {id: web, endpoint: server, dir: %q}\n  - {id: broken, endpoint: server, dir: %q}\n", good, bad)), 0o644)
	conf := filepath.Join(root, "qemu.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("default_tls_x509_cert_dir = %q\nvnc_tls_x509_cert_dir = %q\n", both, bad)), 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(io.Discard, pw).RunContext(ctx, []string{"tlscreds", "exporter", "--listen", "127.0.0.1:0",
			"--manifest", man, "--libvirt-qemu-conf", conf, "--poll", "200ms", "--interval", "1m"})
		pw.Close()
	}()
	defer func() { cancel(); <-done }()
	sc := bufio.NewScanner(pr)
	var addr string
	for sc.Scan() {
		if m := regexp.MustCompile(`serving http://(127\.0\.0\.1:\d+)/metrics`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatal("the exporter did not say where it listens")
	}
	go io.Copy(io.Discard, pr)

	var lines []string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		lines = scrapeSeries(t, addr)
		if seriesValue(t, lines, "tlscreds_exporter_last_check_timestamp_seconds") != "" || strings.Contains(strings.Join(lines, "\n"), "tlscreds_exporter_last_check_timestamp_seconds ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no check finished in 30 s:\n%s", strings.Join(lines, "\n"))
		}
	}
	for _, src := range []string{man, conf} {
		if v := seriesValue(t, lines, "x509_source_up", `source_name="`+src+`"`); v != "1" {
			t.Errorf("x509_source_up{source_name=%s} = %q, want 1", src, v)
		}
	}
	for _, c := range []struct{ object, status string }{
		{"web", "0"}, {"broken", "2"}, // the manifest's, by their ids
		{"vnc-server", "2"}, {"chardev_migrate_backup-server", "0"}, // qemu.conf's, by service and endpoint
	} {
		if v := seriesValue(t, lines, "tlscreds_object_status", `object="`+c.object+`"`); v != c.status {
			t.Errorf("tlscreds_object_status{object=%q} = %q, want %s\n%s", c.object, v, c.status, strings.Join(lines, "\n"))
		}
	}
	for _, object := range []string{"broken", "vnc-server"} {
		if v := seriesValue(t, lines, "tlscreds_lint_findings", `object="`+object+`"`, `rule="key-mismatch"`, `severity="error"`); v != "1" {
			t.Errorf("tlscreds_lint_findings{object=%q,rule=key-mismatch} = %q, want 1", object, v)
		}
	}
	if v := seriesValue(t, lines, "x509_cert_not_after", `filepath="`+filepath.Join(good, "server-cert.pem")+`"`); v == "" {
		t.Errorf("no x509_cert_not_after for the manifest's %s", filepath.Join(good, "server-cert.pem"))
	}
	if v := seriesValue(t, lines, "tlscreds_cert_info", `object="chardev_migrate_backup-server"`, `role="leaf"`); v != "1" {
		t.Errorf("tlscreds_cert_info of qemu.conf's default directory's leaf = %q, want 1", v)
	}
}
