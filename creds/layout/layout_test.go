package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  Name
		err   string
	}{
		{"qemu server", []string{"ca-cert.pem", "server-cert.pem", "server-key.pem"}, QEMU, ""},
		{"qemu client only CA", []string{"ca-cert.pem"}, QEMU, ""},
		{"qemu extra identity", []string{"ca-cert.pem", "server-cert-0.pem", "server-key-0.pem"}, QEMU, ""},
		{"libvirt", []string{"cacert.pem", "servercert.pem", "serverkey.pem", "cacrl.pem"}, Libvirt, ""},
		{"kubernetes", []string{"ca.crt", "tls.crt", "tls.key"}, Kubernetes, ""},
		{"mixed prefers most", []string{"ca-cert.pem", "tls.crt", "tls.key"}, Kubernetes, ""},
		{"empty", nil, "", "no credential files found"},
		{"unrelated", []string{"README", "cert.pem"}, "", "no credential files found"},
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
			wantServer := strings.Contains(tt.name, "server") || strings.Contains(tt.name, "extra") ||
				tt.want == Libvirt || tt.want == Kubernetes || tt.name == "mixed prefers most"
			if d.Server != wantServer {
				t.Errorf("Detect().Server = %v, want %v", d.Server, wantServer)
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
