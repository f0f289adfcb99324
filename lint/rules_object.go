package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

var (
	_ = register(&Rule{
		ID: "psk-file-problem", Severity: Warning, Subject: SubjectFile,
		Summary:  "keys.psk has a line that QEMU or GnuTLS reads wrongly or not at all (CRLF, bad hex, duplicate user, short key)",
		Citation: "QEMU crypto/tlscredspsk.c; GnuTLS psktool format; QEMU commit \"crypto: check for and report errors setting PSK credentials\" (7.2)",
		QEMU:     "Cannot set PSK client credentials: %s",
		Fix:      "write username:hexkey lines with LF endings (psktool -u USER -p keys.psk), one line per user, keys of 16 bytes or more",
		check:    checkPSK,
	})
	_ = register(&Rule{
		ID: "object-not-usable-in-go", Severity: Info, Subject: SubjectObject,
		Summary:  "a tls-creds-anon or tls-creds-psk object: QEMU can use it, but Go's crypto/tls has no anonymous, DHE or external-PSK suites",
		Citation: "Go crypto/tls cipher_suites.go",
		Fix:      "for Go endpoints use a tls-creds-x509 object (tlscreds gen pki makes one)",
		check: func(c *Context, r *Rule) {
			if k := c.Spec().Kind; k == creds.KindAnon || k == creds.KindPSK {
				c.add(r, c.Spec().Dir, "%s object %s cannot back a Go endpoint", k, c.Spec().ID)
			}
		},
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
)

func checkPSK(c *Context, r *Rule) {
	for _, f := range c.M.FilesOf(creds.RolePSK) {
		if f.PSK == nil {
			continue
		}
		for _, p := range f.PSK.Problems {
			sev := Warning
			switch p.Kind {
			case creds.PSKProblemBadHex, creds.PSKProblemNoColon, creds.PSKProblemEmptyUser:
				sev = Error
			case creds.PSKProblemCRLF:
				if !c.Server() {
					sev = Error // QEMU's client keeps the CR and the hex decode fails
				}
			case creds.PSKProblemBlank:
				sev = Info
			}
			c.addSev(r, sev, f.Path, "%s", p.Message)
		}
	}
}

// caKeyNames are where CA private keys are commonly kept: our own CA
// directory (gen pki), OpenSSL/easy-rsa habits, cert-manager secrets.
var caKeyNames = []string{"ca-key.pem", "cakey.pem", "ca.key"}

var _ = register(&Rule{
	ID: "ca-private-key-exposed", Severity: Warning, Subject: SubjectFile,
	Summary:  "a CA private key lies in the credential directory: QEMU never needs it, and whoever reads the directory can issue certificates",
	Citation: "operational practice (virt-pki-validate's separate CA directory)",
	Fix:      "move the CA key off the host (keep it where certificates are issued), leave only ca-cert.pem",
	check: func(c *Context, r *Rule) {
		if c.Spec().Dir == "" {
			return
		}
		for _, n := range caKeyNames {
			if present, known := c.M.Listed(n); known && !present {
				continue // the listing the files were read by has no such name
			}
			p := filepath.Join(c.Spec().Dir, n)
			if _, err := os.Stat(p); err == nil {
				c.add(r, p, "%s is a CA private key next to the credentials", n)
			}
		}
	},
})

var _ = register(&Rule{
	ID: "verify-peer-off", Severity: Info, Subject: SubjectObject,
	Summary:  "verify-peer=off: a server accepts clients without checking their certificates, a client accepts any server",
	Citation: "QEMU tls-creds verify-peer (default on)",
	Fix:      "leave verify-peer=on unless clients cannot hold certificates (noVNC in a browser): then restrict access another way",
	check: func(c *Context, r *Rule) {
		if sp := c.Spec(); sp.Kind == creds.KindX509 && !sp.VerifyPeer {
			if c.Server() {
				c.add(r, sp.Dir, "the server does not require or verify client certificates")
			} else {
				c.add(r, sp.Dir, "the client does not verify the server's certificate or host name")
			}
		}
	},
})
