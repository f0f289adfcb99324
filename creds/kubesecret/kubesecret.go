// Package kubesecret reads Kubernetes TLS Secrets offline, from manifests
// and from `kubectl get secret -o yaml|json` output, as credential objects.
//
// # What is read
//
// Secrets of type kubernetes.io/tls, and Opaque Secrets holding tls.crt,
// tls.key or ca.crt, from YAML (one or more documents) or JSON, single
// objects or Lists, with base64 data and plain stringData (stringData
// wins, as the API server merges it). Other kinds and types are skipped.
//
// # Streaming and caps
//
// A Secret list from a cluster is megabytes: [Decode] streams it, holding
// one Secret at a time, and refuses a Secret whose text is larger than
// [MaxSecretBytes] (the API server's own limit is 1 MiB of data, base64
// makes it 4/3 larger). YAML aliases are expanded by go.yaml.in/yaml/v3,
// which refuses documents whose aliases expand excessively; an alias
// cannot reach beyond the one Secret it is decoded with.
//
// # Objects
//
// Each Secret becomes the files of a Kubernetes-layout credential object
// held in memory: [Secret.Spec] and [Secret.Files] go to
// creds.ReadOptions.Files (or creds.LoadOptions.Files). The files' paths
// are "secret:NAMESPACE/NAME/KEY", so findings name the Secret and the key;
// [ParsePath] splits such a path again.
package kubesecret

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
)

// MaxSecretBytes caps the text of one Secret in a manifest.
const MaxSecretBytes = 2 << 20

// Prefix starts the path of a file held in a Secret.
const Prefix = "secret:"

// The keys a TLS Secret holds (kubernetes.io/tls; ca.crt by convention,
// as cert-manager writes it).
const (
	KeyCert = "tls.crt"
	KeyKey  = "tls.key"
	KeyCA   = "ca.crt"
)

// Secret is one TLS Secret read from a manifest.
type Secret struct {
	Namespace, Name, Type string
	// Data maps each key to its decoded bytes.
	Data map[string][]byte
	// Source says where the Secret was read ("FILE: Secret #N").
	Source string
}

// Identity is the Secret's stable identity: NAMESPACE/NAME.
func (s *Secret) Identity() string { return s.Namespace + "/" + s.Name }

// Dir is the pseudo-directory of the Secret's files.
func (s *Secret) Dir() string { return Prefix + s.Namespace + "/" + s.Name }

// Path is the path of one of the Secret's keys.
func (s *Secret) Path(key string) string { return s.Dir() + "/" + key }

// ParsePath splits a path made by [Secret.Path].
func ParsePath(p string) (namespace, name, key string, ok bool) {
	rest, ok := strings.CutPrefix(p, Prefix)
	if !ok {
		return "", "", "", false
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// Files maps the paths of the Secret's TLS keys to their contents, for
// creds.ReadOptions.Files.
func (s *Secret) Files() map[string][]byte {
	out := map[string][]byte{}
	for k, v := range s.Data {
		if k == KeyCert || k == KeyKey || k == KeyCA || k == "ca.crl" {
			out[s.Path(k)] = v
		}
	}
	return out
}

// Keys lists the Secret's keys, sorted.
func (s *Secret) Keys() []string {
	var ks []string
	for k := range s.Data {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Spec is the credential object of the Secret for an endpoint (server
// when empty): Kubernetes layout, files in [Secret.Files].
func (s *Secret) Spec(endpoint creds.Endpoint) (*creds.Spec, error) {
	if endpoint == "" {
		endpoint = creds.EndpointServer
	}
	return creds.NewSpec(creds.KindX509, specID(s.Namespace, s.Name), "endpoint", string(endpoint), "layout", string(layout.Kubernetes), "dir", s.Dir())
}

// specID makes a QEMU object id from a namespace and name (both DNS
// labels or subdomains: lower-case letters, digits, '-' and '.').
func specID(ns, name string) string {
	id := "k8s." + ns + "." + name
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// manifest is the part of a Kubernetes object this package reads.
type manifest struct {
	APIVersion string `json:"apiVersion" yaml:"apiVersion"`
	Kind       string `json:"kind" yaml:"kind"`
	Type       string `json:"type" yaml:"type"`
	Metadata   struct {
		Name      string `json:"name" yaml:"name"`
		Namespace string `json:"namespace" yaml:"namespace"`
	} `json:"metadata" yaml:"metadata"`
	Data       map[string]string `json:"data" yaml:"data"`
	StringData map[string]string `json:"stringData" yaml:"stringData"`
}

// secret turns a decoded object into a TLS Secret; ok is false for
// objects that are not TLS Secrets (skipped).
func (m *manifest) secret(source string) (*Secret, bool, error) {
	if m.Kind != "Secret" {
		return nil, false, nil
	}
	name := m.Metadata.Name
	if name == "" {
		return nil, false, fmt.Errorf("%s: a Secret without metadata.name", source)
	}
	ns := m.Metadata.Namespace
	if ns == "" {
		ns = "default"
	}
	s := &Secret{Namespace: ns, Name: name, Type: m.Type, Data: map[string][]byte{}, Source: source}
	if s.Type == "" {
		s.Type = "Opaque"
	}
	for k, v := range m.Data {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
		if err != nil {
			return nil, false, fmt.Errorf("%s: Secret %s key %s: data is not base64: %v", source, s.Identity(), k, err)
		}
		s.Data[k] = b
	}
	for k, v := range m.StringData {
		s.Data[k] = []byte(v)
	}
	switch s.Type {
	case "kubernetes.io/tls":
		return s, true, nil
	case "Opaque":
		_, crt := s.Data[KeyCert]
		_, ca := s.Data[KeyCA]
		return s, crt || ca, nil
	}
	return nil, false, nil
}
