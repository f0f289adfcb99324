package diagnose

import (
	"crypto/x509"
	"slices"
	"testing"

	"github.com/tlscreds/tlscreds/fixtures"
)

// presentedPath is creds.Walk over the sent certificates: among sent
// certificates of the issuer's name, the one whose key verifies is taken
// wherever it was sent; one whose key does not verify ends the path.
func TestPresentedPath(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	must := func(c *fixtures.Cert, err error) *x509.Certificate {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c.Cert
	}
	rootC, err := g.Root(fixtures.Spec{CommonName: "path root"})
	if err != nil {
		t.Fatal(err)
	}
	root := rootC.Cert
	impostor := must(g.Root(fixtures.Spec{CommonName: "path root"}))
	// No authority key id: the name alone makes both roots candidates.
	interC, err := g.Intermediate(rootC, fixtures.Spec{CommonName: "path inter", NoAKI: true})
	if err != nil {
		t.Fatal(err)
	}
	inter := interC.Cert
	leaf := must(g.Server(interC, fixtures.Spec{CommonName: "path leaf", DNSNames: []string{"x"}}))
	for _, tt := range []struct {
		name string
		sent []*x509.Certificate
		want []*x509.Certificate
	}{
		{"in order", []*x509.Certificate{leaf, inter, root}, []*x509.Certificate{leaf, inter, root}},
		{"unsorted", []*x509.Certificate{leaf, root, inter}, []*x509.Certificate{leaf, inter, root}},
		{"the verifying key wins", []*x509.Certificate{leaf, inter, impostor, root}, []*x509.Certificate{leaf, inter, root}},
		{"only a wrong key", []*x509.Certificate{leaf, inter, impostor}, []*x509.Certificate{leaf, inter}},
		{"leaf alone", []*x509.Certificate{leaf}, []*x509.Certificate{leaf}},
		{"self-signed", []*x509.Certificate{root}, []*x509.Certificate{root}},
	} {
		if got := presentedPath(tt.sent); !slices.EqualFunc(got, tt.want, (*x509.Certificate).Equal) {
			t.Errorf("%s: got %d certificates, want %d", tt.name, len(got), len(tt.want))
		}
	}
}
