package lint

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"github.com/tlscreds/tlscreds/creds/manifest"
)

// CheckManifest lints every object of m (as [Check] does) and then checks the
// endpoints against each other: each client endpoint against the server
// endpoint it talks to (trust both ways, pins, authz, the names used),
// SNI names, keys shared between objects, directories shared by a server
// and a client object, and authz rules and pins that match nothing known.
// There is one result per object, in manifest order; a cross-object
// finding goes to the object it is about, and its message names the
// endpoints and the manifest line.
func CheckManifest(m *manifest.Manifest, o Options) []Result {
	if o.Profile == "" {
		o.Profile = ProfileQEMU
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	l := &manifestLint{m: m, o: o, now: now, objs: make(map[string]*manifestObject, len(m.Specs.Objects)),
		extra: map[string][]Finding{}, tables: map[*manifest.Endpoint]map[string]int{}}
	order := make([]*manifestObject, len(m.Specs.Objects))
	// Reading and linting the objects is most of the work: on all cores.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(order); i = int(next.Add(1) - 1) {
				order[i] = l.load(m.Specs.Objects[i])
			}
		}()
	}
	wg.Wait()
	for _, mo := range order {
		l.objs[mo.spec.ID] = mo
	}
	for _, e := range m.Endpoints {
		switch e.Role {
		case creds.EndpointServer:
			l.server(e)
		case creds.EndpointClient:
			l.client(e)
		}
	}
	l.keysAndDirs(order)
	results := make([]Result, 0, len(order))
	for _, mo := range order {
		fs := append(mo.findings, l.extra[mo.spec.ID]...)
		sortFindings(fs)
		path := mo.spec.Dir
		if path == "" {
			path = mo.spec.Cert
		}
		r := NewResult(mo.spec.ID, path, string(mo.spec.Endpoint), o.Profile, fs)
		r.Note = fmt.Sprintf("%s:%d", m.Path, m.ObjectLine(mo.spec.ID))
		r.Identity, r.Material = mo.spec.ID, mo.mat
		r.Source, r.SourceLine = m.Path, m.ObjectLine(mo.spec.ID)
		if uses := l.m.Uses(mo.spec.ID); len(uses) > 0 {
			r.Note += "; endpoints " + strings.Join(uses, ", ")
		}
		results = append(results, r)
	}
	return results
}

type manifestLint struct {
	m     *manifest.Manifest
	o     Options
	now   time.Time
	objs  map[string]*manifestObject
	extra map[string][]Finding // cross-object findings by object id
	// tables holds each server endpoint's SNI name table, made once (it
	// was made for every client, which cost 1.2 ms per client with
	// 10,000 SNI objects).
	tables     map[*manifest.Endpoint]map[string]int
	allClients []*manifest.Endpoint
}

// manifestObject is what the cross-object rules need of one object.
type manifestObject struct {
	spec     *creds.Spec
	findings []Finding
	ids      []manifestIdentity // identities whose certificate parsed
	ca       []*x509.Certificate
	crl      *x509.RevocationList
	mat      *creds.Material // kept when Options.KeepMaterial
}

type manifestIdentity struct {
	chain    []*x509.Certificate
	certFile string
	keyFile  string
}

func (i manifestIdentity) leaf() *x509.Certificate { return i.chain[0] }

func (l *manifestLint) load(sp *creds.Spec) *manifestObject {
	mo := &manifestObject{spec: sp}
	pw, err := l.m.Specs.Password(sp)
	if err != nil {
		mo.findings = []Finding{unreadable(sp, err, l.o.Profile)}
		return mo
	}
	o := l.o
	if name, line := l.m.UserOf(sp.ID); name != "" {
		// The manifest's as-user (the object's own, else the
		// manifest's) wins over Options.AsUser (--as-user).
		u, err := ManifestUser(l.m, o.Root, name, line)
		if err != nil {
			mo.findings = []Finding{unreadable(sp, err, l.o.Profile)}
			return mo
		}
		o.AsUser = &u
	}
	mat, fs := check(Target{Spec: sp, Password: pw}, o)
	mo.findings = fs
	if mat == nil {
		return mo
	}
	if l.o.KeepMaterial {
		mo.mat = mat
	}
	for _, id := range mat.Identities() {
		if id.Cert.Present && id.Cert.Err == nil && len(id.Cert.Certs) > 0 {
			mo.ids = append(mo.ids, manifestIdentity{chain: id.Cert.Certs, certFile: id.Cert.Path, keyFile: id.Key.Path})
		}
	}
	if f := mat.FileOf(creds.RoleCA); f != nil && f.Present && f.Err == nil {
		mo.ca = f.Certs
	}
	if f := mat.FileOf(creds.RoleCRL); f != nil && f.Present && f.Err == nil {
		mo.crl = f.CRL
	}
	return mo
}

// ManifestUser looks up a user a manifest names (as-user at line) in
// ROOT/etc/passwd and ROOT/etc/group; the error names the manifest line.
func ManifestUser(m *manifest.Manifest, root, name string, line int) (access.User, error) {
	u, err := access.LookupUser(root, name)
	if err != nil {
		return u, fmt.Errorf("%s:%d: as-user: %w", m.Path, line, err)
	}
	return u, nil
}

// ManifestNamesUsers reports whether a manifest names a service user
// (as-user) for any object.
func ManifestNamesUsers(m *manifest.Manifest) bool {
	for _, sp := range m.Specs.Objects {
		if name, _ := m.UserOf(sp.ID); name != "" {
			return true
		}
	}
	return false
}

// ManifestUsers checks that every user a manifest names (as-user) exists
// below root, so a typo is an error before anything is linted.
func ManifestUsers(m *manifest.Manifest, root string) error {
	seen := map[string]bool{}
	var errs []error
	check := func(name string, line int) {
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		if _, err := ManifestUser(m, root, name, line); err != nil {
			errs = append(errs, err)
		}
	}
	check(m.AsUser, m.AsUserLine)
	for _, sp := range m.Specs.Objects {
		check(m.UserOf(sp.ID))
	}
	return errors.Join(errs...)
}

// add records a cross-object finding about object id.
func (l *manifestLint) add(r *Rule, id string, line int, format string, args ...any) {
	file := l.m.Path
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg += fmt.Sprintf(" (%s:%d)", filepath.Base(file), line)
	}
	l.extra[id] = append(l.extra[id], Finding{
		Rule: r.ID, Severity: r.SeverityIn(l.o.Profile), Subject: r.Subject, Object: id, File: file, Line: line, Role: "manifest",
		Message: msg, Fix: r.Fix, Citation: r.Citation, Consumer: r.ConsumerMessage(l.o.Profile),
	})
}

// selection is the object and identity a server endpoint serves for a
// server name, chosen as creds.ServerConfig does: explicit SNI names,
// then DNS SANs in object order, each exactly and then as a one-label
// wildcard, then the default object (none under strict-sni). Addresses
// are never sent as SNI, so they get the default.
type selection struct {
	obj *manifestObject
	id  *manifestIdentity // nil when the object has no parsed identity
}

// sniTable maps the names server endpoint e selects an object by to the
// object's index in e.Objects (empty when e has one object and no SNI
// names, so everything gets the default). It is made once per endpoint.
func (l *manifestLint) sniTable(e *manifest.Endpoint) map[string]int {
	if t, ok := l.tables[e]; ok {
		return t
	}
	table := map[string]int{}
	if len(e.Objects) > 1 || len(e.Objects[0].Names) > 0 || e.StrictSNI {
		for i, ref := range e.Objects {
			for _, n := range ref.Names {
				if _, ok := table[strings.ToLower(strings.TrimSuffix(n, "."))]; !ok {
					table[strings.ToLower(strings.TrimSuffix(n, "."))] = i
				}
			}
		}
		for i, ref := range e.Objects {
			for _, id := range l.objs[ref.ID].ids {
				for _, n := range id.leaf().DNSNames {
					if _, ok := table[strings.ToLower(n)]; !ok {
						table[strings.ToLower(n)] = i
					}
				}
			}
		}
	}
	l.tables[e] = table
	return table
}

func (l *manifestLint) selectFor(e *manifest.Endpoint, name string) (selection, bool) {
	key := strings.ToLower(strings.TrimSuffix(name, "."))
	if net.ParseIP(key) != nil {
		key = ""
	}
	table := l.sniTable(e)
	i, ok := table[key]
	if !ok && key != "" {
		if dot := strings.IndexByte(key, '.'); dot > 0 {
			i, ok = table["*"+key[dot:]]
		}
	}
	if !ok {
		if e.StrictSNI {
			return selection{}, false
		}
		i = 0
	}
	mo := l.objs[e.Objects[i].ID]
	sel := selection{obj: mo}
	for j := range mo.ids {
		if mo.ids[j].leaf().VerifyHostname(name) == nil {
			sel.id = &mo.ids[j]
			break
		}
	}
	if sel.id == nil && len(mo.ids) > 0 {
		sel.id = &mo.ids[0]
	}
	return sel, true
}

func (l *manifestLint) server(e *manifest.Endpoint) {
	def := e.Objects[0].ID
	for _, ref := range e.Objects {
		for _, n := range ref.Names {
			l.checkSNIName(e, ref, n)
		}
	}
	for _, h := range e.Hosts {
		l.checkHost(e, h, def, e.Line, "clients")
	}
	clients := l.m.Clients(e.Name)
	if len(clients) == 0 {
		// No declared client: judge the rules against every client object.
		clients = l.everyClient()
	}
	var leaves []*x509.Certificate
	for _, c := range clients {
		for _, id := range l.objs[c.Objects[0].ID].ids {
			leaves = append(leaves, id.leaf())
		}
	}
	l.checkPins(e, def, leaves, "client")
	if e.Authz == nil || len(leaves) == 0 {
		return
	}
	for i, r := range e.Authz.Rules {
		if r.Policy != creds.AuthzAllow {
			continue
		}
		var dns []string
		matched, hint := false, ""
		for _, leaf := range leaves {
			dn := dnOf(leaf.RawSubject)
			dns = append(dns, fmt.Sprintf("%q", dn))
			matched = matched || r.Matches(dn)
			if r.Match == leaf.Subject.String() && r.Match != dn {
				hint = fmt.Sprintf("; %q is that certificate's DN in RFC 4514 order (CN first), but QEMU compares %q", r.Match, dn)
			}
		}
		if !matched {
			l.add(ruleManifestAuthz, def, e.Line, "server endpoint %q: authz rule %d (%s %q) matches none of the known client DNs %s%s",
				e.Name, i, r.Format, r.Match, strings.Join(dns, ", "), hint)
		}
	}
}

// everyClient is an endpoint for each client object, made once.
func (l *manifestLint) everyClient() []*manifest.Endpoint {
	if l.allClients == nil {
		l.allClients = []*manifest.Endpoint{}
		for _, sp := range l.m.Specs.Objects {
			if sp.Endpoint == creds.EndpointClient {
				l.allClients = append(l.allClients, &manifest.Endpoint{Objects: []manifest.ObjectRef{{ID: sp.ID}}})
			}
		}
	}
	return l.allClients
}

func (l *manifestLint) checkSNIName(e *manifest.Endpoint, ref manifest.ObjectRef, name string) {
	mo := l.objs[ref.ID]
	if len(mo.ids) == 0 {
		return
	}
	covered := false
	for _, id := range mo.ids {
		if strings.HasPrefix(name, "*.") {
			for _, san := range id.leaf().DNSNames {
				covered = covered || strings.EqualFold(san, strings.TrimSuffix(name, "."))
			}
		} else {
			covered = covered || id.leaf().VerifyHostname(name) == nil
		}
	}
	if !covered {
		l.add(ruleManifestSNI, ref.ID, ref.Line, "server endpoint %q serves %q with object %s, whose certificate covers only [%s]: clients that check the name refuse it",
			e.Name, name, ref.ID, strings.Join(sanList(mo.ids[0].leaf()), ", "))
	}
}

// checkHost reports a name a server endpoint is reached by that the
// certificate SNI selects for it does not cover. The finding goes to
// object id.
func (l *manifestLint) checkHost(e *manifest.Endpoint, host, id string, line int, who string) {
	sel, ok := l.selectFor(e, host)
	if !ok {
		l.add(ruleManifestHost, id, line, "%s reach server endpoint %q as %q, which no object's names cover, and strict-sni refuses it (alert unrecognized_name)", who, e.Name, host)
		return
	}
	if sel.id == nil || sel.id.leaf().VerifyHostname(host) == nil {
		return
	}
	hint := ""
	if net.ParseIP(host) != nil {
		hint = "; an IP address matches IP SANs only, and clients send no SNI for it, so the default object answers"
	}
	l.add(ruleManifestHost, id, line, "%s reach server endpoint %q as %q; object %s answers, and its certificate covers only [%s]%s",
		who, e.Name, host, sel.obj.spec.ID, strings.Join(sanList(sel.id.leaf()), ", "), hint)
}

func sanList(c *x509.Certificate) []string {
	names := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// checkPins reports each pin of e that matches none of peers. The
// finding goes to object id.
func (l *manifestLint) checkPins(e *manifest.Endpoint, id string, peers []*x509.Certificate, peerWord string) {
	if len(peers) == 0 {
		return
	}
	for _, pin := range e.Pins {
		matched, hint := false, ""
		for _, c := range peers {
			matched = matched || pin.Matches(c)
			if pin.Kind == creds.PinCert && creds.CertPin(c, creds.PinSPKI).Hash == pin.Hash {
				hint = fmt.Sprintf("; it is the hash of %s's public key (certtool prints that as the \"Public Key ID\" sha256:HEX): write it as %s", cn(c), creds.CertPin(c, creds.PinSPKI))
			}
		}
		if !matched {
			l.add(ruleManifestPin, id, e.Line, "%s endpoint %q: pin %s matches none of the %s certificates the manifest knows (%d)%s",
				e.Role, e.Name, pin, peerWord, len(peers), hint)
		}
	}
}

func (l *manifestLint) client(e *manifest.Endpoint) {
	cid := e.Objects[0].ID
	cobj := l.objs[cid]
	s := l.m.Endpoint(e.Server)
	if s == nil {
		return // a server outside the manifest
	}
	name := l.m.ServerName(e)
	who := fmt.Sprintf("connections of client endpoint %q", e.Name)
	if name != "" && !contains(s.Hosts, name) {
		l.checkHost(s, name, cid, e.Line, who)
	}
	sel, ok := l.selectFor(s, name)
	if ok && sel.id != nil {
		var served []*x509.Certificate
		for _, id := range sel.obj.ids {
			served = append(served, id.leaf())
		}
		l.checkPins(e, cid, served, "server")
		l.clientTrustsServer(e, s, cobj, sel)
	}
	l.serverTrustsClient(e, s, cobj)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSuffix(x, "."), strings.TrimSuffix(s, ".")) {
			return true
		}
	}
	return false
}

// clientTrustsServer does the client's side of the handshake: the
// certificate the server selects must chain to the client object's CA
// (when it verifies) and match its pins (when it has some). The name is
// manifest-host-not-covered's business.
func (l *manifestLint) clientTrustsServer(e, s *manifest.Endpoint, cobj *manifestObject, sel selection) {
	leaf := sel.id.leaf()
	who := fmt.Sprintf("client endpoint %q (object %s)", e.Name, cobj.spec.ID)
	if len(e.Pins) > 0 && !e.Pins.Match(leaf) {
		l.add(ruleManifestServerUntrusted, cobj.spec.ID, e.Line, "%s pins the server, but server endpoint %q serves %s (object %s), which matches none of its pins",
			who, s.Name, cn(leaf), sel.obj.spec.ID)
	}
	if e.PinsOnly || !cobj.spec.VerifyPeer {
		return
	}
	if err := verifyChain(sel.id.chain, cobj.ca, x509.ExtKeyUsageServerAuth, l.now); err != nil {
		l.add(ruleManifestServerUntrusted, cobj.spec.ID, e.Line, "%s does not trust server endpoint %q's certificate %s (object %s): %v",
			who, s.Name, cn(leaf), sel.obj.spec.ID, err)
	}
}

// serverTrustsClient does the server's side: whether it asks for a
// client certificate, and whether the client's passes the CA, CRL, pins
// and authz checks of the server endpoint. The server verifies client
// certificates against its default object's CA.
func (l *manifestLint) serverTrustsClient(e, s *manifest.Endpoint, cobj *manifestObject) {
	sobj := l.objs[s.Objects[0].ID]
	require := sobj.spec.VerifyPeer
	if s.VerifyPeer != nil {
		require = *s.VerifyPeer
	}
	require = require || len(s.Pins) > 0
	who := fmt.Sprintf("client endpoint %q (object %s)", e.Name, cobj.spec.ID)
	if len(cobj.ids) == 0 {
		if require || s.Authz != nil {
			l.add(ruleManifestClientUntrusted, cobj.spec.ID, e.Line, "%s has no certificate, and server endpoint %q requires one (QEMU: \"Verify failed: No certificate was found.\")", who, s.Name)
		}
		return
	}
	id := cobj.ids[0]
	leaf := id.leaf()
	if !s.PinsOnly {
		if err := verifyChain(id.chain, sobj.ca, x509.ExtKeyUsageClientAuth, l.now); err != nil {
			l.add(ruleManifestClientUntrusted, cobj.spec.ID, e.Line, "server endpoint %q (object %s) does not trust %s's certificate %s: %v",
				s.Name, sobj.spec.ID, who, cn(leaf), err)
			return
		}
		if sobj.crl != nil && revokedBy(sobj.crl, id.chain) {
			l.add(ruleManifestClientUntrusted, cobj.spec.ID, e.Line, "server endpoint %q: object %s's CRL revokes %s's certificate %s (QEMU: \"The certificate has been revoked\")",
				s.Name, sobj.spec.ID, who, cn(leaf))
		}
	}
	if len(s.Pins) > 0 && !s.Pins.Match(leaf) {
		l.add(ruleManifestClientUntrusted, cobj.spec.ID, e.Line, "server endpoint %q pins its clients, and %s's certificate %s matches none of its pins (add %s)",
			s.Name, who, cn(leaf), creds.CertPin(leaf, creds.PinSPKI))
	}
	if s.Authz != nil {
		if dn := dnOf(leaf.RawSubject); !s.Authz.Allowed(dn) {
			l.add(ruleManifestClientUntrusted, cobj.spec.ID, e.Line, "server endpoint %q's authz denies %s (QEMU: \"TLS x509 authz check for %s is denied\")",
				s.Name, who, dn)
		}
	}
}

// verifyChain verifies a peer chain against roots as crypto/tls would.
func verifyChain(chain, roots []*x509.Certificate, usage x509.ExtKeyUsage, now time.Time) error {
	if len(roots) == 0 {
		return fmt.Errorf("its CA file holds no certificate")
	}
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{usage}}
	for _, c := range roots {
		opts.Roots.AddCert(c)
	}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := chain[0].Verify(opts)
	return err
}

// revokedBy reports whether the CRL lists a certificate of chain that
// its issuer issued.
func revokedBy(crl *x509.RevocationList, chain []*x509.Certificate) bool {
	for _, c := range chain {
		if !bytes.Equal(c.RawIssuer, crl.RawIssuer) {
			continue
		}
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(c.SerialNumber) == 0 {
				return true
			}
		}
	}
	return false
}

// keysAndDirs finds keys reused across objects and directories used by a
// server and a client object.
func (l *manifestLint) keysAndDirs(order []*manifestObject) {
	type owner struct {
		id, keyFile string
	}
	keys := map[string]owner{}
	for _, mo := range order {
		for _, id := range mo.ids {
			spki := string(id.leaf().RawSubjectPublicKeyInfo)
			first, seen := keys[spki]
			switch {
			case !seen:
				keys[spki] = owner{mo.spec.ID, id.keyFile}
			case first.id != mo.spec.ID && filepath.Clean(first.keyFile) != filepath.Clean(id.keyFile):
				l.add(ruleManifestKeyReused, mo.spec.ID, l.m.ObjectLine(mo.spec.ID), "object %s's key (%s) is the same key as object %s's (%s)",
					mo.spec.ID, id.keyFile, first.id, first.keyFile)
			}
		}
	}
	dirs := map[string][]*manifestObject{}
	var names []string
	for _, mo := range order {
		if mo.spec.Dir == "" {
			continue
		}
		d := filepath.Clean(mo.spec.Dir)
		if dirs[d] == nil {
			names = append(names, d)
		}
		dirs[d] = append(dirs[d], mo)
	}
	for _, d := range names {
		var server, client *manifestObject
		for _, mo := range dirs[d] {
			if mo.spec.Endpoint == creds.EndpointServer && server == nil {
				server = mo
			}
			if mo.spec.Endpoint == creds.EndpointClient && client == nil {
				client = mo
			}
		}
		if server != nil && client != nil {
			l.add(ruleManifestDirBoth, client.spec.ID, l.m.ObjectLine(client.spec.ID), "%s is object %s's (endpoint=server) and object %s's (endpoint=client) directory",
				d, server.spec.ID, client.spec.ID)
		}
	}
}
