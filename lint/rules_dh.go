package lint

import "github.com/tlscreds/tlscreds/creds"

var (
	_ = register(&Rule{
		ID: "dh-params-weak", Severity: Warning, Subject: SubjectFile,
		Summary:  "dh-params.pem is weak or odd (prime under 2048 bits, not prime, unusual generator); QEMU 10.2 deprecates the file",
		Citation: "RFC 7919; QEMU 10.2 docs/system/tls.rst",
		QEMU:     "Use of an external DH parameters file '%s' is deprecated and will be removed in a future release",
		Fix:      "delete dh-params.pem: GnuTLS negotiates RFC 7919 groups (QEMU 10.2), or generate ffdhe params: openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe3072",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.FilesOf(creds.RoleDH) {
				if f.DH == nil {
					continue
				}
				for _, p := range f.DH.Problems() {
					c.add(r, f.Path, "%s", p)
				}
			}
		},
	})
)
