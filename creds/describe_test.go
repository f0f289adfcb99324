package creds_test

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

var describeGen = fixtures.New(fixtures.TestClock)

// issued returns the certificate from a generator call, failing t on error.
func issued(t *testing.T) func(*fixtures.Cert, error) *fixtures.Cert {
	return func(c *fixtures.Cert, err error) *fixtures.Cert {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestDescribeCert(t *testing.T) {
	root := issued(t)(describeGen.Root(fixtures.Spec{Subject: pkix.Name{Country: []string{"UK"}, CommonName: "qemu"}}))
	inter := issued(t)(describeGen.Intermediate(root, fixtures.Spec{KeyType: fixtures.RSA2048}))
	u, _ := url.Parse("spiffe://example.org/vm")
	leaf := issued(t)(describeGen.Server(inter, fixtures.Spec{
		DNSNames: []string{"vm.test"}, IPAddresses: []net.IP{net.ParseIP("192.0.2.7")}, URIs: []*url.URL{u},
		EmailAddresses: []string{"ops@example.org"}, Serial: big.NewInt(0x01a2b3),
		ExtKeyUsage: &fixtures.ExtKeyUsage{OIDs: []asn1.ObjectIdentifier{{1, 2, 3, 4}, fixtures.OIDServerAuth}, Critical: true},
	}))

	ci := creds.DescribeCert(leaf.Cert, fixtures.TestClock)
	if ci.Subject != "O=tlscreds test PKI,CN=vm.test" || ci.SubjectRFC4514 != "CN=vm.test,O=tlscreds test PKI" {
		t.Errorf("subject %q / %q", ci.Subject, ci.SubjectRFC4514)
	}
	if ci.Issuer != "O=tlscreds test PKI,CN=tlscreds test intermediate CA" {
		t.Errorf("issuer %q", ci.Issuer)
	}
	if got := ci.SANs.All(); !slices.Equal(got, []string{"DNS:vm.test", "IP:192.0.2.7", "URI:spiffe://example.org/vm", "email:ops@example.org"}) {
		t.Errorf("SANs %q", got)
	}
	if ci.DaysLeft != 365 {
		t.Errorf("DaysLeft = %d, want 365", ci.DaysLeft)
	}
	if ci.KeyAlgorithm != "ECDSA" || ci.KeyBits != 256 || ci.Curve != "P-256" || ci.SignatureAlgorithm != "SHA256-RSA" {
		t.Errorf("key %s %d %s, signature %s", ci.KeyAlgorithm, ci.KeyBits, ci.Curve, ci.SignatureAlgorithm)
	}
	if ci.Serial != "01:a2:b3" {
		t.Errorf("serial %q", ci.Serial)
	}
	if ci.IsCA || ci.PathLen != nil || !ci.BasicConstraints.Present || !ci.BasicConstraints.Critical {
		t.Errorf("basic constraints: CA %v pathlen %v %+v", ci.IsCA, ci.PathLen, ci.BasicConstraints)
	}
	// EC leaves get a non-critical keyUsage (see package fixtures).
	if !slices.Equal(ci.KeyUsage.Names, []string{"digitalSignature"}) || ci.KeyUsage.Critical || !ci.KeyUsage.Present {
		t.Errorf("key usage %+v", ci.KeyUsage)
	}
	if !slices.Equal(ci.ExtKeyUsage.Names, []string{"1.2.3.4", "serverAuth"}) || !ci.ExtKeyUsage.Critical {
		t.Errorf("ext key usage %+v (want encoding order, unknown OIDs dotted)", ci.ExtKeyUsage)
	}
	colonHex := regexp.MustCompile(`^([0-9A-F]{2}:)+[0-9A-F]{2}$`)
	if !colonHex.MatchString(ci.SubjectKeyID) || !colonHex.MatchString(ci.AuthorityKeyID) || ci.SubjectKeyID == ci.AuthorityKeyID {
		t.Errorf("SKI %q AKI %q", ci.SubjectKeyID, ci.AuthorityKeyID)
	}
	if ci.SelfSigned {
		t.Error("leaf described as self-signed")
	}
	fp := sha256.Sum256(leaf.Cert.Raw)
	if want := strings.ToUpper(fmt.Sprintf("%x", fp[:2])); !strings.HasPrefix(strings.ReplaceAll(ci.SHA256Fingerprint, ":", ""), want) || len(ci.SHA256Fingerprint) != 95 {
		t.Errorf("fingerprint %q", ci.SHA256Fingerprint)
	}
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(ci.SPKISHA256) || len(ci.PinSHA256) != 44 {
		t.Errorf("SPKI %q pin %q", ci.SPKISHA256, ci.PinSHA256)
	}

	ri := creds.DescribeCert(root.Cert, fixtures.TestClock)
	if ri.Subject != "C=UK,CN=qemu" || !ri.SelfSigned || !ri.IsCA || ri.PathLen != nil || ri.AuthorityKeyID != "" {
		t.Errorf("root: %q self-signed %v CA %v pathlen %v AKI %q", ri.Subject, ri.SelfSigned, ri.IsCA, ri.PathLen, ri.AuthorityKeyID)
	}
	if !slices.Equal(ri.KeyUsage.Names, []string{"digitalSignature", "keyCertSign", "cRLSign"}) || !ri.KeyUsage.Critical {
		t.Errorf("root key usage %+v", ri.KeyUsage)
	}
	if ri.ExtKeyUsage.Present || ri.ExtKeyUsage.Names == nil || len(ri.ExtKeyUsage.Names) != 0 || ri.SANs.URI == nil {
		t.Errorf("root ext key usage %+v, SANs %+v: want empty, non-nil lists", ri.ExtKeyUsage, ri.SANs)
	}
	ii := creds.DescribeCert(inter.Cert, fixtures.TestClock)
	if ii.PathLen == nil || *ii.PathLen != 0 || ii.KeyAlgorithm != "RSA" || ii.KeyBits != 2048 || ii.Curve != "" {
		t.Errorf("intermediate: pathlen %v key %s %d %q", ii.PathLen, ii.KeyAlgorithm, ii.KeyBits, ii.Curve)
	}

	expired := creds.DescribeCert(leaf.Cert, leaf.Cert.NotAfter.Add(time.Hour))
	if expired.DaysLeft != -1 {
		t.Errorf("an hour after expiry DaysLeft = %d, want -1", expired.DaysLeft)
	}
}

// TestCertInfoJSON pins the JSON field names: they are the documented
// schema of `tlscreds inspect --format json`.
func TestCertInfoJSON(t *testing.T) {
	root := issued(t)(describeGen.Root(fixtures.Spec{}))
	b, err := json.Marshal(creds.DescribeCert(root.Cert, fixtures.TestClock))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"subject", "issuer", "subject_rfc4514", "issuer_rfc4514", "sans", "not_before", "not_after", "days_left",
		"key_algorithm", "key_bits", "signature_algorithm", "serial", "is_ca", "path_len", "basic_constraints", "key_usage",
		"ext_key_usage", "subject_key_id", "self_signed", "sha256_fingerprint", "spki_sha256", "pin_sha256"}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if ku, _ := m["key_usage"].(map[string]any); ku["present"] != true || ku["critical"] != true || ku["names"] == nil {
		t.Errorf("key_usage = %v", m["key_usage"])
	}
}

func writeTemp(t *testing.T, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFingerprintMatchesOpenSSL compares the fingerprint line with what
// OpenSSL prints for the same file.
func TestFingerprintMatchesOpenSSL(t *testing.T) {
	for _, kt := range []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048, fixtures.Ed25519} {
		t.Run(string(kt), func(t *testing.T) {
			c := issued(t)(describeGen.Root(fixtures.Spec{KeyType: kt}))
			path := writeTemp(t, "cert.pem", c.CertPEM(), 0o644)
			r := peer.Run(t, 20*time.Second, nil, "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", path)
			if r.Code != 0 {
				t.Fatalf("openssl exit %d: %s", r.Code, r.Output)
			}
			ci := creds.DescribeCert(c.Cert, fixtures.TestClock)
			if got, want := ci.OpenSSLFingerprint(), strings.TrimSpace(r.Output); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestPinsMatchCerttool compares the SPKI hashes with GnuTLS's "Public Key
// ID" (sha256:HEX) and "Public Key PIN" (pin-sha256:BASE64).
func TestPinsMatchCerttool(t *testing.T) {
	for _, kt := range []fixtures.KeyType{fixtures.ECDSAP384, fixtures.RSA2048} {
		t.Run(string(kt), func(t *testing.T) {
			c := issued(t)(describeGen.Root(fixtures.Spec{KeyType: kt}))
			path := writeTemp(t, "cert.pem", c.CertPEM(), 0o644)
			r := peer.Run(t, 20*time.Second, nil, "certtool", "-i", "--infile", path)
			if r.Code != 0 {
				t.Fatalf("certtool exit %d: %s", r.Code, r.Output)
			}
			ci := creds.DescribeCert(c.Cert, fixtures.TestClock)
			lines := map[string]bool{}
			for _, l := range strings.Split(r.Output, "\n") {
				lines[strings.TrimSpace(l)] = true
			}
			if !lines[ci.SPKISHA256] || !lines["pin-sha256:"+ci.PinSHA256] {
				t.Errorf("certtool does not print %s and pin-sha256:%s:\n%s", ci.SPKISHA256, ci.PinSHA256, r.Output)
			}
		})
	}
}

func linkSummary(links []creds.ChainLink) []string {
	var out []string
	for _, l := range links {
		s := fmt.Sprintf("%s %s/%d %s", l.Subject, l.From, l.Index, l.Status)
		if l.SelfSigned {
			s += " self-signed"
		}
		out = append(out, s)
	}
	return out
}

func TestChain(t *testing.T) {
	named := func(cn string) fixtures.Spec { return fixtures.Spec{Subject: pkix.Name{CommonName: cn}} }
	root := issued(t)(describeGen.Root(named("root")))
	inter := issued(t)(describeGen.Intermediate(root, named("inter")))
	leaf := issued(t)(describeGen.Server(inter, fixtures.Spec{Subject: pkix.Name{CommonName: "leaf"}, DNSNames: []string{"leaf"}}))
	// A second root of the same name and another key.
	impostor := issued(t)(describeGen.Root(named("root")))
	// A leaf without an authority key id: the names alone decide.
	noAKI := issued(t)(describeGen.Server(root, fixtures.Spec{Subject: pkix.Name{CommonName: "noaki"}, DNSNames: []string{"x"}, NoAKI: true}))

	// Two CAs that name each other as issuer (cross-signed, neither
	// self-issued): y0 is only used to start the loop.
	y0 := issued(t)(describeGen.Root(named("Y")))
	x := issued(t)(describeGen.Intermediate(y0, named("X")))
	y := issued(t)(describeGen.Intermediate(x, fixtures.Spec{Subject: pkix.Name{CommonName: "Y"}, Key: y0.Key}))
	loopLeaf := issued(t)(describeGen.Server(y, fixtures.Spec{Subject: pkix.Name{CommonName: "l"}, DNSNames: []string{"l"}}))

	tests := []struct {
		name       string
		leaf, pool []*x509.Certificate
		want       []string
	}{
		{"intermediate in the leaf file", []*x509.Certificate{leaf.Cert, inter.Cert}, []*x509.Certificate{root.Cert, inter.Cert},
			[]string{"CN=leaf leaf/0 ok", "CN=inter chain/1 ok", "CN=root ca/0 ok self-signed"}},
		{"intermediate in the pool", []*x509.Certificate{leaf.Cert}, []*x509.Certificate{root.Cert, inter.Cert},
			[]string{"CN=leaf leaf/0 ok", "CN=inter ca/1 ok", "CN=root ca/0 ok self-signed"}},
		{"root missing", []*x509.Certificate{leaf.Cert, inter.Cert}, nil,
			[]string{"CN=leaf leaf/0 ok", "CN=inter chain/1 ok", "CN=root /-1 not found"}},
		{"same name, other key id", []*x509.Certificate{leaf.Cert, inter.Cert}, []*x509.Certificate{impostor.Cert},
			[]string{"CN=leaf leaf/0 ok", "CN=inter chain/1 ok", "CN=root /-1 not found"}},
		{"same name, no key id, wrong key", []*x509.Certificate{noAKI.Cert}, []*x509.Certificate{impostor.Cert},
			[]string{"CN=noaki leaf/0 ok", "CN=root ca/0 signature does not verify self-signed"}},
		{"the key that verifies wins", []*x509.Certificate{noAKI.Cert}, []*x509.Certificate{impostor.Cert, root.Cert},
			[]string{"CN=noaki leaf/0 ok", "CN=root ca/1 ok self-signed"}},
		{"self-signed leaf", []*x509.Certificate{root.Cert}, nil, []string{"CN=root leaf/0 ok self-signed"}},
		{"loop", []*x509.Certificate{loopLeaf.Cert}, []*x509.Certificate{y.Cert, x.Cert},
			[]string{"CN=l leaf/0 ok", "CN=Y ca/0 ok", "CN=X ca/1 ok", "CN=Y ca/0 loop"}},
		{"empty", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links := creds.Chain(tt.leaf, tt.pool)
			if got := linkSummary(links); !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			for _, l := range links {
				if (l.Cert == nil) != (l.Status == creds.LinkNotFound) || (l.Cert == nil) != (l.SHA256Fingerprint == "") {
					t.Errorf("link %+v: Cert and fingerprint must be set exactly when found", l)
				}
			}
			if len(tt.leaf) == 0 {
				return
			}
			// A bare walk with a memo (twice: the second answers from it)
			// reaches the same certificates with the same statuses.
			var sigs creds.Signatures
			w := creds.Walk{Pools: []creds.Pool{{From: "chain", Certs: tt.leaf[1:], Offset: 1}, {From: "ca", Certs: tt.pool}},
				PreferVerified: true, Sigs: &sigs, Bare: true}
			for range 2 {
				bare := w.From(tt.leaf[0], "leaf")
				if len(bare) != len(links) {
					t.Fatalf("bare walk: %d links, want %d", len(bare), len(links))
				}
				for i, l := range links {
					b := bare[i]
					if b.Cert != l.Cert || b.From != l.From || b.Index != l.Index || b.Status != l.Status || b.SelfSigned || (b.Cert != nil && b.Subject != "") {
						t.Errorf("bare link %d: %+v, want %+v without SelfSigned, Subject and fingerprint", i, b, l)
					}
				}
			}
		})
	}
}

func TestReadContents(t *testing.T) {
	p, err := describeGen.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	pw := []byte("s3cret")
	plainKey, err := p.Server.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	encKey, err := p.Server.KeyPEM(privkey.EncryptedPKCS8, pw)
	if err != nil {
		t.Fatal(err)
	}
	p12, err := fixtures.PKCS12(p.Server, string(pw))
	if err != nil {
		t.Fatal(err)
	}
	crl, err := describeGen.CRL(p.Intermediate, fixtures.CRLSpec{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		file     string
		data     []byte
		password []byte
		encoding string
		certs    int
		key      string // "ECDSA" etc., "encrypted" for a key described from its headers
		err      error
	}{
		{"PEM chain", "c.pem", p.Server.ChainPEM(), nil, creds.EncodingPEM, 2, "", nil},
		{"DER certificate", "c.der", p.Server.Cert.Raw, nil, creds.EncodingDER, 1, "", nil},
		{"plain key", "k.pem", plainKey, nil, creds.EncodingPEM, 0, "ECDSA", nil},
		{"encrypted key without password", "k.pem", encKey, nil, creds.EncodingPEM, 0, "encrypted", nil},
		{"encrypted key with password", "k.pem", encKey, pw, creds.EncodingPEM, 0, "ECDSA", nil},
		{"encrypted key, wrong password", "k.pem", encKey, []byte("nope"), "", 0, "", privkey.ErrIncorrectPassword},
		{"certificate and key", "both.pem", append(p.Server.CertPEM(), plainKey...), nil, creds.EncodingPEM, 1, "ECDSA", nil},
		{"PKCS#12", "id.p12", p12, pw, creds.EncodingPKCS12, 3, "ECDSA", nil},
		{"PKCS#12 sniffed", "id.bin", p12, pw, creds.EncodingPKCS12, 3, "ECDSA", nil},
		{"PKCS#12, wrong password", "id.p12", p12, []byte("nope"), "", 0, "", creds.ErrP12Password},
		{"garbage", "g.pem", []byte("hello"), nil, "", 0, "", creds.ErrNotPEM},
		{"DER garbage", "g.der", []byte{0x30, 0x03, 0x02, 0x01, 0x01}, nil, "", 0, "", nil},
		{"empty", "e.pem", []byte("\n"), nil, "", 0, "", creds.ErrEmpty},
		{"CRL only", "crl.pem", crl, nil, "", 0, "", creds.ErrWrongPEM},
		{"truncated", "t.pem", p.Server.CertPEM()[:200], nil, "", 0, "", creds.ErrNotPEM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, tt.file, tt.data, 0o600)
			c, err := creds.ReadContents(path, tt.password)
			if tt.encoding == "" {
				var fe *creds.FileError
				if err == nil || !errors.As(err, &fe) || fe.Path != path || (tt.err != nil && !errors.Is(err, tt.err)) {
					t.Fatalf("error %v, want a FileError for %s matching %v", err, path, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Encoding != tt.encoding || len(c.Certs) != tt.certs {
				t.Errorf("encoding %s with %d certs, want %s with %d", c.Encoding, len(c.Certs), tt.encoding, tt.certs)
			}
			switch {
			case tt.key == "" && c.Key != nil:
				t.Errorf("key %+v, want none", c.Key)
			case tt.key == "encrypted" && (c.Key == nil || !c.Key.Encrypted || c.Key.Algorithm != ""):
				t.Errorf("key %+v, want an encrypted key described from its headers", c.Key)
			case tt.key != "" && tt.key != "encrypted" && (c.Key == nil || c.Key.Algorithm != tt.key):
				t.Errorf("key %+v, want %s", c.Key, tt.key)
			}
			if tt.encoding == creds.EncodingPKCS12 && !c.Certs[0].Equal(p.Server.Cert) {
				t.Error("PKCS#12: the leaf is not first")
			}
		})
	}
}

func TestReadContentsRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo.pem")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := creds.ReadContents(path, nil); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, creds.ErrNotRegular) || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v, want ErrNotRegular naming the file", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadContents hangs on a FIFO")
	}
	if _, err := creds.ReadContents(filepath.Join(t.TempDir(), "missing.pem"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func ExampleDN() {
	g := fixtures.New(fixtures.TestClock)
	ca, _ := g.Root(fixtures.Spec{Subject: pkix.Name{Country: []string{"UK"}, CommonName: "qemu"}})
	dn, _ := creds.DN(ca.Cert.RawSubject)
	fmt.Println(dn)
	fmt.Println(ca.Cert.Subject.String())
	// Output:
	// C=UK,CN=qemu
	// CN=qemu,C=UK
}

func ExampleChain() {
	g := fixtures.New(fixtures.TestClock)
	p, _ := g.PKI(fixtures.PKIOptions{Intermediate: true})
	for i, l := range creds.Chain(p.Server.Chain(), p.CABundle()) {
		fmt.Printf("%s%s: %s (from %s)\n", strings.Repeat("  ", i), l.Subject, l.Status, l.From)
	}
	// Output:
	// O=tlscreds test PKI,CN=localhost: ok (from leaf)
	//   O=tlscreds test PKI,CN=tlscreds test intermediate CA: ok (from chain)
	//     O=tlscreds test PKI,CN=tlscreds test CA: ok (from ca)
}
