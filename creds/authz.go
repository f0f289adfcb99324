package creds

import (
	"crypto/tls"
	"fmt"
	"unicode/utf8"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// AuthzPolicy is the answer of an authz rule or list.
type AuthzPolicy string

// Policies, spelled as in QEMU's QAuthZListPolicy.
const (
	AuthzDeny  AuthzPolicy = "deny"
	AuthzAllow AuthzPolicy = "allow"
)

// AuthzFormat is how an authz rule's match is compared.
type AuthzFormat string

// Formats, spelled as in QEMU's QAuthZListFormat.
const (
	// AuthzExact compares the whole string, case-sensitively.
	AuthzExact AuthzFormat = "exact"
	// AuthzGlob matches with '*' (any run of characters, empty
	// included) and '?' (one character) over the whole string; nothing
	// else is special and there is no escape (see [GlobMatch]).
	AuthzGlob AuthzFormat = "glob"
)

// AuthzRule is one rule of an [AuthzList].
type AuthzRule struct {
	Match  string
	Policy AuthzPolicy
	Format AuthzFormat // "" is exact, QEMU's default
}

// Matches reports whether the rule applies to identity.
func (r AuthzRule) Matches(identity string) bool {
	if r.Format == AuthzGlob {
		return GlobMatch(r.Match, identity)
	}
	return r.Match == identity
}

// AuthzList is QEMU's authz-list object (qemu:authz/list.c): rules tried
// in order, the first that matches gives the answer, and Policy (deny
// when empty, QEMU's default) when none does. For TLS clients the
// identity is the client certificate's subject DN as QEMU prints it
// ([DN]: "C=UK,CN=qemu"), so rules written for QEMU's tls-authz work
// unchanged:
//
//	-object authz-list,id=auth0,policy=deny,rules.0.match=C=UK,,CN=qemu*,rules.0.policy=allow,rules.0.format=glob
//
// is
//
//	&AuthzList{Policy: AuthzDeny, Rules: []AuthzRule{{Match: "C=UK,CN=qemu*", Policy: AuthzAllow, Format: AuthzGlob}}}
//
// An AuthzList is not modified by its methods and may be shared.
type AuthzList struct {
	Policy AuthzPolicy
	Rules  []AuthzRule
}

// ErrAuthzDenied is matched (with errors.Is) by an [*AuthzError].
var ErrAuthzDenied = cause.New(cause.AuthzDenied, "authz denied")

// AuthzError is an identity an [AuthzList] denies.
type AuthzError struct {
	Identity string
}

// Error is QEMU's own text (qemu:crypto/tlssession.c), so that logs read
// the same as QEMU's and searching for QEMU's message finds this one.
func (e *AuthzError) Error() string {
	return fmt.Sprintf("TLS x509 authz check for %s is denied", e.Identity)
}

// Is makes errors.Is(err, ErrAuthzDenied) true.
func (e *AuthzError) Is(target error) bool { return target == ErrAuthzDenied }

// Cause is the handshake cause of a denial, for [cause.Classify].
func (e *AuthzError) Cause() string { return cause.AuthzDenied }

// Validate reports a policy or format QEMU would not accept.
func (l *AuthzList) Validate() error {
	if err := validPolicy(l.Policy, true); err != nil {
		return fmt.Errorf("authz policy: %w", err)
	}
	for i, r := range l.Rules {
		if err := validPolicy(r.Policy, false); err != nil {
			return fmt.Errorf("authz rule %d (%q): policy: %w", i, r.Match, err)
		}
		if r.Format != "" && r.Format != AuthzExact && r.Format != AuthzGlob {
			return fmt.Errorf("authz rule %d (%q): format: invalid value %q (want exact or glob)", i, r.Match, r.Format)
		}
	}
	return nil
}

func validPolicy(p AuthzPolicy, emptyOK bool) error {
	if p == AuthzAllow || p == AuthzDeny || (p == "" && emptyOK) {
		return nil
	}
	return fmt.Errorf("invalid value %q (want allow or deny)", p)
}

// Allowed reports whether the list allows identity.
func (l *AuthzList) Allowed(identity string) bool {
	for _, r := range l.Rules {
		if r.Matches(identity) {
			return r.Policy == AuthzAllow
		}
	}
	return l.Policy == AuthzAllow
}

// Authorize checks the client of a connection, for
// [ServerOptions.Authorize]: its leaf certificate's subject in QEMU's
// string form ([DN]) must be allowed. A denied client gets an
// [*AuthzError]; a client without a certificate is refused with QEMU's
// "No certificate peers".
func (l *AuthzList) Authorize(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return fmt.Errorf("creds: authz: the client sent no certificate (QEMU: \"No certificate peers\")")
	}
	dn, err := DN(cs.PeerCertificates[0].RawSubject)
	if err != nil {
		// QEMU's own text (qemu:crypto/tlssession.c).
		return fmt.Errorf("creds: authz: Cannot get client distinguished name: %w", err)
	}
	if !l.Allowed(dn) {
		return &AuthzError{Identity: dn}
	}
	return nil
}

// GlobMatch reports whether s matches pattern as GLib's
// g_pattern_match_simple does, which QEMU's authz-list uses for
// format=glob: '*' matches any run of characters (none included), '?'
// exactly one character, every other character itself; the whole string
// must match and there is no escape, so a literal '*' or '?' in s can only
// be matched by a wildcard. Characters are UTF-8 code points; a byte that
// is not valid UTF-8 counts as one character.
func GlobMatch(pattern, s string) bool {
	// The classic linear backtracking matcher: on a mismatch after a
	// '*', let the last star absorb one more character and retry.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, mark = p, i
				p++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[i:])
				p, i = p+1, i+n
				continue
			default:
				if c == s[i] {
					p, i = p+1, i+1
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[mark:])
		mark += n
		p, i = star+1, mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
