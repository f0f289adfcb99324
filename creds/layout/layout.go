// Package layout knows the file names of credential directories.
//
// A credential directory holds the CA bundle, optionally a CRL, and the
// certificate and key of one or both endpoints. Consumers name these files
// differently:
//
//   - QEMU (-object tls-creds-x509,dir=...): ca-cert.pem, ca-crl.pem,
//     server-cert.pem, server-key.pem, client-cert.pem, client-key.pem,
//     dh-params.pem, and since QEMU 10.2 up to four extra identities
//     server-cert-N.pem / server-key-N.pem (N = 0..3).
//   - libvirt (pkipath=DIR): cacert.pem, cacrl.pem, servercert.pem,
//     serverkey.pem, clientcert.pem, clientkey.pem in one directory.
//   - Kubernetes (kubernetes.io/tls Secret mounted as files): ca.crt,
//     tls.crt, tls.key; one identity serves either endpoint.
//
// [Detect] picks the layout of an existing directory from the names it holds.
package layout

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

// Name identifies a directory layout.
type Name string

// The layouts tlscreds reads and writes.
const (
	QEMU       Name = "qemu"
	Libvirt    Name = "libvirt"
	Kubernetes Name = "kubernetes"
)

// All lists the layouts in the order [Detect] prefers them.
var All = []Name{QEMU, Libvirt, Kubernetes}

// Role is the kind of endpoint an identity is for.
type Role string

// Roles of an identity.
const (
	Server Role = "server"
	Client Role = "client"
)

// Files are the file names one layout uses.
type Files struct {
	CA       string
	CRL      string
	DHParams string // empty when the layout has none
	// ServerCert, ServerKey, ClientCert and ClientKey are equal for
	// layouts with a single identity (Kubernetes).
	ServerCert, ServerKey string
	ClientCert, ClientKey string
	// ExtraIdentities is how many numbered extra identities the layout
	// allows (QEMU 10.2: server-cert-0.pem ... server-cert-3.pem).
	ExtraIdentities int
	// CRLServerOnly says the consumer reads the CRL only as a server:
	// QEMU loads ca-crl.pem for endpoint=server and ignores it for
	// endpoint=client (qemu:crypto/tlscredsx509.c; measured with qemu-img
	// 7.2, 10.0 and 10.2: a garbage ca-crl.pem fails a server object,
	// a client object loads). libvirt loads cacrl.pem on both sides.
	CRLServerOnly bool
}

var files = map[Name]Files{
	QEMU: {
		CA: "ca-cert.pem", CRL: "ca-crl.pem", DHParams: "dh-params.pem",
		ServerCert: "server-cert.pem", ServerKey: "server-key.pem",
		ClientCert: "client-cert.pem", ClientKey: "client-key.pem",
		ExtraIdentities: 4, CRLServerOnly: true,
	},
	Libvirt: {
		CA: "cacert.pem", CRL: "cacrl.pem",
		ServerCert: "servercert.pem", ServerKey: "serverkey.pem",
		ClientCert: "clientcert.pem", ClientKey: "clientkey.pem",
	},
	Kubernetes: {
		CA: "ca.crt", CRL: "ca.crl",
		ServerCert: "tls.crt", ServerKey: "tls.key",
		ClientCert: "tls.crt", ClientKey: "tls.key",
	},
}

// Parse turns a layout name into a [Name]. The empty string means QEMU.
func Parse(s string) (Name, error) {
	if s == "" {
		return QEMU, nil
	}
	n := Name(strings.ToLower(s))
	if _, ok := files[n]; ok {
		return n, nil
	}
	return "", fmt.Errorf("unknown layout %q (want qemu, libvirt or kubernetes)", s)
}

// Of returns the file names of layout n. It panics on an unknown layout,
// which is a programming error: names come from [Parse] or the constants.
func Of(n Name) Files {
	f, ok := files[n]
	if !ok {
		panic("layout: unknown layout " + string(n))
	}
	return f
}

// Cert returns the certificate file name for role r.
func (f Files) Cert(r Role) string {
	if r == Server {
		return f.ServerCert
	}
	return f.ClientCert
}

// Key returns the private key file name for role r.
func (f Files) Key(r Role) string {
	if r == Server {
		return f.ServerKey
	}
	return f.ClientKey
}

// ExtraCert returns the name of extra identity i (0-based) for role r, or
// "" when the layout has no extra identities.
func (f Files) ExtraCert(r Role, i int) string {
	if i >= f.ExtraIdentities {
		return ""
	}
	if names := extraNames[r]; i >= 0 && i < len(names) {
		return names[i][0]
	}
	return fmt.Sprintf("%s-cert-%d.pem", r, i)
}

// ExtraKey returns the key file name of extra identity i for role r.
func (f Files) ExtraKey(r Role, i int) string {
	if i >= f.ExtraIdentities {
		return ""
	}
	if names := extraNames[r]; i >= 0 && i < len(names) {
		return names[i][1]
	}
	return fmt.Sprintf("%s-key-%d.pem", r, i)
}

// extraNames holds the cert and key names of QEMU's extra identities,
// which every directory lookup asks for: formatting them on each call took
// 4% of linting a tree (docs/performance.md).
var extraNames = func() map[Role][][2]string {
	m := map[Role][][2]string{}
	for _, r := range []Role{Server, Client} {
		for i := range files[QEMU].ExtraIdentities {
			m[r] = append(m[r], [2]string{fmt.Sprintf("%s-cert-%d.pem", r, i), fmt.Sprintf("%s-key-%d.pem", r, i)})
		}
	}
	return m
}()

// allNames is [Files.Names] of each layout of [All], in that order,
// computed once: layout detection looks at them for every directory of a
// tree.
var allNames = sync.OnceValue(func() [][]string {
	out := make([][]string, len(All))
	for i, n := range All {
		out[i] = Of(n).Names()
	}
	return out
})

// Names lists every file name the layout knows, CA first.
func (f Files) Names() []string {
	names := []string{f.CA, f.CRL}
	if f.DHParams != "" {
		names = append(names, f.DHParams)
	}
	seen := map[string]bool{}
	for _, n := range []string{f.ServerCert, f.ServerKey, f.ClientCert, f.ClientKey} {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, r := range []Role{Server, Client} {
		for i := 0; i < f.ExtraIdentities; i++ {
			names = append(names, f.ExtraCert(r, i), f.ExtraKey(r, i))
		}
	}
	return names
}

// Detection is the result of [Detect].
type Detection struct {
	Layout Name
	// Matched lists the file names of Layout that exist in the directory.
	Matched []string
	// Reason says in words why this layout was chosen.
	Reason string
	// Endpoint is the endpoint the directory is for, when none is given
	// (see [DetectNames]), and EndpointReason says why in words
	// ("server-cert.pem is present").
	Endpoint       Role
	EndpointReason string
	// Entries is the directory's listing (set by Detect), for callers that
	// go on to read the files without listing the directory again.
	Entries []os.DirEntry
}

// Detect picks the layout of the directory dir from the file names it
// holds: the layout with the most of its own names present wins, and ties
// go to the earlier layout in [All]. A directory with none of the known
// names is reported as an error.
func Detect(dir string) (Detection, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Detection{}, err
	}
	return DetectEntries(dir, entries)
}

// DetectEntries is [Detect] over the listing of dir made by the caller.
func DetectEntries(dir string, entries []os.DirEntry) (Detection, error) {
	present := make(map[string]bool, len(entries))
	for _, e := range entries {
		present[e.Name()] = true
	}
	d, err := DetectNames(dir, present)
	d.Entries = entries
	return d, err
}

// DetectNames is [Detect] over a set of names already listed.
func DetectNames(dir string, present map[string]bool) (Detection, error) {
	best := Detection{}
	bestN := 0
	for i, n := range All {
		count := 0
		for _, name := range allNames()[i] {
			if present[name] {
				count++
			}
		}
		if count > bestN {
			best, bestN = Detection{Layout: n}, count
		}
	}
	if bestN > 0 {
		best.Matched = make([]string, 0, bestN)
		for _, name := range allNames()[slices.Index(All, best.Layout)] {
			if present[name] {
				best.Matched = append(best.Matched, name)
			}
		}
	}
	if best.Layout == "" {
		q := Of(QEMU)
		return Detection{}, fmt.Errorf("%s: no credential files found (expected QEMU names such as %s and %s, libvirt names such as cacert.pem, or Kubernetes names ca.crt and tls.crt)", dir, q.CA, q.ServerCert)
	}
	best.Reason = fmt.Sprintf("found %s", strings.Join(best.Matched, ", "))
	best.Endpoint, best.EndpointReason = endpointOf(Of(best.Layout), present)
	return best, nil
}

// endpointOf works out the endpoint of a directory of layout f holding
// the names present. QEMU itself is told the endpoint (endpoint=, client by
// default) and requires server-cert.pem and server-key.pem of a server, so
// a directory is a server's when it holds a server identity file; without
// one it loads only as a client. A CRL the consumer reads only as a server
// (QEMU's ca-crl.pem) in a directory with no identity at all says the
// directory is a server's that lacks its identity.
func endpointOf(f Files, present map[string]bool) (Role, string) {
	for _, n := range [2]string{f.ServerCert, f.ServerKey} {
		if present[n] {
			return Server, n + " is present"
		}
	}
	for i := 0; i < f.ExtraIdentities; i++ {
		for _, n := range [2]string{f.ExtraCert(Server, i), f.ExtraKey(Server, i)} {
			if present[n] {
				return Server, n + " is present"
			}
		}
	}
	if f.CRLServerOnly && present[f.CRL] {
		client := present[f.ClientCert] || present[f.ClientKey]
		for i := 0; i < f.ExtraIdentities && !client; i++ {
			client = present[f.ExtraCert(Client, i)] || present[f.ExtraKey(Client, i)]
		}
		if !client {
			return Server, f.CRL + " is present, which only a server reads, and no identity"
		}
	}
	return Client, "no server certificate or key"
}
