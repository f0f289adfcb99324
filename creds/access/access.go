// Package access decides whether a user can read a file, from the modes,
// owners, groups and POSIX ACLs of the file and of every directory on its
// path, without becoming that user: what a service user (qemu,
// libvirt-qemu, nobody) will meet when it opens its credentials.
//
// Users and groups come from ROOT/etc/passwd and ROOT/etc/group, so a
// mounted image is judged by its own accounts, and absolute symbolic links
// are resolved inside ROOT. Mandatory access control (AppArmor, SELinux)
// is not evaluated: it can still refuse what the modes allow.
package access

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// User is an account as its passwd and group entries describe it.
type User struct {
	Name   string
	UID    uint32
	GID    uint32   // primary group
	Groups []uint32 // supplementary groups
	// GroupName is the name of the primary group, for fixes.
	GroupName string
}

// inGroup reports whether u is a member of group gid.
func (u User) inGroup(gid uint32) bool {
	if u.GID == gid {
		return true
	}
	for _, g := range u.Groups {
		if g == gid {
			return true
		}
	}
	return false
}

// LookupUser finds name (or a numeric uid) in ROOT/etc/passwd and its
// groups in ROOT/etc/group.
func LookupUser(root, name string) (User, error) {
	if root == "" {
		root = "/"
	}
	passwd := filepath.Join(root, "etc", "passwd")
	data, err := readSmall(passwd)
	if err != nil {
		return User{}, err
	}
	var u User
	found := false
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 4 || strings.HasPrefix(line, "#") {
			continue
		}
		if f[0] == name || f[2] == name {
			uid, err1 := strconv.ParseUint(f[2], 10, 32)
			gid, err2 := strconv.ParseUint(f[3], 10, 32)
			if err1 != nil || err2 != nil {
				return User{}, fmt.Errorf("%s: the entry of %s has no numeric uid and gid", passwd, name)
			}
			u = User{Name: f[0], UID: uint32(uid), GID: uint32(gid)}
			found = true
			break
		}
	}
	if !found {
		return User{}, fmt.Errorf("no user %q in %s", name, passwd)
	}
	group := filepath.Join(root, "etc", "group")
	gdata, err := readSmall(group)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return User{}, err
	}
	for _, line := range strings.Split(string(gdata), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 4 || strings.HasPrefix(line, "#") {
			continue
		}
		gid, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			continue
		}
		if uint32(gid) == u.GID && u.GroupName == "" {
			u.GroupName = f[0]
		}
		for _, m := range strings.Split(f[3], ",") {
			if m == u.Name && uint32(gid) != u.GID {
				u.Groups = append(u.Groups, uint32(gid))
			}
		}
	}
	return u, nil
}

func readSmall(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > 16<<20 {
		return nil, fmt.Errorf("%s: not a regular file of at most 16 MiB", path)
	}
	return os.ReadFile(path)
}

// Denial says why a user cannot read a file: the path (the file itself
// or a directory on the way to it), what was missing, and the command
// that grants it.
type Denial struct {
	Path string
	Dir  bool   // Path is a directory the user cannot search
	Why  string // e.g. "mode 0700 root:root, no search permission for others"
	Fix  string // e.g. "chmod o+x /etc/pki/qemu"
}

func (d *Denial) Error() string { return d.Path + ": " + d.Why }

// maxLinks bounds symbolic links followed while resolving one path.
const maxLinks = 40

// CanRead reports whether u can open path (a path inside root, as the
// host sees it below root) for reading: every directory on the way must
// grant search, the file read. It returns nil when the user can, a
// *Denial when the permissions refuse, and another error when the path
// cannot be resolved. root "" or "/" is this machine.
func CanRead(root, path string, u User) error {
	if root == "" {
		root = "/"
	}
	root = filepath.Clean(root)
	rel, err := filepath.Rel(root, filepath.Clean(absUnder(root, path)))
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("%s is not below the root %s", path, root)
	}
	parts := splitPath(rel)
	cur := root
	if err := checkPerm(cur, u, true); err != nil {
		return err
	}
	links := 0
	for len(parts) > 0 {
		if parts[0] == ".." {
			// up, but never above the root prefix
			if cur != root {
				cur = filepath.Dir(cur)
			}
			parts = parts[1:]
			if len(parts) == 0 {
				return checkPerm(cur, u, true)
			}
			continue
		}
		next := filepath.Join(cur, parts[0])
		parts = parts[1:]
		info, err := os.Lstat(next)
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			links++
			if links > maxLinks {
				return fmt.Errorf("%s: too many levels of symbolic links", path)
			}
			target, err := os.Readlink(next)
			if err != nil {
				return err
			}
			if filepath.IsAbs(target) {
				// absolute links resolve inside the root prefix
				rel, _ := filepath.Rel("/", filepath.Clean(target))
				parts, cur = append(splitPath(rel), parts...), root
			} else {
				parts = append(splitPath(target), parts...)
			}
			continue
		}
		last := len(parts) == 0
		if last {
			return checkPerm(next, u, false)
		}
		if !info.IsDir() {
			return fmt.Errorf("%s: not a directory", next)
		}
		if err := checkPerm(next, u, true); err != nil {
			return err
		}
		cur = next
	}
	return nil
}

// absUnder turns a host path into one below root (a path already below
// root stays as it is). A relative path on the host (root /) is made
// absolute: every directory above the working directory counts too.
func absUnder(root, path string) string {
	if root == "/" && !filepath.IsAbs(path) {
		if abs, err := filepath.Abs(path); err == nil {
			return abs
		}
	}
	if root == "/" || strings.HasPrefix(filepath.Clean(path), root+string(filepath.Separator)) || filepath.Clean(path) == root {
		return path
	}
	if filepath.IsAbs(path) {
		return filepath.Join(root, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	return abs
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(filepath.ToSlash(p), "/") {
		switch s {
		case "", ".":
		default:
			out = append(out, s)
		}
	}
	return out
}

// checkPerm checks search (dir) or read permission on p for u.
func checkPerm(p string, u User, dir bool) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if u.UID == 0 {
		return nil // root reads and searches whatever the modes say
	}
	bit := uint32(4) // r
	what, verb := "read", "r"
	if dir {
		bit, what, verb = 1, "search", "x"
	}
	mode := uint32(info.Mode().Perm())
	acl, _ := readACL(p)
	allowed, class := decide(st, mode, acl, u, bit)
	if allowed {
		return nil
	}
	d := &Denial{Path: p, Dir: dir}
	owner := fmt.Sprintf("%d:%d", st.Uid, st.Gid)
	d.Why = fmt.Sprintf("mode %04o (owner:group %s%s): no %s permission for %s, who is %s", info.Mode().Perm(), owner, aclNote(acl), what, u.Name, class)
	switch {
	case class == "its owner":
		d.Fix = fmt.Sprintf("chmod u+%s %s", verb, p)
	case acl != nil:
		d.Fix = fmt.Sprintf("setfacl -m u:%s:%s %s", u.Name, verb, p)
	case u.inGroup(st.Gid):
		d.Fix = fmt.Sprintf("chmod g+%s %s", verb, p)
	case dir:
		d.Fix = fmt.Sprintf("chmod o+x %s", p)
	default:
		g := u.GroupName
		if g == "" {
			g = strconv.Itoa(int(u.GID))
		}
		d.Fix = fmt.Sprintf("chgrp %s %s && chmod g+r %s", g, p, p)
	}
	return d
}

func aclNote(acl []aclEntry) string {
	if acl == nil {
		return ""
	}
	return ", with a POSIX ACL"
}

// decide applies the POSIX permission check (with ACLs, as
// acl_permission_check does) and says which class the user fell in.
func decide(st *syscall.Stat_t, mode uint32, acl []aclEntry, u User, bit uint32) (bool, string) {
	if u.UID == st.Uid {
		return mode&(bit<<6) != 0, "its owner"
	}
	if acl != nil {
		mask := uint32(7)
		for _, e := range acl {
			if e.tag == aclMask {
				mask = uint32(e.perm)
			}
		}
		for _, e := range acl {
			if e.tag == aclUser && e.id == u.UID {
				return uint32(e.perm)&mask&bit != 0, "named in the ACL"
			}
		}
		groupMatched := false
		for _, e := range acl {
			if (e.tag == aclGroupObj && u.inGroup(st.Gid)) || (e.tag == aclGroup && u.inGroup(e.id)) {
				groupMatched = true
				if uint32(e.perm)&mask&bit != 0 {
					return true, "in a group of the ACL"
				}
			}
		}
		if groupMatched {
			return false, "in a group of the ACL"
		}
		return mode&bit != 0, "neither its owner nor in its group"
	}
	if u.inGroup(st.Gid) {
		return mode&(bit<<3) != 0, "in its group"
	}
	return mode&bit != 0, "neither its owner nor in its group"
}

// POSIX ACL tags (linux/posix_acl_xattr.h).
const (
	aclUserObj  = 0x01
	aclUser     = 0x02
	aclGroupObj = 0x04
	aclGroup    = 0x08
	aclMask     = 0x10
	aclOther    = 0x20
)

type aclEntry struct {
	tag, perm uint16
	id        uint32
}

// readACL reads the access ACL of p (system.posix_acl_access); nil when
// it has none beyond its mode.
func readACL(p string) ([]aclEntry, error) {
	buf := make([]byte, 1024)
	n, err := getxattr(p, "system.posix_acl_access", buf)
	if err != nil || n < 4 {
		return nil, err
	}
	return parseACL(buf[:n])
}

func parseACL(b []byte) ([]aclEntry, error) {
	if len(b) < 4 || le32(b) != 2 || (len(b)-4)%8 != 0 {
		return nil, errors.New("unknown ACL format")
	}
	var out []aclEntry
	for r := bytes.NewReader(b[4:]); r.Len() >= 8; {
		var e [8]byte
		_, _ = r.Read(e[:])
		out = append(out, aclEntry{tag: uint16(e[0]) | uint16(e[1])<<8, perm: uint16(e[2]) | uint16(e[3])<<8, id: le32(e[4:])})
	}
	return out, nil
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
