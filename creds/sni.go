package creds

import (
	"cmp"
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SNI is a further credential source a server endpoint serves, chosen by
// the server name a client sends (TLS SNI). See [ServerOptions.SNI].
type SNI struct {
	Source *Source
	// Names are served by Source whatever its certificates say, and win
	// over names taken from certificates. "*.example.com" matches one
	// label, as a certificate's wildcard does.
	Names []string
}

// sniRecheck bounds how long a name that a reload added to a certificate
// can go unnoticed when clients ask for it before anything else shows the
// reload (see sniSelector.certificate).
var sniRecheck = time.Second

// sniSelector picks the certificate for a ClientHello among several
// sources: the explicit names, then the DNS SANs of each source's
// certificates in source order (the first source to claim a name keeps
// it), matched exactly, then by a one-label wildcard, then the default
// source; in strict mode an unmatched name gets no certificate.
//
// Lookups are map lookups: the name table is built once per set of
// snapshots and kept in an atomic pointer. A hit checks that the source it
// found still serves the snapshot the table was built from; a changed
// source rebuilds the table for that lookup. A miss (a name no
// source claims) cannot tell cheaply whether some reload has since added
// that name, so misses re-check every source at most once per sniRecheck.
// A rebuild costs O(sources); lookups cost O(1) whatever their number.
type sniSelector struct {
	def     *Source
	sources []*Source // def first, then the SNI sources, without repeats
	// explicit are the entries' names, normalised, by source index
	// (stable: in entry order within a source). One slice for all
	// sources: a selector over thousands of sources keeps no per-source
	// allocation.
	explicit []sniName
	strict   bool
	table    atomic.Pointer[sniTable]
	rebuild  sync.Mutex
}

type sniTable struct {
	objs    []*Object      // the snapshot of each source the table was built from
	byName  map[string]int // normalised name → index in objs
	checked atomic.Int64   // unix nanoseconds of the last check of every source
}

func newSNISelector(def *Source, extra []SNI, strict bool) (*sniSelector, error) {
	s := &sniSelector{def: def, strict: strict}
	index := map[*Source]int{}
	add := func(src *Source) int {
		if i, ok := index[src]; ok {
			return i
		}
		index[src] = len(s.sources)
		s.sources = append(s.sources, src)
		return len(s.sources) - 1
	}
	add(def)
	for _, e := range extra {
		if e.Source == nil {
			return nil, fmt.Errorf("creds: SNI entry for %v has no source", e.Names)
		}
		if err := checkUsable(e.Source.Spec(), EndpointServer); err != nil {
			return nil, err
		}
		i := add(e.Source)
		for _, n := range e.Names {
			key := normalizeServerName(n)
			if key == "" {
				return nil, fmt.Errorf("creds: SNI entry for object %s: empty server name", e.Source.ID())
			}
			s.explicit = append(s.explicit, sniName{source: i, name: key})
		}
	}
	slices.SortStableFunc(s.explicit, func(a, b sniName) int { return cmp.Compare(a.source, b.source) })
	s.table.Store(s.build())
	return s, nil
}

// sniName is an explicit name of the source at index source.
type sniName struct {
	source int
	name   string
}

// normalizeServerName lower-cases a name and drops a trailing dot, as
// server names compare (RFC 6066 3: case-insensitive, no trailing dot).
func normalizeServerName(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// build makes the table over the sources' current snapshots.
func (s *sniSelector) build() *sniTable {
	t := &sniTable{objs: make([]*Object, len(s.sources)), byName: map[string]int{}}
	for i, src := range s.sources {
		t.objs[i] = src.Current()
	}
	// Explicit names beat names from certificates (Kubernetes does the
	// same); earlier sources beat later ones.
	for _, e := range s.explicit {
		if _, taken := t.byName[e.name]; !taken {
			t.byName[e.name] = e.source
		}
	}
	for i, obj := range t.objs {
		for _, id := range obj.Identities {
			// DNS SANs only: SNI never carries an IP address (RFC 6066 3).
			for _, n := range id.DNSNames() {
				key := normalizeServerName(n)
				if _, taken := t.byName[key]; !taken && key != "" {
					t.byName[key] = i
				}
			}
		}
	}
	t.checked.Store(time.Now().UnixNano())
	return t
}

// current reports whether every source still serves t's snapshot.
func (s *sniSelector) current(t *sniTable) bool {
	for i, src := range s.sources {
		if src.Current() != t.objs[i] {
			return false
		}
	}
	return true
}

// refresh replaces the table unless another goroutine already did.
func (s *sniSelector) refresh(stale *sniTable) *sniTable {
	s.rebuild.Lock()
	defer s.rebuild.Unlock()
	if t := s.table.Load(); t != stale {
		return t
	}
	t := s.build()
	s.table.Store(t)
	return t
}

// lookup returns the index of the source serving name, or -1.
func (t *sniTable) lookup(name string) int {
	if name == "" {
		return -1
	}
	if i, ok := t.byName[name]; ok {
		return i
	}
	// One label only: x.example.com matches *.example.com, a.x.example.com
	// does not (RFC 6125 6.4.3).
	if dot := strings.IndexByte(name, '.'); dot > 0 {
		if i, ok := t.byName["*"+name[dot:]]; ok {
			return i
		}
	}
	return -1
}

// certificate is the GetCertificate of a server config with SNI. It
// returns (nil, nil) for a name it must refuse, so the client gets alert
// unrecognized_name rather than internal_error (crypto/tls).
func (s *sniSelector) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := normalizeServerName(hello.ServerName)
	t := s.table.Load()
	i := t.lookup(name)
	switch {
	case i >= 0 && s.sources[i].Current() != t.objs[i]:
		// The source reloaded: its names may have changed.
		t = s.refresh(t)
		i = t.lookup(name)
	case i < 0 && name != "":
		now := time.Now().UnixNano()
		last := t.checked.Load()
		if now-last > int64(sniRecheck) && t.checked.CompareAndSwap(last, now) && !s.current(t) {
			t = s.refresh(t)
			i = t.lookup(name)
		}
	}
	if i < 0 {
		if s.strict {
			return nil, nil
		}
		return pickIdentity(s.def.Current(), hello), nil
	}
	return pickIdentity(s.sources[i].Current(), hello), nil
}

// pickIdentity returns the first identity of obj the client supports
// (key type, signature schemes, name), else the first: crypto/tls's own
// choice among Certificates.
func pickIdentity(obj *Object, hello *tls.ClientHelloInfo) *tls.Certificate {
	if len(obj.Identities) == 1 {
		return &obj.Identities[0].TLS
	}
	for _, id := range obj.Identities {
		if hello.SupportsCertificate(&id.TLS) == nil {
			return &id.TLS
		}
	}
	return &obj.Identities[0].TLS
}
