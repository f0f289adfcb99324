package creds_test

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// dnATV and dnRDNSET build raw names with any string type, which
// pkix.Name cannot.
type dnATV struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

type dnRDNSET []dnATV

func dnOID(s string) asn1.ObjectIdentifier {
	var o asn1.ObjectIdentifier
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			panic(err)
		}
		o = append(o, n)
	}
	return o
}

// attr is one attribute: a dotted OID, an ASN.1 universal tag and the
// value's content bytes.
func attr(oid string, tag int, value string) dnATV {
	return dnATV{Type: dnOID(oid), Value: asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, Bytes: []byte(value)}}
}

func utf8(oid, value string) dnATV { return attr(oid, asn1.TagUTF8String, value) }

func bmp(oid, value string) dnATV {
	var b []byte
	for _, r := range value {
		b = append(b, byte(r>>8), byte(r))
	}
	return dnATV{Type: dnOID(oid), Value: asn1.RawValue{Tag: asn1.TagBMPString, Bytes: b}}
}

// rawName encodes RDNs in the order given; each RDN is a list of attributes.
func rawName(t *testing.T, rdns ...[]dnATV) []byte {
	t.Helper()
	seq := make([]dnRDNSET, len(rdns))
	for i, r := range rdns {
		seq[i] = dnRDNSET(r)
	}
	der, err := asn1.Marshal(seq)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func rdn(atvs ...dnATV) []dnATV { return atvs }

const (
	oidCN = "2.5.4.3"
	oidC  = "2.5.4.6"
	oidO  = "2.5.4.10"
	oidOU = "2.5.4.11"
)

// TestDN checks DN against what gnutls_x509_crt_get_dn printed for the
// same names (GnuTLS 3.7.9, Debian 12).
func TestDN(t *testing.T) {
	tests := []struct {
		name string
		rdns [][]dnATV
		want string
	}{
		{"encoding order", [][]dnATV{rdn(attr(oidC, asn1.TagPrintableString, "UK")), rdn(utf8(oidCN, "qemu"))}, "C=UK,CN=qemu"},
		{"reverse encoding order", [][]dnATV{rdn(utf8(oidCN, "qemu")), rdn(attr(oidC, asn1.TagPrintableString, "UK"))}, "CN=qemu,C=UK"},
		{"specials", [][]dnATV{rdn(utf8(oidCN, `a,b+c"d\e<f>g;h=i`))}, `CN=a\,b\+c\"d\\e\<f\>g\;h=i`},
		{"leading hash", [][]dnATV{rdn(utf8(oidCN, "#lead"))}, `CN=\#lead`},
		{"leading space", [][]dnATV{rdn(utf8(oidCN, " lead"))}, `CN=\ lead`},
		{"trailing space", [][]dnATV{rdn(utf8(oidCN, "trail "))}, `CN=trail\ `},
		{"single space", [][]dnATV{rdn(utf8(oidCN, " "))}, `CN=\ `},
		{"inner hash and equals", [][]dnATV{rdn(utf8(oidCN, "a#b=c"))}, `CN=a#b=c`},
		{"newline kept", [][]dnATV{rdn(utf8(oidCN, "a\nb"))}, "CN=a\nb"},
		{"multi-valued RDN", [][]dnATV{rdn(utf8(oidCN, "x"), utf8(oidO, "y")), rdn(attr(oidOU, asn1.TagPrintableString, "z"))}, "CN=x+O=y,OU=z"},
		{"names", [][]dnATV{
			rdn(utf8("2.5.4.12", "t")), rdn(attr("2.5.4.5", asn1.TagPrintableString, "123")), rdn(utf8("2.5.4.9", "st")),
			rdn(attr("0.9.2342.19200300.100.1.25", asn1.TagIA5String, "dc")), rdn(utf8("0.9.2342.19200300.100.1.1", "uid")),
			rdn(attr("1.2.840.113549.1.9.1", asn1.TagIA5String, "a@b")), rdn(utf8("2.5.4.7", "l")), rdn(utf8("2.5.4.8", "st")),
		}, "title=t,serialNumber=123,street=st,DC=dc,UID=uid,EMAIL=a@b,L=l,ST=st"},
		{"unknown OIDs", [][]dnATV{rdn(utf8("1.2.3.4", "unknown")), rdn(attr("1.2.3.5", asn1.TagInteger, "\x05"))}, "1.2.3.4=#0c07756e6b6e6f776e,1.2.3.5=#020105"},
		{"organizationIdentifier is unknown", [][]dnATV{rdn(utf8("2.5.4.97", "org"))}, "2.5.4.97=#0c036f7267"},
		{"BMPString", [][]dnATV{rdn(bmp(oidCN, "bmp é"))}, "CN=bmp é"},
		{"UniversalString", [][]dnATV{rdn(attr(oidCN, 28, "\x00\x00\x00u\x00\x00\x00n"))}, `CN=\#000000750000006e`},
		{"TeletexString ASCII", [][]dnATV{rdn(attr(oidCN, asn1.TagT61String, "teletex"))}, "CN=teletex"},
		{"TeletexString non-ASCII", [][]dnATV{rdn(attr(oidCN, asn1.TagT61String, "t\xc3\xa9l"))}, `CN=\#74c3a96c`},
		{"NumericString not a DirectoryString", [][]dnATV{rdn(attr(oidCN, asn1.TagNumericString, "123"))}, "CN=#1203313233"},
		{"IA5String not a DirectoryString", [][]dnATV{rdn(attr(oidCN, asn1.TagIA5String, "v"))}, "CN=#160176"},
		{"NUL in value", [][]dnATV{rdn(utf8(oidCN, "nul\x00x"))}, "CN=#0c056e756c0078"},
		{"UTF-8", [][]dnATV{rdn(utf8(oidCN, "ünï"))}, "CN=ünï"},
		{"C must be PrintableString", [][]dnATV{rdn(utf8(oidC, "UK"))}, "C=#0c02554b"},
		{"EMAIL must be IA5String", [][]dnATV{rdn(utf8("1.2.840.113549.1.9.1", "v"))}, "EMAIL=#0c0176"},
		{"challengePassword has no name", [][]dnATV{rdn(utf8("1.2.840.113549.1.9.7", "v"))}, "1.2.840.113549.1.9.7=v"},
		{"empty name", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := creds.DN(rawName(t, tt.rdns...))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DN = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDNOfGeneratedCert: Go encodes C before CN, and QEMU prints the
// subject in that order, unlike pkix.Name.String.
func TestDNOfGeneratedCert(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	root, err := g.Root(fixtures.Spec{Subject: pkix.Name{Country: []string{"UK"}, CommonName: "qemu"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range [][]byte{root.Cert.RawSubject, root.Cert.RawIssuer} {
		got, err := creds.DN(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got != "C=UK,CN=qemu" {
			t.Errorf("DN = %q, want %q", got, "C=UK,CN=qemu")
		}
	}
	if s := root.Cert.Subject.String(); s != "CN=qemu,C=UK" {
		t.Errorf("pkix.Name.String = %q; the test assumes Go reverses the order", s)
	}
}

func TestDNRejectsGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, {0x30}, {0x04, 0x01, 0x00}, append(rawName(t, rdn(utf8(oidCN, "x"))), 0)} {
		if _, err := creds.DN(in); !errors.Is(err, creds.ErrBadName) {
			t.Errorf("DN(%x) error = %v, want ErrBadName", in, err)
		}
	}
}

func FuzzDN(f *testing.F) {
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte("0\x0f1\r0\v\x06\x03U\x04\x03\f\x04qemu"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = creds.DN(raw) // must not panic
	})
}
