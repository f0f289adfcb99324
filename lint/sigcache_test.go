package lint

import (
	"crypto/x509"
	"slices"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
)

// TestSharedCASignatureCheckedEveryDir lints directories that share a
// CA bundle whose intermediate was signed by another key than its
// root's: the CA signature is verified once per process, and every
// directory still reports it, with the same message.
func TestSharedCASignatureCheckedEveryDir(t *testing.T) {
	root, err := gen.Root(fixtures.Spec{CommonName: "twin CA", NoSKI: true})
	if err != nil {
		t.Fatal(err)
	}
	twin, err := gen.Root(fixtures.Spec{CommonName: "twin CA", NoSKI: true})
	if err != nil {
		t.Fatal(err)
	}
	inter, err := gen.Intermediate(twin, fixtures.Spec{CommonName: "fleet intermediate", NoAKI: true})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for i := range 3 {
		leaf, err := gen.Server(inter, fixtures.Spec{DNSNames: []string{"host.example"}})
		if err != nil {
			t.Fatal(err)
		}
		fs := lintDir(t, fixtures.Dir{CA: []*x509.Certificate{root.Cert, inter.Cert}, Server: leaf}, "server", Options{})
		got := ""
		for _, f := range fs {
			if f.Rule == "chain-signature-invalid" {
				got = f.Message
			}
		}
		if got == "" {
			t.Fatalf("directory %d: no chain-signature-invalid among %v", i, ruleIDs(fs, Info))
		}
		msgs = append(msgs, got)
	}
	if len(slices.Compact(slices.Clone(msgs))) != 1 {
		t.Errorf("the directories report different messages: %q", msgs)
	}
}
