package creds

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

var gen = fixtures.New(fixtures.TestClock)

func testPKI(t *testing.T) *fixtures.PKI {
	t.Helper()
	p, err := gen.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeDir(t *testing.T, d fixtures.Dir, l layout.Name) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := d.Write(dir, l, true); err != nil {
		t.Fatal(err)
	}
	return dir
}

func mustSpec(t *testing.T, text string) *Spec {
	t.Helper()
	sp, _, err := ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestLoadGoodDirs(t *testing.T) {
	p := testPKI(t)
	crl, err := gen.CRL(p.Intermediate, fixtures.CRLSpec{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layout.All {
		t.Run(string(l), func(t *testing.T) {
			sd := p.ServerDir()
			sd.CRL = crl
			srvDir := writeDir(t, sd, l)
			cliDir := writeDir(t, p.ClientDir(0), l)
			for _, lay := range []string{string(l), "auto"} {
				srv, err := Load(mustSpec(t, "tls-creds-x509,id=s,endpoint=server,layout="+lay+",dir="+srvDir), LoadOptions{})
				if err != nil {
					t.Fatalf("layout=%s: %v", lay, err)
				}
				if srv.Layout != l || len(srv.CA) != 2 || srv.CRL == nil || len(srv.Identities) != 1 {
					t.Fatalf("layout=%s: got layout %s, %d CA certs, CRL %v, %d identities", lay, srv.Layout, len(srv.CA), srv.CRL != nil, len(srv.Identities))
				}
				id := srv.Identity()
				if chain := id.Chain(); len(chain) != 2 || !chain[0].Equal(p.Server.Cert) || len(id.TLS.Certificate) != 2 {
					t.Errorf("server identity chain %d certs, TLS %d", len(chain), len(id.TLS.Certificate))
				}
				if id.KeyInfo.Algorithm != "ECDSA" {
					t.Errorf("key info = %+v", id.KeyInfo)
				}
				cli, err := Load(mustSpec(t, "tls-creds-x509,id=c,endpoint=client,layout="+lay+",dir="+cliDir), LoadOptions{})
				if err != nil {
					t.Fatalf("client layout=%s: %v", lay, err)
				}
				if cli.Identity() == nil || cli.CRL != nil {
					t.Errorf("client: identity %v, CRL %v (clients never load the CRL)", cli.Identity() != nil, cli.CRL != nil)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	p := testPKI(t)
	other := testPKI(t)
	keyEnc, err := p.Server.KeyPEM(privkey.EncryptedPKCS8, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		endpoint string
		dir      fixtures.Dir
		remove   []string
		want     error
		contains []string
	}{
		{"missing CA", "server", p.ServerDir(), []string{"ca-cert.pem"}, ErrMissingFile,
			[]string{"object tls0:", "ca-cert.pem", "Unable to access credentials"}},
		{"missing CA client", "client", p.ClientDir(0), []string{"ca-cert.pem"}, ErrMissingFile, []string{"ca-cert.pem"}},
		{"server without identity", "server", p.ServerDir(), []string{"server-cert.pem", "server-key.pem"}, ErrNoIdentity,
			[]string{"Missing server cert", "server-key.pem"}},
		{"cert without key", "server", p.ServerDir(), []string{"server-key.pem"}, ErrUnpaired,
			[]string{"without corresponding key", "server-key.pem"}},
		{"key without cert", "client", p.ClientDir(0), []string{"client-cert.pem"}, ErrUnpaired,
			[]string{"Key '", "without corresponding cert"}},
		{"key mismatch", "server", dirWith(p.ServerDir(), "server-key.pem", mustKeyPEM(t, other.Server)), nil, ErrKeyMismatch,
			[]string{"server-key.pem does not belong to the certificate in", "server-cert.pem"}},
		{"DER CA", "server", dirWith(p.ServerDir(), "ca-cert.pem", p.Root.Cert.Raw), nil, ErrDER,
			[]string{"ca-cert.pem", "binary DER", "openssl x509 -inform DER"}},
		{"trusted certificate", "server", dirWith(p.ServerDir(), "ca-cert.pem", []byte("-----BEGIN TRUSTED CERTIFICATE-----\nMAA=\n-----END TRUSTED CERTIFICATE-----\n")), nil, ErrWrongPEM,
			[]string{"TRUSTED CERTIFICATE"}},
		{"key in cert file", "server", dirWith(p.ServerDir(), "server-cert.pem", mustKeyPEM(t, p.Server)), nil, ErrWrongPEM,
			[]string{"server-cert.pem", "found PRIVATE KEY"}},
		{"cert in key file", "server", dirWith(p.ServerDir(), "server-key.pem", p.Server.CertPEM()), nil, privkey.ErrNoKey,
			[]string{"server-key.pem", "CERTIFICATE"}},
		{"truncated PEM", "server", dirWith(p.ServerDir(), "ca-cert.pem", p.Root.CertPEM()[:200]), nil, ErrNotPEM,
			[]string{"ca-cert.pem", "truncated"}},
		{"empty CA", "server", dirWith(p.ServerDir(), "ca-cert.pem", nil), nil, ErrEmpty, []string{"ca-cert.pem"}},
		{"garbage CRL", "server", dirWith(p.ServerDir(), "ca-crl.pem", []byte("hello")), nil, ErrNotPEM, []string{"ca-crl.pem"}},
		{"encrypted key without password", "server", dirWith(p.ServerDir(), "server-key.pem", keyEnc), nil, privkey.ErrPasswordRequired,
			[]string{"server-key.pem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, tt.dir, layout.QEMU)
			for _, f := range tt.remove {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(mustSpec(t, "tls-creds-x509,id=tls0,endpoint="+tt.endpoint+",dir="+dir), LoadOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Load() error = %v, want %v", err, tt.want)
			}
			var le *LoadError
			if !errors.As(err, &le) || le.ID != "tls0" {
				t.Errorf("error is not a LoadError for tls0: %#v", err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

// dirWith replaces one file of a directory with raw content.
func dirWith(d fixtures.Dir, name string, data []byte) fixtures.Dir {
	d.Extra = append(append([]fixtures.File(nil), d.Extra...), fixtures.File{Name: name, Data: data})
	return d
}

func mustKeyPEM(t *testing.T, c *fixtures.Cert) []byte {
	t.Helper()
	b, err := c.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadEncryptedKeyWithPassword(t *testing.T) {
	p := testPKI(t)
	d := p.ServerDir()
	d.KeyFormat, d.KeyPassword = privkey.EncryptedPKCS8, []byte("pw")
	dir := writeDir(t, d, layout.QEMU)
	var specs Specs
	for _, s := range []string{"secret,id=sec0,data=pw", "tls-creds-x509,id=tls0,endpoint=server,dir=" + dir + ",passwordid=sec0"} {
		if err := specs.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	pw, err := specs.Password(specs.Objects[0])
	if err != nil {
		t.Fatal(err)
	}
	obj, err := Load(specs.Objects[0], LoadOptions{Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if !obj.Identity().KeyInfo.Encrypted {
		t.Error("KeyInfo.Encrypted = false")
	}
	if _, err := Load(specs.Objects[0], LoadOptions{Password: []byte("wrong")}); !errors.Is(err, privkey.ErrIncorrectPassword) {
		t.Errorf("wrong password: %v", err)
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	p := testPKI(t)
	t.Run("fifo", func(t *testing.T) {
		dir := writeDir(t, p.ServerDir(), layout.QEMU)
		ca := filepath.Join(dir, "ca-cert.pem")
		os.Remove(ca)
		if err := syscall.Mkfifo(ca, 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := Load(mustSpec(t, "tls-creds-x509,id=tls0,endpoint=server,dir="+dir), LoadOptions{})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "FIFO") || !strings.Contains(err.Error(), "ca-cert.pem") {
				t.Errorf("err = %v, want a FIFO refusal naming the file", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Load hung on a FIFO")
		}
	})
	t.Run("huge", func(t *testing.T) {
		dir := writeDir(t, p.ServerDir(), layout.QEMU)
		if err := os.Truncate(filepath.Join(dir, "server-cert.pem"), 2<<30); err != nil {
			t.Fatal(err)
		}
		_, err := Load(mustSpec(t, "tls-creds-x509,id=tls0,endpoint=server,dir="+dir), LoadOptions{})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "server-cert.pem") {
			t.Errorf("err = %v, want ErrTooLarge naming the file", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := writeDir(t, p.ServerDir(), layout.QEMU)
		ca := filepath.Join(dir, "ca-cert.pem")
		os.Remove(ca)
		os.Mkdir(ca, 0o755)
		if _, err := Load(mustSpec(t, "tls-creds-x509,id=tls0,endpoint=server,dir="+dir), LoadOptions{}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLoadExtraIdentities(t *testing.T) {
	p := testPKI(t)
	second, err := gen.Server(p.Intermediate, fixtures.Spec{KeyType: fixtures.RSA2048, DNSNames: []string{"localhost"}})
	if err != nil {
		t.Fatal(err)
	}
	key0, key1 := mustKeyPEM(t, p.Server), mustKeyPEM(t, second)
	tests := []struct {
		name  string
		extra []fixtures.File
		want  int
		err   error
	}{
		{"only -0", []fixtures.File{{Name: "server-cert-0.pem", Data: p.Server.ChainPEM()}, {Name: "server-key-0.pem", Data: key0}}, 1, nil},
		{"-1 without -0 is not loaded", []fixtures.File{
			{Name: "server-cert.pem", Data: p.Server.ChainPEM()}, {Name: "server-key.pem", Data: key0},
			{Name: "server-cert-1.pem", Data: second.ChainPEM()}, {Name: "server-key-1.pem", Data: key1}}, 1, nil},
		{"base and -0", []fixtures.File{
			{Name: "server-cert.pem", Data: p.Server.ChainPEM()}, {Name: "server-key.pem", Data: key0},
			{Name: "server-cert-0.pem", Data: second.ChainPEM()}, {Name: "server-key-0.pem", Data: key1}}, 2, nil},
		{"-0 cert without key", []fixtures.File{
			{Name: "server-cert.pem", Data: p.Server.ChainPEM()}, {Name: "server-key.pem", Data: key0},
			{Name: "server-cert-0.pem", Data: second.ChainPEM()}}, 0, ErrUnpaired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, fixtures.Dir{CA: p.CABundle(), Extra: tt.extra}, layout.QEMU)
			obj, err := Load(mustSpec(t, "tls-creds-x509,id=tls0,endpoint=server,dir="+dir), LoadOptions{})
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && len(obj.Identities) != tt.want {
				t.Errorf("%d identities, want %d", len(obj.Identities), tt.want)
			}
		})
	}
}

func TestLoadClientWithoutCertAndP12(t *testing.T) {
	p := testPKI(t)
	dir := writeDir(t, fixtures.Dir{CA: p.CABundle()}, layout.QEMU)
	obj, err := Load(mustSpec(t, "tls-creds-x509,id=c,endpoint=client,dir="+dir), LoadOptions{})
	if err != nil || obj.Identity() != nil {
		t.Fatalf("client without cert: %v, identity %v", err, obj)
	}
	data, err := fixtures.PKCS12(p.Clients[0], "pw")
	if err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(t.TempDir(), "client.p12")
	if err := os.WriteFile(p12, data, 0o600); err != nil {
		t.Fatal(err)
	}
	obj, err = Load(mustSpec(t, "tls-creds-x509,id=c,endpoint=client,p12="+p12), LoadOptions{Password: []byte("pw")})
	if err != nil {
		t.Fatal(err)
	}
	// The intermediate is part of the identity, never a trust anchor.
	if obj.Identity() == nil || obj.Identity().Leaf().Subject.CommonName != "client" || len(obj.CA) != 1 || !obj.CA[0].Equal(p.Root.Cert) {
		t.Errorf("p12 object: identity %v, %d CA certs, want the root only", obj.Identity(), len(obj.CA))
	}
	if _, err := Load(mustSpec(t, "tls-creds-x509,id=c,endpoint=client,p12="+p12), LoadOptions{Password: []byte("no")}); !errors.Is(err, ErrP12Password) {
		t.Errorf("wrong p12 password: %v", err)
	}
}

func TestReadDigestChanges(t *testing.T) {
	p := testPKI(t)
	dir := writeDir(t, p.ServerDir(), layout.QEMU)
	sp := mustSpec(t, "tls-creds-x509,id=s,endpoint=server,dir="+dir)
	a, _ := Read(sp, nil)
	b, _ := Read(sp, nil)
	if a.Digest != b.Digest {
		t.Fatal("digest differs for unchanged files")
	}
	crl, _ := gen.CRL(p.Intermediate, fixtures.CRLSpec{Revoked: []*big.Int{big.NewInt(7)}})
	os.WriteFile(filepath.Join(dir, "ca-crl.pem"), crl, 0o644)
	c, _ := Read(sp, nil)
	if c.Digest == a.Digest {
		t.Fatal("digest unchanged after a CRL was added")
	}
}

// Explicit files outside dir= are read even though the directory listing
// (which spares lookups of absent names) does not hold them.
func TestLoadExplicitFilesOutsideDir(t *testing.T) {
	p := testPKI(t)
	dir := writeDir(t, fixtures.Dir{CA: p.CABundle()}, layout.QEMU)
	elsewhere := writeDir(t, p.ServerDir(), layout.QEMU)
	sp := mustSpec(t, "tls-creds-x509,id=s,endpoint=server,dir="+dir+
		",cert="+filepath.Join(elsewhere, "server-cert.pem")+",key="+filepath.Join(elsewhere, "server-key.pem"))
	obj, err := Load(sp, LoadOptions{})
	if err != nil || obj.Identity() == nil {
		t.Fatalf("explicit cert/key outside dir: %v", err)
	}
}

// Objects whose CA files hold the same bytes share one parsed bundle and
// pool (SNI servers load thousands of objects under one CA); others do not.
func TestObjectsShareIdenticalCABundles(t *testing.T) {
	p, other := testPKI(t), testPKI(t)
	load := func(d fixtures.Dir) *Object {
		t.Helper()
		obj, err := Load(mustSpec(t, "tls-creds-x509,id=s,endpoint=server,dir="+writeDir(t, d, layout.QEMU)), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return obj
	}
	a, b, c := load(p.ServerDir()), load(p.ServerDir()), load(other.ServerDir())
	if a.CAPool != b.CAPool || &a.CA[0] != &b.CA[0] {
		t.Error("identical CA files were parsed twice")
	}
	if a.CAPool == c.CAPool || a.CA[0].Equal(c.CA[0]) {
		t.Error("different CA files share a bundle")
	}
	if len(a.Material.Files) != 0 || a.Material.Digest == ([32]byte{}) {
		t.Error("a loaded object keeps its files, or lost its digest")
	}
}

// OmitAbsent (used by lint over many directories) pairs identities as a
// full read does: the first gap ends the numbered identities, and a lone
// cert or key keeps its missing partner's path.
func TestOmitAbsentKeepsIdentityPairing(t *testing.T) {
	p := testPKI(t)
	key0 := mustKeyPEM(t, p.Server)
	cases := map[string][]fixtures.File{
		"-1 without -0": {{Name: "server-cert.pem", Data: p.Server.ChainPEM()}, {Name: "server-key.pem", Data: key0},
			{Name: "server-cert-1.pem", Data: p.Server.ChainPEM()}, {Name: "server-key-1.pem", Data: key0}},
		"-0 cert alone": {{Name: "server-cert.pem", Data: p.Server.ChainPEM()}, {Name: "server-key.pem", Data: key0},
			{Name: "server-cert-0.pem", Data: p.Server.ChainPEM()}},
		"base key alone": {{Name: "server-key.pem", Data: key0}},
	}
	for name, files := range cases {
		dir := writeDir(t, fixtures.Dir{CA: p.CABundle(), Extra: files}, layout.QEMU)
		sp := mustSpec(t, "tls-creds-x509,id=s,endpoint=server,dir="+dir)
		full, _ := ReadWith(sp, nil, ReadOptions{})
		lean, _ := ReadWith(sp, nil, ReadOptions{OmitAbsent: true})
		describe := func(m *Material) string {
			var out []string
			for _, id := range m.Identities() {
				out = append(out, fmt.Sprintf("%d:%v/%v:%s/%s", id.Index, id.Cert.Present, id.Key.Present, filepath.Base(id.Cert.Path), filepath.Base(id.Key.Path)))
			}
			return strings.Join(out, " ")
		}
		if a, b := describe(full), describe(lean); a != b {
			t.Errorf("%s: full read pairs %q, OmitAbsent %q", name, a, b)
		}
		if len(lean.Files) >= len(full.Files) {
			t.Errorf("%s: OmitAbsent kept %d of %d entries", name, len(lean.Files), len(full.Files))
		}
	}
}

// A loaded identity keeps the parsed leaf only where crypto/tls would
// parse it on every handshake without it (clients, servers with several
// identities); Chain and DNSNames work either way.
func TestIdentityKeepsLeafOnlyWhereUsed(t *testing.T) {
	p := testPKI(t)
	second, err := gen.Server(p.Intermediate, fixtures.Spec{DNSNames: []string{"second.example"}})
	if err != nil {
		t.Fatal(err)
	}
	two := p.ServerDir()
	two.Extra = []fixtures.File{{Name: "server-cert-0.pem", Data: second.ChainPEM()}, {Name: "server-key-0.pem", Data: mustKeyPEM(t, second)}}
	tests := []struct {
		name     string
		endpoint string
		dir      fixtures.Dir
		leafs    []*fixtures.Cert
		keepLeaf bool
	}{
		{"server with one identity", "server", p.ServerDir(), []*fixtures.Cert{p.Server}, false},
		{"server with two identities", "server", two, []*fixtures.Cert{p.Server, second}, true},
		{"client", "client", p.ClientDir(0), []*fixtures.Cert{p.Clients[0]}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := Load(mustSpec(t, "tls-creds-x509,id=o,endpoint="+tt.endpoint+",dir="+writeDir(t, tt.dir, layout.QEMU)), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(obj.Identities) != len(tt.leafs) {
				t.Fatalf("%d identities, want %d", len(obj.Identities), len(tt.leafs))
			}
			for i, id := range obj.Identities {
				want := tt.leafs[i].Cert
				if (id.TLS.Leaf != nil) != tt.keepLeaf {
					t.Errorf("identity %d: TLS.Leaf set = %v, want %v", i, id.TLS.Leaf != nil, tt.keepLeaf)
				}
				if !id.Leaf().Equal(want) || !id.Chain()[0].Equal(want) || len(id.Chain()) != len(id.TLS.Certificate) {
					t.Errorf("identity %d: Leaf/Chain do not give the certificate loaded", i)
				}
				if !slices.Equal(id.DNSNames(), want.DNSNames) {
					t.Errorf("identity %d: DNSNames %v, want %v", i, id.DNSNames(), want.DNSNames)
				}
			}
		})
	}
}

// Material.Listed answers from the listing the files were read by, and
// says when there was none.
func TestMaterialListed(t *testing.T) {
	p := testPKI(t)
	dir := writeDir(t, p.ServerDir(), layout.QEMU)
	m, err := Read(mustSpec(t, "tls-creds-x509,id=s,endpoint=server,dir="+dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if present, known := m.Listed("server-cert.pem"); !present || !known {
		t.Errorf("Listed(server-cert.pem) = %v, %v; want present and known", present, known)
	}
	if present, known := m.Listed("ca-key.pem"); present || !known {
		t.Errorf("Listed(ca-key.pem) = %v, %v; want absent and known", present, known)
	}
	explicit, err := Read(mustSpec(t, "tls-creds-x509,id=s,endpoint=server,cert="+filepath.Join(dir, "server-cert.pem")+",key="+filepath.Join(dir, "server-key.pem")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, known := explicit.Listed("server-cert.pem"); known {
		t.Error("a spec without dir= has no listing, but Listed says it knows")
	}
}
