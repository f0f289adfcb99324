package certname

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"slices"
	"testing"
	"time"
)

// Every usage of the table round-trips through crypto/x509: a certificate
// made with the usage carries the table's OID, and parses back to it.
func TestUsagesMatchCryptoX509(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range usages {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: u.name},
			NotBefore: at, NotAfter: at.Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{u.x509}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{u.x509}) || len(c.UnknownExtKeyUsage) != 0 {
			t.Errorf("%s: parsed as %v / %v", u.name, c.ExtKeyUsage, c.UnknownExtKeyUsage)
		}
		var oids []asn1.ObjectIdentifier
		for _, e := range c.Extensions {
			if e.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 37}) {
				if _, err := asn1.Unmarshal(e.Value, &oids); err != nil {
					t.Fatal(err)
				}
			}
		}
		if len(oids) != 1 || !oids[0].Equal(u.oid) {
			t.Errorf("%s: crypto/x509 writes %v, the table says %v", u.name, oids, u.oid)
		}
		if got := EKU(oids[0]); got != u.name {
			t.Errorf("EKU(%v) = %q, want %q", oids[0], got, u.name)
		}
		if got := Usage(u.x509); got != u.name {
			t.Errorf("Usage(%d) = %q, want %q", u.x509, got, u.name)
		}
		if oid, ok := UsageOID(u.x509); !ok || !oid.Equal(u.oid) {
			t.Errorf("UsageOID(%d) = %v, %v", u.x509, oid, ok)
		}
	}
	if got := EKU(asn1.ObjectIdentifier{1, 2, 3, 4}); got != "1.2.3.4" {
		t.Errorf("an unknown OID is named %q, want its dotted form", got)
	}
	if got := Usage(x509.ExtKeyUsage(99)); got != "usage 99" {
		t.Errorf("an unknown usage is named %q", got)
	}
}

func TestOf(t *testing.T) {
	for _, tt := range []struct {
		subject, issuer pkix.Name
		of, iss         string
	}{
		{pkix.Name{CommonName: "web"}, pkix.Name{CommonName: "ca"}, `"web"`, `"ca"`},
		{pkix.Name{Organization: []string{"Example"}}, pkix.Name{Country: []string{"DE"}}, `"O=Example"`, `"C=DE"`},
	} {
		c := &x509.Certificate{Subject: tt.subject, Issuer: tt.issuer}
		if got := Of(c); got != tt.of {
			t.Errorf("Of = %s, want %s", got, tt.of)
		}
		if got := Issuer(c); got != tt.iss {
			t.Errorf("Issuer = %s, want %s", got, tt.iss)
		}
	}
}
