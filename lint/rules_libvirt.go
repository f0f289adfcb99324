package lint

import "github.com/tlscreds/tlscreds/creds"

var (
	_ = register(&Rule{
		ID: "libvirt-priority-invalid", Severity: Error, Subject: SubjectObject,
		Summary:  "libvirt's tls_priority (or the URI's tls_priority=) is a GnuTLS priority string that GnuTLS refuses: libvirt loads the credentials, then every TLS session fails",
		Citation: "libvirt 9.0 virNetTLSSessionNew (gnutls_priority_set_direct, measured)",
		Libvirt:  "Failed to set TLS session priority to %s: %s",
		Fix:      "fix tls_priority (e.g. \"@LIBVIRT,SYSTEM\" or \"NORMAL\"); check it with gnutls-cli --priority STRING -l",
		check: func(c *Context, r *Rule) {
			p := c.Opts.Libvirt.Priority
			if !c.libvirt() || p == "" {
				return
			}
			if _, err := creds.ParsePriority(p); err != nil {
				c.add(r, "", "tls_priority %q: %v", p, err)
			}
		},
	})
)
