package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name     string
		files    []string
		want     Name
		endpoint Role
		err      string
	}{
		{"qemu server", []string{"ca-cert.pem", "server-cert.pem", "server-key.pem"}, QEMU, Server, ""},
		{"qemu server key only", []string{"ca-cert.pem", "server-key.pem"}, QEMU, Server, ""},
		{"qemu client only CA", []string{"ca-cert.pem"}, QEMU, Client, ""},
		{"qemu client", []string{"ca-cert.pem", "client-cert.pem", "client-key.pem"}, QEMU, Client, ""},
		// QEMU ignores ca-crl.pem as a client: a client directory holding
		// one is still a client's.
		{"qemu client with CRL", []string{"ca-cert.pem", "ca-crl.pem", "client-cert.pem", "client-key.pem"}, QEMU, Client, ""},
		// Only a QEMU server reads ca-crl.pem: with no identity at all,
		// the directory is a server's that lacks its identity.
		{"qemu CRL and no identity", []string{"ca-cert.pem", "ca-crl.pem"}, QEMU, Server, ""},
		{"qemu extra identity", []string{"ca-cert.pem", "server-cert-0.pem", "server-key-0.pem"}, QEMU, Server, ""},
		{"libvirt", []string{"cacert.pem", "servercert.pem", "serverkey.pem", "cacrl.pem"}, Libvirt, Server, ""},
		// libvirt reads cacrl.pem on both sides.
		{"libvirt CRL and no identity", []string{"cacert.pem", "cacrl.pem"}, Libvirt, Client, ""},
		{"kubernetes", []string{"ca.crt", "tls.crt", "tls.key"}, Kubernetes, Server, ""},
		{"kubernetes CA only", []string{"ca.crt"}, Kubernetes, Client, ""},
		{"mixed prefers most", []string{"ca-cert.pem", "tls.crt", "tls.key"}, Kubernetes, Server, ""},
		{"empty", nil, "", "", "no credential files found"},
		{"unrelated", []string{"README", "cert.pem"}, "", "", "no credential files found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, err := Detect(dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Detect() error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Layout != tt.want {
				t.Errorf("Detect() = %s, want %s (%s)", d.Layout, tt.want, d.Reason)
			}
			if d.Endpoint != tt.endpoint || d.EndpointReason == "" {
				t.Errorf("Detect().Endpoint = %s (%s), want %s", d.Endpoint, d.EndpointReason, tt.endpoint)
			}
		})
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Name{"": QEMU, "qemu": QEMU, "LIBVIRT": Libvirt, "kubernetes": Kubernetes} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Parse("k8s"); err == nil || !strings.Contains(err.Error(), "want qemu, libvirt or kubernetes") {
		t.Errorf("Parse(k8s) error = %v", err)
	}
}

func TestFilesNames(t *testing.T) {
	q := Of(QEMU)
	if q.Cert(Server) != "server-cert.pem" || q.Key(Client) != "client-key.pem" {
		t.Errorf("QEMU names wrong: %+v", q)
	}
	if got := q.ExtraCert(Server, 3); got != "server-cert-3.pem" {
		t.Errorf("ExtraCert(server, 3) = %q", got)
	}
	if got := q.ExtraCert(Server, 4); got != "" {
		t.Errorf("ExtraCert(server, 4) = %q, want none (QEMU allows 4 extra identities)", got)
	}
	k := Of(Kubernetes)
	names := strings.Join(k.Names(), " ")
	if strings.Count(names, "tls.crt") != 1 {
		t.Errorf("Kubernetes names repeat tls.crt: %s", names)
	}
}
