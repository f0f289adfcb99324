package lint

import (
	"crypto/x509"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"github.com/tlscreds/tlscreds/creds/certname"
)

// Class says what kind of problem a rule finds, which gives its default
// severity in a consumer profile (see docs/rules.md):
//
//   - refused: the profile's consumer refuses to load it (error)
//   - session-fails: it loads, but every session fails (error)
//   - peers-refuse: it loads, but mainstream verifying peers at default
//     settings refuse it; the finding names the peer (warning)
//   - tool: a deployment tool's check, not the consumer's (warning)
//   - hygiene: expiry within the threshold, odd encodings the consumer
//     tolerates, weak but accepted choices (warning or info)
type Class string

// Classes.
const (
	ClassRefused      Class = "refused"
	ClassSessionFails Class = "session-fails"
	ClassPeersRefuse  Class = "peers-refuse"
	ClassTool         Class = "tool"
	ClassHygiene      Class = "hygiene"
)

// Rule is one check.
type Rule struct {
	ID string
	// Tool names the tool and versions whose check a ClassTool rule
	// reproduces, e.g. "virt-pki-validate 9.0".
	Tool     string
	Severity Severity // in the default profile
	// Class is the kind of problem; "" means refused for a rule that is
	// an error in the default profile, hygiene otherwise (see ClassOf).
	Class Class
	// Sanity marks a check of QEMU's load-time sanity check: with
	// sanity-check=off its errors are warnings (class peers-refuse).
	Sanity bool
	// Profiles overrides Severity per profile.
	Profiles map[Profile]Severity
	Subject  Subject
	Summary  string // one line: what is wrong
	Citation string // QEMU, libvirt, RFC 5280, RFC 8813, CA/B, Go
	// QEMU and Libvirt are the exact messages those consumers give, with
	// %s where they put a path or name.
	QEMU, Libvirt string
	Fix           string
	// check finds the rule's problems in one object, for [Run]. A rule
	// found elsewhere has none and names its reporter in reportedBy
	// instead: "Check" (an object that cannot be read), "CheckManifest"
	// (across a manifest's objects) or "ExpiredWaivers" (the
	// configuration file).
	check      func(*Context, *Rule)
	reportedBy string
}

// ClassOf is the rule's class in profile p: a rule that is an error in p
// is refused (unless it declares session-fails), anything else keeps its
// declared class, or hygiene.
func (r *Rule) ClassOf(p Profile) Class {
	if r.Class == ClassSessionFails {
		return r.Class
	}
	if r.SeverityIn(p) == Error {
		return ClassRefused
	}
	if r.Class == "" || r.Class == ClassRefused {
		return ClassHygiene
	}
	return r.Class
}

// SeverityIn is the rule's severity in profile p.
func (r *Rule) SeverityIn(p Profile) Severity {
	p = p.Canonical()
	if s, ok := r.Profiles[p]; ok {
		return s
	}
	if s, ok := r.Profiles[p.family()]; ok {
		return s
	}
	return r.Severity
}

// ConsumerMessage is the QEMU message, or libvirt's for the libvirt
// profile when it has one.
func (r *Rule) ConsumerMessage(p Profile) string {
	if p.Canonical() == ProfileLibvirt && r.Libvirt != "" {
		return r.Libvirt
	}
	return r.QEMU
}

var registry = map[string]*Rule{}

func register(r *Rule) *Rule {
	if _, dup := registry[r.ID]; dup {
		panic("lint: duplicate rule " + r.ID)
	}
	if (r.check == nil) == (r.reportedBy == "") {
		panic("lint: rule " + r.ID + " needs either a check or the reporter that finds it")
	}
	registry[r.ID] = r
	return r
}

// Rules returns every rule, sorted by ID.
func Rules() []*Rule { return slices.Clone(sortedRules()) }

// sortedRules is computed once, not on every [Run] (sorting took 3% of
// linting a tree; docs/performance.md): every rule registers while the
// package initialises, before anything can call it.
var sortedRules = sync.OnceValue(func() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
})

// Lookup returns the rule with the given ID.
func Lookup(id string) (*Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// Options control [Run].
type Options struct {
	Profile Profile
	// Now is the clock for validity checks; zero means time.Now().
	Now time.Time
	// WarnWithin flags certificates and CRLs that expire within this
	// duration; WarnShare within this share (0..1) of their lifetime.
	WarnWithin time.Duration
	WarnShare  float64
	// Hosts are names the endpoint is reached by, checked against the
	// server certificate's SANs.
	Hosts []string
	// KeepMaterial makes [Check] keep what it read in [Result.Material],
	// for renderers that describe the certificates themselves (metrics).
	KeepMaterial bool
	// Libvirt are the libvirt settings the credentials are used with
	// (profile libvirt).
	Libvirt LibvirtSettings
	// AsUser, when set, is the service user the files must be readable
	// by (rule file-unreadable-as-user); Root is the root prefix its
	// paths and symbolic links resolve in ("" for /).
	AsUser *access.User
	Root   string

	secretUUID string // the target's SecretUUID (see Target)
}

// Context is what a rule's check sees.
type Context struct {
	M       *creds.Material
	Opts    Options
	Now     time.Time
	results []Finding

	// Computed once per object and shared by the rules.
	scopeRefs []certRef
	scopeDone bool
	ids       []creds.IdentityFiles
	idsDone   bool
	walks     map[*x509.Certificate][]creds.ChainLink // caWalk's, by start
	sigs      creds.Signatures                        // the signatures checked
}

// Spec is the object's spec.
func (c *Context) Spec() *creds.Spec { return c.M.Spec }

// Server reports whether the object is a server endpoint.
func (c *Context) Server() bool { return c.M.Spec.Endpoint == creds.EndpointServer }

// add records a finding of rule r.
func (c *Context) add(r *Rule, file, format string, args ...any) {
	c.addSev(r, r.SeverityIn(c.Opts.Profile), file, format, args...)
}

// addSev records a finding with an explicit severity (for rules whose
// severity depends on the certificate, such as extension criticality).
func (c *Context) addSev(r *Rule, sev Severity, file, format string, args ...any) {
	if r.Sanity && sev == Error && c.sanityOff() {
		sev = Warning
		format += " (sanity-check=off: QEMU loads it, verifying peers refuse it)"
	}
	subject := r.Subject
	if subject == SubjectLeaf {
		subject = SubjectClient
		if c.Server() {
			subject = SubjectServer
		}
	}
	msg := fmt.Sprintf(format, args...)
	sev, msg = c.demote(r, sev, msg)
	if r.Class == ClassTool {
		if sev > Warning {
			sev = Warning // the consumer loads it: never "libvirt refuses this"
		}
		if c.libvirt() {
			msg = r.Tool + ": " + msg // the tool that checks it in libvirt's world
		}
	}
	consumer := r.ConsumerMessage(c.Opts.Profile)
	if c.libvirt() {
		if m := libvirtConsumer(r.ID, c.fileByPath(file), c); m != "" {
			consumer = m
		}
	}
	c.results = append(c.results, Finding{
		Rule: r.ID, Severity: sev, Subject: subject, Object: c.M.Spec.ID, File: file, Role: c.role(file),
		Message: msg, Fix: r.Fix, Citation: r.Citation, Consumer: consumer,
	})
}

// role is what file is for in the object ("object" when the finding is
// about the object as a whole).
func (c *Context) role(file string) string {
	if file == "" || file == c.M.Spec.Dir {
		return RoleObject
	}
	for _, f := range c.M.Files {
		if f.Path == file {
			return string(f.Role)
		}
	}
	return "file"
}

// RoleObject is the role of a finding about a whole object.
const RoleObject = "object"

// Run applies every rule to m and returns the findings sorted by
// severity (worst first), then file and rule.
func Run(m *creds.Material, o Options) []Finding {
	o.Profile = o.Profile.Canonical()
	c := &Context{M: m, Opts: o, Now: o.Now}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	for _, r := range sortedRules() {
		if r.check != nil {
			r.check(c, r)
		}
	}
	sortFindings(c.results)
	return c.results
}

// roleWord is "server" or "client" for messages.
func (c *Context) roleWord() string {
	if c.Server() {
		return "server"
	}
	return "client"
}

// cn is a short name for a certificate in messages ([certname.Of]; the
// short name keeps the rule files' messages readable).
func cn(x *x509.Certificate) string { return certname.Of(x) }

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, strings.TrimSuffix(word, "s"))
}
