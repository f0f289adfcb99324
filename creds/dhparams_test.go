package creds

import (
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// openssl runs the openssl subcommand args[0] with -out and the other args,
// and returns the file it wrote.
func openssl(t *testing.T, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("openssl not found: run apt-get install -y openssl")
	}
	out := filepath.Join(t.TempDir(), "dh.pem")
	// Options go before dhparam's positional numbits.
	cmd := exec.Command(bin, append([]string{args[0], "-out", out}, args[1:]...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// dhPEM encodes PKCS #3 parameters (and optional extra DER bytes) as PEM.
func dhPEM(t *testing.T, p, g int64, extra ...any) []byte {
	t.Helper()
	fields := []asn1.RawValue{}
	for _, v := range append([]any{big.NewInt(p), big.NewInt(g)}, extra...) {
		der, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fields = append(fields, asn1.RawValue{FullBytes: der})
	}
	der, err := asn1.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "DH PARAMETERS", Bytes: der})
}

func TestParseDHParamsRFC7919(t *testing.T) {
	for _, group := range []string{"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"} {
		data := openssl(t, "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:"+group)
		d, err := ParseDHParams("dh-params.pem", data)
		if err != nil {
			t.Fatalf("%s: %v", group, err)
		}
		if got := d.RFC7919Group(); got != group {
			t.Errorf("RFC7919Group() = %q, want %q", got, group)
		}
		if d.G.Int64() != 2 || d.Bits != d.P.BitLen() || "ffdhe"+big.NewInt(int64(d.Bits)).String() != group {
			t.Errorf("%s: g = %v, Bits = %d", group, d.G, d.Bits)
		}
		if p := d.Problems(); len(p) != 0 {
			t.Errorf("%s: Problems() = %q", group, p)
		}
	}
}

func TestParseDHParamsOpenSSL(t *testing.T) {
	// A fresh 512-bit safe prime: parses, but is too small and not RFC 7919.
	d, err := ParseDHParams("dh-params.pem", openssl(t, "dhparam", "512"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Bits != 512 || d.RFC7919Group() != "" {
		t.Errorf("Bits = %d, group %q", d.Bits, d.RFC7919Group())
	}
	problems := strings.Join(d.Problems(), "\n")
	for _, want := range []string{"p is 512 bits; use at least 2048", "info: not an RFC 7919 ffdhe group"} {
		if !strings.Contains(problems, want) {
			t.Errorf("Problems() = %q, want %q", problems, want)
		}
	}
	if strings.Contains(problems, "not prime") || strings.Contains(problems, "g is") {
		t.Errorf("Problems() = %q", problems)
	}

	// -dsaparam writes X9.42 parameters, which GnuTLS does not read as PKCS #3.
	_, err = ParseDHParams("dh-params.pem", openssl(t, "dhparam", "-dsaparam", "1024"))
	if err == nil || !strings.Contains(err.Error(), `found an "X9.42 DH PARAMETERS" block`) {
		t.Errorf("X9.42 file: %v", err)
	}
}

func TestDHParamsProblems(t *testing.T) {
	tests := []struct {
		name string
		p, g int64
		want []string
	}{
		{"small safe prime", 23, 5, []string{"p is 5 bits", "info: not an RFC 7919"}},
		{"composite", 21, 2, []string{"p is 5 bits", "p is not prime", "info:"}},
		{"odd generator", 23, 3, []string{"p is 5 bits", "g is 3; want 2 or 5", "info:"}},
		{"g not below p", 23, 29, []string{"p is 5 bits", "g is 29; want 2 or 5", "g is not smaller than p", "info:"}},
	}
	for _, tt := range tests {
		d, err := ParseDHParams("dh-params.pem", dhPEM(t, tt.p, tt.g))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := d.Problems()
		if len(got) != len(tt.want) {
			t.Fatalf("%s: Problems() = %q, want %q", tt.name, got, tt.want)
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("%s: problem %d = %q, want %q", tt.name, i, got[i], tt.want[i])
			}
		}
	}

	// A huge generator is described by its size.
	g := new(big.Int).Lsh(big.NewInt(1), 100)
	d := &DHParams{P: big.NewInt(23), G: g, Bits: 5}
	if got := strings.Join(d.Problems(), "\n"); !strings.Contains(got, "g is a 101-bit number") {
		t.Errorf("Problems() = %q", got)
	}
}

func TestParseDHParamsFormats(t *testing.T) {
	// privateValueLength is optional and ignored; text around the block is fine.
	data := append([]byte("    DH Parameters: (5 bit)\n"), dhPEM(t, 23, 2, 160)...)
	d, err := ParseDHParams("dh-params.pem", data)
	if err != nil {
		t.Fatal(err)
	}
	if d.P.Int64() != 23 || d.G.Int64() != 2 || d.Bits != 5 {
		t.Errorf("got %+v", d)
	}
	// Other PEM blocks around the parameters are skipped.
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})
	if _, err := ParseDHParams("dh-params.pem", append(cert, dhPEM(t, 23, 2)...)); err != nil {
		t.Errorf("with a certificate block before: %v", err)
	}
}

func TestParseDHParamsErrors(t *testing.T) {
	p, _ := asn1.Marshal(big.NewInt(23))
	g, _ := asn1.Marshal(big.NewInt(2))
	seq := func(parts ...[]byte) []byte {
		var body []byte
		for _, p := range parts {
			body = append(body, p...)
		}
		der, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
		return der
	}
	block := func(typ string, der []byte) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	}
	huge := new(big.Int).Lsh(big.NewInt(1), maxDHBits)
	hugeDER, _ := asn1.Marshal(huge)

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, `no "DH PARAMETERS" PEM block`},
		{"text", []byte("hello"), `no "DH PARAMETERS" PEM block`},
		{"DER", seq(p, g), "the file looks like DER; QEMU reads PEM only"},
		{"other type", block("CERTIFICATE", []byte{1}), `no "DH PARAMETERS" PEM block (found ["CERTIFICATE"])`},
		{"two blocks", append(dhPEM(t, 23, 2), dhPEM(t, 23, 2)...), "more than one DH PARAMETERS block"},
		{"trailing DER", block("DH PARAMETERS", append(seq(p, g), 0, 0)), "2 bytes of trailing data after the DER SEQUENCE"},
		{"not a sequence", block("DH PARAMETERS", p), "want PKCS #3 SEQUENCE {p, g [, privateValueLength]}"},
		{"missing g", block("DH PARAMETERS", seq(p)), "want PKCS #3 SEQUENCE"},
		{"garbage", block("DH PARAMETERS", []byte("garbage")), "want PKCS #3 SEQUENCE"},
		{"negative p", dhPEM(t, -23, 2), "p is not positive"},
		{"zero g", dhPEM(t, 23, 0), "g is not positive"},
		{"huge p", block("DH PARAMETERS", seq(hugeDER, g)), "p is 16385 bits, more than the 16384 this tool accepts"},
	}
	for _, tt := range tests {
		_, err := ParseDHParams("/etc/pki/qemu/dh-params.pem", tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "dh parameters /etc/pki/qemu/dh-params.pem: invalid DH parameters: ") {
			t.Errorf("%s: error %q does not name the file", tt.name, err)
		}
		if !errors.Is(err, ErrInvalidDHParams) {
			t.Errorf("%s: %v does not match ErrInvalidDHParams", tt.name, err)
		}
	}
}

func FuzzParseDHParams(f *testing.F) {
	f.Add([]byte("-----BEGIN DH PARAMETERS-----\nMAYCARcCAQI=\n-----END DH PARAMETERS-----\n"))
	f.Add([]byte("-----BEGIN DH PARAMETERS-----\nMAkCARcCAQICAgCg\n-----END DH PARAMETERS-----\n"))
	f.Add([]byte("-----BEGIN X9.42 DH PARAMETERS-----\nMAYCARcCAQI=\n-----END X9.42 DH PARAMETERS-----\n"))
	f.Add([]byte{0x30, 0x06, 0x02, 0x01, 0x17, 0x02, 0x01, 0x02})
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDHParams("dh-params.pem", data)
		if err != nil {
			if !errors.Is(err, ErrInvalidDHParams) {
				t.Fatalf("error %v does not wrap ErrInvalidDHParams", err)
			}
			return
		}
		if d.P.Sign() <= 0 || d.G.Sign() <= 0 || d.Bits != d.P.BitLen() || d.Bits > maxDHBits {
			t.Fatalf("bad result %+v", d)
		}
		_ = d.RFC7919Group()
		if d.Bits <= 2048 {
			_ = d.Problems()
		}
	})
}
