package manifest

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"

	"go.yaml.in/yaml/v3"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/safefile"
)

// MaxSize is the largest manifest Load reads: a 10,000-object manifest
// is about 2 MB as indented JSON (1 MB as compact YAML), and the YAML
// parser's node tree costs many times the file's size in memory, so
// the cap stays within a few times what such a fleet needs.
const MaxSize = 16 << 20

// Load reads and checks the manifest at path. Relative paths in it are
// relative to its directory. Every problem found is reported, each as an
// [*Error] with its line, joined into one error.
func Load(path string) (*Manifest, error) {
	data, err := readManifest(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, filepath.Dir(path), data)
}

// readManifest reads a regular file of at most MaxSize bytes with
// [safefile.Read]: it never opens a FIFO or device, which could block.
func readManifest(path string) ([]byte, error) {
	data, _, err := safefile.Read(path, MaxSize)
	return data, err
}

// Parse checks a manifest's content. name is used in errors; relative
// paths are resolved against dir.
func Parse(name, dir string, data []byte) (*Manifest, error) {
	p := &parser{file: name, dir: dir, m: &Manifest{Path: name, objectLines: map[string]int{}, asUsers: map[string]asUser{}}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: name, Msg: "empty manifest (want objects: and endpoints:)"}
	}
	if err := checkAliases(name, &doc); err != nil {
		return nil, err
	}
	p.top(doc.Content[0])
	p.m.index()
	p.check()
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		errs := make([]error, 0, min(len(p.errs), maxErrors+1))
		for i, e := range p.errs {
			if i == maxErrors {
				errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("manifest: %d more problems not shown", len(p.errs)-maxErrors)})
				break
			}
			errs = append(errs, e)
		}
		return nil, errors.Join(errs...)
	}
	return p.m, nil
}

var yamlLine = lazyregexp.New(`^yaml: line (\d+): (.*)$`)

func (p *parser) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{File: p.file, Line: n, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: p.file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

type parser struct {
	file string
	dir  string
	m    *Manifest
	errs []*Error

	ids       map[string]int // object and secret ids → line
	endpoints map[string]int // endpoint names → line
	// broken holds the ids and names of objects, secrets and endpoints
	// already reported, so that references to them are not reported
	// again as dangling.
	broken map[string]bool
	// secrets holds the secret ids, made on first use by isSecret.
	secrets map[string]bool
}

// keyOf returns the scalar value of key in mapping n ("" if none).
func keyOf(n *yaml.Node, key string) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := resolve(n.Content[i]), resolve(n.Content[i+1]); k.Value == key && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

// named is what an object or endpoint is called in errors: by its key
// (id or name) when it has one, else by its place.
func named(n *yaml.Node, key, kind, place string) string {
	if v := keyOf(n, key); v != "" {
		return fmt.Sprintf("%s %q", kind, v)
	}
	return place
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows an alias (*anchor) to its node.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// field is one key of a mapping.
type field struct {
	key   *yaml.Node
	value *yaml.Node
}

// mapping returns the keys of a mapping node, refusing unknown and
// repeated keys. what names the mapping in errors.
func (p *parser) mapping(n *yaml.Node, what string, known ...string) (map[string]field, bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want a mapping (key: value lines), not %s", what, describe(n))
		return nil, false
	}
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: keys must be plain words", what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.errorf(k, "%s: key %q given twice (first at line %d)", what, k.Value, prev.key.Line)
			continue
		}
		if known != nil && !slices.Contains(known, k.Value) {
			p.errorf(k, "%s: unknown key %q (valid: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		out[k.Value] = field{k, v}
	}
	return out, true
}

// sequence returns the items of a sequence node.
func (p *parser) sequence(n *yaml.Node, what string) []*yaml.Node {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: want a list, not %s", what, describe(n))
		return nil
	}
	if len(n.Content) > MaxListItems {
		p.errorf(n, "%s: %d items, more than the %d a manifest may declare in one list", what, len(n.Content), MaxListItems)
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out
}

// str returns a non-empty scalar as a string.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "%s: want a string, not %s", what, describe(n))
		return "", false
	}
	if n.Value == "" {
		p.errorf(n, "%s: empty value", what)
		return "", false
	}
	return n.Value, true
}

// userName is a user name (as-user): a login name or a numeric uid, as
// in /etc/passwd. Whether the user exists is known only against the
// passwd file of the host checked (lint's --root).
func (p *parser) userName(n *yaml.Node, what string) (string, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	if strings.ContainsAny(s, ":/ \t\n") {
		p.errorf(n, "%s: %q is not a user name", what, s)
		return "", false
	}
	return s, true
}

func (p *parser) strings(n *yaml.Node, what string) []string {
	var out []string
	for i, item := range p.sequence(n, what) {
		if s, ok := p.str(item, fmt.Sprintf("%s[%d]", what, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

// boolean accepts YAML's true/false and QEMU's spellings.
func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind == yaml.ScalarNode {
		v := n.Value
		if n.Tag == "!!bool" {
			v = strings.ToLower(v)
		}
		switch v {
		case "true", "on", "yes", "y":
			return true, true
		case "false", "off", "no", "n":
			return false, true
		}
	}
	p.errorf(n, "%s: want true or false, not %s", what, describe(n))
	return false, false
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return strconv.Quote(n.Value)
	}
	return "that"
}

func (p *parser) top(root *yaml.Node) {
	fields, ok := p.mapping(root, "manifest", "objects", "secrets", "endpoints", "as-user")
	if !ok {
		return
	}
	if f, ok := fields["as-user"]; ok {
		if name, ok := p.userName(f.value, "as-user"); ok {
			p.m.AsUser, p.m.AsUserLine = name, f.key.Line
		}
	}
	p.ids, p.endpoints, p.broken = map[string]int{}, map[string]int{}, map[string]bool{}
	if f, ok := fields["secrets"]; ok {
		for i, n := range p.sequence(f.value, "secrets") {
			p.object(n, fmt.Sprintf("secrets[%d]", i), true)
		}
	}
	if f, ok := fields["objects"]; ok {
		for i, n := range p.sequence(f.value, "objects") {
			p.object(n, fmt.Sprintf("objects[%d]", i), false)
		}
	} else {
		p.errorf(root, "manifest: no objects: (want a list of credential objects)")
	}
	if f, ok := fields["endpoints"]; ok {
		for i, n := range p.sequence(f.value, "endpoints") {
			p.endpoint(n, fmt.Sprintf("endpoints[%d]", i))
		}
	}
}

// pathProps are the properties holding paths, resolved against the
// manifest's directory.
var pathProps = map[string]bool{"dir": true, "cert": true, "key": true, "ca": true, "crl": true, "p12": true, "file": true}

// object converts one object (or secret) to the JSON form of a QEMU
// object spec and parses it with [creds.ParseSpec], so that a manifest
// object takes exactly the properties of -object.
func (p *parser) object(n *yaml.Node, what string, secret bool) {
	before := len(p.errs)
	defer func() {
		if len(p.errs) > before {
			p.broken[keyOf(n, "id")] = true
		}
	}()
	kind := "object"
	if secret {
		kind = "secret"
	}
	what = named(n, "id", kind, what)
	fields, ok := p.mapping(n, what)
	if !ok {
		return
	}
	// as-user is tlscreds', not a QEMU property: who reads the files.
	var user asUser
	if f, ok := fields["as-user"]; ok {
		if secret {
			p.errorf(f.key, "%s: as-user goes on objects (and at the top), not on secrets", what)
			return
		}
		name, ok := p.userName(f.value, what+": as-user")
		if !ok {
			return
		}
		user = asUser{name, f.key.Line}
		delete(fields, "as-user")
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fields[keys[i]].key.Line < fields[keys[j]].key.Line })
	var b strings.Builder
	b.WriteString("{")
	typ := string(creds.KindX509)
	if secret {
		typ = "secret"
	}
	typeKey := ""
	for _, k := range keys {
		if k == "type" || k == "qom-type" {
			if typeKey != "" {
				p.errorf(fields[k].key, "%s: type and qom-type both given", what)
				return
			}
			typeKey = k
		}
	}
	if typeKey != "" {
		v := fields[typeKey].value
		s, ok := p.str(v, what+": "+typeKey)
		if !ok {
			return
		}
		if secret && s != "secret" {
			p.errorf(v, "%s: a secret has type secret, not %q", what, s)
			return
		}
		typ = s
	}
	writeJSON(&b, "qom-type", typ)
	for _, k := range keys {
		if k == "type" || k == "qom-type" {
			continue
		}
		v := fields[k].value
		b.WriteString(",")
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
			enc, _ := json.Marshal(k)
			b.Write(enc)
			b.WriteString(":" + strings.ToLower(v.Value))
		case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
			val := v.Value
			if pathProps[k] && val != "" && !filepath.IsAbs(val) && p.dir != "" {
				val = filepath.Join(p.dir, val)
			}
			writeJSON(&b, k, val)
		default:
			p.errorf(v, "%s: property %q: want a string or a boolean, not %s", what, k, describe(v))
			return
		}
	}
	b.WriteString("}")
	sp, sec, err := creds.ParseSpec(b.String())
	if err != nil {
		var se *creds.SpecError
		if errors.As(err, &se) {
			at := n
			if f, ok := fields[se.Property]; ok {
				at = f.key
			} else if se.Property == "qom-type" && typeKey != "" {
				at = fields[typeKey].key
			}
			if se.Property != "" {
				p.errorf(at, "%s: property %q: %v", what, se.Property, se.Err)
			} else {
				p.errorf(at, "%s: %v", what, se.Err)
			}
			return
		}
		p.errorf(n, "%s: %v", what, err)
		return
	}
	if sec != nil && !secret {
		p.errorf(n, "%s: a secret belongs under secrets:, not objects:", what)
		return
	}
	id := ""
	if sp != nil {
		id = sp.ID
	} else {
		id = sec.ID
	}
	if line, dup := p.ids[id]; dup {
		p.errorf(fields["id"].value, "duplicate id %q (first at line %d): objects and secrets share one namespace, as in QEMU", id, line)
		return
	}
	p.ids[id] = fields["id"].key.Line
	p.m.objectLines[id] = n.Line
	if user.name != "" {
		p.m.asUsers[id] = user
	}
	if sp != nil {
		p.m.Specs.Objects = append(p.m.Specs.Objects, sp)
	} else {
		p.m.Specs.Secrets = append(p.m.Specs.Secrets, sec)
	}
}

func writeJSON(b *strings.Builder, k, v string) {
	ek, _ := json.Marshal(k)
	ev, _ := json.Marshal(v)
	b.Write(ek)
	b.WriteString(":")
	b.Write(ev)
}

var endpointKeys = []string{"name", "role", "objects", "hosts", "host", "server", "verify-peer", "authz", "pins", "pins-only", "min-tls", "strict-sni"}

// serverOnly and clientOnly are the keys that only make sense on one side.
var (
	serverOnly = []string{"hosts", "verify-peer", "authz", "strict-sni"}
	clientOnly = []string{"host", "server"}
)

func (p *parser) endpoint(n *yaml.Node, what string) {
	before := len(p.errs)
	defer func() {
		if len(p.errs) > before {
			p.broken["endpoint "+keyOf(n, "name")] = true
		}
	}()
	what = named(n, "name", "endpoint", what)
	fields, ok := p.mapping(n, what, endpointKeys...)
	if !ok {
		return
	}
	e := &Endpoint{Line: n.Line}
	if f, ok := fields["name"]; !ok {
		p.errorf(n, "%s: no name", what)
		return
	} else if e.Name, ok = p.str(f.value, what+": name"); !ok {
		return
	}
	what = fmt.Sprintf("endpoint %q", e.Name)
	if line, dup := p.endpoints[e.Name]; dup {
		p.errorf(fields["name"].value, "%s: name given twice (first at line %d)", what, line)
		return
	}
	p.endpoints[e.Name] = n.Line
	if f, ok := fields["role"]; !ok {
		p.errorf(n, "%s: no role (want server or client)", what)
		return
	} else if role, _ := p.str(f.value, what+": role"); role == "server" || role == "client" {
		e.Role = creds.Endpoint(role)
	} else {
		if role != "" {
			p.errorf(f.value, "%s: role: invalid value %q (want server or client)", what, role)
		}
		return
	}
	wrongSide, side := clientOnly, "client"
	if e.Role == creds.EndpointClient {
		wrongSide, side = serverOnly, "server"
	}
	for _, k := range wrongSide {
		if f, ok := fields[k]; ok {
			hint := ""
			switch k {
			case "hosts":
				hint = "; a client connects to one name: use host"
			case "verify-peer":
				hint = "; a client's is the object's verify-peer, and pins-only authenticates the server by pins alone"
			}
			p.errorf(f.key, "%s: %s applies to %s endpoints only%s", what, k, side, hint)
		}
	}
	if f, ok := fields["objects"]; !ok {
		p.errorf(n, "%s: no objects (want a list of object ids)", what)
	} else {
		for i, item := range p.sequence(f.value, what+": objects") {
			p.objectRef(e, item, fmt.Sprintf("%s: objects[%d]", what, i))
		}
		if len(e.Objects) == 0 && len(f.value.Content) == 0 {
			p.errorf(f.value, "%s: objects: empty list", what)
		}
	}
	if f, ok := fields["hosts"]; ok {
		e.Hosts = p.strings(f.value, what+": hosts")
	}
	if f, ok := fields["host"]; ok {
		e.Host, _ = p.str(f.value, what+": host")
	}
	if f, ok := fields["server"]; ok {
		e.Server, _ = p.str(f.value, what+": server")
	}
	if f, ok := fields["verify-peer"]; ok {
		if v, ok := p.boolean(f.value, what+": verify-peer"); ok {
			e.VerifyPeer = &v
		}
	}
	if f, ok := fields["authz"]; ok {
		e.Authz = p.authz(f.value, what+": authz")
	}
	if f, ok := fields["pins"]; ok {
		for i, item := range p.sequence(f.value, what+": pins") {
			s, ok := p.str(item, fmt.Sprintf("%s: pins[%d]", what, i))
			if !ok {
				continue
			}
			pin, err := creds.ParsePin(s)
			if err != nil {
				p.errorf(item, "%s: %v", what, err)
				continue
			}
			e.Pins = append(e.Pins, pin)
		}
	}
	if f, ok := fields["pins-only"]; ok {
		e.PinsOnly, _ = p.boolean(f.value, what+": pins-only")
		if e.PinsOnly && len(e.Pins) == 0 {
			p.errorf(f.key, "%s: pins-only without pins would accept any peer", what)
		}
	}
	if f, ok := fields["strict-sni"]; ok {
		e.StrictSNI, _ = p.boolean(f.value, what+": strict-sni")
	}
	if f, ok := fields["min-tls"]; ok {
		switch v := resolve(f.value); v.Value {
		case "1.2":
			e.MinTLS = tls.VersionTLS12
		case "1.3":
			e.MinTLS = tls.VersionTLS13
		default:
			p.errorf(v, "%s: min-tls: invalid value %s (want \"1.2\" or \"1.3\")", what, describe(v))
		}
	}
	p.m.Endpoints = append(p.m.Endpoints, e)
}

func (p *parser) objectRef(e *Endpoint, n *yaml.Node, what string) {
	ref := ObjectRef{Line: n.Line}
	if n.Kind == yaml.ScalarNode {
		var ok bool
		if ref.ID, ok = p.str(n, what); !ok {
			return
		}
		e.Objects = append(e.Objects, ref)
		return
	}
	fields, ok := p.mapping(n, what, "id", "names")
	if !ok {
		return
	}
	f, ok := fields["id"]
	if !ok {
		p.errorf(n, "%s: no id", what)
		return
	}
	if ref.ID, ok = p.str(f.value, what+": id"); !ok {
		return
	}
	if f, ok := fields["names"]; ok {
		if e.Role == creds.EndpointClient {
			p.errorf(f.key, "%s: names (SNI) apply to server endpoints only", what)
		}
		for _, name := range p.strings(f.value, what+": names") {
			if strings.TrimSuffix(name, ".") == "" || strings.ContainsAny(name, " /,") {
				p.errorf(f.value, "%s: names: %q is not a host name", what, name)
				continue
			}
			ref.Names = append(ref.Names, name)
		}
	}
	e.Objects = append(e.Objects, ref)
}

func (p *parser) authz(n *yaml.Node, what string) *creds.AuthzList {
	fields, ok := p.mapping(n, what, "policy", "rules")
	if !ok {
		return nil
	}
	l := &creds.AuthzList{Policy: creds.AuthzDeny}
	if f, ok := fields["policy"]; ok {
		s, _ := p.str(f.value, what+": policy")
		l.Policy = creds.AuthzPolicy(s)
		if l.Policy != creds.AuthzAllow && l.Policy != creds.AuthzDeny {
			p.errorf(f.value, "%s: policy: invalid value %q (want allow or deny)", what, s)
		}
	}
	if f, ok := fields["rules"]; ok {
		for i, item := range p.sequence(f.value, what+": rules") {
			rw := fmt.Sprintf("%s: rules[%d]", what, i)
			rf, ok := p.mapping(item, rw, "match", "policy", "format")
			if !ok {
				continue
			}
			var r creds.AuthzRule
			if f, ok := rf["match"]; !ok {
				p.errorf(item, "%s: no match", rw)
			} else {
				r.Match, _ = p.str(f.value, rw+": match")
			}
			if f, ok := rf["policy"]; !ok {
				p.errorf(item, "%s: no policy (want allow or deny)", rw)
			} else {
				s, _ := p.str(f.value, rw+": policy")
				if r.Policy = creds.AuthzPolicy(s); r.Policy != creds.AuthzAllow && r.Policy != creds.AuthzDeny {
					p.errorf(f.value, "%s: policy: invalid value %q (want allow or deny)", rw, s)
				}
			}
			r.Format = creds.AuthzExact
			if f, ok := rf["format"]; ok {
				s, _ := p.str(f.value, rw+": format")
				if r.Format = creds.AuthzFormat(s); r.Format != creds.AuthzExact && r.Format != creds.AuthzGlob {
					p.errorf(f.value, "%s: format: invalid value %q (want exact or glob)", rw, s)
				}
			}
			l.Rules = append(l.Rules, r)
		}
	}
	return l
}

// check resolves references between objects, secrets and endpoints.
func (p *parser) check() {
	m := p.m
	at := func(line int) *yaml.Node { return &yaml.Node{Line: line} }
	for _, sp := range m.Specs.Objects {
		if sp.PasswordID == "" {
			continue
		}
		if !p.broken[sp.PasswordID] && !p.isSecret(sp.PasswordID) {
			p.errorf(at(m.objectLines[sp.ID]), "object %q: passwordid %q names no secret", sp.ID, sp.PasswordID)
		}
	}
	for _, e := range m.Endpoints {
		what := fmt.Sprintf("endpoint %q", e.Name)
		seen := map[string]bool{}
		for _, ref := range e.Objects {
			sp := m.Object(ref.ID)
			switch {
			case sp == nil && p.broken[ref.ID]:
				// already reported
			case sp == nil && p.isSecret(ref.ID):
				p.errorf(at(ref.Line), "%s: %q is a secret, not a credentials object", what, ref.ID)
			case sp == nil:
				p.errorf(at(ref.Line), "%s: unknown object %q", what, ref.ID)
			case seen[ref.ID]:
				p.errorf(at(ref.Line), "%s: object %q listed twice", what, ref.ID)
			case sp.Kind != creds.KindX509:
				p.errorf(at(ref.Line), "%s: object %q is a %s: Go's crypto/tls has no anonymous or PSK cipher suites, so an endpoint needs a tls-creds-x509", what, ref.ID, sp.Kind)
			case sp.Endpoint != e.Role:
				p.errorf(at(ref.Line), "%s: object %q has endpoint=%s, a %s endpoint needs endpoint=%s", what, ref.ID, sp.Endpoint, e.Role, e.Role)
			}
			seen[ref.ID] = true
		}
		if e.Role == creds.EndpointServer {
			continue
		}
		if len(e.Objects) > 1 {
			p.errorf(at(e.Objects[1].Line), "%s: a client endpoint uses one object", what)
		}
		if e.Server != "" {
			s := m.Endpoint(e.Server)
			switch {
			case s == nil && p.broken["endpoint "+e.Server]:
				continue
			case s == nil:
				p.errorf(at(e.Line), "%s: server: unknown endpoint %q", what, e.Server)
				continue
			case s.Role != creds.EndpointServer:
				p.errorf(at(e.Line), "%s: server: endpoint %q is a client endpoint", what, e.Server)
				continue
			}
		}
		if len(e.Objects) == 1 {
			if sp := m.Object(e.Objects[0].ID); sp != nil && sp.VerifyPeer && !e.PinsOnly && m.ServerName(e) == "" {
				p.errorf(at(e.Line), "%s: no host to check the server's certificate against (QEMU: \"No hostname for certificate validation\"): give host, or hosts on its server endpoint", what)
			}
		}
	}
}

func (p *parser) isSecret(id string) bool {
	if p.secrets == nil {
		p.secrets = make(map[string]bool, len(p.m.Specs.Secrets))
		for _, s := range p.m.Specs.Secrets {
			p.secrets[s.ID] = true
		}
	}
	return p.secrets[id]
}
