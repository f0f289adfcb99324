// Package gnutlsprio judges a GnuTLS priority string (QEMU's priority=,
// libvirt's tls_priority) exactly as GnuTLS 3.7.9, the library of Debian 12
// and of every QEMU build tlscreds is proven against, does.
//
// # What it models
//
// [Check] is gnutls_priority_set_direct, what QEMU calls when a TLS session
// starts: gnutls_priority_init (keywords, +/-/! items, %-flags, @-system
// references, then the "No or insufficient priorities" check: no protocol
// version, no cipher suite, or no signature algorithm for TLS 1.2 and later
// left) followed by gnutls_priority_set (which also fails when TLS 1.3 was the
// only version and no group is left for it). [Init] is gnutls_priority_init
// alone, what `gnutls-cli --list --priority S` reports.
//
// A system priority file (/etc/gnutls/config) is taken to be absent, as on
// Debian 12, so every @KEYWORD string fails. The tables are GnuTLS 3.7.9's,
// measured; the package's differential test holds them to the installed
// gnutls-cli.
package gnutlsprio

import (
	"fmt"
	"strings"
)

// GnuTLS error codes this package returns.
const (
	ErrInvalidRequest = -50  // GNUTLS_E_INVALID_REQUEST
	ErrNoPriorities   = -326 // GNUTLS_E_NO_PRIORITIES_WERE_SET
)

// Error is GnuTLS's verdict on a priority string.
type Error struct {
	Priority string // the string as given
	Code     int    // ErrInvalidRequest or ErrNoPriorities
	// Pos is the byte offset GnuTLS reports through err_pos (the element it
	// stopped at, or 0 when the whole string is to blame).
	Pos int
	// AtSet is true when gnutls_priority_init took the string and
	// gnutls_priority_set refused it.
	AtSet bool
}

// Strerror is gnutls_strerror(Code), the words QEMU prints after the string.
func (e *Error) Strerror() string { return Strerror(e.Code) }

func (e *Error) Error() string {
	if e.Code == ErrInvalidRequest && e.Pos < len(e.Priority) && e.Pos > 0 {
		return fmt.Sprintf("GnuTLS refuses priority string %q at %q: %s", e.Priority, e.Priority[e.Pos:], e.Strerror())
	}
	return fmt.Sprintf("GnuTLS refuses priority string %q: %s", e.Priority, e.Strerror())
}

// Strerror is gnutls_strerror for the codes this package returns.
func Strerror(code int) string {
	switch code {
	case ErrInvalidRequest:
		return "The request is invalid."
	case ErrNoPriorities:
		return "No or insufficient priorities were set."
	case 0:
		return "Success."
	}
	return fmt.Sprintf("GnuTLS error %d", code)
}

// Check reports whether a TLS session can use the priority string, as
// gnutls_priority_set_direct does. nil means it can; otherwise *Error.
func Check(s string) error {
	st, err := initPriority(s)
	if err != nil {
		return err
	}
	// gnutls_priority_set needs a version this GnuTLS supports: SSL 3.0
	// is not built in (measured: SSL 3.0 left alone fails here).
	if len(removeInts(st.protocol, []int{vSSL3})) == 0 {
		return &Error{Priority: s, Code: ErrNoPriorities, AtSet: true}
	}
	return nil
}

// Init reports gnutls_priority_init's verdict alone (what
// `gnutls-cli --list --priority S` prints). nil or *Error.
func Init(s string) error {
	_, err := initPriority(s)
	return err
}

const maxElements = 128 // MAX_ELEMENTS in GnuTLS 3.7.9 (measured)

// state is the part of a gnutls_priority_st that decides the verdict.
type state struct {
	protocol                      []int
	cipher, mac, kx, sign, groups []string
}

func initPriority(orig string) (*state, error) {
	s := orig
	if i := strings.IndexByte(s, 0); i >= 0 { // a C string ends at NUL
		s = s[:i]
	}
	fail := func(code, pos int) error { return &Error{Priority: orig, Code: code, Pos: pos} }

	// _gnutls_resolve_priorities: skip leading white space; "@" names a
	// system priority keyword, and without a system file none resolves.
	darg := strings.TrimLeft(s, " \t\n\v\f\r")
	if strings.HasPrefix(darg, "@") {
		return nil, fail(ErrInvalidRequest, 0)
	}
	resolvedMatch := darg == s

	elems := breakList(darg)
	st := &state{}
	i := 0
	keywordSet := false
	if !foldEq(elems[0], "NONE") {
		st.protocol = append([]int(nil), protocolDefault...)
		st.sign = append([]string(nil), signDefault...)
		st.groups = append([]string(nil), groupsNormal...)
	} else {
		keywordSet = true
		i = 1
	}
	for ; i < len(elems); i++ {
		el := elems[i]
		if st.level(el, keywordSet) {
			keywordSet = true
			continue
		}
		if el == "" {
			return nil, syntaxError(orig, elems, i, resolvedMatch)
		}
		var ok bool
		switch el[0] {
		case '+', '-', '!':
			ok = st.item(el[0] == '+', el[1:])
		case '%':
			ok = options()[el[1:]]
		}
		if !ok {
			return nil, syntaxError(orig, elems, i, resolvedMatch)
		}
	}
	if !st.suites() {
		return nil, fail(ErrNoPriorities, 0)
	}
	return st, nil
}

func syntaxError(orig string, elems []string, i int, resolvedMatch bool) error {
	pos := 0
	if resolvedMatch {
		for _, e := range elems[:i] {
			pos += len(e) + 1
		}
	}
	return &Error{Priority: orig, Code: ErrInvalidRequest, Pos: pos}
}

// breakList splits at ':' into at most maxElements elements, skipping spaces
// after each ':', as break_list does.
func breakList(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, ':')
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		if len(out) == maxElements {
			return out // GnuTLS drops what follows the 128th element
		}
		s = strings.TrimLeft(s[i+1:], " ")
	}
}

// level applies a keyword (check_level); the first one replaces the lists,
// later ones append.
func (st *state) level(name string, add bool) bool {
	for _, l := range levels {
		if !foldEq(name, l.name) && (l.alias == "" || !foldEq(name, l.alias)) {
			continue
		}
		if add {
			if l.proto != nil {
				st.protocol = addInts(st.protocol, l.proto)
			}
			st.cipher = addNames(st.cipher, l.cipher)
			st.kx = addNames(st.kx, l.kx)
			st.mac = addNames(st.mac, l.mac)
			st.sign = addNames(st.sign, l.sign)
			st.groups = addNames(st.groups, l.grp)
		} else {
			if l.proto != nil {
				st.protocol = append([]int(nil), l.proto...)
			}
			st.cipher = append([]string(nil), l.cipher...)
			st.kx = append([]string(nil), l.kx...)
			st.mac = append([]string(nil), l.mac...)
			st.sign = append([]string(nil), l.sign...)
			st.groups = append([]string(nil), l.grp...)
		}
		return true
	}
	return false
}

// item applies a +NAME (add) or -NAME / !NAME (remove) element, in the order
// gnutls_priority_init tries the name. It reports false for a syntax error.
func (st *state) item(add bool, name string) bool {
	// bulk sets a list: + appends the given names, - clears the list.
	bulk := func(l *[]string, names []string) {
		if add {
			*l = addNames(*l, names)
		} else {
			*l = nil
		}
	}
	// given: + appends the names, - removes just them.
	given := func(l *[]string, names []string) {
		if add {
			*l = addNames(*l, names)
		} else {
			*l = removeNames(*l, names)
		}
	}
	one := func(l *[]string, n string) { given(l, []string{n}) }

	if add && st.level(name, true) {
		return true
	}
	if n, ok := lookup(macNames, name); ok {
		one(&st.mac, n)
		return true
	}
	if n, ok := lookup(cipherNames, name); ok {
		if !missingCiphers()[n] {
			one(&st.cipher, n)
		}
		return true
	}
	if n, ok := lookup(kxNames, name); ok {
		if n != "RSA-EXPORT" {
			one(&st.kx, n)
		}
		return true
	}
	switch {
	case hasPrefixFold(name, "VERS-"):
		switch {
		case hasPrefixFold(name, "VERS-TLS-ALL"):
			st.protocol = givenInts(st.protocol, protocolStream, add)
		case hasPrefixFold(name, "VERS-DTLS-ALL"):
			if add {
				st.protocol = addInts(st.protocol, protocolDTLSAdd)
			} else {
				st.protocol = removeInts(st.protocol, protocolDgram)
			}
		case hasPrefixFold(name, "VERS-ALL"):
			if add {
				st.protocol = addInts(st.protocol, protocolDefault)
			} else {
				st.protocol = nil
			}
		default:
			v, ok := lookupVersion(name[len("VERS-"):])
			if !ok {
				return false
			}
			st.protocol = givenInts(st.protocol, []int{v}, add)
		}
		return true
	case hasPrefixFold(name, "COMP-"):
		return true // compression methods are ignored
	case hasPrefixFold(name, "CURVE-"):
		if hasPrefixFold(name, "CURVE-ALL") {
			bulk(&st.groups, groupsNormal)
			return true
		}
		n, ok := lookup(curveNames, name[len("CURVE-"):])
		if !ok {
			return false
		}
		if g, ok := curveGroup()[n]; ok {
			n = g
		}
		one(&st.groups, n)
		return true
	case hasPrefixFold(name, "GROUP-"):
		switch {
		case hasPrefixFold(name, "GROUP-ALL"):
			bulk(&st.groups, groupsNormal)
		case hasPrefixFold(name, "GROUP-DH-ALL"):
			given(&st.groups, groupsDH)
		case hasPrefixFold(name, "GROUP-EC-ALL"):
			given(&st.groups, groupsEC)
		case hasPrefixFold(name, "GROUP-GOST-ALL"):
			given(&st.groups, groupsGOST)
		default:
			n, ok := lookup(groupNames, name[len("GROUP-"):])
			if !ok {
				return false
			}
			one(&st.groups, n)
		}
		return true
	case hasPrefixFold(name, "CTYPE-"):
		// Certificate types do not decide the verdict; only the names do.
		switch {
		case hasPrefixFold(name, "CTYPE-ALL"):
			return true
		case hasPrefixFold(name, "CTYPE-CLI-"), hasPrefixFold(name, "CTYPE-SRV-"):
			if hasPrefixFold(name[len("CTYPE-CLI-"):], "ALL") {
				return true
			}
			n, ok := lookup(ctypeNames, name[len("CTYPE-CLI-"):])
			return ok && n != "OPENPGP"
		default:
			_, ok := lookup(ctypeNames, name[len("CTYPE-"):])
			return ok
		}
	case hasPrefixFold(name, "SIGN-"):
		switch {
		case hasPrefixFold(name, "SIGN-ALL"):
			bulk(&st.sign, signDefault)
		case hasPrefixFold(name, "SIGN-GOST-ALL"):
			bulk(&st.sign, signGOST)
		default:
			n, ok := lookupSign(name[len("SIGN-"):])
			if !ok {
				return false
			}
			one(&st.sign, n)
		}
		return true
	case hasPrefixFold(name, "MAC-"):
		switch {
		case hasPrefixFold(name, "MAC-ALL"):
			bulk(&st.mac, macNormal)
		case hasPrefixFold(name, "MAC-GOST-ALL"):
			bulk(&st.mac, macGOST)
		}
		return true
	case hasPrefixFold(name, "CIPHER-"):
		switch {
		case hasPrefixFold(name, "CIPHER-ALL"):
			bulk(&st.cipher, cipherNormal)
		case hasPrefixFold(name, "CIPHER-GOST-ALL"):
			bulk(&st.cipher, cipherGOST)
		}
		return true
	case hasPrefixFold(name, "KX-"):
		switch {
		case hasPrefixFold(name, "KX-ALL"):
			bulk(&st.kx, kxSecure)
		case hasPrefixFold(name, "KX-GOST-ALL"):
			bulk(&st.kx, kxGOST)
		}
		return true
	case hasPrefixFold(name, "GOST"):
		bulk(&st.cipher, cipherGOST)
		bulk(&st.mac, macGOST)
		bulk(&st.kx, kxGOST)
		bulk(&st.sign, signGOST)
		bulk(&st.groups, groupsGOST)
		return true
	}
	return false
}

// suites is set_ciphersuite_list: false when GnuTLS returns
// GNUTLS_E_NO_PRIORITIES_WERE_SET. It leaves in st.protocol what
// gnutls_priority_set sees.
func (st *state) suites() bool {
	hasNull := contains(st.cipher, "NULL")
	haveSRP, havePSK, haveRSAPSK := false, false, false
	for _, k := range st.kx {
		switch k {
		case "SRP", "SRP-RSA", "SRP-DSS":
			haveSRP = true
		case "RSA-PSK":
			haveRSAPSK = true
		case "PSK", "DHE-PSK", "ECDHE-PSK":
			havePSK = true
		}
	}
	if hasNull || haveSRP || haveRSAPSK {
		st.protocol = removeInts(st.protocol, []int{vTLS13})
	}
	tlsMin, tlsMax, dtls := 0, 0, false
	sigSem := 0
	for _, v := range st.protocol {
		if v == vSSL3 {
			continue // not built in: it counts for nothing (measured)
		}
		if v >= vDTLS09 {
			dtls = true
			sigSem |= semPre
			continue
		}
		if v == vTLS13 {
			sigSem |= semTLS13
		} else {
			sigSem |= semPre
		}
		if tlsMin == 0 || v < tlsMin {
			tlsMin = v
		}
		if v > tlsMax {
			tlsMax = v
		}
	}
	if tlsMin == 0 && !dtls {
		return false
	}
	kx := st.kx
	if tlsMin == vTLS13 && !havePSK && !dtls {
		kx = nil
	}
	cs := 0
	for _, c := range cipherSuites {
		if c.kx == "" || contains(kx, c.kx) {
			if contains(st.cipher, c.cipher) && contains(st.mac, c.mac) {
				cs++
			}
		}
	}
	sigalgs := 0
	for _, s := range st.sign {
		if signSem()[s]&sigSem != 0 {
			sigalgs++
		}
	}
	if sigalgs == 0 {
		var keep []int
		for _, v := range st.protocol {
			if v < vTLS12 || (v >= vDTLS09 && v < vDTLS12) {
				keep = append(keep, v)
			}
		}
		st.protocol = keep
	}
	if len(st.protocol) == 0 || (len(st.protocol) == 1 && st.protocol[0] == vSSL3) {
		return false
	}
	if cs == 0 {
		return false
	}
	// TLS 1.3 needs a group to send a key share with: one the library
	// provides (GC256A, C, D, GC512B and C are names without a curve).
	tls13Groups := 0
	for _, g := range st.groups {
		if !curvelessGroups()[g] {
			tls13Groups++
		}
	}
	if !havePSK && tlsMax == vTLS13 && tls13Groups == 0 {
		st.protocol = removeInts(st.protocol, []int{vTLS13})
	}
	return true
}

func lookup(names []string, s string) (string, bool) {
	for _, n := range names {
		if foldEq(n, s) {
			return n, true
		}
	}
	return "", false
}

func lookupVersion(s string) (int, bool) {
	for n, v := range versionNames() {
		if foldEq(n, s) {
			return v, true
		}
	}
	return 0, false
}

func lookupSign(s string) (string, bool) {
	for n := range signSem() {
		if foldEq(n, s) {
			return n, true
		}
	}
	return "", false
}

// foldEq is ASCII-only case folding (c_strcasecmp): unlike strings.EqualFold
// it does not take the Kelvin sign for K.
func foldEq(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && foldEq(s[:len(prefix)], prefix)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func addNames(l, names []string) []string {
	for _, n := range names {
		if !contains(l, n) {
			l = append(l, n)
		}
	}
	return l
}

func removeNames(l, names []string) []string {
	var out []string
	for _, x := range l {
		if !contains(names, x) {
			out = append(out, x)
		}
	}
	return out
}

func addInts(l, vs []int) []int {
	for _, v := range vs {
		found := false
		for _, x := range l {
			found = found || x == v
		}
		if !found {
			l = append(l, v)
		}
	}
	return l
}

func removeInts(l, vs []int) []int {
	var out []int
	for _, x := range l {
		keep := true
		for _, v := range vs {
			keep = keep && x != v
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

func givenInts(l, vs []int, add bool) []int {
	if add {
		return addInts(l, vs)
	}
	return removeInts(l, vs)
}
