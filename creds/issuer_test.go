package creds

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// IssuedBy, SelfIssued and SelfSigned follow GnuTLS: names byte for byte,
// key ids when both are present, signatures only for SelfSigned.
func TestIssuerRelation(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(subject, issuer string, skid, akid []byte, signer *ecdsa.PrivateKey, parent *x509.Certificate) (*x509.Certificate, *ecdsa.PrivateKey) {
		t.Helper()
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: subject},
			NotBefore: at, NotAfter: at.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
			SubjectKeyId: skid, AuthorityKeyId: akid,
		}
		if signer == nil {
			signer = key
		}
		if parent == nil {
			parent = tmpl
			parent.Issuer = pkix.Name{CommonName: issuer}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c, key
	}
	root, rootKey := mk("root", "root", []byte{1}, nil, nil, nil)
	leaf, _ := mk("leaf", "root", []byte{2}, []byte{1}, rootKey, root)
	if !IssuedBy(leaf, root) || IssuedBy(root, leaf) {
		t.Error("IssuedBy: leaf/root")
	}
	if !SelfIssued(root) || !SelfSigned(root) || SelfIssued(leaf) || SelfSigned(leaf) {
		t.Error("SelfIssued/SelfSigned: root/leaf")
	}
	// Same name, another key id: GnuTLS does not take it as the issuer.
	other, _ := mk("root", "root", []byte{9}, nil, nil, nil)
	if IssuedBy(leaf, other) {
		t.Error("IssuedBy ignores a key id mismatch")
	}
	// Signed with another key under the same name: self-issued, not
	// self-signed.
	forged, _ := mk("root", "root", []byte{1}, nil, rootKey, root)
	if !SelfIssued(forged) || SelfSigned(forged) {
		t.Errorf("forged: SelfIssued %v SelfSigned %v, want true false", SelfIssued(forged), SelfSigned(forged))
	}
}
