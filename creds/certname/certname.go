// Package certname names certificates and their extended key usages in
// messages, the same way everywhere: lint findings, diagnose
// explanations, inspect output and the fixtures generator all use it.
//
// # Names
//
// [Of] and [Issuer] give a certificate's short name (its CN, else its
// subject DN, quoted).
//
// # Extended key usages
//
// One table holds the purposes of RFC 5280 section 4.2.1.12 and those
// crypto/x509 knows: [EKU] names an OID, [Usage] names an
// [x509.ExtKeyUsage] and [UsageOID] gives its OID.
package certname

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
)

// Of is a short, quoted name for c in messages: its common name, else its
// whole subject DN.
func Of(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return fmt.Sprintf("%q", c.Subject.CommonName)
	}
	return fmt.Sprintf("%q", c.Subject.String())
}

// Issuer is [Of] for c's issuer name.
func Issuer(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	}
	return fmt.Sprintf("%q", c.Issuer.String())
}

// usage is one extended key usage: crypto/x509's constant, its
// OID and its name (RFC 5280 4.2.1.12, or the vendor's).
type usage struct {
	x509 x509.ExtKeyUsage
	oid  asn1.ObjectIdentifier
	name string
}

var usages = []usage{
	{x509.ExtKeyUsageAny, asn1.ObjectIdentifier{2, 5, 29, 37, 0}, "anyExtendedKeyUsage"},
	{x509.ExtKeyUsageServerAuth, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}, "serverAuth"},
	{x509.ExtKeyUsageClientAuth, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}, "clientAuth"},
	{x509.ExtKeyUsageCodeSigning, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 3}, "codeSigning"},
	{x509.ExtKeyUsageEmailProtection, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 4}, "emailProtection"},
	{x509.ExtKeyUsageIPSECEndSystem, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 5}, "ipsecEndSystem"},
	{x509.ExtKeyUsageIPSECTunnel, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 6}, "ipsecTunnel"},
	{x509.ExtKeyUsageIPSECUser, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 7}, "ipsecUser"},
	{x509.ExtKeyUsageTimeStamping, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}, "timeStamping"},
	{x509.ExtKeyUsageOCSPSigning, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 9}, "OCSPSigning"},
	{x509.ExtKeyUsageMicrosoftServerGatedCrypto, asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 3}, "msSGC"},
	{x509.ExtKeyUsageNetscapeServerGatedCrypto, asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 4, 1}, "nsSGC"},
	{x509.ExtKeyUsageMicrosoftCommercialCodeSigning, asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 1, 22}, "msCodeCom"},
	{x509.ExtKeyUsageMicrosoftKernelCodeSigning, asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 61, 1, 1}, "msKernelCodeSigning"},
}

// EKU names an extended key usage OID; an OID the table does not hold is
// given in dotted form.
func EKU(oid asn1.ObjectIdentifier) string {
	for _, u := range usages {
		if u.oid.Equal(oid) {
			return u.name
		}
	}
	return oid.String()
}

// Usage names a crypto/x509 extended key usage.
func Usage(u x509.ExtKeyUsage) string {
	for _, x := range usages {
		if x.x509 == u {
			return x.name
		}
	}
	return fmt.Sprintf("usage %d", u)
}

// UsageOID is the OID of a crypto/x509 extended key usage.
func UsageOID(u x509.ExtKeyUsage) (asn1.ObjectIdentifier, bool) {
	for _, x := range usages {
		if x.x509 == u {
			return x.oid, true
		}
	}
	return nil, false
}
