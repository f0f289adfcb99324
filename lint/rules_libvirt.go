package lint

import "github.com/tlscreds/tlscreds/creds/gnutlsprio"

var (
	_ = register(&Rule{
		ID: "libvirt-priority-invalid", Severity: Error, Class: ClassSessionFails, Subject: SubjectObject,
		Summary:  "libvirt's tls_priority (or the URI's tls_priority=) is a GnuTLS priority string that GnuTLS refuses: libvirt loads the credentials, then every TLS session fails",
		Citation: "libvirt 9.0 virNetTLSSessionNew (gnutls_priority_set_direct, measured); GnuTLS 3.7.9 lib/priority.c",
		Libvirt:  "Failed to set TLS session priority to %s: %s",
		Fix:      "fix tls_priority (e.g. \"NORMAL\"; an @KEYWORD string needs a system priority file, which Debian 12 does not ship), or remove it for libvirt's default; check a string with gnutls-cli --list --priority=STRING",
		check: func(c *Context, r *Rule) {
			p := c.Opts.Libvirt.Priority
			if !c.libvirt() || p == "" {
				return
			}
			// libvirt hands the string to gnutls_priority_set_direct as it is.
			if err := gnutlsprio.Check(p); err != nil {
				c.add(r, "", "tls_priority %q: %v", p, err)
			}
		},
	})
)
