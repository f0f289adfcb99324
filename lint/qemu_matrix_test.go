package lint

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"path/filepath"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// qemuCert describes one certificate of QEMU's own test catalogue
// (tests/unit/test-crypto-tlscredsx509.c; spec section 3.2): every
// certificate shares one RSA key, has subject C=UK,CN=..., no SKI/AKI, and
// is valid from now+start to now+end hours.
type qemuCert struct {
	issuer     string // "" = self-signed
	cn         string
	bc         *fixtures.BasicConstraints
	ku         *fixtures.KeyUsage
	eku        *fixtures.ExtKeyUsage
	start, end int
}

var (
	bcCA      = &fixtures.BasicConstraints{CA: true, PathLen: -1, Critical: true}
	bcCANC    = &fixtures.BasicConstraints{CA: true, PathLen: -1}
	bcLeaf    = &fixtures.BasicConstraints{PathLen: -1, Critical: true}
	bcNone    = &fixtures.BasicConstraints{Omit: true}
	kuNone    = &fixtures.KeyUsage{Omit: true}
	ekuNone   = &fixtures.ExtKeyUsage{Omit: true}
	kuCS      = &fixtures.KeyUsage{Bits: x509.KeyUsageCertSign, Critical: true}
	kuDS      = &fixtures.KeyUsage{Bits: x509.KeyUsageDigitalSignature, Critical: true}
	kuDSnc    = &fixtures.KeyUsage{Bits: x509.KeyUsageDigitalSignature}
	kuDSCS    = &fixtures.KeyUsage{Bits: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, Critical: true}
	kuCSnc    = &fixtures.KeyUsage{Bits: x509.KeyUsageCertSign}
	kuZero    = &fixtures.KeyUsage{Critical: true}
	ekuSrv    = eku(true, fixtures.OIDServerAuth)
	ekuCli    = eku(true, fixtures.OIDClientAuth)
	ekuSrvNC  = eku(false, fixtures.OIDServerAuth)
	ekuCliNC  = eku(false, fixtures.OIDClientAuth)
	ekuBoth   = eku(true, fixtures.OIDClientAuth, fixtures.OIDServerAuth)
	ekuBothNC = eku(false, fixtures.OIDClientAuth, fixtures.OIDServerAuth)
)

func eku(crit bool, oids ...asn1.ObjectIdentifier) *fixtures.ExtKeyUsage {
	return &fixtures.ExtKeyUsage{OIDs: oids, Critical: crit}
}

var qemuCerts = map[string]qemuCert{
	"cacert":         {"", "qemu CA", bcCA, kuCS, ekuNone, 0, 24},
	"cacert1":        {"", "qemu CA 1", bcCA, kuNone, ekuNone, 0, 24},
	"cacert2":        {"", "qemu CA 2", bcCANC, kuNone, ekuNone, 0, 24},
	"cacert3":        {"", "qemu CA 3", bcCA, kuCS, ekuNone, 0, 24},
	"cacert4":        {"", "qemu CA 4", bcCA, kuDSnc, ekuNone, 0, 24},
	"cacert5":        {"", "qemu CA 5", bcNone, kuNone, ekuNone, 0, 24},
	"cacert6":        {"", "qemu CA 6", bcCA, kuDS, ekuNone, 0, 24},
	"cacertexp":      {"", "qemu", bcCA, kuCS, ekuNone, 0, -1},
	"cacertnew":      {"", "qemu", bcCA, kuCS, ekuNone, 1, 2},
	"root":           {"", "qemu root", bcCA, kuCS, ekuNone, 0, 24},
	"level1a":        {"root", "qemu level 1a", bcCA, kuCS, ekuNone, 0, 24},
	"level1b":        {"root", "qemu level 1b", bcCA, kuCS, ekuNone, 0, 24},
	"level1c":        {"root", "qemu level 1c invalid", bcCA, kuCS, ekuNone, 360, 400},
	"level2a":        {"level1a", "qemu level 2a", bcCA, kuCS, ekuNone, 0, 24},
	"servercert":     {"cacert", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"clientcert":     {"cacert", "qemu", bcLeaf, kuDS, ekuCli, 0, 24},
	"servercert1":    {"cacert1", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert2":    {"cacert2", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert3":    {"cacert3", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert4":    {"cacert4", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert5":    {"cacert5", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert6":    {"cacert6", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercert7":    {"cacert", "qemu", bcLeaf, kuNone, ekuNone, 0, 24},
	"servercert8":    {"cacert", "qemu", bcLeaf, kuDSCS, ekuNone, 0, 24},
	"servercert9":    {"cacert", "qemu", bcLeaf, kuCSnc, ekuNone, 0, 24},
	"servercert10":   {"cacert", "qemu", bcLeaf, kuNone, ekuSrv, 0, 24},
	"servercert11":   {"cacert", "qemu", bcLeaf, kuNone, ekuSrvNC, 0, 24},
	"servercert12":   {"cacert", "qemu", bcLeaf, kuNone, ekuBoth, 0, 24},
	"servercert13":   {"cacert", "qemu", bcLeaf, kuNone, ekuBothNC, 0, 24},
	"servercert14":   {"cacert", "qemu", bcLeaf, kuCS, ekuNone, 0, 24},
	"servercert15":   {"cacert", "qemu", bcLeaf, kuNone, ekuCli, 0, 24},
	"servercert16":   {"cacert", "qemu", bcLeaf, kuZero, ekuNone, 0, 24},
	"clientcert1":    {"cacert", "qemu", bcLeaf, kuNone, ekuNone, 0, 24},
	"clientcert2":    {"cacert", "qemu", bcLeaf, kuDSCS, ekuNone, 0, 24},
	"clientcert3":    {"cacert", "qemu", bcLeaf, kuCSnc, ekuNone, 0, 24},
	"clientcert4":    {"cacert", "qemu", bcLeaf, kuNone, ekuCli, 0, 24},
	"clientcert5":    {"cacert", "qemu", bcLeaf, kuNone, ekuCliNC, 0, 24},
	"clientcert6":    {"cacert", "qemu", bcLeaf, kuNone, ekuBoth, 0, 24},
	"clientcert7":    {"cacert", "qemu", bcLeaf, kuNone, ekuBothNC, 0, 24},
	"clientcert8":    {"cacert", "qemu", bcLeaf, kuCS, ekuNone, 0, 24},
	"clientcert9":    {"cacert", "qemu", bcLeaf, kuNone, ekuSrv, 0, 24},
	"clientcert10":   {"cacert", "qemu", bcLeaf, kuZero, ekuNone, 0, 24},
	"servercertexp":  {"cacertexp", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercertexp1": {"cacert", "qemu", bcLeaf, kuDS, ekuSrv, 0, -1},
	"clientcertexp1": {"cacert", "qemu", bcLeaf, kuDS, ekuCli, 0, -1},
	"servercertnew":  {"cacertnew", "qemu", bcLeaf, kuDS, ekuSrv, 0, 24},
	"servercertnew1": {"cacert", "qemu", bcLeaf, kuDS, ekuSrv, 1, 2},
	"clientcertnew1": {"cacert", "qemu", bcLeaf, kuDS, ekuCli, 1, 2},
	"server3a":       {"level2a", "qemu.org", bcLeaf, kuDS, ekuSrv, 0, 24},
	"client2b":       {"level1b", "qemu client level 2b", bcLeaf, kuDS, ekuCli, 0, 24},
	// Extra cases of spec section 3.7.
	"servercodesign": {"cacert", "qemu", bcLeaf, kuNone, eku(true, fixtures.OIDCodeSigning), 0, 24},
	"serveranyeku":   {"cacert", "qemu", bcLeaf, kuNone, eku(true, fixtures.OIDAnyEKU), 0, 24},
}

// buildQEMUCatalogue issues every certificate with one shared key.
func buildQEMUCatalogue(t *testing.T) (map[string]*fixtures.Cert, crypto.Signer) {
	t.Helper()
	key, err := fixtures.NewKey(fixtures.RSA2048)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*fixtures.Cert{}
	var issue func(name string) *fixtures.Cert
	issue = func(name string) *fixtures.Cert {
		if c, ok := out[name]; ok {
			return c
		}
		q := qemuCerts[name]
		var parent *fixtures.Cert
		role := fixtures.RoleServer
		if q.issuer != "" {
			parent = issue(q.issuer)
		}
		if q.bc.CA || q.bc.Omit {
			role = fixtures.RoleIntermediate
		}
		now := fixtures.TestClock
		c, err := gen.Issue(parent, role, fixtures.Spec{
			Subject: pkix.Name{Country: []string{"UK"}, CommonName: q.cn}, Key: key,
			NotBefore: now.Add(time.Duration(q.start) * time.Hour), NotAfter: now.Add(time.Duration(q.end) * time.Hour),
			BasicConstraints: q.bc, KeyUsage: q.ku, ExtKeyUsage: q.eku, NoSKI: true, NoAKI: true,
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = c
		return c
	}
	for name := range qemuCerts {
		issue(name)
	}
	return out, key
}

// TestQEMUUnitMatrix replays QEMU's own load-time test matrix (spec 3.3)
// with the verdicts of QEMU 10.2 (profile qemu) and QEMU <= 10.1
// (profile qemu-legacy).
func TestQEMUUnitMatrix(t *testing.T) {
	certs, key := buildQEMUCatalogue(t)
	keyPEM, err := privkey.Marshal(key, privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, endpoint string
		ca, cert       []string
		modern, legacy bool // true = PASS
	}{
		{"perfectserver", "server", []string{"cacert"}, []string{"servercert"}, true, true},
		{"perfectclient", "client", []string{"cacert"}, []string{"clientcert"}, true, true},
		{"goodca1", "server", []string{"cacert1"}, []string{"servercert1"}, true, true},
		{"goodca2", "server", []string{"cacert2"}, []string{"servercert2"}, true, true},
		{"goodca3", "server", []string{"cacert3"}, []string{"servercert3"}, true, true},
		{"badca1", "server", []string{"cacert4"}, []string{"servercert4"}, false, false},
		{"badca2", "server", []string{"cacert5"}, []string{"servercert5"}, false, false},
		{"badca3", "server", []string{"cacert6"}, []string{"servercert6"}, false, false},
		{"goodserver1", "server", []string{"cacert"}, []string{"servercert7"}, true, true},
		{"goodserver2", "server", []string{"cacert"}, []string{"servercert8"}, true, true},
		{"goodserver3", "server", []string{"cacert"}, []string{"servercert9"}, true, true},
		{"goodserver4", "server", []string{"cacert"}, []string{"servercert10"}, true, true},
		{"goodserver5", "server", []string{"cacert"}, []string{"servercert11"}, true, true},
		{"goodserver6", "server", []string{"cacert"}, []string{"servercert12"}, true, true},
		{"goodserver7", "server", []string{"cacert"}, []string{"servercert13"}, true, true},
		{"badserver1", "server", []string{"cacert"}, []string{"servercert14"}, false, false},
		{"badserver2", "server", []string{"cacert"}, []string{"servercert15"}, false, false},
		{"badserver3", "server", []string{"cacert"}, []string{"servercert16"}, false, false},
		{"goodclient1", "client", []string{"cacert"}, []string{"clientcert1"}, true, true},
		{"goodclient2", "client", []string{"cacert"}, []string{"clientcert2"}, true, true},
		{"goodclient3", "client", []string{"cacert"}, []string{"clientcert3"}, true, true},
		{"goodclient4", "client", []string{"cacert"}, []string{"clientcert4"}, true, true},
		{"goodclient5", "client", []string{"cacert"}, []string{"clientcert5"}, true, true},
		{"goodclient6", "client", []string{"cacert"}, []string{"clientcert6"}, true, true},
		{"goodclient7", "client", []string{"cacert"}, []string{"clientcert7"}, true, true},
		{"badclient1", "client", []string{"cacert"}, []string{"clientcert8"}, false, false},
		{"badclient2", "client", []string{"cacert"}, []string{"clientcert9"}, false, false},
		{"badclient3", "client", []string{"cacert"}, []string{"clientcert10"}, false, false},
		{"expired1", "server", []string{"cacertexp"}, []string{"servercertexp"}, false, false},
		{"expired2", "server", []string{"cacert"}, []string{"servercertexp1"}, false, false},
		{"expired3", "client", []string{"cacert"}, []string{"clientcertexp1"}, false, false},
		{"inactive1", "server", []string{"cacertnew"}, []string{"servercertnew"}, false, false},
		{"inactive2", "server", []string{"cacert"}, []string{"servercertnew1"}, false, false},
		{"inactive3", "client", []string{"cacert"}, []string{"clientcertnew1"}, false, false},
		{"chain1", "server", []string{"root", "level1a", "level1b", "level2a"}, []string{"server3a"}, true, true},
		{"chain2", "client", []string{"root", "level1a", "level1b", "level2a"}, []string{"client2b"}, true, true},
		{"certchainwithexpiredcert", "client", []string{"root", "level1a", "level1b", "level1c", "level2a"}, []string{"client2b"}, true, false},
		{"chainincomplete", "server", []string{"root", "level2a"}, []string{"server3a"}, false, true},
		{"serverchain", "server", []string{"root"}, []string{"server3a", "level2a", "level1a"}, true, false},
		{"multiplecaswithchain", "server", []string{"cacert1", "root"}, []string{"server3a", "level2a", "level1a"}, true, false},
		{"incompleteserverchain", "server", []string{"root"}, []string{"server3a", "level2a"}, false, false},
		{"unsortedserverchain", "server", []string{"root"}, []string{"server3a", "level1a", "level2a"}, false, false},
		{"clientchain", "client", []string{"root"}, []string{"client2b", "level1b"}, true, false},
		{"missingserver", "server", []string{"cacert1"}, nil, false, false},
		{"missingclient", "client", []string{"cacert1"}, nil, true, true},
		{"ekucodesigning", "server", []string{"cacert"}, []string{"servercodesign"}, false, false},
		{"ekuany", "server", []string{"cacert"}, []string{"serveranyeku"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "creds")
			var files []fixtures.File
			files = append(files, fixtures.File{Name: "ca-cert.pem", Data: pemOf(certs, tt.ca)})
			if tt.cert != nil {
				files = append(files,
					fixtures.File{Name: tt.endpoint + "-cert.pem", Data: pemOf(certs, tt.cert)},
					fixtures.File{Name: tt.endpoint + "-key.pem", Data: keyPEM, Mode: 0o600})
			}
			if _, err := fixtures.WriteFiles(dir, files, true); err != nil {
				t.Fatal(err)
			}
			for _, pc := range []struct {
				p    Profile
				want bool
			}{{ProfileQEMU, tt.modern}, {ProfileQEMULegacy, tt.legacy}} {
				fs := lintPath(t, dir, tt.endpoint, Options{Profile: pc.p})
				if got := Worst(fs) < Error; got != pc.want {
					t.Errorf("profile %s: pass=%v, QEMU's verdict is pass=%v; findings %v", pc.p, got, pc.want, summary(fs))
				}
			}
		})
	}
}

func pemOf(certs map[string]*fixtures.Cert, names []string) []byte {
	var xs []*x509.Certificate
	for _, n := range names {
		xs = append(xs, certs[n].Cert)
	}
	return fixtures.EncodeCerts(xs...)
}
