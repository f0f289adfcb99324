package access

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestAbsoluteLinkResolvesInsideRoot: under a root prefix, an absolute
// link points into the prefix, and the directories on the way there are
// the prefix's, not the host's.
func TestAbsoluteLinkResolvesInsideRoot(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "etc/pki/CA"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "etc/pki/qemu"), 0o755))
	must(os.WriteFile(filepath.Join(root, "etc/pki/CA/cacert.pem"), []byte("x"), 0o644))
	must(os.Symlink("/etc/pki/CA/cacert.pem", filepath.Join(root, "etc/pki/qemu/ca-cert.pem")))
	must(os.Chmod(root, 0o755))
	u := User{Name: "svc", UID: 4242, GID: 4242}
	link := filepath.Join(root, "etc/pki/qemu/ca-cert.pem")
	if err := CanRead(root, link, u); err != nil {
		t.Fatalf("readable through the link inside the root: %v", err)
	}
	must(os.Chmod(filepath.Join(root, "etc/pki/CA"), 0o700))
	var d *Denial
	if err := CanRead(root, link, u); !errors.As(err, &d) || d.Path != filepath.Join(root, "etc/pki/CA") || !d.Dir {
		t.Fatalf("want a denial naming %s/etc/pki/CA, got %v", root, err)
	}
	if d.Fix != "chmod o+x "+filepath.Join(root, "etc/pki/CA") {
		t.Errorf("fix %q", d.Fix)
	}
	// Root reads whatever the modes say.
	if err := CanRead(root, link, User{Name: "root"}); err != nil {
		t.Errorf("root: %v", err)
	}
}

func TestParseACLAndDecide(t *testing.T) {
	// version 2; user_obj rw, user 4242 r, group_obj -, mask r, other -
	b := []byte{2, 0, 0, 0,
		1, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,
		2, 0, 4, 0, 0x92, 0x10, 0, 0,
		4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
		0x10, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
		0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}
	acl, err := parseACL(b)
	if err != nil || len(acl) != 5 {
		t.Fatalf("parseACL: %v %v", acl, err)
	}
	st := statOf(0, 0)
	if ok, _ := decide(st, 0o600, acl, User{UID: 4242, GID: 1}, 4); !ok {
		t.Error("the named user may read")
	}
	if ok, _ := decide(st, 0o600, acl, User{UID: 4243, GID: 1}, 4); ok {
		t.Error("another user may not")
	}
	acl[3].perm = 0 // mask ---
	if ok, _ := decide(st, 0o600, acl, User{UID: 4242, GID: 1}, 4); ok {
		t.Error("the mask limits the named user")
	}
	if ok, _ := decide(st, 0o640, nil, User{UID: 5, GID: 9, Groups: []uint32{0}}, 4); !ok {
		t.Error("a supplementary member of the file's group may read at 0640")
	}
}

func TestLookupUser(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("qemu:x:64055:64055::/:/bin/false\n"), 0o644)
	_ = os.WriteFile(filepath.Join(root, "etc/group"), []byte("qemu:x:64055:\nkvm:x:108:qemu\n"), 0o644)
	u, err := LookupUser(root, "qemu")
	if err != nil || u.UID != 64055 || u.GroupName != "qemu" || len(u.Groups) != 1 || u.Groups[0] != 108 {
		t.Fatalf("%+v %v", u, err)
	}
	if _, err := LookupUser(root, "nobody"); err == nil {
		t.Error("an unknown user must be an error")
	}
}
