package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// TestExplainSentChain: what openssl s_client and gnutls-cli print about a
// server whose issuer they do not know tells, from the chain the server
// sent, a missing intermediate from an unknown CA. A server that sends
// its leaf alone leaves both open; one that sends its intermediate (or
// its whole chain) under a root the client does not trust is an unknown
// CA, and explain must not suggest adding an intermediate.
func TestExplainSentChain(t *testing.T) {
	peer.Require(t, "openssl", "gnutls-cli")
	t.Parallel()
	g := fixtures.New(time.Now())
	p, err := g.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := g.Root(fixtures.Spec{CommonName: "a CA the client trusts"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := p.Server.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeFile(t, "key.pem", key)
	leafFile := writeFile(t, "leaf.pem", p.Server.CertPEM())
	strangerFile := writeFile(t, "stranger.pem", stranger.CertPEM())
	for _, tc := range []struct {
		name  string
		chain []byte // what s_server sends above the leaf (-cert_chain)
		// causes of the unknown-issuer explanation: an intermediate may
		// be missing only when the server sent nothing above its leaf.
		missingPossible bool
	}{
		{"leaf alone", nil, true},
		{"leaf and intermediate", p.Intermediate.CertPEM(), false},
		{"whole chain", fixtures.EncodeCerts(p.Intermediate.Cert, p.Root.Cert), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-cert", leafFile, "-key", keyFile, "-www"}
			if tc.chain != nil {
				args = append(args, "-cert_chain", writeFile(t, "chain.pem", tc.chain))
			}
			s := peer.OpenSSLServer(t, args...)
			host, port, _ := strings.Cut(s.Addr, ":")
			outs := map[string]string{
				"openssl s_client": peer.Run(t, 10*time.Second, []byte{}, "openssl", "s_client", "-connect", s.Addr, "-servername", "localhost",
					"-verify_return_error", "-CAfile", strangerFile).Output,
				"gnutls-cli": peer.Run(t, 10*time.Second, []byte{}, "gnutls-cli", "-p", port, host, "--sni-hostname", "localhost",
					"--verify-hostname", "localhost", "--x509cafile", strangerFile).Output,
			}
			for stack, out := range outs {
				if h := Headline(Explain(out)); len(h) == 0 || h[0] != cause.UnknownCA {
					t.Errorf("%s: explain's causes %v, want %s first\n%s", stack, h, cause.UnknownCA, out)
				}
				// The explanations of the program's words for an issuer it
				// could not find (not of the "verify failed" around them).
				var found bool
				for _, e := range Explain(out) {
					if !slices.Contains(e.Causes, cause.UnknownCA) || !strings.Contains(strings.ToLower(e.Match+e.Meaning), "issuer") && !strings.Contains(e.Match, "self-signed") {
						continue
					}
					found = true
					if got := slices.Contains(e.Causes, cause.MissingIntermediate); got != tc.missingPossible {
						t.Errorf("%s: %q lists %v; a missing intermediate listed: %v, want %v\n%s", stack, e.Match, e.Causes, got, tc.missingPossible, out)
					}
				}
				if !found {
					t.Errorf("%s: no explanation names an unknown CA:\n%s", stack, out)
				}
			}
		})
	}
}
