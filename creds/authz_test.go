package creds_test

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// qemuClient is QEMU's test client certificate: subject C=UK, CN=qemu
// (qemu:tests/unit/test-crypto-tlssession.c clientcertreq).
func qemuClient(t *testing.T, ca *fixtures.Cert) *fixtures.Cert {
	t.Helper()
	c, err := fixtures.New(fixtures.TestClock).Client(ca, fixtures.Spec{Subject: pkix.Name{Country: []string{"UK"}, CommonName: "qemu"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// globs makes QEMU's test ACL: default deny, one allow/glob rule per
// wildcard (qemu:tests/unit/test-crypto-tlssession.c).
func globs(patterns ...string) *creds.AuthzList {
	l := &creds.AuthzList{Policy: creds.AuthzDeny}
	for _, p := range patterns {
		l.Rules = append(l.Rules, creds.AuthzRule{Match: p, Policy: creds.AuthzAllow, Format: creds.AuthzGlob})
	}
	return l
}

// TestAuthzQEMUWildcards is QEMU's test-crypto-tlssession wildcard1-6
// (QEMU tests/unit/test-crypto-tlssession.c): the client's DN is
// C=UK,CN=qemu.
func TestAuthzQEMUWildcards(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	client := qemuClient(t, p.Root)
	cs := tls.ConnectionState{PeerCertificates: []*x509.Certificate{client.Cert}}
	for _, tc := range []struct {
		name  string
		acl   *creds.AuthzList
		allow bool
	}{
		{"wildcard1", globs("C=UK,CN=dogfood"), false},
		{"wildcard2", globs("C=UK,CN=qemu"), true},
		{"wildcard3", globs("C=UK,CN=dogfood", "C=UK,CN=qemu"), true},
		{"wildcard4", globs("C=UK,CN=qemustuff"), false},
		{"wildcard5", globs("C=UK,CN=qemu*"), true},
		{"wildcard6", globs("C=UK,CN=*emu*"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.acl.Authorize(cs)
			if tc.allow {
				if err != nil {
					t.Errorf("denied: %v", err)
				}
				return
			}
			// QEMU's message, byte for byte.
			if err == nil || err.Error() != "TLS x509 authz check for C=UK,CN=qemu is denied" {
				t.Errorf("error %v, want QEMU's denial", err)
			}
			var ae *creds.AuthzError
			if !errors.Is(err, creds.ErrAuthzDenied) || !errors.As(err, &ae) || ae.Identity != "C=UK,CN=qemu" {
				t.Errorf("error %#v does not match ErrAuthzDenied with the identity", err)
			}
		})
	}
}

// TestGlobMatch pins down g_pattern_match_simple's semantics: '*' and
// '?' only, whole string, case-sensitive, no escapes, no classes.
func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "C=UK,CN=qemu", true},
		{"?", "", false},
		{"?", "a", true},
		{"??", "a", false},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"**", "x", true},
		{"*?", "", false},
		{"*?*", "x", true},
		{"qemu", "C=UK,CN=qemu", false},           // anchored at both ends
		{"C=UK,CN=qem", "C=UK,CN=qemu", false},    // anchored at the end
		{"c=uk,cn=qemu", "C=UK,CN=qemu", false},   // case-sensitive
		{"C=UK,CN=[q]emu", "C=UK,CN=qemu", false}, // no character classes
		{"C=UK,CN=[q]emu", "C=UK,CN=[q]emu", true},
		{`C=UK,CN=qemu\*`, "C=UK,CN=qemu*", false}, // no escapes: '\' is literal...
		{`C=UK,CN=qemu\*`, `C=UK,CN=qemu\x`, true}, // ...and '*' still a wildcard
		{"C=UK,CN=qemu*", "C=UK,CN=qemu*", true},   // a literal '*' matched by the wildcard
		{"CN=?", "CN=é", true},                     // '?' is one character, not one byte
		{"CN=??", "CN=é", false},
		{"CN=*é", "CN=aé", true},
		{"*a*a*a*a*a*a*a*b", strings.Repeat("a", 200), false}, // no exponential backtracking
		{"O=Example\\, Inc,CN=*", "O=Example\\, Inc,CN=x", true},
	} {
		if got := creds.GlobMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("GlobMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestAuthzListOrderAndDefault(t *testing.T) {
	const dn = "C=UK,CN=qemu"
	for _, tc := range []struct {
		name string
		acl  creds.AuthzList
		want bool
	}{
		{"empty-denies", creds.AuthzList{}, false},
		{"empty-allow-policy", creds.AuthzList{Policy: creds.AuthzAllow}, true},
		{"first-match-wins", creds.AuthzList{Rules: []creds.AuthzRule{
			{Match: dn, Policy: creds.AuthzDeny},
			{Match: "*", Policy: creds.AuthzAllow, Format: creds.AuthzGlob},
		}}, false},
		{"exact-is-default-format", creds.AuthzList{Rules: []creds.AuthzRule{{Match: "C=UK,CN=*", Policy: creds.AuthzAllow}}}, false},
		{"deny-rule-then-default-allow", creds.AuthzList{Policy: creds.AuthzAllow, Rules: []creds.AuthzRule{
			{Match: "C=UK,CN=q*", Policy: creds.AuthzDeny, Format: creds.AuthzGlob},
		}}, false},
	} {
		if got := tc.acl.Allowed(dn); got != tc.want {
			t.Errorf("%s: Allowed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAuthzValidate(t *testing.T) {
	for _, tc := range []struct {
		acl  creds.AuthzList
		want string
	}{
		{creds.AuthzList{Policy: "permit"}, `policy: invalid value "permit"`},
		{creds.AuthzList{Rules: []creds.AuthzRule{{Match: "x"}}}, `rule 0 ("x"): policy: invalid value ""`},
		{creds.AuthzList{Rules: []creds.AuthzRule{{Match: "x", Policy: creds.AuthzAllow, Format: "regex"}}}, `format: invalid value "regex"`},
	} {
		if err := tc.acl.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.acl, err, tc.want)
		}
	}
	ok := globs("C=UK,CN=*")
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}

// TestAuthzHandshake plugs AuthzLists into two server configs over one
// object: the client one allows connects, the one that denies it refuses
// it with QEMU's message.
func TestAuthzHandshake(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	client := qemuClient(t, p.Root)
	src := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+labWriteDir(t, p.ServerDir()))
	cli := labClientConfig(t, labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Client: client})),
		"localhost", creds.ClientOptions{})
	allow := labServe(t, labServerConfig(t, src, creds.ServerOptions{Authorize: globs("C=UK,CN=qemu*").Authorize}))
	deny := labServe(t, labServerConfig(t, src, creds.ServerOptions{Authorize: globs("C=UK,CN=dogfood").Authorize}))
	if _, sres, cerr := labRoundTrip(t, allow, cli); cerr != nil || sres.Err != nil {
		t.Fatalf("allowed client: client: %v; server: %v", cerr, sres.Err)
	}
	_, sres, cerr := labRoundTrip(t, deny, cli)
	if cerr == nil || sres.Err == nil || sres.Err.Error() != "TLS x509 authz check for C=UK,CN=qemu is denied" {
		t.Fatalf("denied client: client: %v; server: %v", cerr, sres.Err)
	}
	if err := globs("*").Authorize(tls.ConnectionState{}); err == nil || !strings.Contains(err.Error(), "No certificate peers") {
		t.Errorf("no client certificate: %v", err)
	}
}

// globRef is a plain recursive matcher over runes, the specification
// GlobMatch is checked against.
func globRef(p, s []rune) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globRef(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && globRef(p[1:], s[1:])
	}
	return len(s) > 0 && p[0] == s[0] && globRef(p[1:], s[1:])
}

func FuzzGlobMatch(f *testing.F) {
	f.Add("C=UK,CN=*emu*", "C=UK,CN=qemu")
	f.Add("a?c*", "abcdef")
	f.Add("*?*?", "é")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 12 || len(s) > 24 || strings.ToValidUTF8(pattern, "\uFFFD") != pattern || strings.ToValidUTF8(s, "\uFFFD") != s {
			return // the reference is exponential; invalid UTF-8 has no rune semantics to compare
		}
		if got, want := creds.GlobMatch(pattern, s), globRef([]rune(pattern), []rune(s)); got != want {
			t.Errorf("GlobMatch(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}
