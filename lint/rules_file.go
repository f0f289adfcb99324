package lint

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/gnutlspem"
	"github.com/tlscreds/tlscreds/creds/layout"
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
	_ = register(&Rule{
		ID: "key-encrypted-no-password", Severity: Error, Subject: SubjectKey,
		Summary:  "the private key is encrypted but no (or a wrong) password is given",
		Citation: "QEMU passwordid property (since 2.6)",
		QEMU:     "Unable to import private key %s",
		Libvirt:  "Unable to set x509 key and certificate: %s, %s: Decryption has failed.",
		Fix:      "add passwordid=SECRET_ID with a secret object holding the password, or decrypt the key: openssl pkey -in KEY -out KEY",
		check:    checkKeyPassword,
	})
	_ = register(&Rule{
		ID: "identity-unpaired", Severity: Error, Subject: SubjectFile,
		Summary:  "a certificate without its key, or a key without its certificate",
		Citation: "QEMU 10.2 identity pairing",
		QEMU:     "Cert '%s' without corresponding key '%s'",
		Fix:      "add the missing half of the pair, or remove the lone file",
		check:    checkUnpaired,
	})
	_ = register(&Rule{
		ID: "identity-other-endpoint", Severity: Warning, Subject: SubjectObject,
		Summary:  "the directory holds the other endpoint's certificate and none for the endpoint it is used as: the consumer ignores it",
		Citation: "QEMU crypto/tlscredsx509.c (endpoint=server loads server-cert.pem, endpoint=client client-cert.pem)",
		Fix:      "use the directory as the endpoint its files are for (--endpoint, or endpoint= in the spec), or add this endpoint's certificate and key",
		check:    checkOtherEndpoint,
	})
	_ = register(&Rule{
		ID: "server-no-identity", Severity: Error, Subject: SubjectServer,
		Summary:  "a server object has no certificate and key",
		Citation: "QEMU crypto/tlscredsx509.c",
		QEMU:     "Missing server cert '%s' & key '%s'",
		Libvirt:  "Cannot read certificate '%s': No such file or directory",
		Fix:      "add server-cert.pem and server-key.pem (tlscreds gen cert --ca CA --server --name HOST --out DIR)",
		check:    checkNoIdentity,
	})
	_ = register(&Rule{
		ID: "key-mismatch", Severity: Error, Subject: SubjectKey,
		Summary:  "the private key does not belong to the certificate",
		Citation: "GnuTLS gnutls_certificate_set_x509_key (checked even with sanity-check=off)",
		QEMU:     "Cannot load certificate '%s' & key '%s': The certificate and the given key do not match.",
		Libvirt:  "Unable to set x509 key and certificate: %s, %s: The certificate and the given key do not match.",
		Fix:      "pair the certificate with the key it was issued for; compare `openssl x509 -noout -pubkey -in CERT` with `openssl pkey -pubout -in KEY`",
		check:    checkKeyMismatch,
	})
	_ = register(&Rule{
		ID: "key-permissions", Severity: Warning, Subject: SubjectKey,
		Class:    ClassTool,
		Tool:     "virt-pki-validate",
		Summary:  "the private key's mode is not what virt-pki-validate wants (0600 for a server key; 9.0 wants exactly 0644 for a client key) or, outside the libvirt profile, it is readable by group or others; libvirt and QEMU load it either way (measured)",
		Citation: "virt-pki-validate 9.0 (shell script) and 10.5+ (C); libvirt 9.0 itself never looks at modes (measured)",
		Libvirt:  "The server key %s must not be accessible to unprivileged users. As root run: chown root.root %s; chmod 0600 %s",
		Fix:      "chmod 0600 KEY (or 0640 with group qemu when QEMU runs as that group)",
		check:    checkKeyPerms,
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
		}
	}
}

func checkFileUnreadable(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		var fe *creds.FileError
		if f.Present && f.Err != nil && f.Data == nil && errors.As(f.Err, &fe) && c.fileRead(f) {
			c.add(r, f.Path, "%v", f.Err)
		}
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

func checkKeyPassword(c *Context, r *Rule) {
	for _, f := range c.M.Files {
		if !f.Present || f.Err == nil || !c.fileRead(f) {
			continue
		}
		switch {
		case errors.Is(f.Err, privkey.ErrPasswordRequired) && c.Opts.secretUUID != "":
			c.addSev(r, Info, f.Path, "%s is encrypted; libvirt decrypts it with the password in secret %s (qemu.conf *_tls_x509_secret_uuid): check it with virsh secret-get-value %s", filepath.Base(f.Path), c.Opts.secretUUID, c.Opts.secretUUID)
		case errors.Is(f.Err, privkey.ErrPasswordRequired):
			c.add(r, f.Path, "%s is encrypted and the object has no passwordid", filepath.Base(f.Path))
		case errors.Is(f.Err, privkey.ErrIncorrectPassword), errors.Is(f.Err, creds.ErrP12Password):
			c.add(r, f.Path, "%s does not decrypt with the password of passwordid=%s", filepath.Base(f.Path), c.Spec().PasswordID)
		}
	}
}

// checkUnpaired: QEMU 10.2 refuses half an identity; earlier versions
// ignore a lone client file and require both server files (file-missing).
func checkUnpaired(c *Context, r *Rule) {
	if b, ok := c.build(); ok && !b.Modern {
		return
	}
	sev, note := r.SeverityIn(c.Opts.Profile), ""
	if c.libvirt() && !c.Server() {
		// libvirt 9.0's client skips an identity whose cert or key is
		// missing and connects without one (measured); it still checks
		// a lone certificate.
		sev, note = Warning, "; libvirt ignores the lone file and connects without a client certificate, which servers that verify clients refuse"
	}
	for _, id := range c.idFiles() {
		switch {
		case id.Cert.Present && !id.Key.Present:
			c.addSev(r, sev, id.Cert.Path, "%s has no key: %s is missing%s", filepath.Base(id.Cert.Path), filepath.Base(id.Key.Path), note)
		case !id.Cert.Present && id.Key.Present:
			c.addSev(r, sev, id.Key.Path, "%s has no certificate: %s is missing%s", filepath.Base(id.Key.Path), filepath.Base(id.Cert.Path), note)
		}
	}
}

func checkNoIdentity(c *Context, r *Rule) {
	if c.Spec().Kind == creds.KindX509 && c.Server() && len(c.idFiles()) == 0 {
		c.add(r, "", "the server object has no certificate and key")
	}
}

func checkKeyMismatch(c *Context, r *Rule) {
	for _, id := range c.idFiles() {
		if id.Cert.Role == creds.RoleP12 || id.Cert.Err != nil || id.Key.Err != nil || !id.Cert.Present || !id.Key.Present {
			continue
		}
		pub, ok := id.Cert.Certs[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !pub.Equal(id.Key.PublicKey) {
			c.add(r, id.Key.Path, "%s does not belong to the certificate in %s", filepath.Base(id.Key.Path), filepath.Base(id.Cert.Path))
		}
	}
}

func checkKeyPerms(c *Context, r *Rule) {
	if c.libvirt() {
		checkKeyPermsVirtPKIValidate(c, r)
		return
	}
	for _, f := range c.M.Files {
		if f.Role != creds.RoleKey || f.Info == nil {
			continue
		}
		if mode := f.Info.Mode().Perm(); mode&0o077 != 0 {
			sev := r.SeverityIn(c.Opts.Profile)
			if mode&0o007 == 0 && !c.libvirt() {
				sev = Info // group-readable only: QEMU's documented root:qemu 0640 layout
			}
			c.addSev(r, sev, f.Path, "%s has mode %04o: readable by %s", filepath.Base(f.Path), mode, readers(mode))
			c.results[len(c.results)-1].Fix = fmt.Sprintf("chmod 0600 %s", f.Path)
		}
	}
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

// checkOtherEndpoint catches a directory used as the wrong endpoint: a
// server's directory given as a client (QEMU loads it without a client
// certificate, so a server that verifies clients refuses it), or the
// reverse.
func checkOtherEndpoint(c *Context, r *Rule) {
	sp := c.Spec()
	if sp.Kind != creds.KindX509 || sp.Dir == "" || len(c.M.Identities()) > 0 {
		return
	}
	f := layout.Of(c.M.Layout)
	other, otherName := f.ServerCert, "server"
	if c.Server() {
		other, otherName = f.ClientCert, "client"
	}
	if other == f.ServerCert && other == f.ClientCert {
		return // one name for both endpoints (Kubernetes)
	}
	present, known := c.M.Listed(other)
	if !known {
		_, err := os.Lstat(filepath.Join(sp.Dir, other))
		present = err == nil
	}
	if present {
		c.add(r, filepath.Join(sp.Dir, other), "%s is a %s certificate, but the object is a %s endpoint (endpoint=%s), which does not read it",
			other, otherName, c.roleWord(), sp.Endpoint)
	}
}
