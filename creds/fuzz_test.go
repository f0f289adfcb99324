package creds

import (
	"errors"
	"testing"
)

// Fuzz targets for the parsers of credential files. Seeds are in
// testdata/fuzz/<target>/ (run by every `go test`); `make fuzz` runs each
// target for a while.

// FuzzDecodePKCS12: no input panics, and none costs more than the
// iteration cap: whatever the file, DecodePKCS12 checks every count
// before go-pkcs12 derives anything.
func FuzzDecodePKCS12(f *testing.F) {
	f.Add([]byte{0x30, 0x80, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := checkP12Cost(data); err != nil {
			if !errors.Is(err, ErrP12Cost) {
				t.Fatalf("checkP12Cost: %v is not ErrP12Cost", err)
			}
			return
		}
		if len(data) > 4096 || p12MaxCount(data) > 4096 {
			return // within the cap, but too slow to derive in a fuzz loop
		}
		_, _, _ = DecodePKCS12(data, "")
	})
}

// p12MaxCount is the largest iteration count a PKCS#12 file asks for, as
// checkP12Cost reads it (0 when it cannot read the file).
func p12MaxCount(data []byte) uint64 {
	root, _, err := parseBER(data, 0)
	if err != nil {
		return 0
	}
	var max uint64
	var walk func(n *berNode, depth int)
	walk = func(n *berNode, depth int) {
		if depth > maxP12Depth {
			return
		}
		if n.tag == tagInteger && n.class == classUniversal && len(n.content) <= 8 {
			var v uint64
			for _, c := range n.content {
				v = v<<8 | uint64(c)
			}
			if v > max {
				max = v
			}
		}
		for _, c := range n.children {
			walk(c, depth+1)
		}
		if n.tag == tagOctetString || n.class == classContext {
			if inner, rest, err := parseBER(n.content, depth+1); err == nil && len(rest) == 0 {
				walk(inner, depth+1)
			}
		}
	}
	walk(root, 0)
	return max
}

// FuzzParseCertBundle: a CA bundle or certificate file never panics and
// any failure is an error, never certificates and an error at once.
func FuzzParseCertBundle(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("\xef\xbb\xbftext\r-----BEGIN X509 CERTIFICATE-----\r\r-----END CERTIFICATE-----\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, _, err := parseCertBundle(data)
		if err != nil && len(certs) > 0 {
			t.Fatalf("parseCertBundle returned %d certificates and %v", len(certs), err)
		}
	})
}

// FuzzParseCRL: a CRL file never panics.
func FuzzParseCRL(f *testing.F) {
	f.Add([]byte("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n"))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		crl, err := parseCRL(data)
		if (crl == nil) == (err == nil) {
			t.Fatalf("parseCRL: crl %v with err %v", crl != nil, err)
		}
	})
}
