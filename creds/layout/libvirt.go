package layout

import (
	"os"
	"path/filepath"
)

// Where libvirt finds its TLS credentials (libvirt 9.0,
// src/rpc/virnettlscontext.c virNetTLSContextLocateCredentials; the same
// names in 10.x src/rpc/virnettlsconfig.c):
//
//   - the system layout splits them over three directories of /etc/pki:
//     CA/cacert.pem and CA/cacrl.pem, libvirt/servercert.pem and
//     libvirt/clientcert.pem, libvirt/private/serverkey.pem and
//     libvirt/private/clientkey.pem;
//   - the per-user layout ($HOME/.pki/libvirt/) and a client URI's
//     pkipath=DIR hold all six in one directory, keys included (no
//     private/);
//   - libvirtd.conf's ca_file, crl_file, cert_file and key_file replace
//     any of them.
//
// An unprivileged client or daemon tries the per-user directory first
// and falls back to the system files for what is missing there (the
// certificate and key only together).

// LibvirtPaths are the four files libvirt reads for one role.
type LibvirtPaths struct {
	CA, CRL, Cert, Key string
}

// LibvirtSystemBase is where the system layout lives below a root prefix.
const LibvirtSystemBase = "etc/pki"

// LibvirtPKI is the system layout below base (normally /etc/pki): the CA
// in base/CA, the certificates in base/libvirt and the keys in
// base/libvirt/private.
func LibvirtPKI(base string, r Role) LibvirtPaths {
	l := Of(Libvirt)
	return LibvirtPaths{
		CA:   filepath.Join(base, "CA", l.CA),
		CRL:  filepath.Join(base, "CA", l.CRL),
		Cert: filepath.Join(base, "libvirt", l.Cert(r)),
		Key:  filepath.Join(base, "libvirt", "private", l.Key(r)),
	}
}

// LibvirtSystem is the system layout of the machine (or mounted image)
// whose root is root ("/" for this machine).
func LibvirtSystem(root string, r Role) LibvirtPaths {
	return LibvirtPKI(filepath.Join(root, LibvirtSystemBase), r)
}

// LibvirtDir is the one-directory layout of a pkipath= directory or of
// the per-user directory $HOME/.pki/libvirt.
func LibvirtDir(dir string, r Role) LibvirtPaths {
	l := Of(Libvirt)
	return LibvirtPaths{
		CA: filepath.Join(dir, l.CA), CRL: filepath.Join(dir, l.CRL),
		Cert: filepath.Join(dir, l.Cert(r)), Key: filepath.Join(dir, l.Key(r)),
	}
}

// LibvirtUserDir is the per-user directory for the user whose home is home.
func LibvirtUserDir(home string) string { return filepath.Join(home, ".pki", "libvirt") }

// IsLibvirtPKI reports whether base looks like the system layout's base
// directory (/etc/pki): it holds CA/cacert.pem and a libvirt directory.
// A tree walk uses it to take CA/ and libvirt/ together instead of
// guessing an endpoint for each.
func IsLibvirtPKI(base string) bool {
	ca, err := os.Lstat(filepath.Join(base, "CA", Of(Libvirt).CA))
	if err != nil || ca.IsDir() {
		return false
	}
	lv, err := os.Stat(filepath.Join(base, "libvirt"))
	return err == nil && lv.IsDir()
}

// Present reports whether any of the role's identity files exists.
func (p LibvirtPaths) Present() bool {
	for _, f := range []string{p.Cert, p.Key} {
		if _, err := os.Lstat(f); err == nil {
			return true
		}
	}
	return false
}
