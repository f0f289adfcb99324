package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"github.com/tlscreds/tlscreds/creds/gnutlspem"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

var (
	_ = register(&Rule{
		ID: "file-missing", Severity: Error, Subject: SubjectFile,
		Summary:  "a file the endpoint requires is missing",
		Citation: "QEMU crypto/tlscredsx509.c (files by endpoint); libvirt virnettlsconfig.c",
		QEMU:     "Unable to access credentials %s: No such file or directory",
		Libvirt:  "Cannot read CA certificate '%s': No such file or directory",
		Fix:      "put the file in the directory under the name the consumer looks for (tlscreds gen pki writes a complete set)",
		check:    checkFileMissing,
	})
	_ = register(&Rule{
		ID: "file-unreadable", Severity: Error, Subject: SubjectFile,
		Summary:  "a credential file is not a readable regular file (FIFO, device, directory, too large, permission denied)",
		Citation: "QEMU qcrypto_tls_creds_get_path (access(R_OK))",
		QEMU:     "Unable to access credentials %s",
		Fix:      "replace it with a regular PEM file readable by the service user",
		check:    checkFileUnreadable,
	})
	_ = register(&Rule{
		ID: "file-der", Severity: Error, Subject: SubjectFile,
		Summary:  "a file holds binary DER where PEM is required",
		Citation: "QEMU reads PEM only (content is cut at the first NUL byte)",
		QEMU:     "Unable to import certificate %s",
		Fix:      "convert it: openssl x509 -inform DER -in FILE -out FILE.pem (openssl crl for CRLs)",
		check:    checkFileParse(func(err error) bool { return errors.Is(err, creds.ErrDER) }),
	})
	_ = register(&Rule{
		ID: "file-invalid", Severity: Error, Subject: SubjectFile,
		Summary:  "a file cannot be parsed as what its name says it holds",
		Citation: "QEMU crypto/tlscredsx509.c; GnuTLS",
		QEMU:     "Unable to import certificate %s: %s",
		Fix:      "regenerate or re-export the file as PEM of the right type; check the files were not switched",
		check: both(checkFileParse(func(err error) bool {
			return !errors.Is(err, creds.ErrDER) && !errors.Is(err, privkey.ErrPasswordRequired) && !errors.Is(err, privkey.ErrIncorrectPassword)
		}), checkKeyNUL),
	})
	_ = register(&Rule{
		ID: "file-pem-unusual", Severity: Warning, Subject: SubjectFile, Class: ClassHygiene,
		Summary:  "a PEM file has something unusual that GnuTLS (so QEMU and libvirt) accepts but other readers may not: text or a byte-order mark before the block, the legacy X509 CERTIFICATE label, CR-only line ends, spaces inside the base64, a mismatched END label, other blocks",
		Citation: "GnuTLS 3.7.9 PEM reading (measured with qemu-img 7.2.22, 10.0.0, 10.1.0, 10.2.0)",
		Fix:      "rewrite the file cleanly: openssl x509 -in FILE -out FILE (certificates) or openssl pkey -in KEY -out KEY (keys)",
		check:    checkPEMUnusual,
	})
)

func checkFileMissing(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		required := f.Required
		// Before 10.2 a server needs server-cert.pem and server-key.pem
		// themselves: numbered identities are not read.
		if b, ok := c.build(); ok && !b.Modern && c.Server() && c.Spec().Kind == creds.KindX509 &&
			(f.Role == creds.RoleCert || f.Role == creds.RoleKey) && f.Index == creds.BaseIdentity {
			required = true
		}
		if required && !f.Present {
			c.add(r, f.Path, "%s is missing; a %s endpoint requires it", filepath.Base(f.Path), c.roleWord())
			c.quote(qAccess, qv{path: f.Path, errno: "No such file or directory"})
		}
	}
}

func checkFileUnreadable(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		var fe *creds.FileError
		if f.Present && f.Err != nil && f.Data == nil && errors.As(f.Err, &fe) && c.fileRead(f) {
			if f.Role == creds.RolePSK && c.Server() && !errors.Is(f.Err, fs.ErrPermission) {
				// A PSK server only checks access(R_OK) when it loads;
				// GnuTLS reads the file at each handshake, and fails then.
				c.addSev(r, Warning, f.Path, "%v (QEMU's PSK server loads, every handshake fails)", f.Err)
				continue
			}
			c.add(r, f.Path, "%v", f.Err)
			c.fileQuote(f)
			if f.Role == creds.RolePSK {
				c.pskReadQuote(f)
			}
		}
	}
}

// pskReadQuote sets QEMU's words for a keys.psk it cannot read (measured
// with 7.2.22, 10.0.0, 10.1.0 and 10.2.0; 10.2.0 says "Unable to access
// credentials" for permission problems, as fileQuote has it).
func (c *Context) pskReadQuote(f *creds.File) {
	perm := errors.Is(f.Err, fs.ErrPermission)
	said := ""
	switch {
	case perm && c.modern():
	case perm && c.Server():
		said = "Cannot set PSK server credentials: Error while reading file."
	case perm:
		said = fmt.Sprintf("Cannot read PSK file %s: Failed to open file \u201c%s\u201d: Permission denied", f.Path, f.Path)
	case !c.Server() && f.Info != nil && f.Info.IsDir():
		said = fmt.Sprintf("Cannot read PSK file %s: Error reading file \u201c%s\u201d: Is a directory", f.Path, f.Path)
	}
	if said != "" {
		c.results[len(c.results)-1].Consumer = said
	}
}

func checkFileParse(match func(error) bool) func(*Context, *Rule) {
	return func(c *Context, r *Rule) {
		for _, f := range c.M.Files {
			if !f.Present || f.Err == nil || f.Data == nil || !match(f.Err) || !c.fileRead(f) {
				continue
			}
			sev := r.SeverityIn(c.Opts.Profile)
			if b, ok := c.build(); ok && !b.Modern && c.sanityOff() && f.Role == creds.RoleCA {
				// Before 10.2, sanity-check=off leaves the CA file to
				// gnutls_certificate_set_x509_trust_file, which loads
				// what it can (none is no error): peers cannot be verified.
				sev = Warning
			}
			c.addSev(r, sev, f.Path, "%v", f.Err)
			c.fileQuote(f)
		}
	}
}

// checkKeyNUL: QEMU 10.2 reads key files itself, up to the first NUL
// byte; earlier versions let GnuTLS read the whole file.
func checkKeyNUL(c *Context, r *Rule) {
	if !c.modern() {
		return
	}
	for _, f := range c.M.Files {
		if f.Role != creds.RoleKey || !f.Present || f.Err != nil || !c.fileRead(f) {
			continue
		}
		if cut, had := gnutlspem.CutNUL(f.Data); had {
			if _, err := gnutlspem.Key(cut); err != nil {
				c.add(r, f.Path, "%s has a NUL byte before its private key; QEMU 10.2 reads a file up to its first NUL", filepath.Base(f.Path))
				c.quote(qKeyImport, qv{key: f.Path})
			}
		}
	}
}

func checkPEMUnusual(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		if f.Present && f.Err == nil && len(f.PEMNotes) > 0 && c.fileRead(f) {
			c.add(r, f.Path, "%s %s", filepath.Base(f.Path), strings.Join(f.PEMNotes, "; "))
		}
	}
}

// both runs two checks as one rule's.
func both(a, b func(*Context, *Rule)) func(*Context, *Rule) {
	return func(c *Context, r *Rule) { a(c, r); b(c, r) }
}

func readers(mode fs.FileMode) string {
	switch {
	case mode&0o070 != 0 && mode&0o007 != 0:
		return "group and others"
	case mode&0o007 != 0:
		return "others"
	}
	return "its group"
}

// checkKeyPermsVirtPKIValidate is virt-pki-validate 9.0's key mode check
// (tools/virt-pki-validate.in): the server key must be -rw------- and the
// client key -rw-r--r-- ("need to be read by client tools"); the 10.5+ C
// rewrite keeps 0600 and 0644 for the system scope. libvirt itself loads
// a key of any mode it can read.
func checkKeyPermsVirtPKIValidate(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		if f.Role != creds.RoleKey || f.Info == nil || !f.Info.Mode().IsRegular() {
			continue
		}
		want, why, sev := fs.FileMode(0o600), "must not be readable by other users", Warning
		said := "The server private key need to be read only by root"
		if f.Endpoint == creds.EndpointClient {
			// A tighter client key is safer; the tool's wish is information.
			want, why, sev = 0o644, "is read by client tools running as any user", Info
			said = "The client private key need to be read by client tools"
		}
		if mode := f.Info.Mode().Perm(); mode != want {
			c.addSev(r, sev, f.Path, "9.0 and 10.5+ want %s at mode %04o (it %s), not %04o; libvirt itself loads it", filepath.Base(f.Path), want, why, mode)
			c.results[len(c.results)-1].Fix = fmt.Sprintf("chmod %04o %s", want, f.Path)
			c.results[len(c.results)-1].Consumer = said // virt-pki-validate 9.0's words
		}
	}
}

var (
	_ = register(&Rule{
		ID: "file-owner", Severity: Info, Subject: SubjectFile,
		Profiles: map[Profile]Severity{ProfileLibvirt: Warning},
		Class:    ClassTool,
		Tool:     "virt-pki-validate",
		Summary:  "a credential file is not owned by root, as virt-pki-validate expects (libvirt itself loads it)",
		Citation: "libvirt 9.0 tools/virt-pki-validate.in; libvirt 10.5+ tools/virt-pki-validate.c",
		Libvirt:  "The server key %s must not be accessible to unprivileged users. As root run: chown root.root %s; chmod 0600 %s",
		Fix:      "chown root:root FILE (keys readable by QEMU's group: chown root:qemu KEY; chmod 0640 KEY)",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.Files {
				if f.Info == nil {
					continue
				}
				if st, ok := f.Info.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
					who := "10.5+ (from its source; only 9.0 runs here)"
					if f.Role == creds.RoleKey {
						who = "9.0 and 10.5+"
					}
					c.add(r, f.Path, "%s wants %s owned by root; it is owned by uid %d", who, filepath.Base(f.Path), st.Uid)
					c.results[len(c.results)-1].Fix = fmt.Sprintf("chown root:root %s", f.Path)
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "file-too-large-libvirt", Severity: Info, Subject: SubjectFile,
		Profiles: map[Profile]Severity{ProfileLibvirt: Error},
		Summary:  "cacert.pem or the certificate file is over 64 KiB, which libvirt's sanity check does not read (the OS CA bundle used as cacert.pem is the common case)",
		Citation: "libvirt 9.0 virNetTLSContextLoadCACertListFromFile / LoadCertFromFile: virFileReadAll(..., 1<<16) (65536 bytes read, 65537 refused: measured)",
		Libvirt:  "Failed to read file '%s': Value too large for defined data type",
		Fix:      "put only the CAs this service trusts in cacert.pem (libvirt reads 16 at most anyway), not the system bundle",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.Files {
				if (f.Role != creds.RoleCA && f.Role != creds.RoleCert) || f.Info == nil || !f.Info.Mode().IsRegular() {
					continue
				}
				if n := f.Info.Size(); n > libvirtFileMax {
					c.add(r, f.Path, "%s is %d bytes; libvirt reads at most %d (64 KiB)", filepath.Base(f.Path), n, libvirtFileMax)
				}
			}
		},
	})
	// The service user's view: QEMU and libvirt read the credentials as a
	// service user (qemu, libvirt-qemu, root). With Options.AsUser set, every
	// file the object has is checked for that user from the modes, owners,
	// groups and POSIX ACLs of the file and of each directory on its path
	// (see package access); a directory that blocks several files is reported
	// once, naming the directory.
	_ = register(&Rule{
		ID: "file-unreadable-as-user", Severity: Error, Subject: SubjectFile,
		Class:    ClassRefused,
		Summary:  "the service user (--as-user) cannot read a credential file: the file's mode, owner, group or ACL, or a directory on its path, refuses it",
		Citation: "POSIX permission check (modes, groups, ACLs) on each path component; QEMU access(R_OK); libvirt 9.0 \"Error while reading file.\" (measured as nobody)",
		QEMU:     "Unable to access credentials %s: Permission denied",
		Fix:      "grant the user read on the file and search on each directory (the finding gives the command); AppArmor or SELinux may still refuse what the modes allow",
		check:    checkAsUser,
	})
)

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
