package lint

import (
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds"
)

var (
	_ = register(&Rule{
		ID: "dh-params-weak", Severity: Warning, Subject: SubjectFile,
		Summary:  "dh-params.pem is weak or odd (prime under 2048 bits, not prime, unusual generator)",
		Citation: "RFC 7919; QEMU 10.2 docs/system/tls.rst",
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
	// dh-params-deprecated: QEMU 10.2 warns about every dh-params.pem it
	// loads (a server's, once the files before it loaded): "crypto:
	// deprecate use of external dh-params.pem file" in the 10.2 identities
	// series. Only builds whose message table has the warning (qemuTexts,
	// quote.go) report it.
	_ = register(&Rule{
		ID: "dh-params-deprecated", Severity: Warning, Subject: SubjectFile, Class: ClassHygiene,
		Summary:  "the server directory holds dh-params.pem, whose use QEMU 10.2 deprecates (it warns on every load; a future release will not read it)",
		Citation: "QEMU 10.2 crypto/tlscreds.c (measured with qemu-img 10.2.0)",
		QEMU:     "warning: Use of an external DH parameters file '%s' is deprecated and will be removed in a future release",
		Fix:      "delete dh-params.pem: QEMU 10.2 leaves the DH group to GnuTLS, which negotiates RFC 7919 groups (and QEMU 10.1 and older generate parameters when the file is absent)",
		check: func(c *Context, r *Rule) {
			for _, f := range c.M.FilesOf(creds.RoleDH) {
				if !f.Present {
					continue
				}
				if t := c.qemuText(qDHDeprecated, qv{path: f.Path}); t != "" {
					c.add(r, f.Path, "%s: QEMU %s warns that external DH parameters are deprecated and will be removed", filepath.Base(f.Path), vstr(c.buildVersion()))
					c.results[len(c.results)-1].Consumer = t
				}
			}
		},
	})
)
