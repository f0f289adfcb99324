package lint

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/safefile"
)

// LibvirtdConf is what tlscreds reads from libvirtd.conf (or the split
// daemons' virtproxyd.conf, which takes the same TLS settings): the file
// overrides and the settings that change libvirt's verdict.
type LibvirtdConf struct {
	Path                               string
	CAFile, CRLFile, CertFile, KeyFile string
	Settings                           LibvirtSettings
}

// ParseLibvirtdConf reads the TLS settings of a libvirtd.conf. Values are
// libvirt's config syntax: quoted strings, integers and lists of quoted
// strings that may span lines; other settings are skipped.
func ParseLibvirtdConf(path string) (LibvirtdConf, error) {
	c := LibvirtdConf{Path: path}
	data, err := safefile.ReadNamed(path, safefile.Named{})
	if err != nil {
		return c, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	var pending string // a list value spanning lines
	pendingKey := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pendingKey != "" {
			pending += " " + line
			if !strings.Contains(line, "]") {
				continue
			}
			if err := c.set(pendingKey, pending); err != nil {
				return c, fmt.Errorf("%s:%d: %s: %w", path, n, pendingKey, err)
			}
			pendingKey, pending = "", ""
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if strings.HasPrefix(val, "[") && !strings.Contains(val, "]") {
			pendingKey, pending = key, val
			continue
		}
		if err := c.set(key, val); err != nil {
			return c, fmt.Errorf("%s:%d: %s: %w", path, n, key, err)
		}
	}
	if pendingKey != "" {
		return c, fmt.Errorf("%s: %s: the list is not closed with ]", path, pendingKey)
	}
	return c, nil
}

func (c *LibvirtdConf) set(key, val string) error {
	str := func() (string, error) {
		if i := strings.Index(val, "#"); i >= 0 && !strings.HasPrefix(val, "\"") {
			val = strings.TrimSpace(val[:i])
		}
		s, err := strconv.Unquote(strings.TrimSpace(val))
		if err != nil {
			return "", fmt.Errorf("want a quoted string, not %s", val)
		}
		return s, nil
	}
	num := func() (bool, error) {
		f := strings.Fields(val)
		if len(f) == 0 {
			return false, errors.New("empty value")
		}
		n, err := strconv.Atoi(f[0])
		if err != nil {
			return false, fmt.Errorf("want 0 or 1, not %s", val)
		}
		return n != 0, nil
	}
	var err error
	switch key {
	case "ca_file":
		c.CAFile, err = str()
	case "crl_file":
		c.CRLFile, err = str()
	case "cert_file":
		c.CertFile, err = str()
	case "key_file":
		c.KeyFile, err = str()
	case "tls_priority":
		c.Settings.Priority, err = str()
	case "tls_no_sanity_certificate":
		c.Settings.NoSanity, err = num()
	case "tls_no_verify_certificate":
		c.Settings.NoVerify, err = num()
	case "tls_allowed_dn_list":
		inner := strings.TrimSpace(val)
		if !strings.HasPrefix(inner, "[") || !strings.HasSuffix(inner, "]") {
			return fmt.Errorf("want a list [\"...\", ...]")
		}
		rest := strings.TrimSpace(inner[1 : len(inner)-1])
		for rest != "" {
			q, qerr := strconv.QuotedPrefix(rest)
			if qerr != nil {
				return fmt.Errorf("want quoted strings in the list, not %s", rest)
			}
			s, _ := strconv.Unquote(q)
			c.Settings.AllowedDN = append(c.Settings.AllowedDN, s)
			rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest[len(q):]), ","))
		}
	}
	return err
}

// LibvirtHost says where to find a host's libvirt credentials.
type LibvirtHost struct {
	// Root is the root the host's file system is mounted at ("" or "/"
	// for this machine). Absolute paths from libvirtd.conf are taken
	// below it.
	Root string
	// Conf is libvirtd.conf; "" means ROOT/etc/libvirt/libvirtd.conf (or
	// virtproxyd.conf) when it exists.
	Conf string
	// Homes are home directories (below Root) whose per-user layout
	// ($HOME/.pki/libvirt) is checked as a client.
	Homes []string
}

// LibvirtTargets returns the objects libvirt loads on a host, as libvirt
// finds them: the daemon's server identity (libvirtd.conf's ca_file,
// crl_file, cert_file and key_file, else the system layout under
// /etc/pki) and the client's (the system layout, and each per-user
// directory given). Each is linted in the libvirt profile with the
// settings of libvirtd.conf.
func LibvirtTargets(h LibvirtHost) ([]Target, error) {
	root := h.Root
	if root == "" {
		root = "/"
	}
	conf := LibvirtdConf{}
	confPath := h.Conf
	if confPath == "" {
		for _, n := range []string{"libvirtd.conf", "virtproxyd.conf"} {
			p := filepath.Join(root, "etc", "libvirt", n)
			if _, err := os.Stat(p); err == nil {
				confPath = p
				break
			}
		}
	}
	if confPath != "" {
		var err error
		if conf, err = ParseLibvirtdConf(confPath); err != nil {
			return nil, err
		}
	}
	under := func(p string) string {
		if p == "" || root == "/" {
			return p
		}
		return filepath.Join(root, p)
	}
	server := layout.LibvirtSystem(root, layout.Server)
	from := "system layout " + filepath.Join(root, layout.LibvirtSystemBase)
	for _, o := range []struct {
		set  string
		into *string
	}{{conf.CAFile, &server.CA}, {conf.CRLFile, &server.CRL}, {conf.CertFile, &server.Cert}, {conf.KeyFile, &server.Key}} {
		if o.set != "" {
			*o.into = under(o.set)
			from = "system layout with " + confPath + " overrides"
		}
	}
	var targets []Target
	settings := conf.Settings
	// identity is the object's name in reports; the spec's id must be a
	// QEMU identifier, which a home directory is not.
	add := func(identity string, ep creds.Endpoint, p layout.LibvirtPaths, note string) error {
		id, _, _ := strings.Cut(identity, ":")
		t, err := LibvirtTarget(id, ep, p)
		if err != nil {
			return err
		}
		t.Identity = identity
		t.Note = note
		t.Path = filepath.Join(root, layout.LibvirtSystemBase)
		if id != identity {
			t.Path = filepath.Dir(p.Cert)
		}
		s := settings
		t.Libvirt = &s
		targets = append(targets, t)
		return nil
	}
	if server.Present() || conf.CertFile != "" || conf.KeyFile != "" {
		if err := add("libvirt-server", creds.EndpointServer, server, "libvirtd's server identity ("+from+")"); err != nil {
			return nil, err
		}
	}
	client := layout.LibvirtSystem(root, layout.Client)
	if client.Present() || len(targets) == 0 {
		if _, err := os.Stat(client.CA); err == nil || len(targets) == 0 {
			if err := add("libvirt-client", creds.EndpointClient, client, "libvirt clients (virsh, migration) as root: system layout "+filepath.Join(root, layout.LibvirtSystemBase)); err != nil {
				return nil, err
			}
		}
	}
	for _, home := range h.Homes {
		dir := layout.LibvirtUserDir(under(home))
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("%s: %w (the per-user layout of %s)", dir, unwrapPath(err), home)
		}
		p := layout.LibvirtDir(dir, layout.Client)
		// Files missing there come from the system layout, the
		// certificate and key only together (libvirt 9.0).
		sys := layout.LibvirtSystem(root, layout.Client)
		if !exists(p.CA) {
			p.CA = sys.CA
		}
		if !exists(p.CRL) {
			p.CRL = sys.CRL
		}
		if !exists(p.Cert) || !exists(p.Key) {
			p.Cert, p.Key = sys.Cert, sys.Key
		}
		if err := add("libvirt-user-client:"+home, creds.EndpointClient, p, "an unprivileged client of user home "+home+": "+dir+", then the system layout"); err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// LibvirtTarget makes the target of one libvirt role from its four
// files, linted in the libvirt profile.
func LibvirtTarget(id string, ep creds.Endpoint, p layout.LibvirtPaths) (Target, error) {
	sp, err := creds.NewSpec(creds.KindX509, id, "endpoint", string(ep), "layout", "libvirt",
		"ca", p.CA, "crl", p.CRL, "cert", p.Cert, "key", p.Key)
	if err != nil {
		return Target{}, err
	}
	return Target{Spec: sp, Identity: id, Profile: ProfileLibvirt}, nil
}

// LibvirtPKITargets returns the targets of libvirt's system layout when
// path is its base directory (/etc/pki) or one of the directories it
// splits into (CA, libvirt, libvirt/private): those are not credential
// directories on their own, and linting one alone gives false errors.
func LibvirtPKITargets(path string) ([]Target, bool) {
	clean := filepath.Clean(path)
	for _, base := range []string{clean, filepath.Dir(clean), filepath.Dir(filepath.Dir(clean))} {
		rel, err := filepath.Rel(base, clean)
		if err != nil {
			continue
		}
		switch filepath.ToSlash(rel) {
		case ".", "CA", "libvirt", "libvirt/private":
			if layout.IsLibvirtPKI(base) {
				return libvirtPKITargets(filepath.Dir(base), base), true
			}
		}
	}
	return nil, false
}

// libvirtPKITargets are the targets of a system-layout base directory met
// while walking a tree (/etc/pki): the server and client identities
// libvirt reads from its CA/ and libvirt/ directories.
func libvirtPKITargets(walkRoot, base string) []Target {
	var out []Target
	rel := relIdentity(walkRoot, base)
	for _, r := range []struct {
		ep   creds.Endpoint
		role layout.Role
	}{{creds.EndpointServer, layout.Server}, {creds.EndpointClient, layout.Client}} {
		p := layout.LibvirtPKI(base, r.role)
		if !p.Present() && !(r.role == layout.Client && len(out) == 0) {
			continue
		}
		t, err := LibvirtTarget("libvirt-"+string(r.role), r.ep, p)
		if err != nil {
			continue
		}
		t.Identity = rel + "#libvirt-" + string(r.role)
		t.Path = base
		t.Note = "libvirt system layout (CA/cacert.pem, libvirt/" + layout.Of(layout.Libvirt).Cert(r.role) + ", libvirt/private/" + layout.Of(layout.Libvirt).Key(r.role) + ")"
		out = append(out, t)
	}
	return out
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
