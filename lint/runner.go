package lint

import (
	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/lint/internal/ordered"
)

// Check lints one target: it reads the object's files once and runs every
// rule. A spec that cannot be read at all (unknown layout, unlistable
// directory) gives a single object-level finding.
func Check(t Target, o Options) Result {
	if t.Profile != "" {
		o.Profile = t.Profile
	}
	if t.Libvirt != nil {
		o.Libvirt = *t.Libvirt
	}
	o.secretUUID = t.SecretUUID
	m, fs := check(t, o)
	prof := o.Profile
	if prof == "" {
		prof = ProfileQEMU
	}
	path := t.Spec.Dir
	if path == "" {
		path = t.Path
	}
	r := NewResult(t.Spec.ID, path, string(t.Spec.Endpoint), prof, fs)
	r.Note = t.Note
	r.Identity = t.Identity
	if r.Identity == "" {
		r.Identity = t.Spec.ID
	}
	if o.KeepMaterial {
		r.Material = m
	}
	r.Source = definingFile(m)
	if t.Identity != "" {
		r.Object = t.Identity
		for i := range r.Findings {
			r.Findings[i].Object = t.Identity
		}
	}
	return r
}

// check reads a target and runs the rules; the material is nil when the
// object could not be read at all.
func check(t Target, o Options) (*creds.Material, []Finding) {
	sp := t.Spec
	if t.Err != nil {
		if t.Dir != nil {
			t.Dir.Close()
		}
		return nil, []Finding{unreadable(sp, t.Err, o.Profile)}
	}
	// Linting needs only the public half of each key (compared with its
	// certificate): ten times cheaper for RSA than a full parse.
	m, err := creds.ReadWith(sp, t.Password, creds.ReadOptions{PublicKeysOnly: true, Entries: t.Entries, OmitAbsent: true, Files: t.Files, Dir: t.Dir})
	if t.Dir != nil {
		t.Dir.Close()
	}
	if err != nil {
		return nil, []Finding{unreadable(sp, err, o.Profile)}
	}
	return m, Run(m, o)
}

// definingFile is the file that stands for the object as a whole: its
// endpoint's certificate, else its CA certificate, else its first file
// ("" when nothing was read).
func definingFile(m *creds.Material) string {
	if m == nil {
		return ""
	}
	for _, role := range []creds.FileRole{creds.RoleCert, creds.RoleP12, creds.RoleCA} {
		for _, f := range m.Files {
			if f.Role == role && f.Present && f.Err == nil && (role != creds.RoleCert || f.Endpoint == m.Spec.Endpoint) {
				return f.Path
			}
		}
	}
	for _, f := range m.Files {
		if f.Present {
			return f.Path
		}
	}
	return ""
}

// unreadable is the finding for an object that cannot be read at all.
func unreadable(sp *creds.Spec, err error, p Profile) Finding {
	r := ruleObjectUnreadable
	return Finding{Rule: r.ID, Severity: r.SeverityIn(p), Subject: r.Subject, Object: sp.ID, File: sp.Dir, Role: RoleObject,
		Message: err.Error(), Fix: r.Fix, Citation: r.Citation}
}

// CheckAll lints targets on all cores and calls emit with the results in
// the order the targets arrived, so output is deterministic whatever the
// scheduling. It holds at most a few results per worker in memory.
func CheckAll(targets <-chan Target, o Options, emit func(Result) error) error {
	return ordered.Run(targets, func(t Target) Result { return Check(t, o) }, func(_ int, r Result) error { return emit(r) })
}
