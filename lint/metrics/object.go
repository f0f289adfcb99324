package metrics

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/kubesecret"
	"github.com/tlscreds/tlscreds/lint"
)

// Location says where a certificate or CRL was read: a file (Filename,
// Filepath) or a key of a Kubernetes Secret (Secret*), as the labels of
// x509-certificate-exporter v4 do.
type Location struct {
	Filename, Filepath                     string
	SecretNamespace, SecretName, SecretKey string
}

// LocationOf places a credential file's path: a Secret's key when the
// path names one (see [kubesecret.ParsePath]), else a file.
func LocationOf(path string) Location {
	if ns, name, key, ok := kubesecret.ParsePath(path); ok {
		return Location{SecretNamespace: ns, SecretName: name, SecretKey: key}
	}
	return Location{Filename: filepath.Base(path), Filepath: path}
}

// DN holds the six name fields x509-certificate-exporter labels (C, ST,
// L, O, OU, CN), the first value of each.
type DN [6]string

func dnOf(n pkix.Name) DN {
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	return DN{first(n.Country), first(n.Province), first(n.Locality), first(n.Organization), first(n.OrganizationalUnit), n.CommonName}
}

// Cert is one certificate as the metrics describe it.
type Cert struct {
	Loc                 Location
	Role                string // "ca", "leaf" or "chain" (an intermediate in an identity file)
	Serial              string // decimal, as x509-certificate-exporter writes it
	Fingerprint         string // SHA-256 of the DER, lower-case hex
	Subject, Issuer     DN
	NotBefore, NotAfter time.Time
}

// CRL is one revocation list as the metrics describe it.
type CRL struct {
	Loc                    Location
	Issuer                 DN
	Number                 string
	ThisUpdate, NextUpdate time.Time
}

// FileError is a file that exists but could not be read or parsed.
type FileError struct {
	Loc    Location
	Cert   bool   // a certificate or CA file: x509_cert_error is 1 for it
	Reason string // x509-certificate-exporter's reason code
}

// FindingCount counts the findings of one rule at one severity in one file.
type FindingCount struct {
	Path, Rule, Severity string
	N                    int
}

// Object is everything the metrics say about one credential object:
// small, so that a fleet's worth is held between checks, and free of
// key material.
type Object struct {
	ID       string // the stable identity: metrics' object label
	Profile  string
	Status   int // 0 ok, 1 warning, 2 error (the worst finding)
	Certs    []Cert
	CRLs     []CRL
	Errors   []FileError
	Findings []FindingCount
	// NextExpiry is the earliest notAfter of its certificates and
	// nextUpdate of its CRLs (zero when it has none).
	NextExpiry time.Time
}

// FromResult summarises a lint result. The result must have been made
// with lint.Options.KeepMaterial for the certificates to be described;
// without material only the findings and status are.
func FromResult(r lint.Result) Object {
	o := Object{ID: r.Identity, Profile: string(r.Profile)}
	if o.ID == "" {
		o.ID = r.Object
	}
	switch lint.Worst(r.Findings) {
	case lint.Error:
		o.Status = 2
	case lint.Warning:
		o.Status = 1
	}
	counts := map[[3]string]int{}
	var order [][3]string
	for _, f := range r.Findings {
		path := f.File
		if path == "" {
			path = r.Path
		}
		k := [3]string{path, f.Rule, f.Severity.String()}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, k := range order {
		o.Findings = append(o.Findings, FindingCount{Path: k[0], Rule: k[1], Severity: k[2], N: counts[k]})
	}
	if r.Material != nil {
		o.addMaterial(r.Material)
	}
	return o
}

func (o *Object) addMaterial(m *creds.Material) {
	seen := map[string]bool{}
	for _, f := range m.Files {
		if !f.Present {
			continue
		}
		loc := LocationOf(f.Path)
		isCert := f.Role == creds.RoleCA || f.Role == creds.RoleCert || f.Role == creds.RoleP12
		if f.Err != nil {
			o.Errors = append(o.Errors, FileError{Loc: loc, Cert: isCert, Reason: reason(f.Err)})
			continue
		}
		for i, c := range f.Certs {
			role := "ca"
			if f.Role != creds.RoleCA {
				role = "leaf"
				if i > 0 {
					role = "chain"
				}
			}
			sum := sha256.Sum256(c.Raw)
			fp := hex.EncodeToString(sum[:])
			if seen[f.Path+fp] {
				continue // the same certificate twice in one file
			}
			seen[f.Path+fp] = true
			o.Certs = append(o.Certs, certOf(c, loc, role, fp))
			o.earliest(c.NotAfter)
		}
		if f.CRL != nil {
			crl := CRL{Loc: loc, Issuer: dnOf(f.CRL.Issuer), ThisUpdate: f.CRL.ThisUpdate, NextUpdate: f.CRL.NextUpdate}
			if f.CRL.Number != nil {
				crl.Number = f.CRL.Number.String()
			}
			o.CRLs = append(o.CRLs, crl)
			if !f.CRL.NextUpdate.IsZero() {
				o.earliest(f.CRL.NextUpdate)
			}
		}
	}
}

func (o *Object) earliest(t time.Time) {
	if o.NextExpiry.IsZero() || t.Before(o.NextExpiry) {
		o.NextExpiry = t
	}
}

func certOf(c *x509.Certificate, loc Location, role, fp string) Cert {
	serial := ""
	if c.SerialNumber != nil {
		serial = c.SerialNumber.String()
	}
	return Cert{Loc: loc, Role: role, Serial: serial, Fingerprint: fp,
		Subject: dnOf(c.Subject), Issuer: dnOf(c.Issuer), NotBefore: c.NotBefore, NotAfter: c.NotAfter}
}

// reason maps a file's error to x509-certificate-exporter v4's reason
// codes (pkg/cert/reason.go), so its alert rules and dashboards read ours.
func reason(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission_denied"
	case errors.Is(err, fs.ErrNotExist):
		return "broken_symlink" // Present but not there: a dangling link
	case errors.Is(err, creds.ErrNotRegular), errors.Is(err, creds.ErrTooLarge):
		return "read_failed"
	}
	var fe *creds.FileError
	if errors.As(err, &fe) && fe.Problem == "cannot be read" {
		return "read_failed"
	}
	if strings.Contains(err.Error(), "no certificate") || strings.Contains(err.Error(), "no PEM") {
		return "no_certificate_found"
	}
	return "bad_pem"
}
