package gnutlspem

import (
	"bytes"
	"encoding/asn1"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// GnuTLS error texts for certificates that decode from PEM but that
// GnuTLS 3.7.9 refuses (measured through qemu-img 7.2, 10.0, 10.1, 10.2).
const (
	TextTimeEncoding = "The DER time encoding is invalid."
	TextCertificate  = "Error in the certificate."
)

// This file is the DER half of the reader: what GnuTLS 3.7.9 (libtasn1)
// refuses in a certificate or key that Go's crypto/x509 accepts, and the
// reverse, what GnuTLS loads that crypto/x509 refuses. Measured with
// fixtures.HostileSets through all four QEMU builds
// (lint/qemudiff TestHostileDifferential):
//
//   - GnuTLS refuses, Go accepts: an element after the signature inside
//     the Certificate SEQUENCE ("Error in DER parsing"); a UTCTime or
//     GeneralizedTime with a +hhmm/-hhmm offset ("The DER time encoding
//     is invalid"); a v1 or v2 certificate with extensions ("Error in the
//     certificate"); bytes after a private key's DER inside the base64
//     ("Error in DER parsing").
//   - GnuTLS loads, Go refuses: negative, empty and non-minimal serials;
//     version 5; impossible dates (February 30); non-ASCII bytes in a
//     dNSName or rfc822Name; odd-length BMPStrings and invalid UTF-8 in
//     names. [RepairCert] rewrites such a certificate into one Go parses.

// element is one DER element: its tag byte, contents and whole encoding.
type element struct {
	tag  byte
	body []byte
	full []byte
}

// readElement reads the first DER element of b, leniently (as libtasn1
// does for the contents it does not interpret): definite lengths only.
func readElement(b []byte) (element, []byte, error) {
	if len(b) < 2 {
		return element{}, nil, fmt.Errorf("truncated element")
	}
	tag, n := b[0], int(b[1])
	if tag&0x1f == 0x1f {
		return element{}, nil, fmt.Errorf("multi-byte tag")
	}
	hdr := 2
	if n&0x80 != 0 {
		l := n & 0x7f
		if l == 0 || l > 4 || len(b) < 2+l {
			return element{}, nil, fmt.Errorf("bad length")
		}
		n = 0
		for _, c := range b[2 : 2+l] {
			n = n<<8 | int(c)
		}
		hdr += l
	}
	if n < 0 || len(b)-hdr < n {
		return element{}, nil, fmt.Errorf("truncated element")
	}
	return element{tag: tag, body: b[hdr : hdr+n], full: b[:hdr+n]}, b[hdr+n:], nil
}

// children splits the contents of a constructed element.
func children(body []byte) ([]element, error) {
	var out []element
	for len(body) > 0 {
		e, rest, err := readElement(body)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		body = rest
	}
	return out, nil
}

// certParts are the elements of a certificate.
type certParts struct {
	outer             []element // TBSCertificate, signatureAlgorithm, signature[, more]
	version           *element
	serial, validity  element
	issuer, subject   element
	tbsFields         []element
	versionNum        int
	extensions        *element
	issuerI, subjectI int // indexes in tbsFields
}

func splitCert(der []byte) (*certParts, error) {
	c, _, err := readElement(der)
	if err != nil || c.tag != 0x30 {
		return nil, fmt.Errorf("not a SEQUENCE")
	}
	p := &certParts{}
	if p.outer, err = children(c.body); err != nil || len(p.outer) < 3 || p.outer[0].tag != 0x30 {
		return nil, fmt.Errorf("not a certificate")
	}
	if p.tbsFields, err = children(p.outer[0].body); err != nil {
		return nil, err
	}
	f := p.tbsFields
	i := 0
	if len(f) > 0 && f[0].tag == 0xa0 {
		p.version = &f[0]
		v, _, err := readElement(f[0].body)
		if err != nil || v.tag != 0x02 {
			return nil, fmt.Errorf("bad version")
		}
		for _, b := range v.body {
			p.versionNum = p.versionNum<<8 | int(b)
			if p.versionNum > 1<<20 {
				break
			}
		}
		i = 1
	}
	if len(f) < i+6 {
		return nil, fmt.Errorf("short TBSCertificate")
	}
	p.serial, p.issuer, p.validity, p.subject = f[i], f[i+2], f[i+3], f[i+4]
	p.issuerI, p.subjectI = i+2, i+4
	for j := i + 6; j < len(f); j++ {
		if f[j].tag == 0xa3 {
			p.extensions = &f[j]
		}
	}
	return p, nil
}

// CheckCert returns what GnuTLS 3.7.9 refuses in a certificate's DER that
// Go's crypto/x509 may accept, as an *Error carrying GnuTLS's text, or nil.
// It does not judge what it cannot split: that is for the full parser.
func CheckCert(der []byte) error {
	p, err := splitCert(der)
	if err != nil {
		return nil
	}
	if len(p.outer) > 3 {
		return fail(TextASN1DER, "the certificate has %d elements after its signature inside its SEQUENCE; GnuTLS refuses it", len(p.outer)-3)
	}
	if p.extensions != nil && p.versionNum < 2 {
		return fail(TextCertificate, "an X.509 v%d certificate with extensions (extensions need v3); GnuTLS refuses it", p.versionNum+1)
	}
	times, err := children(p.validity.body)
	if err == nil {
		for i, t := range times {
			if (t.tag == 0x17 || t.tag == 0x18) && !bytes.HasSuffix(t.body, []byte("Z")) {
				which := [...]string{"notBefore", "notAfter"}[min(i, 1)]
				return fail(TextTimeEncoding, "the %s time %q has a time-zone offset instead of Z (RFC 5280 4.1.2.5); GnuTLS refuses it", which, printable(t.body))
			}
		}
	}
	return nil
}

// CheckKey returns an *Error when a private key's DER (PKCS#1, SEC 1 or
// PKCS#8, decoded from its PEM block) has bytes after its one element:
// GnuTLS refuses such a key with "Error in DER parsing", Go ignores them.
func CheckKey(der []byte) error {
	e, rest, err := readElement(der)
	if err != nil || len(rest) == 0 || e.tag != 0x30 {
		return nil // not a key at all: the key parsers say what it is
	}
	return fail(TextASN1DER, "the key's DER is followed by %d more bytes inside the base64; GnuTLS refuses it", len(rest))
}

// RepairCert rewrites a certificate that GnuTLS loads but Go's
// crypto/x509 refuses into one crypto/x509 parses, and says what it
// changed. The repairs keep the meaning GnuTLS gives the fields: a serial
// becomes its minimal encoding (a negative one its magnitude), a version
// above 3 becomes 3, an impossible date is normalised as mktime does
// (February 30 is March 2), and a string or name Go refuses (an
// odd-length BMPString, invalid UTF-8, a non-ASCII dNSName) becomes the
// same bytes escaped in ASCII. The result is not signed again: callers
// keep the original TBSCertificate for signature checks. ok is false when
// nothing was found to repair.
func RepairCert(der []byte) (repaired []byte, changes []string, ok bool) {
	p, err := splitCert(der)
	if err != nil {
		return nil, nil, false
	}
	fields := make([][]byte, len(p.tbsFields))
	for i, f := range p.tbsFields {
		fields[i] = f.full
	}
	i0 := 0
	if p.version != nil {
		i0 = 1
		if p.versionNum > 2 {
			fields[0] = []byte{0xa0, 0x03, 0x02, 0x01, 0x02}
			changes = append(changes, fmt.Sprintf("the version is %d (only 1 to 3 exist)", p.versionNum+1))
		}
	}
	if s, what := minimalInteger(p.serial.body); what != "" {
		fields[i0] = tlv(0x02, s)
		changes = append(changes, "the serial number is "+what)
	}
	if times, err := children(p.validity.body); err == nil {
		var out [][]byte
		for i, t := range times {
			nt, what := normaliseTime(t)
			if what != "" {
				changes = append(changes, fmt.Sprintf("the %s time %s", [...]string{"notBefore", "notAfter"}[min(i, 1)], what))
			}
			out = append(out, nt)
		}
		fields[i0+3] = tlv(0x30, bytes.Join(out, nil))
	}
	for _, idx := range []int{p.issuerI, p.subjectI} {
		name, what := repairName(p.tbsFields[idx])
		if what != "" {
			changes = append(changes, fmt.Sprintf("the %s has %s", map[int]string{p.issuerI: "issuer", p.subjectI: "subject"}[idx], what))
			fields[idx] = name
		}
	}
	if p.extensions != nil {
		for i, f := range p.tbsFields {
			if f.tag == 0xa3 {
				ext, what := repairSAN(f)
				if what != "" {
					changes = append(changes, "the subjectAltName has "+what)
					fields[i] = ext
				}
			}
		}
	}
	if len(changes) == 0 {
		return nil, nil, false
	}
	tbs := tlv(0x30, bytes.Join(fields, nil))
	var outer [][]byte
	outer = append(outer, tbs)
	for _, e := range p.outer[1:] {
		outer = append(outer, e.full)
	}
	return tlv(0x30, bytes.Join(outer, nil)), changes, true
}

// TBS returns the TBSCertificate element of a certificate's DER.
func TBS(der []byte) []byte {
	p, err := splitCert(der)
	if err != nil {
		return nil
	}
	return p.outer[0].full
}

func tlv(tag byte, body []byte) []byte {
	n := len(body)
	switch {
	case n < 0x80:
		return append([]byte{tag, byte(n)}, body...)
	case n < 0x100:
		return append([]byte{tag, 0x81, byte(n)}, body...)
	case n < 0x10000:
		return append([]byte{tag, 0x82, byte(n >> 8), byte(n)}, body...)
	default:
		return append([]byte{tag, 0x83, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
	}
}

// minimalInteger is the minimal positive encoding of a serial and why it
// was needed, or "" when the encoding is already one Go accepts.
func minimalInteger(b []byte) ([]byte, string) {
	switch {
	case len(b) == 0:
		return []byte{0}, "empty (an INTEGER with no content octets)"
	case b[0]&0x80 != 0:
		mag := append([]byte{0}, b...)
		return mag, fmt.Sprintf("negative (0x%X)", b)
	case len(b) > 1 && b[0] == 0 && b[1]&0x80 == 0:
		s := bytes.TrimLeft(b, "\x00")
		if len(s) == 0 || s[0]&0x80 != 0 {
			s = append([]byte{0}, s...)
		}
		return s, fmt.Sprintf("not minimally encoded (0x%X)", b)
	}
	return b, ""
}

// normaliseTime rewrites a UTCTime or GeneralizedTime whose fields are out
// of range (February 30, hour 24) as mktime would read it.
func normaliseTime(t element) ([]byte, string) {
	s := string(t.body)
	if !strings.HasSuffix(s, "Z") || (t.tag != 0x17 && t.tag != 0x18) {
		return t.full, ""
	}
	digits := strings.TrimSuffix(s, "Z")
	var year int
	switch t.tag {
	case 0x17:
		if len(digits) != 10 && len(digits) != 12 {
			return t.full, ""
		}
		y, err := strconv.Atoi(digits[:2])
		if err != nil {
			return t.full, ""
		}
		year, digits = 1900+y, digits[2:]
		if y < 50 {
			year += 100
		}
	case 0x18:
		if len(digits) != 14 {
			return t.full, ""
		}
		y, err := strconv.Atoi(digits[:4])
		if err != nil {
			return t.full, ""
		}
		year, digits = y, digits[4:]
	}
	if len(digits) == 8 {
		digits += "00"
	}
	var v [5]int
	for i := range v {
		n, err := strconv.Atoi(digits[2*i : 2*i+2])
		if err != nil {
			return t.full, ""
		}
		v[i] = n
	}
	tm := time.Date(year, time.Month(v[0]), v[1], v[2], v[3], v[4], 0, time.UTC)
	if tm.Year() == year && int(tm.Month()) == v[0] && tm.Day() == v[1] && tm.Hour() == v[2] && tm.Minute() == v[3] && tm.Second() == v[4] {
		return t.full, ""
	}
	what := fmt.Sprintf("%q is not a real date (read as %s)", s, tm.Format(time.RFC3339))
	if tm.Year() >= 1950 && tm.Year() < 2050 {
		return tlv(0x17, []byte(tm.Format("060102150405Z"))), what
	}
	return tlv(0x18, []byte(tm.Format("20060102150405Z"))), what
}

// escapeASCII writes b with every byte that is not printable ASCII as \xNN.
func escapeASCII(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, "\\x%02x", c)
		}
	}
	return s.String()
}

// repairName rewrites the attribute values of a Name that Go refuses
// (odd-length BMPString, invalid UTF-8 in a UTF8String, a UniversalString
// not a multiple of four) as UTF8Strings of their escaped bytes.
func repairName(name element) ([]byte, string) {
	rdns, err := children(name.body)
	if err != nil {
		return name.full, ""
	}
	var what []string
	var outRDNs [][]byte
	for _, rdn := range rdns {
		atvs, err := children(rdn.body)
		if err != nil {
			return name.full, ""
		}
		var outATVs [][]byte
		for _, atv := range atvs {
			parts, err := children(atv.body)
			if err != nil || len(parts) != 2 {
				return name.full, ""
			}
			v := parts[1]
			bad := ""
			switch {
			case v.tag == 0x1e && len(v.body)%2 != 0:
				bad = "an odd-length BMPString"
			case v.tag == 0x0c && !utf8.Valid(v.body):
				bad = "invalid UTF-8"
			case v.tag == 0x1c && len(v.body)%4 != 0:
				bad = "a malformed UniversalString"
			}
			if bad == "" {
				outATVs = append(outATVs, atv.full)
				continue
			}
			what = append(what, fmt.Sprintf("%s (%s)", bad, escapeASCII(v.body)))
			outATVs = append(outATVs, tlv(0x30, append(append([]byte{}, parts[0].full...), tlv(0x0c, []byte(escapeASCII(v.body)))...)))
		}
		outRDNs = append(outRDNs, tlv(0x31, bytes.Join(outATVs, nil)))
	}
	if len(what) == 0 {
		return name.full, ""
	}
	return tlv(0x30, bytes.Join(outRDNs, nil)), strings.Join(what, ", ")
}

var oidSAN = asn1.ObjectIdentifier{2, 5, 29, 17}

// repairSAN rewrites the dNSName, rfc822Name and URI entries of the
// subjectAltName extension that are not ASCII (IA5String) as escaped
// ASCII, in the [3] extensions element.
func repairSAN(exts element) ([]byte, string) {
	seq, _, err := readElement(exts.body)
	if err != nil {
		return exts.full, ""
	}
	list, err := children(seq.body)
	if err != nil {
		return exts.full, ""
	}
	var what []string
	var out [][]byte
	for _, ext := range list {
		parts, err := children(ext.body)
		if err != nil || len(parts) < 2 {
			return exts.full, ""
		}
		var oid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(parts[0].full, &oid); err != nil || !oid.Equal(oidSAN) {
			out = append(out, ext.full)
			continue
		}
		value := parts[len(parts)-1]
		names, _, err := readElement(value.body)
		if err != nil {
			return exts.full, ""
		}
		gns, err := children(names.body)
		if err != nil {
			return exts.full, ""
		}
		var outGN [][]byte
		for _, gn := range gns {
			if kind := map[byte]string{0x81: "rfc822Name", 0x82: "dNSName", 0x86: "URI"}[gn.tag]; kind != "" && !isASCII(gn.body) {
				what = append(what, fmt.Sprintf("a %s that is not ASCII (%s)", kind, escapeASCII(gn.body)))
				outGN = append(outGN, tlv(gn.tag, []byte(escapeASCII(gn.body))))
				continue
			}
			outGN = append(outGN, gn.full)
		}
		var ep [][]byte
		for _, p := range parts[:len(parts)-1] {
			ep = append(ep, p.full)
		}
		ep = append(ep, tlv(0x04, tlv(0x30, bytes.Join(outGN, nil))))
		out = append(out, tlv(0x30, bytes.Join(ep, nil)))
	}
	if len(what) == 0 {
		return exts.full, ""
	}
	return tlv(0xa3, tlv(0x30, bytes.Join(out, nil))), strings.Join(what, ", ")
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
