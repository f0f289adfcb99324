package creds

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds/certname"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// CertInfo describes one certificate: everything `tlscreds inspect` shows,
// as data. Names are given twice: Subject and Issuer in the GnuTLS form
// QEMU and libvirt print and compare (see [DN]), and in RFC 4514 form as Go
// prints them.
type CertInfo struct {
	Subject        string `json:"subject"`
	Issuer         string `json:"issuer"`
	SubjectRFC4514 string `json:"subject_rfc4514"`
	IssuerRFC4514  string `json:"issuer_rfc4514"`
	SANs           SANs   `json:"sans"`

	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// DaysLeft is the number of whole days until NotAfter; negative once
	// the certificate has expired.
	DaysLeft int `json:"days_left"`

	KeyAlgorithm       string `json:"key_algorithm"` // "RSA", "ECDSA", "Ed25519"
	KeyBits            int    `json:"key_bits"`
	Curve              string `json:"curve,omitempty"` // "P-256"; empty for RSA and Ed25519
	SignatureAlgorithm string `json:"signature_algorithm"`
	// Serial is the serial number in hex, bytes separated by colons, as
	// `openssl x509 -text` prints it.
	Serial string `json:"serial"`

	IsCA bool `json:"is_ca"`
	// PathLen is the pathLenConstraint; nil when there is none.
	PathLen          *int      `json:"path_len"`
	BasicConstraints Extension `json:"basic_constraints"`
	KeyUsage         Usage     `json:"key_usage"`
	ExtKeyUsage      Usage     `json:"ext_key_usage"`
	// SubjectKeyID and AuthorityKeyID are upper-case hex with colons, as
	// `openssl x509 -text` prints them; empty when absent.
	SubjectKeyID   string `json:"subject_key_id,omitempty"`
	AuthorityKeyID string `json:"authority_key_id,omitempty"`
	SelfSigned     bool   `json:"self_signed"`

	// SHA256Fingerprint is the SHA-256 of the whole certificate in the form
	// `openssl x509 -noout -fingerprint -sha256` prints: upper-case hex,
	// colons between bytes.
	SHA256Fingerprint string `json:"sha256_fingerprint"`
	// SPKISHA256 is "sha256:" and the lower-case hex SHA-256 of the
	// SubjectPublicKeyInfo, as certtool prints the "Public Key ID".
	SPKISHA256 string `json:"spki_sha256"`
	// PinSHA256 is the same hash in base64: the HPKP pin-sha256 value,
	// certtool's "Public Key PIN" and curl's --pinnedpubkey sha256//PIN.
	PinSHA256 string `json:"pin_sha256"`
}

// SANs are a certificate's subject alternative names, as strings.
type SANs struct {
	DNS   []string `json:"dns"`
	IP    []string `json:"ip"`
	URI   []string `json:"uri"`
	Email []string `json:"email"`
}

// All lists the names as "DNS:x", "IP:x", "URI:x" and "email:x", in that order.
func (s SANs) All() []string {
	var out []string
	for _, l := range []struct {
		prefix string
		names  []string
	}{{"DNS:", s.DNS}, {"IP:", s.IP}, {"URI:", s.URI}, {"email:", s.Email}} {
		for _, n := range l.names {
			out = append(out, l.prefix+n)
		}
	}
	return out
}

// Extension says whether an extension is present and critical.
type Extension struct {
	Present  bool `json:"present"`
	Critical bool `json:"critical"`
}

// Usage is a keyUsage or extKeyUsage extension: the RFC 5280 names of the
// bits or purposes, in encoding order. Unknown purposes are dotted OIDs.
type Usage struct {
	Extension
	Names []string `json:"names"`
}

// OpenSSLFingerprint is the line `openssl x509 -noout -fingerprint -sha256`
// prints for the certificate. OpenSSL 3 labels it "sha256 Fingerprint=";
// OpenSSL 1.1.1 wrote "SHA256 Fingerprint=".
func (ci *CertInfo) OpenSSLFingerprint() string {
	return "sha256 Fingerprint=" + ci.SHA256Fingerprint
}

// Object identifiers of the extensions CertInfo reports on.
var (
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
)

// DescribeCert describes c as of now.
func DescribeCert(c *x509.Certificate, now time.Time) CertInfo {
	ci := CertInfo{
		Subject:            dnOrHex(c.RawSubject),
		Issuer:             dnOrHex(c.RawIssuer),
		SubjectRFC4514:     c.Subject.String(),
		IssuerRFC4514:      c.Issuer.String(),
		NotBefore:          c.NotBefore.UTC(),
		NotAfter:           c.NotAfter.UTC(),
		DaysLeft:           int(math.Floor(c.NotAfter.Sub(now).Hours() / 24)),
		SignatureAlgorithm: c.SignatureAlgorithm.String(),
		Serial:             serialHex(c),
		IsCA:               c.BasicConstraintsValid && c.IsCA,
		BasicConstraints:   extension(c, oidBasicConstraints),
		KeyUsage:           Usage{Extension: extension(c, oidKeyUsage), Names: keyUsageNames(c.KeyUsage)},
		ExtKeyUsage:        Usage{Extension: extension(c, oidExtKeyUsage), Names: extKeyUsageNames(c)},
		SubjectKeyID:       colonHex(c.SubjectKeyId, true),
		AuthorityKeyID:     colonHex(c.AuthorityKeyId, true),
		SelfSigned:         SelfSigned(c),
	}
	// Empty lists rather than nil, so that JSON shows [] and not null.
	ci.SANs = SANs{DNS: append([]string{}, c.DNSNames...), IP: []string{}, URI: []string{}, Email: append([]string{}, c.EmailAddresses...)}
	for _, ip := range c.IPAddresses {
		ci.SANs.IP = append(ci.SANs.IP, ip.String())
	}
	for _, u := range c.URIs {
		ci.SANs.URI = append(ci.SANs.URI, u.String())
	}
	ci.KeyAlgorithm, ci.KeyBits, ci.Curve = privkey.Describe(c.PublicKey)
	if ci.KeyAlgorithm == "" {
		ci.KeyAlgorithm = c.PublicKeyAlgorithm.String()
	}
	if c.BasicConstraintsValid && c.MaxPathLen >= 0 && (c.MaxPathLen > 0 || c.MaxPathLenZero) {
		n := c.MaxPathLen
		ci.PathLen = &n
	}
	fp := sha256.Sum256(c.Raw)
	ci.SHA256Fingerprint = colonHex(fp[:], true)
	spki := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	ci.SPKISHA256 = "sha256:" + hex.EncodeToString(spki[:])
	ci.PinSHA256 = base64.StdEncoding.EncodeToString(spki[:])
	return ci
}

// dnOrHex is DN, or '#' and the hex of the name when it does not parse
// (which crypto/x509 would have refused already).
func dnOrHex(raw []byte) string {
	if s, err := DN(raw); err == nil {
		return s
	}
	return "#" + hex.EncodeToString(raw)
}

func serialHex(c *x509.Certificate) string {
	if c.SerialNumber == nil {
		return ""
	}
	b := c.SerialNumber.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	s := colonHex(b, false)
	if c.SerialNumber.Sign() < 0 {
		s = "-" + s
	}
	return s
}

func colonHex(b []byte, upper bool) string {
	if len(b) == 0 {
		return ""
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
		if upper {
			parts[i] = fmt.Sprintf("%02X", x)
		}
	}
	return strings.Join(parts, ":")
}

func extension(c *x509.Certificate, oid asn1.ObjectIdentifier) Extension {
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			return Extension{Present: true, Critical: e.Critical}
		}
	}
	return Extension{}
}

// keyUsageNames are the RFC 5280 section 4.2.1.3 names, in bit order.
func keyUsageNames(ku x509.KeyUsage) []string {
	names := []string{"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
		"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
	out := []string{}
	for i, n := range names {
		if ku&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// extKeyUsageNames reads the extension itself to keep the encoding order,
// which crypto/x509 splits into known and unknown purposes.
func extKeyUsageNames(c *x509.Certificate) []string {
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidExtKeyUsage) {
			continue
		}
		var oids []asn1.ObjectIdentifier
		if rest, err := asn1.Unmarshal(e.Value, &oids); err != nil || len(rest) > 0 {
			return []string{}
		}
		out := make([]string, len(oids))
		for i, o := range oids {
			out[i] = certname.EKU(o)
		}
		return out
	}
	return []string{}
}
