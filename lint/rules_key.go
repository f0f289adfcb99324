package lint

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

var (
	_ = register(&Rule{
		ID: "key-rsa-too-small", Severity: Warning, Subject: SubjectKey, Class: ClassPeersRefuse,
		// Every proven QEMU build (GnuTLS 3.7.9's default policy) loads a
		// 1024-bit RSA leaf and CA, and so does libvirt 9.0 (measured);
		// OpenSSL 3 at its default security level 2, browsers and Go's
		// verifier refuse them.
		Summary:  "an RSA key in scope is shorter than 2048 bits: QEMU and libvirt (GnuTLS 3.7.9) load it, OpenSSL 3 peers (security level 2) and browsers refuse it",
		Citation: "CA/B Baseline Requirements 6.1.5; Go refuses RSA under 1024 bits since 1.24",
		Fix:      "reissue with rsa-3072 or an ECDSA key (tlscreds gen --key ecdsa-p256)",
		check:    checkRSASize,
	})
	_ = register(&Rule{
		ID: "key-legacy-encryption", Severity: Warning, Subject: SubjectKey,
		Summary:  "the private key uses legacy PEM encryption (Proc-Type/DEK-Info), which is insecure by design",
		Citation: "Go crypto/x509 DecryptPEMBlock deprecation (padding oracle)",
		Fix:      "re-encrypt as PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out KEY.new",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.FilesOf(creds.RoleKey) {
				if f.Present && f.Err == nil && f.KeyInfo.Format == privkey.LegacyPEM {
					c.add(r, f.Path, "%s is encrypted with %s", filepath.Base(f.Path), f.KeyInfo.Cipher)
				}
			}
		},
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

func checkRSASize(c *Context, r *Rule) {
	for _, ref := range c.scope() {
		if pub, ok := ref.Cert.PublicKey.(*rsa.PublicKey); ok && pub.N.BitLen() < 2048 {
			c.add(r, ref.File, "%s has a %d-bit RSA key: OpenSSL 3 peers (security level 2) and browsers refuse it", cn(ref.Cert), pub.N.BitLen())
		}
	}
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
			c.fileQuote(f)
		case errors.Is(f.Err, privkey.ErrIncorrectPassword), errors.Is(f.Err, creds.ErrP12Password):
			c.add(r, f.Path, "%s does not decrypt with the password of passwordid=%s", filepath.Base(f.Path), c.Spec().PasswordID)
			c.fileQuote(f)
		}
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
			c.quote(qKeyMismatch, qv{cert: id.Cert.Path, key: id.Key.Path})
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

var _ = register(&Rule{
	ID: "key-empty-password", Severity: Warning, Subject: SubjectKey, Class: ClassHygiene,
	// GnuTLS tries the empty password when none is given: every proven
	// QEMU build loads such a key without passwordid=
	// (lint/qemudiff TestHostileDifferential).
	Summary:  "the private key is encrypted with the empty password: QEMU (GnuTLS) loads it without passwordid=, and anyone who can read the file can decrypt it",
	Citation: "GnuTLS 3.7.9 gnutls_x509_privkey_import2 (measured with qemu-img 7.2, 10.0, 10.1, 10.2)",
	Fix:      "encrypt it with a real password and add passwordid=, or store it unencrypted with mode 0600: openssl pkey -in KEY -passin pass: -out KEY.new",
	check: func(c *Context, r *Rule) {
		for _, f := range c.M.FilesOf(creds.RoleKey) {
			if f.Present && f.Err == nil && f.KeyInfo.EmptyPassword {
				c.add(r, f.Path, "%s is encrypted with the empty password", filepath.Base(f.Path))
			}
		}
	},
})
