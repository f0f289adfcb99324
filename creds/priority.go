package creds

import (
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Priority is a GnuTLS priority string (the priority= property) mapped onto
// what a crypto/tls Config can express.
//
// GnuTLS and Go differ. Where Go cannot do what the string asks, ParsePriority
// returns an error; where Go does something close but not the same, Notes
// says so. Nothing is dropped silently. The differences:
//   - Go offers TLS 1.2 and 1.3 only (TLS 1.0 and 1.1 need a GODEBUG setting),
//     no finite-field (FFDHE) or X448 groups, no anonymous, PSK, SRP or static-RSA
//     key exchange, and no way to restrict signature algorithms.
//   - CipherSuites restricts TLS 1.2 only: Go always enables its three TLS 1.3
//     suites (AES-128-GCM, AES-256-GCM, CHACHA20-POLY1305).
//   - Go ignores the order of CipherSuites and CurvePreferences, so keywords
//     that only reorder (PERFORMANCE) equal NORMAL.
type Priority struct {
	MinVersion, MaxVersion uint16        // tls.VersionTLS12 or tls.VersionTLS13
	CipherSuites           []uint16      // TLS 1.2 suites; nil = Go's defaults
	CurvePreferences       []tls.CurveID // nil = Go's defaults

	// PreferServerCipherSuites records %SERVER_PRECEDENCE. It is informational:
	// crypto/tls has ignored Config.PreferServerCipherSuites since Go 1.18 and
	// chooses by its own preference order, so Apply does not set it.
	PreferServerCipherSuites bool

	Notes []string // what the mapping could not express; empty when exact
	Text  string   // the priority string as given
}

// PriorityError reports a priority string that cannot be mapped onto Go's
// crypto/tls (for tlscreds serve, pair and diagnose). It says nothing about
// whether GnuTLS, and so QEMU or libvirt, takes the string: that verdict is
// package gnutlsprio's. Element is the ':'-separated element at fault, or ""
// for the string as a whole.
type PriorityError struct {
	Text    string
	Element string
	Err     error
}

func (e *PriorityError) Error() string {
	if e.Element == "" {
		return fmt.Sprintf("priority %q cannot be mapped onto Go's crypto/tls: %v", e.Text, e.Err)
	}
	return fmt.Sprintf("priority %q cannot be mapped onto Go's crypto/tls: element %q: %v", e.Text, e.Element, e.Err)
}

func (e *PriorityError) Unwrap() error { return e.Err }

// Apply sets MinVersion, MaxVersion, CipherSuites and CurvePreferences on c
// (nil slices restore Go's defaults). It copies the slices, so p and c share
// nothing.
func (p Priority) Apply(c *tls.Config) {
	c.MinVersion = p.MinVersion
	c.MaxVersion = p.MaxVersion
	c.CipherSuites = slices.Clone(p.CipherSuites)
	c.CurvePreferences = slices.Clone(p.CurvePreferences)
}

// prioritySupported is the help text for unknown elements.
const prioritySupported = "supported: keywords NORMAL, PERFORMANCE, PFS, SECURE128, SECURE192, SECURE256, " +
	"@KEYWORD[,FALLBACK...]; modifiers +/-VERS-TLS1.2, +/-VERS-TLS1.3, -VERS-TLS1.0, -VERS-TLS1.1, " +
	"-VERS-SSL3.0, +/-VERS-ALL, -VERS-DTLS-ALL, +/-CIPHER-ALL, +/-AES-128-GCM, +/-AES-256-GCM, " +
	"+/-CHACHA20-POLY1305, +/-AES-128-CBC, +/-AES-256-CBC, +/-SHA1, -MD5, +/-ECDHE-RSA, +/-ECDHE-ECDSA, " +
	"+/-KX-ALL, +/-GROUP-ALL, +/-GROUP-EC-ALL, +/-GROUP-SECP256R1, +/-GROUP-SECP384R1, +/-GROUP-SECP521R1, " +
	"+/-GROUP-X25519, +/-GROUP-X25519-MLKEM768, +/-GROUP-SECP256R1-MLKEM768, +/-GROUP-SECP384R1-MLKEM1024, " +
	"-GROUP-FFDHE*, +COMP-NULL, %SERVER_PRECEDENCE, %COMPAT"

// Go's TLS 1.2 cipher suites, by key exchange and GnuTLS cipher name. Only
// suites Go enables by default are listed (Go 1.26 cipher_suites.go): all use
// ECDHE; the CBC ones use an HMAC-SHA1 MAC.
var tls12Suites = []struct {
	id     uint16
	kx     string
	cipher string
}{
	{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA", "AES-128-GCM"},
	{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA", "AES-128-GCM"},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA", "AES-256-GCM"},
	{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA", "AES-256-GCM"},
	{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA", "CHACHA20-POLY1305"},
	{tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA", "CHACHA20-POLY1305"},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "ECDHE-ECDSA", "AES-128-CBC"},
	{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "ECDHE-RSA", "AES-128-CBC"},
	{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "ECDHE-ECDSA", "AES-256-CBC"},
	{tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "ECDHE-RSA", "AES-256-CBC"},
}

var (
	allCiphers     = []string{"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305", "AES-128-CBC", "AES-256-CBC"}
	aeadCiphers128 = []string{"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"}
	aeadCiphers256 = []string{"AES-256-GCM", "CHACHA20-POLY1305"}
	allKX          = []string{"ECDHE-ECDSA", "ECDHE-RSA"}
)

// GnuTLS ciphers crypto/tls does not implement (removing them is a no-op).
var missingCiphers = []string{
	"AES-128-CCM", "AES-256-CCM", "AES-128-CCM-8", "AES-256-CCM-8",
	"CAMELLIA-128-GCM", "CAMELLIA-256-GCM", "CAMELLIA-128-CBC", "CAMELLIA-256-CBC",
	"3DES-CBC", "ARCFOUR-128", "ARCFOUR-40", "NULL", "GOST28147-TC26Z-CNT",
}

// GnuTLS key exchanges crypto/tls does not implement, with the reason.
var missingKX = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"RSA":         "static RSA key exchange (no forward secrecy) is not supported: crypto/tls disables it by default since Go 1.22",
		"DHE-RSA":     "crypto/tls has no finite-field DHE key exchange",
		"DHE-DSS":     "crypto/tls has no finite-field DHE key exchange",
		"ANON-DH":     "crypto/tls has no anonymous key exchange",
		"ANON-ECDH":   "crypto/tls has no anonymous key exchange",
		"PSK":         "crypto/tls has no pre-shared-key (TLS-PSK) key exchange",
		"DHE-PSK":     "crypto/tls has no pre-shared-key (TLS-PSK) key exchange",
		"ECDHE-PSK":   "crypto/tls has no pre-shared-key (TLS-PSK) key exchange",
		"RSA-PSK":     "crypto/tls has no pre-shared-key (TLS-PSK) key exchange",
		"SRP":         "crypto/tls has no SRP key exchange",
		"SRP-RSA":     "crypto/tls has no SRP key exchange",
		"SRP-DSS":     "crypto/tls has no SRP key exchange",
		"RSA-EXPORT":  "crypto/tls has no export key exchange",
		"VKO-GOST-12": "crypto/tls has no GOST key exchange",
	}
})

// Go's default key exchange groups (Go 1.26 defaults.go, without GODEBUG
// overrides). A result equal to this set is reported as nil so that GODEBUG
// settings keep working.
var defaultGroups = []tls.CurveID{
	tls.X25519MLKEM768, tls.SecP256r1MLKEM768, tls.SecP384r1MLKEM1024,
	tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521,
}

var secure192Groups = []tls.CurveID{tls.SecP384r1MLKEM1024, tls.CurveP384, tls.CurveP521}

var groupNames = sync.OnceValue(func() map[string]tls.CurveID {
	return map[string]tls.CurveID{
		"SECP256R1":           tls.CurveP256,
		"SECP384R1":           tls.CurveP384,
		"SECP521R1":           tls.CurveP521,
		"X25519":              tls.X25519,
		"X25519-MLKEM768":     tls.X25519MLKEM768,
		"SECP256R1-MLKEM768":  tls.SecP256r1MLKEM768,
		"SECP384R1-MLKEM1024": tls.SecP384r1MLKEM1024,
	}
})

var ecGroups = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}

// GnuTLS groups crypto/tls does not implement.
var missingGroups = []string{"X448", "FFDHE2048", "FFDHE3072", "FFDHE4096", "FFDHE6144", "FFDHE8192"}

type priorityState struct {
	tls12, tls13 bool
	kx           map[string]bool
	ciphers      map[string]bool
	sha1         bool // CBC suites allowed (their MAC is HMAC-SHA1)
	groups       map[tls.CurveID]bool
	wanted       []string // requested groups Go lacks
	serverPrec   bool
	notes        []string
}

func prioritySet[T comparable](items []T) map[T]bool {
	m := make(map[T]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// ParsePriority maps a GnuTLS priority string onto crypto/tls settings.
// "" gives Go's defaults with TLS 1.2 to 1.3.
//
// The string is one keyword and then ':'-separated modifiers ('+' adds, '-'
// or '!' removes, '%' sets a flag), case-insensitive as in GnuTLS. Keywords:
// NORMAL, PERFORMANCE and PFS map to Go's defaults (every default Go TLS 1.2
// suite uses ECDHE); SECURE128 restricts TLS 1.2 to AEAD suites with 128-bit
// or stronger ciphers; SECURE192 and SECURE256 (an alias in GnuTLS) to 256-bit
// ciphers and to P-384, P-521 and SecP384r1MLKEM1024. @KEYWORD[,FALLBACK]
// (e.g. @SYSTEM, @QEMU,SYSTEM) names a system crypto policy; Go has none, so
// it maps to NORMAL with a note.
//
// Modifiers Go cannot honour are errors, never ignored: enabling TLS 1.0/1.1,
// FFDHE or X448 as the only groups, anonymous, PSK, SRP, DHE or static-RSA key
// exchange, signature or certificate-type restrictions, TLS compression, and
// unknown elements. Removing something Go does not have is a no-op. ParsePriority
// takes the user's string: QEMU's own suffixes for anon and psk credentials
// (":+ANON-DH", ":+ECDHE-PSK:+DHE-PSK:+PSK") are errors here.
//
// Errors are *[PriorityError].
func ParsePriority(s string) (Priority, error) {
	if s == "" {
		return Priority{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13}, nil
	}
	elems := strings.Split(s, ":")
	st, err := startPriority(s, elems[0])
	if err != nil {
		return Priority{}, err
	}
	for _, el := range elems[1:] {
		if err := st.modify(el); err != nil {
			return Priority{}, &PriorityError{Text: s, Element: el, Err: err}
		}
	}
	p, err := st.result()
	if err != nil {
		return Priority{}, &PriorityError{Text: s, Err: err}
	}
	p.Text = s
	return p, nil
}

func startPriority(text, kw string) (*priorityState, error) {
	st := &priorityState{
		tls12: true, tls13: true,
		kx:      prioritySet(allKX),
		ciphers: prioritySet(allCiphers),
		sha1:    true,
		groups:  prioritySet(defaultGroups),
	}
	upper := strings.ToUpper(kw)
	switch {
	case upper == "NORMAL", upper == "PERFORMANCE", upper == "PFS":
	case upper == "SECURE128":
		st.ciphers = prioritySet(aeadCiphers128)
	case upper == "SECURE192", upper == "SECURE256":
		st.ciphers = prioritySet(aeadCiphers256)
		st.groups = prioritySet(secure192Groups)
	case strings.HasPrefix(kw, "@"):
		for _, name := range strings.Split(kw[1:], ",") {
			if !validPolicyName(name) {
				return nil, &PriorityError{Text: text, Element: kw, Err: fmt.Errorf("invalid system policy keyword %q", name)}
			}
		}
		st.notes = append(st.notes, kw+": Go has no system crypto policy; treated as NORMAL")
	case upper == "NONE":
		return nil, &PriorityError{Text: text, Element: kw, Err: errors.New("NONE (list every algorithm by hand) is not supported; start from NORMAL and remove what you do not want")}
	case upper == "LEGACY":
		return nil, &PriorityError{Text: text, Element: kw, Err: errors.New("LEGACY enables TLS versions and ciphers crypto/tls does not offer; use NORMAL")}
	default:
		err := fmt.Errorf("unknown keyword (%s)", prioritySupported)
		if kw == "" {
			err = fmt.Errorf("empty keyword: a priority string starts with a keyword such as NORMAL (%s)", prioritySupported)
		} else if strings.ContainsAny(kw[:1], "+-!%") {
			err = fmt.Errorf("a priority string starts with a keyword such as NORMAL, not a modifier (%s)", prioritySupported)
		}
		return nil, &PriorityError{Text: text, Element: kw, Err: err}
	}
	return st, nil
}

func validPolicyName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// modify applies one modifier element.
func (st *priorityState) modify(el string) error {
	if el == "" {
		return errors.New("empty element (two ':' in a row, or a trailing ':')")
	}
	op, name := el[0], strings.ToUpper(el[1:])
	switch op {
	case '%':
		switch name {
		case "SERVER_PRECEDENCE":
			st.serverPrec = true
			st.notes = append(st.notes, "%SERVER_PRECEDENCE: crypto/tls ignores PreferServerCipherSuites since Go 1.18 and uses its own order")
			return nil
		case "COMPAT":
			return nil // GnuTLS interop workarounds; crypto/tls needs none.
		}
		return fmt.Errorf("flag not supported by crypto/tls (supported flags: %%SERVER_PRECEDENCE, %%COMPAT)")
	case '+', '-', '!':
	default:
		switch strings.ToUpper(el) {
		case "NORMAL", "PERFORMANCE", "PFS", "SECURE128", "SECURE192", "SECURE256", "NONE", "LEGACY":
			return errors.New("a keyword is only allowed as the first element")
		}
		return fmt.Errorf("unknown element: want +NAME, -NAME or %%FLAG (%s)", prioritySupported)
	}
	add := op == '+'

	switch {
	case strings.HasPrefix(name, "VERS-"):
		return st.version(add, name)
	case name == "CIPHER-ALL":
		if add {
			st.ciphers = prioritySet(allCiphers)
		} else {
			clear(st.ciphers)
		}
		return nil
	case slices.Contains(allCiphers, name):
		st.ciphers[name] = add
		return nil
	case slices.Contains(missingCiphers, name):
		if add {
			return fmt.Errorf("crypto/tls has no %s cipher suites", name)
		}
		return nil
	case name == "SHA1":
		st.sha1 = add
		return nil
	case name == "MD5":
		if add {
			return errors.New("crypto/tls has no MD5 MAC")
		}
		return nil
	case name == "KX-ALL":
		if add {
			st.kx = prioritySet(allKX)
		} else {
			clear(st.kx)
		}
		return nil
	case slices.Contains(allKX, name):
		st.kx[name] = add
		return nil
	case missingKX()[name] != "":
		if add {
			return errors.New(missingKX()[name])
		}
		return nil
	case strings.HasPrefix(name, "GROUP-"), strings.HasPrefix(name, "CURVE-"):
		return st.group(add, name)
	case name == "COMP-NULL":
		if !add {
			return errors.New("cannot disable the null compression method")
		}
		return nil
	case name == "COMP-DEFLATE", name == "COMP-ALL":
		if add {
			return errors.New("crypto/tls has no TLS compression")
		}
		return nil
	case strings.HasPrefix(name, "SIGN-"):
		return errors.New("crypto/tls does not let a tls.Config restrict signature algorithms")
	case strings.HasPrefix(name, "CTYPE-"):
		return errors.New("crypto/tls supports X.509 certificates only and has no certificate-type setting")
	}
	return fmt.Errorf("unknown element (%s)", prioritySupported)
}

func (st *priorityState) version(add bool, name string) error {
	switch name {
	case "VERS-TLS1.2":
		st.tls12 = add
	case "VERS-TLS1.3":
		st.tls13 = add
	case "VERS-ALL", "VERS-TLS-ALL":
		st.tls12, st.tls13 = add, add
		if add {
			st.notes = append(st.notes, "+"+name+": crypto/tls enables TLS 1.2 and 1.3 only")
		}
	case "VERS-TLS1.0", "VERS-TLS1.1", "VERS-SSL3.0":
		if add {
			return errors.New("cannot enable: Go's minimum here is TLS 1.2 (older versions need GODEBUG settings and are insecure)")
		}
	case "VERS-DTLS-ALL", "VERS-DTLS1.0", "VERS-DTLS1.2", "VERS-DTLS0.9":
		if add {
			return errors.New("crypto/tls has no DTLS")
		}
	default:
		return fmt.Errorf("unknown protocol version (%s)", prioritySupported)
	}
	return nil
}

func (st *priorityState) group(add bool, name string) error {
	short := strings.TrimPrefix(strings.TrimPrefix(name, "GROUP-"), "CURVE-")
	switch {
	case short == "ALL":
		if add {
			st.groups = prioritySet(defaultGroups)
		} else {
			clear(st.groups)
		}
	case short == "EC-ALL":
		for _, g := range ecGroups {
			st.groups[g] = add
		}
	case short == "DH-ALL":
		if add {
			st.wanted = append(st.wanted, "+GROUP-DH-ALL")
		}
	case groupNames()[short] != 0:
		st.groups[groupNames()[short]] = add
	case slices.Contains(missingGroups, short):
		if add {
			st.wanted = append(st.wanted, "+"+name)
		}
	default:
		return fmt.Errorf("unknown group (%s)", prioritySupported)
	}
	return nil
}

// result checks that something usable is left and builds the Priority.
func (st *priorityState) result() (Priority, error) {
	var suites []uint16
	for _, s := range tls12Suites {
		cbc := strings.HasSuffix(s.cipher, "-CBC")
		if st.kx[s.kx] && st.ciphers[s.cipher] && (!cbc || st.sha1) {
			suites = append(suites, s.id)
		}
	}
	if st.tls12 && len(suites) == 0 {
		if !st.tls13 {
			return Priority{}, errors.New("no TLS 1.2 cipher suite left and TLS 1.3 is disabled")
		}
		st.tls12 = false
		st.notes = append(st.notes, "no TLS 1.2 cipher suite left: TLS 1.2 disabled")
	}
	if !st.tls12 && !st.tls13 {
		return Priority{}, errors.New("no TLS version left: crypto/tls offers TLS 1.2 and 1.3 (add +VERS-TLS1.2 or +VERS-TLS1.3)")
	}

	var groups []tls.CurveID
	for _, g := range defaultGroups {
		if st.groups[g] {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		if len(st.wanted) > 0 {
			return Priority{}, fmt.Errorf("no usable key exchange group: crypto/tls has no finite-field (FFDHE) or X448 groups (asked for %s); add +GROUP-X25519 or +GROUP-SECP256R1",
				strings.Join(st.wanted, ", "))
		}
		return Priority{}, errors.New("no key exchange group left (add +GROUP-X25519 or +GROUP-SECP256R1)")
	}
	if len(st.wanted) > 0 {
		st.notes = append(st.notes, fmt.Sprintf("%s: crypto/tls has no finite-field (FFDHE) or X448 groups; using the elliptic-curve groups only",
			strings.Join(st.wanted, ", ")))
	}

	p := Priority{
		MinVersion:               tls.VersionTLS12,
		MaxVersion:               tls.VersionTLS13,
		PreferServerCipherSuites: st.serverPrec,
	}
	if !st.tls12 {
		p.MinVersion = tls.VersionTLS13
	}
	if !st.tls13 {
		p.MaxVersion = tls.VersionTLS12
	}
	if st.tls12 && len(suites) != len(tls12Suites) {
		p.CipherSuites = suites
	}
	if len(groups) != len(defaultGroups) {
		p.CurvePreferences = groups
	}
	if st.tls13 && !(st.ciphers["AES-128-GCM"] && st.ciphers["AES-256-GCM"] && st.ciphers["CHACHA20-POLY1305"]) {
		p.Notes = append(p.Notes, "TLS 1.3 suites are fixed in crypto/tls: AES-128-GCM, AES-256-GCM and CHACHA20-POLY1305 stay enabled for TLS 1.3")
	}
	p.Notes = append(st.notes, p.Notes...)
	return p, nil
}
