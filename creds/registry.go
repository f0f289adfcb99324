package creds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Source holds the current [Object] of one credential spec and reloads it
// from its files on request. Readers take the current snapshot with one
// atomic load and never wait for a reload.
//
// A Source is safe for concurrent use. If a reload fails, the previous
// snapshot stays active, as QEMU keeps its old credentials when
// display-reload fails (qemu:crypto/tlscreds.c).
type Source struct {
	spec *Spec
	opts LoadOptions

	reloading sync.Mutex // serializes Reload; readers never take it
	cur       atomic.Pointer[Object]
	gen       atomic.Uint64
}

// NewSource loads sp once and returns a Source serving it. It fails when
// that first load fails.
func NewSource(sp *Spec, opts LoadOptions) (*Source, error) {
	obj, err := Load(sp, opts)
	if err != nil {
		return nil, err
	}
	s := &Source{spec: sp, opts: opts}
	s.cur.Store(obj)
	s.gen.Store(1)
	return s, nil
}

// ID is the object's id.
func (s *Source) ID() string { return s.spec.ID }

// Spec is the object's spec. Reloads re-read the files it names; the spec
// itself (endpoint, verify-peer, priority, password) never changes.
func (s *Source) Spec() *Spec { return s.spec }

// Current returns the snapshot in use. It never returns nil, and the
// object it returns is never modified.
func (s *Source) Current() *Object { return s.cur.Load() }

// Gen is the snapshot's generation: 1 for the first load, one more for
// every reload that changed something. A reader that calls Current and
// then Gen while a reload completes may see the new generation with the
// old object; use it for logs and tests, not to pair with a snapshot.
func (s *Source) Gen() uint64 { return s.gen.Load() }

// Reload re-reads the object's files. When their paths and contents hash
// to the same [Material.Digest] as the current snapshot's, nothing is
// built and changed is false. Otherwise the new object replaces the
// current one and the generation goes up by one.
//
// If the new files do not load (a certificate written before its key, a
// truncated file), Reload returns the error and the previous snapshot stays
// active; a later Reload may succeed. The key password is the one given to
// [NewSource]: it is not looked up again.
func (s *Source) Reload() (changed bool, err error) {
	s.reloading.Lock()
	defer s.reloading.Unlock()
	m, err := Read(s.spec, s.opts.Password)
	if err != nil {
		return false, reloadError(s.spec.ID, err)
	}
	if m.Digest == s.cur.Load().Material.Digest {
		return false, nil
	}
	obj, err := Build(m, s.opts)
	if err != nil {
		return false, reloadError(s.spec.ID, err)
	}
	s.cur.Store(obj)
	s.gen.Add(1)
	return true, nil
}

// ErrUnknownObject is wrapped by the error [Registry.Get] returns for an id
// the registry does not hold.
var ErrUnknownObject = errors.New("unknown object")

// Registry holds named credential sources, one per object id, for the
// endpoints of a process to share: any number of server and client
// configs can be built over one [Source] (see [Registry.ServerConfig] and
// [Registry.ClientConfig]), and a reload reaches all of them.
//
// A Registry is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	sources map[string]*Source
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{sources: map[string]*Source{}}
}

// Add loads sp and registers it under its id. An id the registry already
// holds is an error wrapping [ErrDuplicateID], and nothing is loaded.
func (r *Registry) Add(sp *Spec, opts LoadOptions) (*Source, error) {
	if err := r.checkFree(sp.ID); err != nil {
		return nil, err
	}
	src, err := NewSource(sp, opts)
	if err != nil {
		return nil, err
	}
	if err := r.insert(src); err != nil {
		return nil, err
	}
	return src, nil
}

// AddSpecs loads every credentials object of specs, with the key password
// of its passwordid (see [Specs.Password]) and check as the sanity check
// (see [LoadOptions]). It is all or nothing: if any object fails to load,
// the returned error joins every failure and the registry is unchanged.
func (r *Registry) AddSpecs(specs *Specs, check func(*Material) error) error {
	var (
		loaded []*Source
		errs   []error
	)
	for _, sp := range specs.Objects {
		if err := r.checkFree(sp.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		pw, err := specs.Password(sp)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		src, err := NewSource(sp, LoadOptions{Password: pw, Check: check})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		loaded = append(loaded, src)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, src := range loaded {
		if _, dup := r.sources[src.ID()]; dup {
			return duplicateError(src.ID())
		}
	}
	for _, src := range loaded {
		r.sources[src.ID()] = src
	}
	return nil
}

func (r *Registry) checkFree(id string) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if _, dup := r.sources[id]; dup {
		return duplicateError(id)
	}
	return nil
}

func (r *Registry) insert(src *Source) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.sources[src.ID()]; dup {
		return duplicateError(src.ID())
	}
	r.sources[src.ID()] = src
	return nil
}

func duplicateError(id string) error {
	return fmt.Errorf("creds: %w %q: the registry already holds an object with that id", ErrDuplicateID, id)
}

// Get returns the source of the object with the given id. An unknown id
// is an error wrapping [ErrUnknownObject] that lists the known ids.
func (r *Registry) Get(id string) (*Source, error) {
	r.mu.RLock()
	src, ok := r.sources[id]
	r.mu.RUnlock()
	if ok {
		return src, nil
	}
	known := r.IDs()
	if len(known) == 0 {
		return nil, fmt.Errorf("creds: %w %q (the registry holds no objects)", ErrUnknownObject, id)
	}
	return nil, fmt.Errorf("creds: %w %q (known ids: %s)", ErrUnknownObject, id, strings.Join(known, ", "))
}

// IDs returns the ids of the registry's objects, sorted.
func (r *Registry) IDs() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]string, 0, len(r.sources))
	for id := range r.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// ReloadAll reloads every source in id order (see [Source.Reload]). A
// failure does not stop the others; the error joins every failure, and
// each failed source keeps its previous snapshot.
func (r *Registry) ReloadAll() error {
	r.mu.RLock()
	sources := make([]*Source, 0, len(r.sources))
	for _, src := range r.sources {
		sources = append(sources, src)
	}
	r.mu.RUnlock()
	slices.SortFunc(sources, func(a, b *Source) int { return strings.Compare(a.ID(), b.ID()) })
	var errs []error
	for _, src := range sources {
		if _, err := src.Reload(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// reloadError names the object once: a [LoadError] names it already.
func reloadError(id string, err error) error {
	if le, ok := errors.AsType[*LoadError](err); ok && le.ID == id {
		return fmt.Errorf("creds: reload: %w", err)
	}
	return fmt.Errorf("creds: reload %s: %w", id, err)
}
