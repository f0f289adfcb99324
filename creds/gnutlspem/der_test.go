package gnutlspem_test

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tlscreds/tlscreds/creds/gnutlspem"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestDERAgainstHostileSets checks the DER half of the reader on the
// malformed certificates of fixtures.HostileSets whose consumer verdict
// lint/qemudiff TestHostileDifferential measures: what every QEMU
// refuses fails CheckCert with GnuTLS's text, what every QEMU loads but
// Go refuses is repaired into a certificate Go parses whose original
// signature still verifies against the issuer.
func TestDERAgainstHostileSets(t *testing.T) {
	cryptotest.SetGlobalRandom(t, 14)
	g := fixtures.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sets, err := fixtures.HostileSets(g)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]string{
		"der-trailing/cert-field-after-signature": gnutlspem.TextASN1DER,
		"der-time/utctime-plus-offset":            gnutlspem.TextTimeEncoding,
		"der-time/utctime-minus-offset":           gnutlspem.TextTimeEncoding,
		"der-version/v1-with-extensions":          gnutlspem.TextCertificate,
		"der-version/v2-with-extensions":          gnutlspem.TextCertificate,
	}
	repaired := map[string]string{
		"der-time/feb-30-not-after":          "not a real date",
		"der-version/version-5":              "version is 5",
		"der-serial/negative":                "negative",
		"der-serial/empty":                   "empty",
		"der-serial/non-minimal":             "not minimally encoded",
		"der-san/dns-idn-utf8":               "dNSName that is not ASCII",
		"der-san/email-utf8":                 "rfc822Name that is not ASCII",
		"der-string/cn-odd-length-bmpstring": "odd-length BMPString",
		"der-string/cn-invalid-utf8":         "invalid UTF-8",
	}
	seen := 0
	for _, s := range sets {
		var ca, leaf []byte
		for _, f := range s.Files {
			b, _ := pem.Decode(f.Data)
			switch {
			case b == nil:
			case f.Name == "ca-cert.pem":
				ca = b.Bytes
			case f.Name == "server-cert.pem" && b.Type == "CERTIFICATE":
				leaf = b.Bytes
			}
		}
		if want, ok := refused[s.Name]; ok {
			seen++
			err := gnutlspem.CheckCert(leaf)
			var ge *gnutlspem.Error
			if err == nil || !asError(err, &ge) || ge.GnuTLS != want {
				t.Errorf("%s: CheckCert = %v, want GnuTLS text %q", s.Name, err, want)
			}
			continue
		}
		if want, ok := repaired[s.Name]; ok {
			seen++
			if err := gnutlspem.CheckCert(leaf); err != nil {
				t.Errorf("%s: CheckCert refuses what QEMU loads: %v", s.Name, err)
			}
			if _, err := x509.ParseCertificate(leaf); err == nil {
				t.Errorf("%s: Go parses it: the case no longer tests the lenient path", s.Name)
			}
			fixed, changes, ok := gnutlspem.RepairCert(leaf)
			if !ok || !strings.Contains(strings.Join(changes, "; "), want) {
				t.Errorf("%s: RepairCert = %v %q, want a change saying %q", s.Name, ok, changes, want)
				continue
			}
			c, err := x509.ParseCertificate(fixed)
			if err != nil {
				t.Errorf("%s: repaired certificate does not parse: %v", s.Name, err)
				continue
			}
			root, err := x509.ParseCertificate(ca)
			if err != nil {
				t.Fatal(err)
			}
			c.Raw, c.RawTBSCertificate = leaf, gnutlspem.TBS(leaf)
			if err := c.CheckSignatureFrom(root); err != nil {
				t.Errorf("%s: the original signature does not verify over the original TBS: %v", s.Name, err)
			}
		}
	}
	if seen != len(refused)+len(repaired) {
		t.Errorf("found %d of the %d named cases in fixtures.HostileSets", seen, len(refused)+len(repaired))
	}
	// A well-formed certificate needs no repair and passes the check.
	for _, s := range sets[:1] {
		b, _ := pem.Decode(s.Files[0].Data)
		if err := gnutlspem.CheckCert(b.Bytes); err != nil {
			t.Errorf("a good CA certificate: %v", err)
		}
		if _, _, ok := gnutlspem.RepairCert(b.Bytes); ok {
			t.Error("a good CA certificate was repaired")
		}
	}
}

func asError(err error, target **gnutlspem.Error) bool {
	e, ok := err.(*gnutlspem.Error)
	*target = e
	return ok
}
