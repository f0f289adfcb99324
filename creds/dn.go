package creds

import (
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// ErrBadName is matched (with [errors.Is]) by the error [DN] returns for
// bytes that are not a DER X.509 Name.
var ErrBadName = errors.New("not a DER-encoded X.509 name")

// DN renders a DER-encoded X.509 Name (a certificate's RawSubject or
// RawIssuer) the way GnuTLS's gnutls_x509_crt_get_dn prints it, which is
// what QEMU (peer names, authz lists, chain errors) and libvirt
// (tls_allowed_dn_list, virt-pki-query-dn) show and compare:
//
//   - RDNs in encoding order, not reversed as in RFC 4514 and
//     [pkix.Name.String]: a subject encoded C then CN prints "C=UK,CN=qemu".
//   - RDNs joined with ',' and the attributes of a multi-valued RDN with '+'.
//   - GnuTLS's attribute names (C, CN, O, OU, L, ST, DC, UID, EMAIL, street,
//     title, serialNumber, ...); other attributes as the dotted OID.
//   - Values escaped as in RFC 4514: a backslash before ,+"\<>; and before a
//     leading '#' or space and a trailing space.
//   - Values GnuTLS cannot print as text (unknown attributes, a string type
//     the attribute does not allow, a string holding NUL) as '#' and the hex
//     of the whole DER value.
//
// The output was checked byte for byte against GnuTLS 3.7.9 (Debian 12),
// including its quirks: TeletexString values with non-printable characters
// and UniversalString values print as `\#` and the hex of the string's
// contents, and invalid UTF-8 is passed through unchanged. Where GnuTLS fails
// (an empty string value), DN prints the empty value.
//
// Errors match [ErrBadName].
func DN(rawName []byte) (string, error) {
	var seq []relativeDistinguishedNameSET
	rest, err := asn1.Unmarshal(rawName, &seq)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadName, err)
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("%w: %d bytes after the name", ErrBadName, len(rest))
	}
	var b strings.Builder
	for i, rdn := range seq {
		for j, atv := range rdn {
			switch {
			case j > 0:
				b.WriteByte('+')
			case i > 0:
				b.WriteByte(',')
			}
			writeAttribute(&b, atv)
		}
	}
	return b.String(), nil
}

// attributeTypeAndValue keeps the value's DER, which pkix's version does not.
type attributeTypeAndValue struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// The "SET" suffix makes encoding/asn1 expect a SET OF.
type relativeDistinguishedNameSET []attributeTypeAndValue

// valueSyntax is the ASN.1 type GnuTLS expects for an attribute.
type valueSyntax int

const (
	directoryString   valueSyntax = iota // UTF8String, PrintableString, TeletexString, BMPString, UniversalString
	printableString                      // PrintableString only
	ia5String                            // IA5String only
	utf8String                           // UTF8String only
	challengePassword                    // PrintableString or UTF8String
	bmpString                            // BMPString only
)

type attributeType struct {
	name   string // "" prints the dotted OID
	syntax valueSyntax
}

// dnAttributes are the attributes GnuTLS 3.7.9 knows (lib/x509/common.c,
// _oid2str), with the names and value types it uses. Measured against
// gnutls_x509_crt_get_dn, not copied: GnuTLS spells "street", "title" and
// "serialNumber" this way, not STREET or SERIALNUMBER.
var dnAttributes = map[string]attributeType{
	"2.5.4.3":                    {"CN", directoryString},
	"2.5.4.4":                    {"surName", directoryString},
	"2.5.4.5":                    {"serialNumber", printableString},
	"2.5.4.6":                    {"C", printableString},
	"2.5.4.7":                    {"L", directoryString},
	"2.5.4.8":                    {"ST", directoryString},
	"2.5.4.9":                    {"street", directoryString},
	"2.5.4.10":                   {"O", directoryString},
	"2.5.4.11":                   {"OU", directoryString},
	"2.5.4.12":                   {"title", directoryString},
	"2.5.4.13":                   {"description", directoryString},
	"2.5.4.15":                   {"businessCategory", directoryString},
	"2.5.4.17":                   {"postalCode", directoryString},
	"2.5.4.20":                   {"telephoneNumber", printableString},
	"2.5.4.41":                   {"name", directoryString},
	"2.5.4.42":                   {"givenName", directoryString},
	"2.5.4.43":                   {"initials", directoryString},
	"2.5.4.44":                   {"generationQualifier", directoryString},
	"2.5.4.46":                   {"dnQualifier", printableString},
	"2.5.4.65":                   {"pseudonym", directoryString},
	"0.9.2342.19200300.100.1.1":  {"UID", directoryString},
	"0.9.2342.19200300.100.1.25": {"DC", ia5String},
	"1.2.840.113549.1.9.1":       {"EMAIL", ia5String},
	"1.2.840.113549.1.9.7":       {"", challengePassword},
	"1.2.840.113549.1.9.20":      {"", bmpString},
	"1.3.6.1.5.5.7.9.2":          {"placeOfBirth", directoryString},
	"1.3.6.1.5.5.7.9.3":          {"gender", printableString},
	"1.3.6.1.5.5.7.9.4":          {"countryOfCitizenship", printableString},
	"1.3.6.1.5.5.7.9.5":          {"countryOfResidence", printableString},
	"1.3.6.1.4.1.311.60.2.1.1":   {"jurisdictionOfIncorporationLocalityName", directoryString},
	"1.3.6.1.4.1.311.60.2.1.2":   {"jurisdictionOfIncorporationStateOrProvinceName", directoryString},
	"1.3.6.1.4.1.311.60.2.1.3":   {"jurisdictionOfIncorporationCountryName", printableString},
	"1.3.6.1.5.5.7.8.5":          {"XmppAddr", utf8String},
}

func writeAttribute(b *strings.Builder, atv attributeTypeAndValue) {
	oid := atv.Type.String()
	at, known := dnAttributes[oid]
	if known && at.name != "" {
		b.WriteString(at.name)
	} else {
		b.WriteString(oid)
	}
	b.WriteByte('=')
	if !known {
		b.WriteString(hexValue(atv.Value))
		return
	}
	text, escapeHex, ok := at.syntax.decode(atv.Value)
	switch {
	case !ok:
		b.WriteString(hexValue(atv.Value))
	case escapeHex:
		// GnuTLS hex-encodes these contents and then escapes the result
		// as if it were text, so the '#' gets a backslash.
		b.WriteString(escapeDNValue("#" + hex.EncodeToString(atv.Value.Bytes)))
	default:
		b.WriteString(escapeDNValue(text))
	}
}

// decode returns the value as text. escapeHex reports a value GnuTLS prints
// as escaped hex of its contents; ok is false for a value printed as the hex
// of its whole DER.
func (s valueSyntax) decode(v asn1.RawValue) (text string, escapeHex, ok bool) {
	if v.Class != asn1.ClassUniversal || v.IsCompound {
		return "", false, false
	}
	if !slices.Contains(syntaxTags[s], v.Tag) {
		return "", false, false
	}
	switch v.Tag {
	case asn1.TagT61String:
		for _, c := range v.Bytes {
			if c < 0x20 || c > 0x7e {
				return "", true, true
			}
		}
		text = string(v.Bytes)
	case tagUniversalString:
		return "", true, true
	case asn1.TagBMPString:
		if len(v.Bytes)%2 != 0 {
			return "", false, false
		}
		u := make([]uint16, len(v.Bytes)/2)
		for i := range u {
			u[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
		}
		text = string(utf16.Decode(u))
	default:
		text = string(v.Bytes)
	}
	if strings.IndexByte(text, 0) >= 0 {
		return "", false, false
	}
	return text, false, true
}

const tagUniversalString = 28

// syntaxTags are the string types GnuTLS accepts for each syntax.
var syntaxTags = map[valueSyntax][]int{
	directoryString:   {asn1.TagUTF8String, asn1.TagPrintableString, asn1.TagT61String, asn1.TagBMPString, tagUniversalString},
	printableString:   {asn1.TagPrintableString},
	ia5String:         {asn1.TagIA5String},
	utf8String:        {asn1.TagUTF8String},
	challengePassword: {asn1.TagPrintableString, asn1.TagUTF8String},
	bmpString:         {asn1.TagBMPString},
}

// hexValue is the LDAP form of a value that has no text form: '#' and the
// hex of its DER.
func hexValue(v asn1.RawValue) string {
	return "#" + hex.EncodeToString(v.FullBytes)
}

// escapeDNValue escapes a value as GnuTLS does (RFC 4514 section 2.4):
// a backslash before each of ,+"\<>; and before a leading '#' or space and
// a trailing space. Other characters, newlines included, are left as they are.
func escapeDNValue(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte(`,+"\<>;`, c) >= 0,
			i == 0 && (c == '#' || c == ' '),
			i == len(s)-1 && c == ' ':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
