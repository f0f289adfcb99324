package lint

import (
	"errors"
	"strings"
	"testing"
)

func TestParseProfile(t *testing.T) {
	tests := []struct {
		in        string
		want      Profile
		canonical Profile
		note      string // substring of the note, "" for none
	}{
		{"", ProfileQEMU, ProfileQEMU1020, ""},
		{"qemu", ProfileQEMU, ProfileQEMU1020, ""},
		{"qemu-legacy", ProfileQEMULegacy, ProfileQEMU72, ""},
		{"libvirt", ProfileLibvirt, ProfileLibvirt, ""},
		{"qemu-10.1.0", ProfileQEMU1010, ProfileQEMU1010, ""},
		{"10.2.0", ProfileQEMU1020, ProfileQEMU1020, ""},
		{"10.0.7", ProfileQEMU1000, ProfileQEMU1000, "should no longer require keyEncipherment"},
		{"qemu-10.1.2", ProfileQEMU1010, ProfileQEMU1010, "should no longer require keyEncipherment"},
		{"10.3", ProfileQEMU1020, ProfileQEMU1020, "is not proven"},
		{"qemu-9.2.0", ProfileQEMU72, ProfileQEMU72, "upstream builds before 10.0.7 require keyEncipherment"},
	}
	for _, tt := range tests {
		p, note, err := ParseProfile(tt.in)
		if err != nil || p != tt.want || p.Canonical() != tt.canonical {
			t.Errorf("ParseProfile(%q) = %q (%q), %v; want %q (%q)", tt.in, p, p.Canonical(), err, tt.want, tt.canonical)
		}
		if (tt.note == "") != (note == "") || !strings.Contains(note, tt.note) {
			t.Errorf("ParseProfile(%q) note %q, want one with %q", tt.in, note, tt.note)
		}
	}
	for _, bad := range []string{"qemu9", "qemu-9", "10", "x.y.z", "1.2.3.4"} {
		if _, _, err := ParseProfile(bad); !errors.Is(err, ErrUnknownProfile) {
			t.Errorf("ParseProfile(%q) err = %v, want ErrUnknownProfile", bad, err)
		}
	}
}

func TestDetectQEMU(t *testing.T) {
	for _, b := range QEMUBuilds {
		p, note, err := DetectQEMU(b.Proven + "\n")
		if err != nil || p != b.Profile || note != "" {
			t.Errorf("DetectQEMU(%q) = %q, %q, %v; want %q exactly", b.Proven, p, note, err, b.Profile)
		}
	}
	tests := []struct{ line, want, note string }{
		{"qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u19)", string(ProfileQEMU72), "not a proven build string"},
		{"qemu-img version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)", string(ProfileQEMU72), "which Debian update backported"},
		{"QEMU emulator version 10.1.3", string(ProfileQEMU1010), "should no longer require keyEncipherment"},
		{"qemu-img version 11.0.0", string(ProfileQEMU1020), "is not proven"},
	}
	for _, tt := range tests {
		p, note, err := DetectQEMU(tt.line)
		if err != nil || string(p) != tt.want || !strings.Contains(note, tt.note) {
			t.Errorf("DetectQEMU(%q) = %q, %q, %v; want %s with a note about %q", tt.line, p, note, err, tt.want, tt.note)
		}
	}
	if _, _, err := DetectQEMU("bash: qemu-img: command not found"); err == nil {
		t.Error("a line without a version was read")
	}
}

// TestSeverityPerVersion: the versions differ where they were measured to.
func TestSeverityPerVersion(t *testing.T) {
	ke, _ := Lookup("leaf-key-usage-no-key-encipherment")
	for p, want := range map[Profile]Severity{ProfileQEMU1020: Info, ProfileQEMU1010: Error, ProfileQEMU1000: Error, ProfileQEMU72: Warning, ProfileQEMU: Info, ProfileQEMULegacy: Warning} {
		if got := ke.SeverityIn(p); got != want {
			t.Errorf("keyEncipherment in %s: %v, want %v", p, got, want)
		}
	}
	rsa, _ := Lookup("key-rsa-too-small")
	if rsa.SeverityIn(ProfileQEMU) != Warning || rsa.ClassOf(ProfileQEMU) != ClassPeersRefuse {
		t.Errorf("key-rsa-too-small in qemu: %v %v, want a peers-refuse warning", rsa.SeverityIn(ProfileQEMU), rsa.ClassOf(ProfileQEMU))
	}
}
