package gnutlspem

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

func testCert(t *testing.T) ([]byte, []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "t"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})
}

func relabel(p []byte, from, to string) []byte {
	p = bytes.Replace(p, []byte("BEGIN "+from), []byte("BEGIN "+to), 1)
	return bytes.Replace(p, []byte("END "+from), []byte("END "+to), 1)
}

func header(p []byte, h string) []byte {
	i := bytes.IndexByte(p, '\n') + 1
	return append(append(append([]byte{}, p[:i]...), h...), p[i:]...)
}

func inner(p []byte, s string) []byte {
	i := bytes.IndexByte(p, '\n') + 11
	return append(append(append([]byte{}, p[:i]...), s...), p[i:]...)
}

// TestCertAsGnuTLS holds the verdicts measured with qemu-img 7.2.22,
// 10.0.0, 10.1.0 and 10.2.0 (GnuTLS 3.7.9) on a ca-cert.pem changed in
// one way; the differential test in package lint proves them again on
// every run.
func TestCertAsGnuTLS(t *testing.T) {
	cert, key := testCert(t)
	tests := []struct {
		name   string
		data   []byte
		gnutls string // "" = accepted
		note   string // a note that must be reported
	}{
		{"plain", cert, "", ""},
		{"bom", append([]byte("\xef\xbb\xbf"), cert...), "", "byte-order mark"},
		{"leading text", append([]byte("Certificate:\n  Data: x\n"), cert...), "", "bytes of text before"},
		{"indented", append([]byte("   "), cert...), "", "indented"},
		{"crlf", bytes.ReplaceAll(cert, []byte("\n"), []byte("\r\n")), "", ""},
		{"cr only", bytes.ReplaceAll(cert, []byte("\n"), []byte("\r")), "", "CR-only"},
		{"trailing text", append(append([]byte{}, cert...), "junk\n"...), "", ""},
		{"space in base64", inner(cert, " "), "", "spaces"},
		{"tab in base64", inner(cert, "\t"), "", "spaces"},
		{"blank line in base64", inner(cert, "\n\n"), "", "spaces"},
		{"short line in base64", inner(cert, "\n"), "", ""},
		{"x509 label", relabel(cert, "CERTIFICATE", "X509 CERTIFICATE"), "", "legacy"},
		{"end label mismatch", bytes.Replace(cert, []byte("END CERTIFICATE"), []byte("END X509 CRL"), 1), "", "ignores the END label"},
		{"key first", append(append([]byte{}, key...), cert...), "", "PRIVATE KEY block(s)"},
		{"other block first", append(relabel(cert, "CERTIFICATE", "FOO"), cert...), "", "FOO block(s)"},
		{"comment header", header(cert, "Comment: hello\n\n"), TextUnexpectedHeader, ""},
		{"proc-type header", header(cert, "Proc-Type: 4,CLEAR\n\n"), "parse", ""},
		{"begin without dashes", bytes.Replace(cert, []byte("CERTIFICATE-----\n"), []byte("CERTIFICATE\n"), 1), TextUnexpectedHeader, ""},
		{"lower-case label", bytes.ToLower(cert[:28]), TextNoCertificate, ""},
		{"trusted label", relabel(cert, "CERTIFICATE", "TRUSTED CERTIFICATE"), TextNoCertificate, ""},
		{"empty block first", append([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"), cert...), TextUnexpectedHeader, ""},
		{"nul inside", inner(cert, "\x00"), TextUnexpectedHeader, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks, err := CertList(tt.data, 0)
			if err == nil {
				for _, b := range blocks {
					if _, perr := x509.ParseCertificate(b.DER); perr != nil {
						err = &Error{GnuTLS: DERReason(b.DER), Reason: "parse"}
					}
				}
			}
			switch {
			case tt.gnutls == "" && err != nil:
				t.Fatalf("refused (%v); every QEMU build accepts it", err)
			case tt.gnutls == "parse":
				if err == nil || err.(*Error).GnuTLS != TextASN1Tag {
					t.Fatalf("got %v, want the ASN.1 tag error QEMU reports", err)
				}
			case tt.gnutls != "" && (err == nil || err.(*Error).GnuTLS != tt.gnutls):
				t.Fatalf("got %v, want GnuTLS's %q", err, tt.gnutls)
			}
			if err != nil {
				return
			}
			notes := strings.Join(Notes(tt.data, blocks), "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q lack %q", notes, tt.note)
			}
			if tt.note == "" && notes != "" {
				t.Errorf("unexpected notes %q", notes)
			}
		})
	}
}

func TestListOrderAndCap(t *testing.T) {
	a, _ := testCert(t)
	b, _ := testCert(t)
	// A legacy-labelled block before a standard one is passed over.
	data := append(relabel(a, "CERTIFICATE", "X509 CERTIFICATE"), b...)
	blocks, err := CertList(data, 0)
	if err != nil || len(blocks) != 1 || blocks[0].Label != LabelCert {
		t.Fatalf("got %d blocks (%v), want only the CERTIFICATE one", len(blocks), err)
	}
	var many []byte
	for i := 0; i < 20; i++ {
		many = append(many, a...)
	}
	if blocks, _ := CertList(many, 16); len(blocks) != 16 {
		t.Errorf("cap 16: got %d", len(blocks))
	}
	if blocks, _ := CertList(many, 0); len(blocks) != 20 {
		t.Errorf("no cap: got %d", len(blocks))
	}
}

func TestKeyAsGnuTLS(t *testing.T) {
	cert, key := testCert(t)
	tests := []struct {
		name   string
		data   []byte
		ok     bool
		reason string // KeyReason for QEMU <= 10.1
	}{
		{"plain", key, true, ""},
		{"cert first", append(append([]byte{}, cert...), key...), true, ""},
		{"crlf", bytes.ReplaceAll(key, []byte("\n"), []byte("\r\n")), true, ""},
		{"comment", header(key, "Comment: x\n\n"), false, TextBase64},
		{"foo label", relabel(key, "PRIVATE KEY", "FOO"), false, TextNotAvailable},
		{"begin without dashes", bytes.Replace(key, []byte("KEY-----\n"), []byte("KEY\n"), 1), false, TextNotAvailable},
		{"empty block first", append([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"), key...), false, TextBase64}, // measured: qemu-img 7.2.22, 10.0.0, 10.1.0
		{"proc-type encrypted", header(key, "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"), false, "The request is invalid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Key(tt.data)
			if err == nil {
				checkKeyPlace(t, tt.data, b)
				_, perr := x509.ParsePKCS8PrivateKey(b.DER)
				if perr != nil {
					err = &Error{GnuTLS: DERReason(b.DER), Reason: "parse"}
				}
			}
			if (err == nil) != tt.ok {
				t.Fatalf("ok=%v (%v), want %v", err == nil, err, tt.ok)
			}
			if err != nil && tt.reason != "" {
				if got := KeyReason(tt.data, err); got != tt.reason {
					t.Errorf("reason %q, want %q", got, tt.reason)
				}
			}
		})
	}
}

// checkKeyPlace: where Key reads a block, KeyPlace finds the same label
// and place without the DER.
func checkKeyPlace(t *testing.T, data []byte, b Block) {
	t.Helper()
	p, err := KeyPlace(data)
	if err != nil || p.Label != b.Label || p.Start != b.Start || p.BodyEnd != b.BodyEnd || p.DER != nil {
		t.Fatalf("KeyPlace = %+v, %v; Key found %s at %d..%d", p, err, b.Label, b.Start, b.BodyEnd)
	}
}

// TestKeyPlace: KeyPlace finds what Key finds, and where Key finds no
// key block it says so too; only a corrupt base64 separates them.
func TestKeyPlace(t *testing.T) {
	cert, key := testCert(t)
	for _, data := range [][]byte{key, append(append([]byte{}, cert...), key...), relabel(key, "PRIVATE KEY", "EC PRIVATE KEY")} {
		b, err := Key(data)
		if err != nil {
			t.Fatal(err)
		}
		checkKeyPlace(t, data, b)
	}
	if _, err := KeyPlace(cert); err == nil || err.(*Error).GnuTLS != TextNotAvailable {
		t.Errorf("KeyPlace(certificate) = %v, want %q", err, TextNotAvailable)
	}
	corrupt := header(key, "Comment: x\n\n")
	if _, err := Key(corrupt); err == nil {
		t.Fatal("Key read a block with a header")
	}
	if p, err := KeyPlace(corrupt); err != nil || p.Label != "PRIVATE KEY" {
		t.Errorf("KeyPlace(header) = %+v, %v: it does not decode, so it finds the block", p, err)
	}
}
