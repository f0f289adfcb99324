package diagnose

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/tlscreds/tlscreds/creds"
)

// UseObject sets the options to act as the client a tls-creds-x509
// object with endpoint=client describes: its CA bundle (ca-cert.pem), its
// base identity (client-cert.pem and client-key.pem; none is fine),
// verify-peer, and the versions, suites and groups of its priority=.
func (o *ProbeOptions) UseObject(obj *creds.Object) error {
	sp := obj.Spec
	if sp.Kind != creds.KindX509 {
		return fmt.Errorf("object %s is a %s: %w", sp.ID, sp.Kind, creds.ErrUnsupportedKind)
	}
	if sp.Endpoint != creds.EndpointClient {
		return fmt.Errorf("object %s has endpoint=%s, but a probe plays the client: give the client's object (endpoint=client), or its CA with --ca: %w", sp.ID, sp.Endpoint, creds.ErrWrongEndpoint)
	}
	o.CA, o.CAFile = obj.CA, obj.CAFile
	if obj.CAFile == "" && len(obj.CA) == 0 {
		o.CA = nil // no CA file: the system roots
	}
	if id := obj.Identity(); id != nil {
		o.Certificate, o.CertFile = &id.TLS, id.CertFile
	}
	return o.useSpec(sp)
}

// UseSpec reads the client object sp describes once and sets the
// options to act as it, as [ProbeOptions.UseObject] does. A certificate
// and key that do not belong together, or one without the other, are not
// an error here but the diagnosis: no client given those files gets as
// far as sending them, so the probe plays that client with its CA file
// and settings and no certificate, and [ProbeOptions.IdentityErr] names
// them first. Any other failure to load the object is returned.
func (o *ProbeOptions) UseSpec(sp *creds.Spec, password []byte) error {
	m, err := creds.Read(sp, password)
	if err != nil {
		return fmt.Errorf("the client object does not load: %w", err)
	}
	obj, err := creds.Build(m, creds.LoadOptions{Password: password})
	switch {
	case err == nil:
		return o.UseObject(obj)
	case errors.Is(err, creds.ErrKeyMismatch) || errors.Is(err, creds.ErrUnpaired):
		if sp.Kind == creds.KindX509 && sp.Endpoint == creds.EndpointClient && o.useCAOf(m) {
			o.Certificate, o.IdentityErr = nil, err
			return o.useSpec(sp)
		}
	}
	return fmt.Errorf("the client object does not load: %w", err)
}

// useCAOf takes the CA file of material whose identity did not load, and
// the certificate file's name; false when the CA file does not load
// either.
func (o *ProbeOptions) useCAOf(m *creds.Material) bool {
	o.CA, o.CAFile, o.CertFile = nil, "", ""
	for _, f := range m.Files {
		switch {
		case f.Role == creds.RoleCA && f.Present && f.Err != nil:
			return false
		case f.Role == creds.RoleCA && f.Present:
			o.CA, o.CAFile = f.Certs, f.Path
		case f.Role == creds.RoleCert && f.Present && o.CertFile == "":
			o.CertFile = f.Path
		}
	}
	return true
}

// useSpec takes the object's name, verify-peer and priority.
func (o *ProbeOptions) useSpec(sp *creds.Spec) error {
	o.Object = sp.ID
	o.NoVerify = !sp.VerifyPeer
	if sp.IsSet("priority") {
		p, err := creds.ParsePriority(sp.Priority)
		if err != nil {
			return fmt.Errorf("object %s: %w", sp.ID, err)
		}
		var cfg tls.Config
		p.Apply(&cfg)
		o.MinVersion, o.MaxVersion, o.CipherSuites, o.CurvePreferences = cfg.MinVersion, cfg.MaxVersion, cfg.CipherSuites, cfg.CurvePreferences
	}
	return nil
}
