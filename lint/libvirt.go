package lint

import (
	"crypto/x509"

	"github.com/tlscreds/tlscreds/creds"
)

// What the libvirt profile knows about libvirt 9.0's loader
// (src/rpc/virnettlscontext.c), each fact measured against Debian 12's
// libvirtd and virsh by TestDifferentialAgainstLibvirt:
//
//   - the sanity check imports at most libvirtCAMax certificates of
//     cacert.pem (gnutls_x509_crt_list_import without FAIL_IF_EXCEED) and
//     checks each as a CA; an issuer beyond them is "not a known issuer";
//   - it reads cacert.pem and the certificate file with
//     virFileReadAll(..., 1<<16): a file over 64 KiB fails;
//   - cacrl.pem is loaded on both sides when it exists;
//   - a client's lone certificate or key is dropped (the certificate is
//     still sanity-checked), a server's is refused;
//   - a critical keyUsage needs keyEncipherment whatever the key type;
//   - its EKU loop counts an unknown purpose for both roles and
//     anyExtendedKeyUsage for neither;
//   - it never reads dh-params.pem and never looks at modes or owners.

// libvirtCAMax is how many certificates of cacert.pem libvirt 9.0's sanity
// check imports (its MAX_CERTS).
const libvirtCAMax = 16

// libvirtFileMax is libvirt 9.0's read cap for the files its sanity check
// reads itself (cacert.pem and the certificate): 1<<16 bytes is accepted,
// one more byte is not (measured).
const libvirtFileMax = 1 << 16

func (c *Context) libvirt() bool { return c.Opts.Profile == ProfileLibvirt }

// caPool is the part of the CA file the profile's consumer checks and
// verifies against: libvirt 9.0 and QEMU up to 10.0 import only the first
// 16 certificates (gnutls_x509_crt_list_import into a fixed array), so an
// issuer in 17th place is not found and a bad certificate there is never
// looked at; QEMU 10.1 reads them all ("crypto: load all certificates in
// X509 CA file").
func (c *Context) caPool(ca *creds.File) []*x509.Certificate {
	max := 0
	if c.libvirt() {
		max = libvirtCAMax
	} else if b, ok := c.build(); ok {
		max = b.CACap
	}
	if max > 0 && len(ca.Certs) > max {
		return ca.Certs[:max]
	}
	return ca.Certs
}

// sanityRules are the rules that reproduce libvirt's sanity check
// (virNetTLSContextSanityCheckCredentials): tls_no_sanity_certificate = 1
// (no_sanity=1 on a client URI) turns it off, so libvirt no longer
// refuses what they find.
var sanityRules = map[string]bool{
	"cert-expired": true, "cert-not-yet-valid": true,
	"ca-missing-basic-constraints": true, "ca-not-ca": true, "leaf-is-ca": true,
	"ca-key-usage-no-cert-sign": true, "leaf-key-usage-no-digital-signature": true,
	"leaf-key-usage-no-key-encipherment": true, "leaf-eku-wrong-purpose": true,
	"cert-weak-signature": true, "chain-no-issuer": true, "chain-signature-invalid": true,
	"cert-unknown-critical-extension": true, "leaf-self-signed": true, "aki-ski-mismatch": true,
	"file-too-large-libvirt": true,
}

// demote lowers an error the consumer would not give with the current
// settings to a warning, saying why.
func (c *Context) demote(r *Rule, sev Severity, msg string) (Severity, string) {
	if sev == Error && c.libvirt() && c.Opts.Libvirt.NoSanity && sanityRules[r.ID] {
		return Warning, msg + " (libvirt does not check this with tls_no_sanity_certificate = 1 / no_sanity=1; TLS peers still may)"
	}
	return sev, msg
}

// libvirtConsumer is libvirt's message for a finding about file f, where
// it depends on what the file is for (libvirt reports each kind of file
// through another call).
func libvirtConsumer(ruleID string, f *creds.File, c *Context) string {
	if f == nil {
		return ""
	}
	switch ruleID {
	case "file-der", "file-invalid", "file-unreadable", "file-unreadable-as-user":
		switch f.Role {
		case creds.RoleCA:
			if ruleID != "file-der" && ruleID != "file-invalid" {
				return "Unable to set x509 CA certificate: %s: %s"
			}
			return "Unable to import CA certificate list %s"
		case creds.RoleCert:
			if ruleID != "file-der" && ruleID != "file-invalid" {
				return "Unable to set x509 key and certificate: %s, %s: %s"
			}
			return "Unable to import " + c.roleWord() + " certificate %s"
		case creds.RoleKey:
			return "Unable to set x509 key and certificate: %s, %s: %s"
		case creds.RoleCRL:
			return "Unable to set x509 certificate revocation list: %s: %s"
		}
	case "file-missing":
		switch f.Role {
		case creds.RoleCA:
			return "Cannot read CA certificate '%s': No such file or directory"
		case creds.RoleCert:
			return "Cannot read certificate '%s': No such file or directory"
		case creds.RoleKey:
			return "Cannot read private key '%s': No such file or directory"
		}
	case "identity-unpaired":
		if f.Role == creds.RoleCert {
			return "Cannot read private key '%s': No such file or directory"
		}
		return "Cannot read certificate '%s': No such file or directory"
	}
	return ""
}

// fileByPath finds the object's file at path.
func (c *Context) fileByPath(path string) *creds.File {
	for _, f := range c.M.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}
