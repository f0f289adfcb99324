package manifest

import (
	"crypto/tls"
	"fmt"

	"github.com/tlscreds/tlscreds/creds"
)

// ServerConfig returns the config of server endpoint name for a
// long-lived listener (see [creds.ServerConfig]): its objects (the first
// by default, the others by SNI), its verify-peer override, authz list,
// pins and minimum TLS version. It uses the registry of the last
// [Manifest.Registry] call, or loads one with zero [Options] if there was
// none.
func (m *Manifest) ServerConfig(name string) (*tls.Config, error) {
	src, so, err := m.ServerOptions(name)
	if err != nil {
		return nil, err
	}
	cfg, err := creds.ServerConfig(src, so)
	if err != nil {
		e := m.Endpoint(name)
		return nil, fmt.Errorf("%s:%d: endpoint %q: %w", m.Path, e.Line, name, err)
	}
	return cfg, nil
}

// ServerOptions returns the default source of server endpoint name and
// the options [creds.ServerConfig] builds its config with: what
// [Manifest.ServerConfig] uses, for callers that build the config
// themselves (an in-process handshake test, say).
func (m *Manifest) ServerOptions(name string) (*creds.Source, creds.ServerOptions, error) {
	e, err := m.endpoint(name, creds.EndpointServer)
	if err != nil {
		return nil, creds.ServerOptions{}, err
	}
	reg, o, err := m.loaded()
	if err != nil {
		return nil, creds.ServerOptions{}, err
	}
	src, err := reg.Get(e.Objects[0].ID)
	if err != nil {
		return nil, creds.ServerOptions{}, err
	}
	so := creds.ServerOptions{Base: m.base(e, o), Time: o.Time, StrictSNI: e.StrictSNI}
	if len(e.Objects) > 1 || len(e.Objects[0].Names) > 0 {
		for _, ref := range e.Objects {
			s, err := reg.Get(ref.ID)
			if err != nil {
				return nil, creds.ServerOptions{}, err
			}
			so.SNI = append(so.SNI, creds.SNI{Source: s, Names: ref.Names})
		}
	}
	if e.VerifyPeer != nil {
		so.ClientAuth = creds.ClientAuthRequest
		if *e.VerifyPeer {
			so.ClientAuth = creds.ClientAuthRequire
		}
	}
	if e.Authz != nil {
		so.Authorize = e.Authz.Authorize
	}
	if len(e.Pins) > 0 {
		so.Pins, so.PinsOnly = m.pinSet(e), e.PinsOnly
	}
	return src, so, nil
}

// ClientConfig returns the config of client endpoint name (see
// [creds.ClientConfig]), for connections to [Manifest.ServerName]. Every
// config of one endpoint shares one session cache, so its connections
// resume sessions; endpoints never share one.
func (m *Manifest) ClientConfig(name string) (*tls.Config, error) {
	src, host, co, err := m.ClientOptions(name)
	if err != nil {
		return nil, err
	}
	cfg, err := creds.ClientConfig(src, host, co)
	if err != nil {
		e := m.Endpoint(name)
		return nil, fmt.Errorf("%s:%d: endpoint %q: %w", m.Path, e.Line, name, err)
	}
	return cfg, nil
}

// ClientOptions returns the source of client endpoint name, the server
// name it connects to, and the options of [Manifest.ClientConfig].
func (m *Manifest) ClientOptions(name string) (*creds.Source, string, creds.ClientOptions, error) {
	e, err := m.endpoint(name, creds.EndpointClient)
	if err != nil {
		return nil, "", creds.ClientOptions{}, err
	}
	reg, o, err := m.loaded()
	if err != nil {
		return nil, "", creds.ClientOptions{}, err
	}
	src, err := reg.Get(e.Objects[0].ID)
	if err != nil {
		return nil, "", creds.ClientOptions{}, err
	}
	co := creds.ClientOptions{Base: m.base(e, o), Time: o.Time, SessionCache: m.sessionCache(e)}
	if len(e.Pins) > 0 {
		co.Pins, co.PinsOnly = m.pinSet(e), e.PinsOnly
	}
	return src, m.ServerName(e), co, nil
}

// base is the Options' base config with the endpoint's minimum version.
// An object's priority= string sets MinVersion too (and wins, being
// applied later), so the minimum is also enforced after the handshake.
func (m *Manifest) base(e *Endpoint, o Options) *tls.Config {
	cfg := &tls.Config{}
	if o.Base != nil {
		cfg = o.Base.Clone()
	}
	if e.MinTLS == 0 {
		return cfg
	}
	if cfg.MinVersion < e.MinTLS {
		cfg.MinVersion = e.MinTLS
	}
	floor, next := e.MinTLS, cfg.VerifyConnection
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if cs.Version < floor {
			return fmt.Errorf("manifest: endpoint %q: %s negotiated, below its min-tls %s (the object's priority= allows it; remove the lower versions there)",
				e.Name, tls.VersionName(cs.Version), tls.VersionName(floor))
		}
		if next != nil {
			return next(cs)
		}
		return nil
	}
	return cfg
}

// pinSet is the endpoint's pins, one set per endpoint for the manifest's
// life.
func (m *Manifest) pinSet(e *Endpoint) *creds.PinSet {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pins == nil {
		m.pins = map[string]*creds.PinSet{}
	}
	s, ok := m.pins[e.Name]
	if !ok {
		s = creds.NewPinSet(e.Pins...)
		m.pins[e.Name] = s
	}
	return s
}

func (m *Manifest) sessionCache(e *Endpoint) tls.ClientSessionCache {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sessions == nil {
		m.sessions = map[string]tls.ClientSessionCache{}
	}
	c, ok := m.sessions[e.Name]
	if !ok {
		c = tls.NewLRUClientSessionCache(0)
		m.sessions[e.Name] = c
	}
	return c
}
