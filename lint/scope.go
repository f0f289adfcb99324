package lint

import (
	"crypto/x509"

	"github.com/tlscreds/tlscreds/creds"
)

// certRef is a certificate in scope of the per-certificate checks, with
// the file its messages name and the role it is checked in.
type certRef struct {
	Cert *x509.Certificate
	File string
	IsCA bool
}

// caFile returns the object's CA file (parsed), or nil.
func (c *Context) caFile() *creds.File {
	f := c.M.FileOf(creds.RoleCA)
	if f == nil || !f.Present || f.Err != nil {
		return nil
	}
	return f
}

// identities returns the identity files whose certificate parsed.
func (c *Context) identities() []creds.IdentityFiles {
	if c.idsDone {
		return c.ids
	}
	c.ids, c.idsDone = c.parsedIdentities(), true
	return c.ids
}

func (c *Context) parsedIdentities() []creds.IdentityFiles {
	var out []creds.IdentityFiles
	for _, id := range c.idFiles() {
		if id.Cert.Present && id.Cert.Err == nil && len(id.Cert.Certs) > 0 {
			out = append(out, id)
		}
	}
	return out
}

// legacy reports whether the profile uses the pre-10.2 algorithm
// (every CA checked, only the first certificate of an identity file).
func (c *Context) legacy() bool {
	b, ok := c.Opts.Profile.Build()
	return !ok || !b.Modern
}

// identityChain is what the profile takes from an identity file.
func (c *Context) identityChain(id creds.IdentityFiles) []*x509.Certificate {
	if c.legacy() {
		return id.Cert.Certs[:1]
	}
	return id.Cert.Certs
}

// scope lists the certificates the per-certificate checks look at, as
// the profile's consumer does: QEMU 10.2 checks the identity chain and
// the CAs on its path to a root; legacy QEMU and libvirt check the first
// certificate of each identity file and every certificate of the CA file.
func (c *Context) scope() []certRef {
	if !c.scopeDone {
		c.scopeRefs, c.scopeDone = c.computeScope(), true
	}
	return c.scopeRefs
}

func (c *Context) computeScope() []certRef {
	var refs []certRef
	seen := map[*x509.Certificate]bool{}
	add := func(x *x509.Certificate, file string, isCA bool) {
		if !seen[x] {
			seen[x] = true
			refs = append(refs, certRef{x, file, isCA})
		}
	}
	ca := c.caFile()
	for _, id := range c.identities() {
		for i, x := range c.identityChain(id) {
			add(x, id.Cert.Path, i > 0)
		}
		if ca != nil && !c.legacy() {
			for _, x := range c.pathCAs(c.identityChain(id)) {
				add(x, ca.Path, true)
			}
		}
	}
	if ca != nil && c.legacy() {
		for _, x := range c.caPool(ca) {
			add(x, ca.Path, true)
		}
	}
	return refs
}

// caWalk is the walk from start through the CA file to a self-issued
// root, as QEMU 10.2 makes it ([creds.Walk], first candidate; with a
// loop guard QEMU lacks), made once per start certificate and object:
// several rules follow it, and each walk checks signatures.
func (c *Context) caWalk(ca *creds.File, start *x509.Certificate) []creds.ChainLink {
	if links, ok := c.walks[start]; ok {
		return links
	}
	w := creds.Walk{Pools: []creds.Pool{{From: "ca", Certs: ca.Certs}}, Sigs: &c.sigs, Bare: true}
	links := w.From(start, "")
	if c.walks == nil {
		c.walks = map[*x509.Certificate][]creds.ChainLink{}
	}
	c.walks[start] = links
	return links
}

// pathLoop returns the CA-file certificate that closes a loop on the walk
// of pathCAs (the CAs name each other as issuers), or nil.
func (c *Context) pathLoop(chain []*x509.Certificate) *x509.Certificate {
	ca := c.caFile()
	if ca == nil || len(chain) == 0 {
		return nil
	}
	links := c.caWalk(ca, chain[len(chain)-1])
	if last := links[len(links)-1]; last.Status == creds.LinkLoop {
		return last.Cert
	}
	return nil
}

// pathCAs walks from the last certificate of an identity chain through
// the CA file to a self-issued root ([Context.caWalk]). It returns the
// CA-file certificates on the path, the one that closes a loop included,
// in a slice of its own.
func (c *Context) pathCAs(chain []*x509.Certificate) []*x509.Certificate {
	ca := c.caFile()
	if ca == nil || len(chain) == 0 {
		return nil
	}
	var path []*x509.Certificate
	for _, l := range c.caWalk(ca, chain[len(chain)-1])[1:] {
		if l.Cert != nil {
			path = append(path, l.Cert)
		}
	}
	return path
}
