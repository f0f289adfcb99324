package creds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/creds/keyval"
)

// Kind is the QOM type of a TLS credentials object.
type Kind string

// The TLS credentials types QEMU defines (qemu:crypto/tlscreds*.c).
const (
	KindX509 Kind = "tls-creds-x509"
	KindAnon Kind = "tls-creds-anon"
	KindPSK  Kind = "tls-creds-psk"
)

// typeSecret is QEMU's `secret` object, referred to by passwordid.
const typeSecret = "secret"

// Endpoint is the side of the connection a credentials object serves.
type Endpoint string

// Values of the endpoint property.
const (
	EndpointServer Endpoint = "server"
	EndpointClient Endpoint = "client"
)

// Spec is one parsed tls-creds-* object definition.
//
// Fields hold the effective values, defaults included; [Spec.IsSet] tells
// which properties were given explicitly.
type Spec struct {
	Kind        Kind
	ID          string
	Endpoint    Endpoint // default client (QEMU's default)
	Dir         string
	VerifyPeer  bool   // default true
	SanityCheck bool   // default true (x509 only)
	PasswordID  string // id of the secret object holding the key password (x509 only)
	Priority    string
	Username    string // psk client only; QEMU sends "qemu" when unset

	// Extensions beyond QEMU, written in the same syntax.

	Layout string // "", "qemu", "libvirt", "kubernetes", "auto"; "" means qemu (x509 only)
	// Explicit file paths (x509 only); with cert, key, ca or p12 set, dir may be omitted.
	Cert, Key, CA, CRL string
	P12                string // PKCS#12 identity file (x509 only); needs passwordid when encrypted

	Text string // the original spec text, for error messages

	set propSet
}

// IsSet reports whether property prop (QEMU spelling, e.g. "verify-peer")
// was given explicitly in the spec text.
func (s *Spec) IsSet(prop string) bool { return s.set.has(prop) }

// propSet records which tls-creds properties a spec gives, one bit per
// name of credsPropNames: a spec is kept by every loaded object, and a
// map here was two allocations of each.
type propSet uint32

// credsPropNames are the properties of every tls-creds type, each once.
var credsPropNames = func() []string {
	var names []string
	for _, d := range credsProps {
		names = append(names, d.name)
	}
	if len(names) > 32 {
		panic("creds: more tls-creds properties than propSet holds")
	}
	return names
}()

func (p propSet) has(name string) bool {
	i := slices.Index(credsPropNames, name)
	return i >= 0 && p&(1<<i) != 0
}

func (p *propSet) add(name string) {
	if i := slices.Index(credsPropNames, name); i >= 0 {
		*p |= 1 << i
	}
}

// SpecError reports a spec that cannot be used. Text is the spec text with
// any secret data= value replaced by "<redacted>"; Property is the property
// at fault, or "" when the spec as a whole is wrong.
type SpecError struct {
	Text     string
	Property string
	Err      error
}

func (e *SpecError) Error() string {
	if e.Property == "" {
		return fmt.Sprintf("object %q: %v", e.Text, e.Err)
	}
	return fmt.Sprintf("object %q: property %q: %v", e.Text, e.Property, e.Err)
}

func (e *SpecError) Unwrap() error { return e.Err }

func specErr(text, prop string, err error) *SpecError {
	return &SpecError{Text: redactSpec(text), Property: prop, Err: err}
}

func specErrf(text, prop, format string, args ...any) *SpecError {
	return specErr(text, prop, fmt.Errorf(format, args...))
}

// ErrDuplicateID is wrapped by the error [Specs.Add] returns for an id that
// an earlier object already uses.
var ErrDuplicateID = errors.New("duplicate id")

// ParseSpec parses one object definition in QEMU's -object syntax, or in its
// JSON form when the trimmed text starts with '{'. Exactly one of the results
// is non-nil on success: the [Spec] for tls-creds-x509, tls-creds-anon and
// tls-creds-psk, or the [SecretSpec] for secret.
//
// The key=value syntax is QEMU's keyval syntax (qemu:util/keyval.c): elements
// are separated by commas, ",," stands for a literal comma inside a value, the
// first element may be the bare type (an implied qom-type=), and a trailing
// comma is allowed. Booleans take QEMU's spellings, lower case only: on, yes,
// true, y and off, no, false, n. Unlike QEMU, which keeps the last of repeated
// keys, a property given twice is an error.
//
// Errors are *[SpecError].
func ParseSpec(text string) (*Spec, *SecretSpec, error) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return nil, nil, specErr(text, "", errors.New("empty spec"))
	}
	var (
		props []propValue
		err   error
	)
	if strings.HasPrefix(trimmed, "{") {
		props, err = parseJSONProps(text)
	} else {
		props, err = parseKeyval(text)
	}
	if err != nil {
		return nil, nil, err
	}
	return buildSpec(text, props)
}

// propValue is one property as written: a string, or a JSON boolean.
type propValue struct {
	key     string
	str     string
	boolean bool
	isBool  bool   // value was a JSON boolean
	badJSON string // non-empty: the JSON kind of a value that is neither string nor boolean
}

// parseKeyval splits QEMU keyval text into its elements.
func parseKeyval(text string) ([]propValue, error) {
	var props []propValue
	for pos, first := 0, true; pos < len(text); first = false {
		rest := text[pos:]
		n := strings.IndexAny(rest, "=,")
		if n < 0 {
			n = len(rest)
		}
		var key string
		switch {
		case first && n > 0 && (n == len(rest) || rest[n] != '='):
			key = "qom-type" // the implied key
		case n == len(rest) || rest[n] != '=':
			if rest[:n] == "" {
				return nil, specErr(text, "", errors.New("empty element (a lone ',' outside a value)"))
			}
			return nil, specErrf(text, rest[:n], "expected '=' after property name (want %s=VALUE)", rest[:n])
		case n == 0:
			return nil, specErr(text, "", errors.New("empty property name before '='"))
		default:
			key = rest[:n]
			pos += n + 1
		}
		var val string
		val, pos = keyvalValue(text, pos)
		props = append(props, propValue{key: key, str: val})
	}
	return props, nil
}

// keyvalValue reads the value starting at text[pos] up to the next lone
// ',' (",," is a literal comma) and returns it with the position after
// the ','. A value without ",," is a substring of text, so a parsed spec
// (kept by every loaded object) holds no copies of it.
func keyvalValue(text string, pos int) (string, int) {
	start := pos
	for pos < len(text) {
		if text[pos] != ',' {
			pos++
			continue
		}
		if pos+1 < len(text) && text[pos+1] == ',' {
			return keyvalUnescape(text, start)
		}
		return text[start:pos], pos + 1
	}
	return text[start:], pos
}

// keyvalUnescape is keyvalValue for a value holding ",,".
func keyvalUnescape(text string, pos int) (string, int) {
	var val strings.Builder
	for pos < len(text) {
		c := text[pos]
		pos++
		if c == ',' {
			if pos == len(text) || text[pos] != ',' {
				break
			}
			pos++
		}
		val.WriteByte(c)
	}
	return val.String(), pos
}

type propType int

const (
	propString propType = iota
	propBool
	propEnum
)

// propDef is one property: its name (QEMU spelling), its value type, the
// kinds that have it (none: every tls-creds kind), where its value lives
// in a [Spec], and what it means.
type propDef struct {
	name   string
	typ    propType
	values []string // propEnum
	kinds  []Kind
	// str or boolean points at the property's field of a Spec; def is the
	// default as spec text ("" for none).
	str     func(*Spec) *string
	boolean func(*Spec) *bool
	def     string
	doc     string
}

// credsProps is the one table of tls-creds properties, in the order
// [Spec.String] writes them and error messages list them.
var credsProps = []propDef{
	{name: "id", str: func(s *Spec) *string { return &s.ID },
		doc: "the object's id (QEMU: a letter, then letters, digits, '-', '.' or '_')"},
	{name: "endpoint", typ: propEnum, values: []string{"server", "client"}, def: "client",
		str: func(s *Spec) *string { return (*string)(&s.Endpoint) }, doc: "the side of the connection"},
	{name: "dir", str: func(s *Spec) *string { return &s.Dir }, doc: "the credential directory"},
	{name: "verify-peer", typ: propBool, def: "on", boolean: func(s *Spec) *bool { return &s.VerifyPeer },
		doc: "whether the peer's certificate is verified (x509) or required"},
	{name: "priority", str: func(s *Spec) *string { return &s.Priority }, doc: "a GnuTLS priority string"},
	{name: "sanity-check", typ: propBool, def: "on", kinds: []Kind{KindX509},
		boolean: func(s *Spec) *bool { return &s.SanityCheck }, doc: "QEMU's load-time certificate checks"},
	{name: "passwordid", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.PasswordID },
		doc: "the secret object holding the key's password"},
	{name: "layout", typ: propEnum, values: []string{"qemu", "libvirt", "kubernetes", "auto"}, kinds: []Kind{KindX509},
		str: func(s *Spec) *string { return &s.Layout }, doc: "the file names in dir (an extension)"},
	{name: "cert", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.Cert }, doc: "the certificate file (an extension)"},
	{name: "key", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.Key }, doc: "the private key file (an extension)"},
	{name: "ca", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.CA }, doc: "the CA bundle file (an extension)"},
	{name: "crl", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.CRL }, doc: "the CRL file (an extension)"},
	{name: "p12", kinds: []Kind{KindX509}, str: func(s *Spec) *string { return &s.P12 }, doc: "a PKCS#12 identity file (an extension)"},
	{name: "username", kinds: []Kind{KindPSK}, str: func(s *Spec) *string { return &s.Username },
		doc: "the PSK client's username (QEMU sends \"qemu\" when unset)"},
}

// kindProps are the properties of kind, in table order; the known kinds'
// lists are built once (a spec is parsed and formatted for every
// directory of a tree).
func kindProps(kind Kind) []propDef {
	if ps, ok := knownKindProps()[kind]; ok {
		return ps
	}
	return buildKindProps(kind)
}

var knownKindProps = sync.OnceValue(func() map[Kind][]propDef {
	m := map[Kind][]propDef{}
	for _, k := range []Kind{KindX509, KindAnon, KindPSK} {
		m[k] = slices.Clip(buildKindProps(k))
	}
	return m
})

func buildKindProps(kind Kind) []propDef {
	var out []propDef
	for _, d := range credsProps {
		if len(d.kinds) == 0 || slices.Contains(d.kinds, kind) {
			out = append(out, d)
		}
	}
	return out
}

var secretProps = []propDef{
	{name: "id"},
	{name: "file"},
	{name: "data"},
	{name: "format", typ: propEnum, values: []string{"raw", "base64"}},
}

// knownTypes lists the object types ParseSpec accepts, in the order error
// messages show them.
var knownTypes = []string{string(KindX509), string(KindAnon), string(KindPSK), typeSecret}

func propsFor(typ string) []propDef {
	if typ == typeSecret {
		return secretProps
	}
	return kindProps(Kind(typ))
}

func propNames(defs []propDef) []string {
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.name
	}
	return names
}

func findProp(defs []propDef, name string) (propDef, bool) {
	for _, d := range defs {
		if d.name == name {
			return d, true
		}
	}
	return propDef{}, false
}

// buildSpec checks the properties against the type's table and fills a
// Spec or a SecretSpec.
func buildSpec(text string, props []propValue) (*Spec, *SecretSpec, error) {
	typ := ""
	typeSeen := false
	for _, p := range props {
		if p.key != "qom-type" {
			continue
		}
		if typeSeen {
			return nil, nil, specErr(text, "qom-type", errors.New("given twice"))
		}
		typeSeen = true
		if p.isBool || p.badJSON != "" {
			return nil, nil, specErrf(text, "qom-type", "invalid value %s (want a string)", p.describe())
		}
		typ = p.str
	}
	if !typeSeen {
		return nil, nil, specErrf(text, "qom-type", "missing object type (want one of %s)", strings.Join(knownTypes, ", "))
	}
	if !slices.Contains(knownTypes, typ) {
		return nil, nil, specErrf(text, "qom-type", "unknown object type %q (want one of %s)", typ, strings.Join(knownTypes, ", "))
	}

	defs := propsFor(typ)
	values := map[string]propValue{}
	var order []string
	for _, p := range props {
		if p.key == "qom-type" {
			continue
		}
		if _, dup := values[p.key]; dup {
			return nil, nil, specErr(text, p.key, errors.New("given twice"))
		}
		if err := checkKnown(typ, defs, p.key); err != nil {
			return nil, nil, specErr(text, p.key, err)
		}
		values[p.key] = p
		order = append(order, p.key)
	}

	// Convert values in the order they were written, so the first bad one is reported.
	conv := map[string]any{}
	for _, name := range order {
		def, _ := findProp(defs, name)
		v, err := convert(def, values[name])
		if err != nil {
			return nil, nil, specErr(text, name, err)
		}
		conv[name] = v
	}

	if typ == typeSecret {
		sec, err := buildSecret(text, conv)
		return nil, sec, err
	}
	spec, err := buildCreds(text, Kind(typ), conv)
	return spec, nil, err
}

// checkKnown explains why name is not a property of typ.
func checkKnown(typ string, defs []propDef, name string) error {
	if name == "loaded" {
		return errors.New(`removed in QEMU 9.2 (objects load when created); delete "loaded"`)
	}
	if typ == typeSecret && (name == "keyid" || name == "iv") {
		return errors.New("encrypted secrets (keyid, iv) are not supported; give the plain secret with file= in a file only the qemu user can read")
	}
	if _, ok := findProp(defs, name); ok {
		return nil
	}
	owners := ""
	for _, k := range []Kind{KindX509, KindAnon, KindPSK} {
		if _, ok := findProp(kindProps(k), name); ok && string(k) != typ {
			owners = fmt.Sprintf("; %q belongs to %s", name, k)
			break
		}
	}
	return fmt.Errorf("unknown property for %s (valid: %s)%s", typ, strings.Join(propNames(defs), ", "), owners)
}

func (p propValue) describe() string {
	switch {
	case p.isBool:
		return fmt.Sprint(p.boolean)
	case p.badJSON != "":
		return "JSON " + p.badJSON
	}
	return fmt.Sprintf("%q", p.str)
}

// convert checks one value against its definition and returns a string or bool.
func convert(def propDef, p propValue) (any, error) {
	if p.badJSON != "" {
		want := "a string"
		if def.typ == propBool {
			want = "a boolean"
		}
		return nil, fmt.Errorf("invalid value %s (want %s)", p.describe(), want)
	}
	switch def.typ {
	case propBool:
		if p.isBool {
			return p.boolean, nil
		}
		switch p.str {
		case "on", "yes", "true", "y":
			return true, nil
		case "off", "no", "false", "n":
			return false, nil
		}
		return nil, fmt.Errorf("invalid value %q (want on, off, yes, no, true, false, y or n)", p.str)
	case propEnum:
		if p.isBool || !slices.Contains(def.values, p.str) {
			return nil, fmt.Errorf("invalid value %s (want %s)", p.describe(), specOrList(def.values))
		}
		return p.str, nil
	}
	if p.isBool {
		return nil, fmt.Errorf("invalid value %s (want a string)", p.describe())
	}
	if p.str == "" && def.name != "priority" {
		// QEMU takes an empty priority= (GnuTLS then refuses every
		// session: lint's priority-invalid says so); an empty path or id
		// is refused when the object is created.
		return nil, errors.New("empty value")
	}
	if def.name == "id" && !validObjectID(p.str) {
		return nil, fmt.Errorf("invalid value %q (want an identifier: a letter, then letters, digits, '-', '.' or '_')", p.str)
	}
	return p.str, nil
}

// validObjectID reports whether s is a QEMU object id (qemu:util/id.c id_wellformed).
func validObjectID(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !('0' <= c && c <= '9') && c != '-' && c != '.' && c != '_' {
			return false
		}
	}
	return s != ""
}

func buildCreds(text string, kind Kind, conv map[string]any) (*Spec, error) {
	s := &Spec{
		Kind:        kind,
		Endpoint:    EndpointClient,
		VerifyPeer:  true,
		SanityCheck: true,
		Text:        text,
	}
	for _, def := range kindProps(kind) {
		v, ok := conv[def.name]
		if !ok {
			continue
		}
		s.set.add(def.name)
		if def.boolean != nil {
			*def.boolean(s), _ = v.(bool)
		} else {
			*def.str(s), _ = v.(string)
		}
	}
	if !s.set.has("id") {
		return nil, specErr(text, "id", errors.New("missing (every object needs id=NAME)"))
	}
	explicitFiles := s.Cert != "" || s.Key != "" || s.CA != "" || s.P12 != ""
	if kind != KindAnon && s.Dir == "" && !(kind == KindX509 && explicitFiles) {
		//lint:ignore ST1005 QEMU's own text (qemu:crypto/tlscreds.c), kept so users can search for it
		return nil, specErr(text, "dir", errors.New("Missing 'dir' property value"))
	}
	if s.Username != "" && s.Endpoint == EndpointServer {
		// QEMU's own text (qemu:crypto/tlscredspsk.c).
		return nil, specErr(text, "username", errors.New("username should not be set when endpoint=server"))
	}
	if s.P12 != "" && (s.Cert != "" || s.Key != "") {
		return nil, specErr(text, "p12", errors.New("cannot be combined with cert or key: the PKCS#12 file holds the certificate and key"))
	}
	if s.Cert != "" && s.Key == "" {
		return nil, specErrf(text, "cert", "cert=%s given without key=", s.Cert)
	}
	if s.Key != "" && s.Cert == "" {
		return nil, specErrf(text, "key", "key=%s given without cert=", s.Key)
	}
	return s, nil
}

// NewSpec builds a spec as a value: kind, id, then properties as name,
// value pairs in QEMU spelling with plain values (no ",," escaping). It is
// validated exactly as [ParseSpec] validates text, and Text is the spec's
// -object text, escaped once by [keyval.Object].
//
//	sp, err := creds.NewSpec(creds.KindX509, "tls0", "endpoint", "server", "dir", dir)
func NewSpec(kind Kind, id string, props ...string) (*Spec, error) {
	return buildValue(kind, append([]string{"id", id}, props...))
}

// With returns a copy of s with props (name, value pairs, as for
// [NewSpec]) set or replaced, validated again; s is not changed.
func (s *Spec) With(props ...string) (*Spec, error) {
	var pairs []string
	for _, def := range kindProps(s.Kind) {
		if def.name == "id" || s.IsSet(def.name) {
			val, _ := s.propString(def)
			pairs = append(pairs, def.name, val)
		}
	}
	for i := 0; i+1 < len(props); i += 2 {
		if j := slices.Index(pairs, props[i]); j >= 0 && j%2 == 0 {
			pairs[j+1] = props[i+1]
			continue
		}
		pairs = append(pairs, props[i], props[i+1])
	}
	if len(props)%2 != 0 {
		pairs = append(pairs, props[len(props)-1])
	}
	return buildValue(s.Kind, pairs)
}

// buildValue validates name, value pairs as a spec of kind.
func buildValue(kind Kind, pairs []string) (*Spec, error) {
	text := keyval.Object(string(kind), pairs...)
	if len(pairs)%2 != 0 {
		return nil, specErrf(text, pairs[len(pairs)-1], "no value given")
	}
	props := []propValue{{key: "qom-type", str: string(kind)}}
	for i := 0; i < len(pairs); i += 2 {
		props = append(props, propValue{key: pairs[i], str: pairs[i+1]})
	}
	sp, sec, err := buildSpec(text, props)
	if err == nil && sp == nil {
		err = specErrf(text, "qom-type", "%s is not a tls-creds type", sec.ID)
	}
	return sp, err
}

// Property describes one property of a tls-creds kind.
type Property struct {
	Name    string
	Default string // "" when there is none
	Doc     string
}

// Properties lists kind's properties in the order [Spec.String] writes
// them.
func Properties(kind Kind) []Property {
	var out []Property
	for _, d := range kindProps(kind) {
		out = append(out, Property{d.name, d.def, d.doc})
	}
	return out
}

// String renders the spec in canonical -object syntax: type and id first,
// then every property that was set explicitly or differs from its default,
// in a fixed order. ParseSpec(s.String()) gives back an equal Spec, apart
// from Text.
func (s *Spec) String() string {
	var b strings.Builder
	b.WriteString(string(s.Kind))
	for _, def := range propsFor(string(s.Kind)) {
		val, show := s.propString(def)
		if def.name == "id" || show || s.IsSet(def.name) {
			b.WriteString(keyval.Object("", def.name, val))
		}
	}
	return b.String()
}

// propString returns the value of def as spec text, and whether it
// differs from the default.
func (s *Spec) propString(def propDef) (string, bool) {
	if def.boolean != nil {
		v := "off"
		if *def.boolean(s) {
			v = "on"
		}
		return v, v != def.def
	}
	v := *def.str(s)
	return v, v != "" && v != def.def
}

// specOrList joins items as "a, b or c".
func specOrList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
