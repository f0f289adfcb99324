package lint

import (
	"github.com/tlscreds/tlscreds/creds"
)

// This file holds what differs between QEMU versions, as data of the
// profile's QEMUBuild (profile.go), so every rule has one implementation
// parameterised by consumer and version.

// build is the QEMU build of the context's profile; ok is false for
// libvirt.
func (c *Context) build() (QEMUBuild, bool) { return c.Opts.Profile.Build() }

// modern reports whether the profile's consumer is QEMU 10.2's loader.
func (c *Context) modern() bool {
	b, ok := c.build()
	return ok && b.Modern
}

// idFiles are the identities the consumer reads: QEMU 10.2 reads the base
// pair and server-cert-N.pem/server-key-N.pem up to the first N where
// both are absent; earlier QEMUs (and libvirt) read the base pair only.
func (c *Context) idFiles() []creds.IdentityFiles {
	all := c.M.Identities()
	if c.modern() {
		return all
	}
	var out []creds.IdentityFiles
	for _, id := range all {
		if id.Index == creds.BaseIdentity {
			out = append(out, id)
		}
	}
	return out
}

// fileRead reports whether the consumer reads f at all: numbered identity
// files past a gap (10.2), or any numbered identity file (before 10.2),
// are never opened.
func (c *Context) fileRead(f *creds.File) bool {
	if (f.Role != creds.RoleCert && f.Role != creds.RoleKey) || f.Index == creds.BaseIdentity {
		return true
	}
	for _, id := range c.idFiles() {
		if id.Index == f.Index {
			return true
		}
	}
	return false
}

// QEMU's load-time sanity check (sanity-check=on, the default) runs the
// checks of sanityRules (libvirt.go), and in 10.2 check_authority_chain
// (chain-unsorted): with sanity-check=off QEMU lets GnuTLS load the files
// and refuses none of these, so they become warnings (verifying peers
// still refuse what they find).
func init() {
	for id := range sanityRules {
		if r := registry[id]; r != nil {
			r.Sanity = true
		}
	}
	registry["chain-unsorted"].Sanity = true
}

// sanityOff reports whether the object is loaded with sanity-check=off.
func (c *Context) sanityOff() bool {
	return c.M.Spec.Kind == creds.KindX509 && !c.M.Spec.SanityCheck
}
