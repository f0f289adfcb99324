package lint

import (
	"fmt"
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
		lines = append(lines, fmt.Sprintf("%s %s %s verify=%v %s", d.Dir, d.Endpoint, strings.Join(d.Services, ","), d.Verify, d.SecretUUID))
	}
	// libvirt 9.0's defaults (Debian 12's qemu.conf): VNC and SPICE do not
	// verify clients, chardev, migration and backup do.
	want := []string{
		"/etc/pki/libvirt-vnc server vnc verify=false ",
		"/etc/pki/migrate client migrate verify=true ",
		"/etc/pki/migrate server migrate verify=true ",
		"/etc/pki/qemu client chardev,nbd verify=true ",
		"/etc/pki/qemu server chardev,backup verify=true ",
		"/etc/pki/qemu server spice verify=false ",
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

// TestQEMUConfVerifyAndSecret: *_tls_x509_verify overrides
// default_tls_x509_verify, which overrides each service's default, and
// *_tls_x509_secret_uuid (or the default one) travels with the object.
func TestQEMUConfVerifyAndSecret(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "qemu.conf")
	os.WriteFile(conf, []byte(`default_tls_x509_verify = 0
migrate_tls_x509_verify = 1
vnc_tls_x509_cert_dir = "/etc/pki/libvirt-vnc"
default_tls_x509_secret_uuid = "11111111-2222-3333-4444-555555555555"
vnc_tls_x509_secret_uuid = "99999999-2222-3333-4444-555555555555"
`), 0o644)
	got, err := ParseQEMUConf(conf, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s verify=%v %s", d.Dir, d.Endpoint, strings.Join(d.Services, ","), d.Verify, d.SecretUUID))
	}
	want := []string{
		"/etc/pki/libvirt-vnc server vnc verify=false 99999999-2222-3333-4444-555555555555",
		"/etc/pki/qemu client chardev,migrate,nbd verify=true 11111111-2222-3333-4444-555555555555",
		"/etc/pki/qemu server migrate verify=true 11111111-2222-3333-4444-555555555555",
		"/etc/pki/qemu server spice,chardev,backup verify=false 11111111-2222-3333-4444-555555555555",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	os.WriteFile(conf, []byte("vnc_tls_x509_verify = yes\n"), 0o644)
	if _, err := ParseQEMUConf(conf, nil); err == nil || !strings.Contains(err.Error(), "want 0 or 1") {
		t.Errorf("bad verify: %v", err)
	}
}
