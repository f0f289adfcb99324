package main

import (
	"crypto"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// treeScheme versions what makeTree writes; a cached tree of another
// scheme is regenerated.
const treeScheme = 1

// treeMaxAge is how old a cached tree may be: its leaves are valid for a
// year from generation, and lint warns as they near expiry.
const treeMaxAge = 180 * 24 * time.Hour

// treeStamp is written last into a complete tree, so an interrupted
// generation is never taken for a cached tree.
type treeStamp struct {
	Scheme  int       `json:"scheme"`
	Dirs    int       `json:"dirs"`
	KeyMix  string    `json:"key_mix"`
	Created time.Time `json:"created"`
}

const stampName = ".tlscreds-bench.json"

// treeOptions describe a benchmark tree.
type treeOptions struct {
	Dirs int
	// KeyTypes are cycled over the directories (dir i uses
	// KeyTypes[i%len]); every fourth directory has an intermediate CA.
	KeyTypes []fixtures.KeyType
	// PoolSize is how many keys of each type and role are generated and
	// then shared: every certificate is distinct, but generating 10,000
	// RSA keys would take minutes.
	PoolSize int
	// SharedCA makes a fleet's tree: one root CA per key type and
	// PoolSize intermediates per key type, shared by every directory, and
	// a unique leaf per directory. Without it every directory has its
	// own root (and intermediate).
	SharedCA bool
}

func (o treeOptions) keyMix() string {
	if o.SharedCA {
		return fmt.Sprint(o.KeyTypes) + " shared-ca"
	}
	return fmt.Sprint(o.KeyTypes)
}

// treeDir is where the tree lives under cache.
func (o treeOptions) treeDir(cache string) string {
	if o.SharedCA {
		return filepath.Join(cache, fmt.Sprintf("tree-shared-%d", o.Dirs))
	}
	return filepath.Join(cache, fmt.Sprintf("tree-%d", o.Dirs))
}

// ensureTree returns a tree of o.Dirs QEMU server directories under
// cache, reusing one generated earlier when its stamp matches.
func ensureTree(cache string, o treeOptions, log func(string, ...any)) (string, error) {
	root := o.treeDir(cache)
	if b, err := os.ReadFile(filepath.Join(root, stampName)); err == nil {
		var s treeStamp
		if json.Unmarshal(b, &s) == nil && s.Scheme == treeScheme && s.Dirs == o.Dirs && s.KeyMix == o.keyMix() &&
			time.Since(s.Created) < treeMaxAge {
			log("reusing the tree of %d dirs in %s (generated %s)", o.Dirs, root, s.Created.Format(time.DateOnly))
			return root, nil
		}
	}
	if err := os.RemoveAll(root); err != nil {
		return "", err
	}
	start := time.Now()
	log("generating %d credential dirs in %s ...", o.Dirs, root)
	if err := makeTree(root, o); err != nil {
		return "", err
	}
	b, _ := json.Marshal(treeStamp{Scheme: treeScheme, Dirs: o.Dirs, KeyMix: o.keyMix(), Created: time.Now().UTC()})
	if err := os.WriteFile(filepath.Join(root, stampName), b, 0o644); err != nil {
		return "", err
	}
	log("generated %d dirs in %s", o.Dirs, time.Since(start).Round(time.Millisecond))
	return root, nil
}

// keyPool holds the shared keys, per key type, for each role.
type keyPool struct {
	root, inter, leaf map[fixtures.KeyType][]crypto.Signer
}

func newKeyPool(o treeOptions) (*keyPool, error) {
	p := &keyPool{root: map[fixtures.KeyType][]crypto.Signer{}, inter: map[fixtures.KeyType][]crypto.Signer{}, leaf: map[fixtures.KeyType][]crypto.Signer{}}
	type slot struct {
		m  map[fixtures.KeyType][]crypto.Signer
		kt fixtures.KeyType
		i  int
	}
	var slots []slot
	for _, kt := range o.KeyTypes {
		for _, m := range []map[fixtures.KeyType][]crypto.Signer{p.root, p.inter, p.leaf} {
			m[kt] = make([]crypto.Signer, o.PoolSize)
			for i := range o.PoolSize {
				slots = append(slots, slot{m, kt, i})
			}
		}
	}
	err := parallel(len(slots), func(j int) error {
		k, err := fixtures.NewKey(slots[j].kt)
		slots[j].m[slots[j].kt][slots[j].i] = k
		return err
	})
	return p, err
}

// makeTree writes o.Dirs server directories in QEMU layout, named
// dir-00000 ... under root, generating them on all cores.
func makeTree(root string, o treeOptions) error {
	pool, err := newKeyPool(o)
	if err != nil {
		return err
	}
	gen := fixtures.New(time.Now())
	// The fleet's shared CAs: a root per key type, intermediates under it.
	roots := map[fixtures.KeyType]*fixtures.Cert{}
	inters := map[fixtures.KeyType][]*fixtures.Cert{}
	if o.SharedCA {
		for _, kt := range o.KeyTypes {
			ca, err := gen.Root(fixtures.Spec{Key: pool.root[kt][0], CommonName: fmt.Sprintf("fleet %s CA", kt)})
			if err != nil {
				return err
			}
			roots[kt] = ca
			for k := range o.PoolSize {
				in, err := gen.Intermediate(ca, fixtures.Spec{Key: pool.inter[kt][k], CommonName: fmt.Sprintf("fleet %s intermediate CA %d", kt, k)})
				if err != nil {
					return err
				}
				inters[kt] = append(inters[kt], in)
			}
		}
	}
	return parallel(o.Dirs, func(i int) error {
		kt := o.KeyTypes[i%len(o.KeyTypes)]
		k := (i / len(o.KeyTypes)) % o.PoolSize
		name := fmt.Sprintf("dir-%05d", i)
		var (
			issuer, ca *fixtures.Cert
			err        error
		)
		if o.SharedCA {
			ca = roots[kt]
		} else if ca, err = gen.Root(fixtures.Spec{Key: pool.root[kt][k], CommonName: name + " CA"}); err != nil {
			return err
		}
		issuer, bundle := ca, []*fixtures.Cert{ca}
		if i%4 == 3 {
			if o.SharedCA {
				issuer = inters[kt][k]
			} else if issuer, err = gen.Intermediate(ca, fixtures.Spec{Key: pool.inter[kt][k], CommonName: name + " intermediate CA"}); err != nil {
				return err
			}
			bundle = append(bundle, issuer)
		}
		leaf, err := gen.Server(issuer, fixtures.Spec{Key: pool.leaf[kt][k],
			DNSNames: []string{name + ".bench.example"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
		if err != nil {
			return err
		}
		d := fixtures.Dir{Server: leaf}
		for _, c := range bundle {
			d.CA = append(d.CA, c.Cert)
		}
		return writeDir(filepath.Join(root, name), d)
	})
}

// writeDir writes a credential directory without fixtures.WriteSet's
// fsyncs (a cached benchmark tree that a crash leaves unstamped is made
// again): with them, 50,000 directories took over 20 minutes to write.
func writeDir(dir string, d fixtures.Dir) error {
	files, err := d.Files(layout.QEMU)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, mode); err != nil {
			return err
		}
	}
	return nil
}

// treeDirs lists the credential directories of a tree made by makeTree.
func treeDirs(root string) ([]string, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(root, e.Name()))
		}
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%s: no credential directories", root)
	}
	return dirs, nil
}

// parallel calls fn(0) ... fn(n-1) on all cores and returns the first
// error; after an error no new calls start.
func parallel(n int, fn func(int) error) error {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || next >= n {
			return 0, false
		}
		next++
		return next - 1, true
	}
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, ok := take(); ok; i, ok = take() {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}
