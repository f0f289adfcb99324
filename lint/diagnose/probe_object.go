package diagnose

import (
	"crypto/tls"
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
	o.Object = sp.ID
	o.CA, o.CAFile = obj.CA, obj.CAFile
	if obj.CAFile == "" && len(obj.CA) == 0 {
		o.CA = nil // no CA file: the system roots
	}
	if id := obj.Identity(); id != nil {
		o.Certificate, o.CertFile = &id.TLS, id.CertFile
	}
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
