package lint

import "github.com/tlscreds/tlscreds/creds"

var (
	_ = register(&Rule{
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
)
