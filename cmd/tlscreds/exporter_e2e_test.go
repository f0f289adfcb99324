package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// freeAddr returns a loopback address nobody listens on (just now).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startDaemon starts a real program, stopped (and waited for) when the
// test ends.
func startDaemon(t *testing.T, name string, args ...string) {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install Debian's prometheus and prometheus-node-exporter packages (make deps)", name)
	}
	cmd := exec.Command(path, args...)
	log, _ := os.Create(filepath.Join(t.TempDir(), name+".log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("%s log:\n%s", name, b)
		}
		log.Close()
	})
}

// promQuery asks Prometheus's HTTP API for an instant vector and returns
// the values of its series.
func promQuery(t *testing.T, prom, query string) []float64 {
	t.Helper()
	resp, err := http.Get("http://" + prom + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Status != "success" {
		return nil
	}
	var out []float64
	for _, s := range r.Data.Result {
		v, _ := strconv.ParseFloat(fmt.Sprint(s.Value[1]), 64)
		out = append(out, v)
	}
	return out
}

// eventually waits (bounded) until query has exactly one series of value
// want.
func eventually(t *testing.T, prom, query string, want float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var got []float64
	for time.Now().Before(deadline) {
		if got = promQuery(t, prom, query); len(got) == 1 && got[0] == want {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s = %v, want one series of %v", query, got, want)
}

// secretList is a Secret list as `kubectl get secret -o yaml` prints it.
func secretList(t *testing.T, secrets map[string]map[string][]byte) []byte {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nitems:\n")
	for _, name := range []string{"old-tls", "web-tls"} {
		data, ok := secrets[name]
		if !ok {
			continue
		}
		b.WriteString("- apiVersion: v1\n  data:\n")
		for _, k := range []string{"ca.crt", "tls.crt", "tls.key"} {
			fmt.Fprintf(&b, "    %s: %s\n", k, base64.StdEncoding.EncodeToString(data[k]))
		}
		fmt.Fprintf(&b, "  kind: Secret\n  metadata:\n    name: %s\n    namespace: prod\n  type: kubernetes.io/tls\n", name)
	}
	b.WriteString("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
	return []byte(b.String())
}

func tlsFiles(t *testing.T, c, root *fixtures.Cert) map[string][]byte {
	t.Helper()
	key, err := c.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"tls.crt": c.ChainPEM(), "tls.key": key, "ca.crt": root.CertPEM()}
}

// TestExporterEndToEnd runs the real Prometheus (Debian's) scraping
// `tlscreds exporter` over a generated fleet of credential directories, a
// mounted Secret volume and a kubectl Secret list, and the real
// node_exporter reading `tlscreds lint --format prometheus --output`'s
// textfile; it queries Prometheus's HTTP API for the series, then rotates
// a bad set into a good directory and a Secret volume to an expired
// certificate, and sees both change.
func TestExporterEndToEnd(t *testing.T) {
	g := fixtures.New(time.Now())
	work := t.TempDir()
	fleet := filepath.Join(work, "fleet")
	write := func(dir, set string) {
		t.Helper()
		path := filepath.Join(fleet, dir)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if w, ok := fixtures.GoodSets()[set]; ok {
			if err := w(g, path); err != nil {
				t.Fatal(err)
			}
			return
		}
		b, ok := fixtures.LookupBroken(set)
		if !ok {
			t.Fatalf("no broken set %s", set)
		}
		if err := b.Write(g, path); err != nil {
			t.Fatal(err)
		}
	}
	write("hv1/qemu", "cert-expired")
	write("hv2/qemu", "key-mismatch")
	write("hv3/qemu", "crl-expired")
	write("hv4/qemu", "server-with-crl")
	good, _ := g.PKI(fixtures.PKIOptions{})
	expired, err := g.Server(good.Root, fixtures.Spec{DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := fixtures.WriteSecretVolume(filepath.Join(fleet, "k8s/web"), tlsFiles(t, good.Server, good.Root)); err != nil {
		t.Fatal(err)
	}
	secrets := filepath.Join(work, "secrets.yaml")
	os.WriteFile(secrets, secretList(t, map[string]map[string][]byte{
		"web-tls": tlsFiles(t, good.Server, good.Root), "old-tls": tlsFiles(t, expired, good.Root)}), 0o644)

	// The one-shot textfile for node_exporter.
	textDir := filepath.Join(work, "textfile")
	os.Mkdir(textDir, 0o755)
	if code := run([]string{"tlscreds", "lint", "-r", fleet, "--format", "prometheus", "--output", filepath.Join(textDir, "tlscreds.prom")}, io.Discard, io.Discard); code != 1 {
		t.Fatalf("lint --format prometheus exited %d, want 1 (the fleet has errors)", code)
	}

	// The exporter, in this process.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(io.Discard, pw).RunContext(ctx, []string{"tlscreds", "exporter", "--listen", "127.0.0.1:0",
			"--kube-secrets", secrets, "--poll", "200ms", "--interval", "1m", "-r", fleet})
		pw.Close()
	}()
	var exitErr error
	stopped := false
	stop := func() error {
		if !stopped {
			cancel()
			exitErr, stopped = <-done, true
		}
		return exitErr
	}
	defer stop()
	sc := bufio.NewScanner(pr)
	var exporter string
	for sc.Scan() {
		if m := regexp.MustCompile(`serving http://(127\.0\.0\.1:\d+)/metrics`).FindStringSubmatch(sc.Text()); m != nil {
			exporter = m[1]
			break
		}
	}
	if exporter == "" {
		t.Fatalf("the exporter did not say where it listens: %v", stop())
	}
	go io.Copy(io.Discard, pr)

	node := freeAddr(t)
	startDaemon(t, "prometheus-node-exporter", "--web.listen-address="+node, "--collector.disable-defaults",
		"--collector.textfile", "--collector.textfile.directory="+textDir)
	prom := freeAddr(t)
	config := filepath.Join(work, "prometheus.yml")
	os.WriteFile(config, []byte(fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: tlscreds
    static_configs: [{targets: ["%s"]}]
  - job_name: node
    static_configs: [{targets: ["%s"]}]
`, exporter, node)), 0o644)
	startDaemon(t, "prometheus", "--config.file="+config, "--storage.tsdb.path="+filepath.Join(work, "tsdb"),
		"--web.listen-address="+prom, "--log.level=warn")

	eventually(t, prom, `up{job="tlscreds"}`, 1)
	eventually(t, prom, `up{job="node"}`, 1)
	// An expired certificate, a key mismatch, a stale CRL, a good set.
	eventually(t, prom, `x509_cert_expired{job="tlscreds",filepath=~".*/hv1/qemu/server-cert.pem"}`, 1)
	eventually(t, prom, `tlscreds_lint_findings{job="tlscreds",object="hv2/qemu",rule="key-mismatch",severity="error"}`, 1)
	eventually(t, prom, `tlscreds_object_status{job="tlscreds",object="hv2/qemu"}`, 2)
	eventually(t, prom, `x509_crl_stale{job="tlscreds",filepath=~".*/hv3/qemu/ca-crl.pem"}`, 1)
	eventually(t, prom, `tlscreds_object_status{job="tlscreds",object="hv4/qemu"}`, 0)
	eventually(t, prom, `x509_crl_stale{job="tlscreds",filepath=~".*/hv4/qemu/ca-crl.pem"}`, 0)
	eventually(t, prom, `count(tlscreds_lint_findings{job="tlscreds",object="hv4/qemu"}) or vector(0)`, 0)
	// The Secrets: from the kubectl list and from the mounted volume.
	eventually(t, prom, `x509_cert_expired{job="tlscreds",secret_namespace="prod",secret_name="old-tls",secret_key="tls.crt"}`, 1)
	eventually(t, prom, `x509_cert_expired{job="tlscreds",secret_namespace="prod",secret_name="web-tls",secret_key="tls.crt"}`, 0)
	eventually(t, prom, `tlscreds_object_status{job="tlscreds",object="k8s/web"}`, 0)
	eventually(t, prom, `x509_source_up{job="tlscreds",source_kind="kube-secret"}`, 1)
	// node_exporter read the textfile.
	eventually(t, prom, `node_textfile_scrape_error{job="node"}`, 0)
	eventually(t, prom, `tlscreds_object_status{job="node",object="hv2/qemu"}`, 2)
	eventually(t, prom, `x509_cert_expired{job="node",filepath=~".*/hv1/qemu/server-cert.pem"}`, 1)

	// Rotation: a key-mismatched set lands in the good directory, and
	// the Secret volume is swapped to an expired certificate.
	write("hv4/qemu", "key-mismatch")
	if err := fixtures.WriteSecretVolume(filepath.Join(fleet, "k8s/web"), tlsFiles(t, expired, good.Root)); err != nil {
		t.Fatal(err)
	}
	eventually(t, prom, `tlscreds_lint_findings{job="tlscreds",object="hv4/qemu",rule="key-mismatch",severity="error"}`, 1)
	eventually(t, prom, `tlscreds_object_status{job="tlscreds",object="hv4/qemu"}`, 2)
	eventually(t, prom, `x509_cert_expired{job="tlscreds",filepath=~".*/k8s/web/tls.crt"}`, 1)
}
