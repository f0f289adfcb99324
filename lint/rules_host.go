package lint

import (
	"net"
	"strings"
)

var (
	_ = register(&Rule{
		ID: "host-not-covered", Severity: Error, Subject: SubjectServer,
		Summary:  "a --host the endpoint is reached by is not covered by the server certificate",
		Citation: "GnuTLS check_hostname2 (IP addresses match IP SANs only); RFC 6125",
		QEMU:     "Certificate does not match the hostname %s",
		Libvirt:  "Certificate %s owner does not match the hostname %s",
		Fix:      "reissue the server certificate with every name clients use: DNS names as --name, addresses as --ip",
		check:    checkHosts,
	})
)

func checkHosts(c *Context, r *Rule) {
	if !c.Server() || len(c.Opts.Hosts) == 0 {
		return
	}
	ids := c.identities()
	for _, host := range c.Opts.Hosts {
		covered := false
		for _, id := range ids {
			if id.Cert.Certs[0].VerifyHostname(host) == nil {
				covered = true
			}
		}
		if covered || len(ids) == 0 {
			continue
		}
		x := ids[0].Cert.Certs[0]
		names := append([]string{}, x.DNSNames...)
		for _, ip := range x.IPAddresses {
			names = append(names, ip.String())
		}
		hint := ""
		if net.ParseIP(host) != nil {
			hint = "; an IP address matches IP SANs only, never a DNS name or the CN"
		}
		c.add(r, ids[0].Cert.Path, "clients reach the server as %q, but its certificate covers only [%s]%s", host, strings.Join(names, ", "), hint)
	}
}
