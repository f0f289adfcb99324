package lint

import (
	"strings"
)

// LibvirtSettings are the libvirt settings that change what libvirt
// refuses when it loads credentials or checks a peer.
type LibvirtSettings struct {
	// NoSanity skips libvirt's own certificate checks at load time:
	// tls_no_sanity_certificate = 1 in libvirtd.conf, no_sanity=1 in a
	// client URI. GnuTLS still loads the files.
	NoSanity bool
	// NoVerify stops libvirt from refusing a peer whose certificate fails
	// its checks: tls_no_verify_certificate = 1, no_verify=1.
	NoVerify bool
	// Priority is tls_priority (GnuTLS priority string), "" for libvirt's
	// default.
	Priority string
	// AllowedDN is tls_allowed_dn_list (server).
	AllowedDN []string
}

// ParseLibvirtSettings reads settings written as NAME=VALUE: no_sanity=1,
// no_verify=1, priority=STRING, allowed_dn=GLOB (repeatable), as the
// client URI spells them; libvirtd.conf's tls_no_sanity_certificate,
// tls_no_verify_certificate, tls_priority and tls_allowed_dn_list are
// accepted as well. Unknown names are ignored.
func ParseLibvirtSettings(kv []string) LibvirtSettings {
	var s LibvirtSettings
	for _, e := range kv {
		k, v, _ := strings.Cut(e, "=")
		switch strings.TrimSpace(k) {
		case "no_sanity", "tls_no_sanity_certificate":
			s.NoSanity = v != "0"
		case "no_verify", "tls_no_verify_certificate":
			s.NoVerify = v != "0"
		case "priority", "tls_priority":
			s.Priority = v
		case "allowed_dn", "tls_allowed_dn_list":
			s.AllowedDN = append(s.AllowedDN, v)
		}
	}
	return s
}
