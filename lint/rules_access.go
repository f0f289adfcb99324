package lint

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds/access"
)

// The service user's view: QEMU and libvirt read the credentials as a
// service user (qemu, libvirt-qemu, root). With Options.AsUser set, every
// file the object has is checked for that user from the modes, owners,
// groups and POSIX ACLs of the file and of each directory on its path
// (see package access); a directory that blocks several files is reported
// once, naming the directory.
var _ = register(&Rule{
	ID: "file-unreadable-as-user", Severity: Error, Subject: SubjectFile,
	Class:    ClassRefused,
	Summary:  "the service user (--as-user) cannot read a credential file: the file's mode, owner, group or ACL, or a directory on its path, refuses it",
	Citation: "POSIX permission check (modes, groups, ACLs) on each path component; QEMU access(R_OK); libvirt 9.0 \"Error while reading file.\" (measured as nobody)",
	QEMU:     "Unable to access credentials %s: Permission denied",
	Fix:      "grant the user read on the file and search on each directory (the finding gives the command); AppArmor or SELinux may still refuse what the modes allow",
	check:    checkAsUser,
})

func checkAsUser(c *Context, r *Rule) {
	u := c.Opts.AsUser
	if u == nil {
		return
	}
	blockedDirs := map[string][]string{}
	var dirOrder []string
	dirFix := map[string]*access.Denial{}
	firstFile := map[string]string{}
	for _, f := range c.M.Files {
		if !f.Present || f.Info == nil {
			continue
		}
		err := access.CanRead(c.Opts.Root, f.Path, *u)
		var d *access.Denial
		switch {
		case err == nil:
		case errors.As(err, &d) && d.Dir:
			if _, seen := blockedDirs[d.Path]; !seen {
				dirOrder = append(dirOrder, d.Path)
				dirFix[d.Path] = d
				firstFile[d.Path] = f.Path
			}
			blockedDirs[d.Path] = append(blockedDirs[d.Path], filepath.Base(f.Path))
		case errors.As(err, &d):
			c.add(r, f.Path, "%s (uid %d) cannot read %s: %s", u.Name, u.UID, filepath.Base(f.Path), d.Why)
			c.results[len(c.results)-1].Fix = d.Fix
		default:
			c.add(r, f.Path, "%s (uid %d) cannot reach %s: %v", u.Name, u.UID, filepath.Base(f.Path), err)
		}
	}
	for _, dir := range dirOrder {
		d := dirFix[dir]
		c.add(r, firstFile[dir], "%s (uid %d) cannot search the directory %s: %s; so it cannot read %s", u.Name, u.UID, dir, d.Why, strings.Join(blockedDirs[dir], ", "))
		c.results[len(c.results)-1].Fix = d.Fix
	}
}

// AsUserNote is what --as-user cannot see: mandatory access control.
// It names what is installed below root, or returns "".
func AsUserNote(root string) string {
	if root == "" {
		root = "/"
	}
	var found []string
	for _, p := range []string{"etc/apparmor.d/abstractions/libvirt-qemu", "etc/apparmor.d/usr.sbin.libvirtd", "etc/selinux/config"} {
		if exists(filepath.Join(root, p)) {
			found = append(found, filepath.Join(root, p))
		}
	}
	if len(found) == 0 {
		return ""
	}
	return fmt.Sprintf("--as-user judges modes, owners, groups and ACLs only; %s exist(s): AppArmor or SELinux may still refuse what the modes allow (QEMU's AppArmor profile confines it to the paths it lists)", strings.Join(found, ", "))
}
