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

// TestParseQEMUConfLongLines: libvirt 9.0 parses past a 70,000-character
// comment and reads a 70,000-character value (measured with libvirtd in
// session mode); so does ParseQEMUConf, instead of stopping silently at
// the 64 KiB line bufio.Scanner allows. A file over libvirt's 10 MiB is
// refused, naming it.
func TestParseQEMUConfLongLines(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "qemu.conf")
	long := "/" + strings.Repeat("y", 70_000)
	os.WriteFile(conf, []byte("#"+strings.Repeat("x", 70_000)+"\nvnc_tls_x509_cert_dir = \"/etc/pki/vnc\"\nspice_tls_x509_cert_dir = \""+long+"\"\n"), 0o644)
	got, err := ParseQEMUConf(conf, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, d := range got {
		found[d.Dir] = true
	}
	if !found["/etc/pki/vnc"] || !found[long] {
		t.Errorf("the settings after and on a long line were not read: %d dirs", len(got))
	}
	big := filepath.Join(dir, "big.conf")
	os.WriteFile(big, []byte("#"+strings.Repeat("x", MaxQEMUConfSize)+"\n"), 0o644)
	if _, err := ParseQEMUConf(big, nil); err == nil || !strings.Contains(err.Error(), big) {
		t.Errorf("a qemu.conf over 10 MiB: %v, want an error naming it", err)
	}
}

// FuzzParseQEMUConf: no qemu.conf panics, and every directory found is
// one of the file's own quoted values or libvirt's default.
func FuzzParseQEMUConf(f *testing.F) {
	f.Add([]byte("vnc_tls_x509_cert_dir = \"/etc/pki/vnc\"\n"))
	f.Add([]byte("default_tls_x509_cert_dir=\"\"\r\nspice_tls_x509_cert_dir = /x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dirs, err := parseQEMUConf("fuzz.conf", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.conf:") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, d := range dirs {
			if d.Dir != "/etc/pki/qemu" && !strings.Contains(string(data), `"`+d.Dir+`"`) {
				t.Fatalf("directory %q is not in the file", d.Dir)
			}
		}
	})
}
