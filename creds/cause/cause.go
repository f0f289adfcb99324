// Package cause is the registry of the reasons a TLS handshake fails, and
// the one reading of crypto/tls's handshake errors.
//
// A cause has a stable ID (handshake-*, a public contract like lint's rule
// IDs), the side whose configuration is usually at fault, a summary, a
// fix, the lint rules that catch the problem before deployment and the
// messages operators see for it. `tlscreds serve` logs causes by ID,
// `tlscreds diagnose`, `pair` and `explain` report them as findings, and
// docs/troubleshooting.md is generated from [All].
//
// # Adding a cause
//
// Add its ID to the constants and an entry to the table in causes.go; the
// package's tests check that every entry is complete and every ID unique.
// To teach [Classify] a new error, add a line to its table in classify.go.
//
// The package imports nothing else of tlscreds, so every package (creds,
// creds/serve, lint/diagnose, cmd) can use it.
package cause

import (
	"fmt"
	"slices"
	"strings"
)

// Sides a cause is usually at fault on.
const (
	Server  = "server"
	Client  = "client"
	Either  = "either"
	Network = "network"
)

// Cause is one reason a handshake fails.
type Cause struct {
	ID string
	// Side is whose configuration is usually at fault: [Server],
	// [Client], [Either] or [Network].
	Side    string
	Summary string
	Fix     string
	// Lint lists the lint rules that catch the problem before deployment.
	Lint []string
	// Seen lists messages operators see for it, from Go, OpenSSL, GnuTLS,
	// QEMU, libvirt and curl.
	Seen []string
}

func (c *Cause) String() string { return fmt.Sprintf("%s (%s)", c.ID, c.Summary) }

var byID = func() map[string]*Cause {
	m := make(map[string]*Cause, len(table))
	for i := range table {
		c := &table[i]
		if _, dup := m[c.ID]; dup {
			panic("cause: duplicate cause " + c.ID)
		}
		m[c.ID] = c
	}
	return m
}()

// All returns every cause, sorted by ID. The causes are shared: callers
// must not modify them.
func All() []*Cause {
	out := make([]*Cause, 0, len(table))
	for i := range table {
		out = append(out, &table[i])
	}
	slices.SortFunc(out, func(a, b *Cause) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the cause with the given ID.
func Lookup(id string) (*Cause, bool) {
	c, ok := byID[id]
	return c, ok
}

// Get returns the cause with the given ID, which must be one of this
// package's constants: it panics on an unknown ID (a programming error
// the tests catch).
func Get(id string) *Cause {
	c, ok := byID[id]
	if !ok {
		panic("cause: unknown cause " + id)
	}
	return c
}
