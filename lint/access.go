package lint

import (
	"fmt"
	"path/filepath"
	"strings"
)

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
