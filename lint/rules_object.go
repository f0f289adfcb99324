package lint

import (
	"github.com/tlscreds/tlscreds/creds"
)

var (
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
)

var (
	// ruleObjectUnreadable is reported by [Check] when an object cannot be
	// read at all, so no other rule can run.
	ruleObjectUnreadable = register(&Rule{
		ID: "object-unreadable", Severity: Error, Subject: SubjectObject,
		Summary:    "the object cannot be read at all: its directory cannot be listed, or its layout cannot be detected",
		Citation:   "tlscreds",
		Fix:        "check the object spec (dir=, layout=) and that the directory exists and can be listed",
		reportedBy: "Check",
	})
)
