// Package manifest declares the credential objects of a host and the TLS
// endpoints that use them, in one YAML (or JSON) file, and builds the
// registry and the tls.Configs from it.
//
// # The file
//
//	as-user: qemu                 # optional: the service user that reads every object
//	objects:                      # the same properties as QEMU's -object tls-creds-*
//	  - id: tls0
//	    type: tls-creds-x509      # the default; qom-type is accepted too
//	    endpoint: server
//	    dir: pki/server           # relative paths are relative to the manifest
//	  - id: tls1
//	    endpoint: client
//	    dir: pki/client
//	    passwordid: sec0
//	    as-user: libvirt-qemu     # the service user that reads it (not a QEMU property)
//	secrets:                      # QEMU's secret objects, for passwordid
//	  - id: sec0
//	    file: pki/client/key-password
//	endpoints:
//	  - name: vnc
//	    role: server
//	    objects: [tls0]           # several for SNI; the first is the default
//	    hosts: [vnc.example.com]  # the names clients use
//	    verify-peer: true         # overrides the object's: require client certificates
//	    authz:                    # QEMU's authz-list, over the client's DN
//	      policy: deny
//	      rules:
//	        - {match: "O=Example,CN=*", policy: allow, format: glob}
//	    pins: ["sha256:AB:CD:..."] # client certificates, in addition to the CA
//	    min-tls: "1.3"
//	  - name: migrate
//	    role: client
//	    objects: [tls1]
//	    server: vnc               # the server endpoint it talks to
//
// An entry of a server endpoint's objects may name extra SNI names:
// {id: tls2, names: [console.example.com]}. Server endpoints also take
// strict-sni (refuse names no object claims) and pins-only (client
// certificates are checked against the pins alone). Client endpoints
// take host (the name they connect to; default: the first host of their
// server), pins and pins-only (pin the server).
//
// Unknown keys, dangling references, duplicate ids and names, and values
// of the wrong type are errors naming the file and line:
//
//	manifest.yaml:12: endpoint "vnc": unknown object "tls9"
//
// # Use
//
// [Load] reads and checks a manifest; [Manifest.Registry] loads every
// object (all or nothing); [Manifest.ServerConfig] and
// [Manifest.ClientConfig] make the endpoints' configs, which follow
// reloads of the registry (see [creds.Registry.Watch]).
package manifest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// Manifest is a checked manifest file. Its fields are not modified after
// [Load] returns it; its methods are safe for concurrent use.
type Manifest struct {
	// Path is the file as given to Load (or the name given to Parse).
	Path string
	// Specs holds the objects and secrets, in file order, with relative
	// paths resolved against the manifest's directory.
	Specs     creds.Specs
	Endpoints []*Endpoint

	// AsUser is the manifest's as-user: the service user that reads its
	// objects' files ("" when not given); AsUserLine is its line.
	AsUser     string
	AsUserLine int

	objectLines map[string]int
	// asUsers holds the objects' own as-user, by object id.
	asUsers map[string]asUser
	// Indexes made once by Parse, so that lookups cost the same with
	// 10,000 objects as with ten (a scan per lookup made linting a
	// manifest quadratic; docs/performance.md).
	objects   map[string]*creds.Spec
	endpoints map[string]*Endpoint
	clients   map[string][]*Endpoint // server endpoint name → its clients, in file order
	uses      map[string][]string    // object id → names of the endpoints using it, in file order

	mu       sync.Mutex
	reg      *creds.Registry
	opts     Options
	pins     map[string]*creds.PinSet
	sessions map[string]tls.ClientSessionCache
}

// Endpoint is one TLS endpoint of the manifest.
type Endpoint struct {
	Name string
	Role creds.Endpoint
	// Objects are the credential objects the endpoint uses: one for a
	// client; for a server, the default first, then further ones chosen
	// by SNI.
	Objects []ObjectRef
	// Hosts are the names clients reach a server endpoint by.
	Hosts []string
	// Server is the server endpoint a client endpoint talks to ("" when
	// it talks to a server outside the manifest).
	Server string
	// Host is the name a client endpoint connects to; "" means the first
	// of its server's Hosts (see [Manifest.ServerName]).
	Host string
	// VerifyPeer overrides the object's verify-peer for a server endpoint:
	// true requires a client certificate, false accepts a client without
	// one (one that is sent must still verify). nil keeps the object's.
	VerifyPeer *bool
	Authz      *creds.AuthzList // nil: no authz
	Pins       creds.Pins
	PinsOnly   bool
	// MinTLS is tls.VersionTLS12 or tls.VersionTLS13; 0 when unset.
	MinTLS    uint16
	StrictSNI bool
	// Line is the line of the endpoint in the manifest.
	Line int
}

// ObjectRef is an object an endpoint uses.
type ObjectRef struct {
	ID string
	// Names are explicit SNI names the object serves (server endpoints).
	Names []string
	Line  int
}

// Error is a problem at one line of a manifest.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Endpoint returns the endpoint with the given name, or nil.
func (m *Manifest) Endpoint(name string) *Endpoint {
	if m.endpoints != nil {
		return m.endpoints[name]
	}
	for _, e := range m.Endpoints {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Object returns the spec of the object with the given id, or nil.
func (m *Manifest) Object(id string) *creds.Spec {
	if m.objects != nil {
		return m.objects[id]
	}
	for _, sp := range m.Specs.Objects {
		if sp.ID == id {
			return sp
		}
	}
	return nil
}

// ObjectLine is the line where object id is declared (0 if none).
func (m *Manifest) ObjectLine(id string) int { return m.objectLines[id] }

type asUser struct {
	name string
	line int
}

// UserOf is the service user that reads object id's files (its own
// as-user, else the manifest's) and the line that says so; "" when the
// manifest names none. Whether the user can read them is lint's check
// (file-unreadable-as-user), as with --as-user.
func (m *Manifest) UserOf(id string) (name string, line int) {
	if u, ok := m.asUsers[id]; ok {
		return u.name, u.line
	}
	return m.AsUser, m.AsUserLine
}

// ServerName is the name client endpoint e connects to and checks the
// server's certificate against: its host, else its server's first host
// ("" when there is neither).
func (m *Manifest) ServerName(e *Endpoint) string {
	if e.Host != "" {
		return e.Host
	}
	if s := m.Endpoint(e.Server); s != nil && len(s.Hosts) > 0 {
		return s.Hosts[0]
	}
	return ""
}

// Clients returns the client endpoints that talk to server endpoint
// name, in file order.
func (m *Manifest) Clients(name string) []*Endpoint {
	if m.clients != nil {
		return m.clients[name]
	}
	var out []*Endpoint
	for _, e := range m.Endpoints {
		if e.Role == creds.EndpointClient && e.Server == name {
			out = append(out, e)
		}
	}
	return out
}

// Uses lists the names of the endpoints that use object id, in file
// order (an endpoint that lists the object twice, which Parse refuses,
// is named once per listing).
func (m *Manifest) Uses(id string) []string {
	if m.uses != nil {
		return m.uses[id]
	}
	var out []string
	for _, e := range m.Endpoints {
		for _, ref := range e.Objects {
			if ref.ID == id {
				out = append(out, e.Name)
			}
		}
	}
	return out
}

// index makes the lookup maps; the first of duplicate keys wins, as the
// scans did.
func (m *Manifest) index() {
	m.objects = make(map[string]*creds.Spec, len(m.Specs.Objects))
	for _, sp := range m.Specs.Objects {
		if _, dup := m.objects[sp.ID]; !dup {
			m.objects[sp.ID] = sp
		}
	}
	m.endpoints = make(map[string]*Endpoint, len(m.Endpoints))
	m.clients = map[string][]*Endpoint{}
	m.uses = map[string][]string{}
	for _, e := range m.Endpoints {
		if _, dup := m.endpoints[e.Name]; !dup {
			m.endpoints[e.Name] = e
		}
		if e.Role == creds.EndpointClient {
			m.clients[e.Server] = append(m.clients[e.Server], e)
		}
		for _, ref := range e.Objects {
			m.uses[ref.ID] = append(m.uses[ref.ID], e.Name)
		}
	}
}

// Options control how [Manifest.Registry] loads the objects and what the
// configs are built on.
type Options struct {
	// Check is the sanity check of objects with sanity-check=on (see
	// [creds.LoadOptions]); package lint provides QEMU's.
	Check func(*creds.Material) error
	// Time is the clock peers' certificates are verified with (nil: the
	// current time).
	Time func() time.Time
	// Base is cloned by every config (nil: an empty config); see
	// [creds.ServerOptions] for the fields the factories own.
	Base *tls.Config
}

// ErrUnknownEndpoint is wrapped by the error for an endpoint name the
// manifest does not declare.
var ErrUnknownEndpoint = errors.New("unknown endpoint")

// Registry loads every object of the manifest into a new registry, with
// the key password of its passwordid. It is all or nothing: the error
// joins every object's failure, each with its manifest line. The configs
// [Manifest.ServerConfig] and [Manifest.ClientConfig] make use the
// registry of the last successful call.
func (m *Manifest) Registry(o Options) (*creds.Registry, error) {
	reg := creds.NewRegistry()
	var errs []error
	for _, sp := range m.Specs.Objects {
		pw, err := m.Specs.Password(sp)
		if err == nil {
			_, err = reg.Add(sp, creds.LoadOptions{Password: pw, Check: o.Check})
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", m.Path, m.objectLines[sp.ID], err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reg, m.opts = reg, o
	return reg, nil
}

// loaded returns the registry, loading it with zero Options if Registry
// was never called.
func (m *Manifest) loaded() (*creds.Registry, Options, error) {
	m.mu.Lock()
	reg, o := m.reg, m.opts
	m.mu.Unlock()
	if reg != nil {
		return reg, o, nil
	}
	reg, err := m.Registry(Options{})
	return reg, Options{}, err
}

func (m *Manifest) endpoint(name string, role creds.Endpoint) (*Endpoint, error) {
	e := m.Endpoint(name)
	if e == nil {
		names := make([]string, 0, len(m.Endpoints))
		for _, e := range m.Endpoints {
			names = append(names, e.Name)
		}
		return nil, fmt.Errorf("%s: %w %q (endpoints: %v)", m.Path, ErrUnknownEndpoint, name, names)
	}
	if e.Role != role {
		return nil, fmt.Errorf("%s:%d: endpoint %q is a %s endpoint, not a %s endpoint", m.Path, e.Line, name, e.Role, role)
	}
	return e, nil
}
