package lint

import (
	"os"
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
)

var (
	_ = register(&Rule{
		ID: "identity-missing-intermediate", Severity: Warning, Subject: SubjectLeaf,
		Summary:  "the identity file lacks an intermediate that only the CA file holds, so peers that trust the root alone fail",
		Citation: "RFC 8446 4.4.2 (send the chain); QEMU 10.2 identity chains",
		Fix:      "append the intermediate(s) to the certificate file, leaf first (cat leaf.pem intermediate.pem > server-cert.pem)",
		check: func(c *Context, r *Rule) {
			for _, id := range c.identities() {
				chain := id.Cert.Certs
				for _, x := range c.pathCAs(chain) {
					if !creds.SelfIssued(x) {
						c.add(r, id.Cert.Path, "%s is issued by the intermediate %s, which the file does not include", cn(chain[0]), cn(x))
						break
					}
				}
			}
		},
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
)

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
			c.quote(qCertNoKey, qv{cert: id.Cert.Path, key: id.Key.Path})
		case !id.Cert.Present && id.Key.Present:
			c.addSev(r, sev, id.Key.Path, "%s has no certificate: %s is missing%s", filepath.Base(id.Key.Path), filepath.Base(id.Cert.Path), note)
			c.quote(qKeyNoCert, qv{cert: id.Cert.Path, key: id.Key.Path})
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
