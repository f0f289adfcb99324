package diagnose

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds/certname"
)

// Helpers that word certificates for messages: names quoted, lists
// joined, times in UTC.

func hasSAN(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 17}) {
			return true
		}
	}
	return false
}

func sanList(c *x509.Certificate) string {
	var parts []string
	if len(c.DNSNames) > 0 {
		parts = append(parts, "DNS names "+quoteList(c.DNSNames))
	} else {
		parts = append(parts, "no DNS names")
	}
	if len(c.IPAddresses) > 0 {
		ips := make([]string, len(c.IPAddresses))
		for i, ip := range c.IPAddresses {
			ips[i] = ip.String()
		}
		parts = append(parts, "IP addresses "+quoteList(ips))
	} else {
		parts = append(parts, "no IP addresses")
	}
	return strings.Join(parts, " and ")
}

func ekuList(c *x509.Certificate) string {
	var names []string
	for _, u := range c.ExtKeyUsage {
		names = append(names, certname.Usage(u))
	}
	for _, o := range c.UnknownExtKeyUsage {
		names = append(names, o.String())
	}
	if len(names) == 0 {
		return "empty"
	}
	return strings.Join(names, ", ")
}

// allows reports whether c's extendedKeyUsage permits usage (no extension
// permits everything).
func allows(c *x509.Certificate, usage x509.ExtKeyUsage) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	return slices.Contains(c.ExtKeyUsage, usage) || slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny)
}

// dnString renders a raw DER distinguished name (from a
// CertificateRequest's certificate_authorities) in RFC 4514 form.
func dnString(raw []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) > 0 {
		return fmt.Sprintf("(unparsable name, %d bytes)", len(raw))
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return n.String()
}

func akiSuffix(c *x509.Certificate) string {
	if len(c.AuthorityKeyId) == 0 {
		return ""
	}
	return fmt.Sprintf(" (authority key id %X)", c.AuthorityKeyId)
}

func fileSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " " + f
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// human renders a duration in days, hours or minutes.
func human(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%d seconds", int(d.Seconds()))
}
