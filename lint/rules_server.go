package lint

import "github.com/tlscreds/tlscreds/creds"

var (
	_ = register(&Rule{
		ID: "server-no-san", Severity: Warning, Subject: SubjectServer,
		Summary:  "the server certificate has no subjectAltName: QEMU accepts the CN, Go, browsers and curl refuse it",
		Citation: "RFC 6125 6.4.4; Go crypto/x509 (no CN fallback since 1.15)",
		Fix:      "reissue with the host names as DNS SANs and addresses as IP SANs (tlscreds gen cert --name HOST --ip ADDR)",
		check:    checkNoSAN,
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
)

func checkNoSAN(c *Context, r *Rule) {
	if !c.Server() {
		return
	}
	for _, id := range c.identities() {
		x := id.Cert.Certs[0]
		if len(x.DNSNames) == 0 && len(x.IPAddresses) == 0 && len(x.URIs) == 0 && len(x.EmailAddresses) == 0 {
			c.add(r, id.Cert.Path, "the server certificate %s has no subjectAltName; clients other than QEMU and libvirt will not match its CN", cn(x))
		}
	}
}

func checkNoIdentity(c *Context, r *Rule) {
	if c.Spec().Kind == creds.KindX509 && c.Server() && len(c.idFiles()) == 0 {
		c.add(r, "", "the server object has no certificate and key")
		var cert, key string // the base pair's names: QEMU names them, not server-cert-0.pem
		for _, f := range c.M.Files {
			if f.Index == creds.BaseIdentity && f.Role == creds.RoleCert {
				cert = f.Path
			} else if f.Index == creds.BaseIdentity && f.Role == creds.RoleKey {
				key = f.Path
			}
		}
		c.quote(qNoServerID, qv{cert: cert, key: key})
	}
}
