package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseQEMUConf(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "qemu.conf")
	os.WriteFile(conf, []byte(`# libvirt qemu.conf
default_tls_x509_cert_dir = "/etc/pki/qemu"
vnc_tls_x509_cert_dir = "/etc/pki/libvirt-vnc"
#spice_tls_x509_cert_dir = "/etc/pki/libvirt-spice"
migrate_tls_x509_cert_dir = "/etc/pki/migrate"
vnc_listen = "0.0.0.0"
`), 0o644)
	got, err := ParseQEMUConf(conf, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, d.Dir+" "+string(d.Endpoint)+" "+strings.Join(d.Services, ","))
	}
	want := []string{
		"/etc/pki/libvirt-vnc server vnc",
		"/etc/pki/migrate client migrate",
		"/etc/pki/migrate server migrate",
		"/etc/pki/qemu client chardev,nbd",
		"/etc/pki/qemu server spice,chardev,backup",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	os.WriteFile(conf, []byte("vnc_tls_x509_cert_dir = /no/quotes\n"), 0o644)
	if _, err := ParseQEMUConf(conf, nil); err == nil || !strings.Contains(err.Error(), "qemu.conf:1") {
		t.Errorf("unquoted value: %v", err)
	}
}
