package creds

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
)

// Status of a [ChainLink]: how the certificate was reached from the one
// before it.
const (
	LinkOK           = "ok"                           // its key verifies the previous certificate's signature
	LinkNotFound     = "not found"                    // no certificate has the issuer's name (and key id)
	LinkBadSignature = "signature does not verify"    // named as the issuer, but its key does not verify the signature
	LinkInsecure     = "insecure signature algorithm" // SHA-1 or MD5: Go does not check such signatures
	LinkLoop         = "loop"                         // already in the chain: the CAs name each other as issuers
)

// ChainLink is one step of the walk [Chain] makes from a leaf to its root.
type ChainLink struct {
	// Cert is the certificate reached; nil when the issuer was not found,
	// and Subject is then the issuer name looked for.
	Cert    *x509.Certificate `json:"-"`
	Subject string            `json:"subject"`
	// From says where Cert was found: "leaf" for the first link, "chain"
	// for the certificates after the leaf in its own file, "ca" for the
	// pool; Index is its position there (0-based).
	From       string `json:"from,omitempty"`
	Index      int    `json:"index"`
	Status     string `json:"status"`
	SelfSigned bool   `json:"self_signed"`
	// SHA256Fingerprint identifies Cert; empty when it was not found.
	SHA256Fingerprint string `json:"sha256_fingerprint,omitempty"`
}

// Chain walks from leaf[0] towards a root: leaf is an identity file's
// content (the end-entity certificate, then the intermediates it holds)
// and pool the CA bundle. At each step the issuer is looked up first among
// leaf[1:], then in pool, by [IssuedBy]; among several candidates, the
// first whose key verifies the signature wins ([Walk.PreferVerified]).
//
// The walk ends at a self-issued certificate, at an issuer that cannot be
// found (a last link with a nil Cert and status [LinkNotFound]), or at a
// certificate already visited ([LinkLoop]; QEMU itself has no guard
// against such a loop). The first link has status [LinkOK].
func Chain(leaf, pool []*x509.Certificate) []ChainLink {
	if len(leaf) == 0 {
		return nil
	}
	w := Walk{Pools: []Pool{{From: "chain", Certs: leaf[1:], Offset: 1}, {From: "ca", Certs: pool}}, PreferVerified: true}
	return w.From(leaf[0], "leaf")
}

// Pool is where a [Walk] looks for issuers: certificates in order, named
// in the links found there by From, with Index = Offset + position.
type Pool struct {
	From   string
	Certs  []*x509.Certificate
	Offset int
}

// Walk is the one walk from a certificate towards its root, used by
// inspect ([Chain]), lint (QEMU's load-time walk) and diagnose (the chain
// a peer sent). What differs between them is a parameter:
//
//   - Pools are searched in order for an issuer by [IssuedBy] (GnuTLS's
//     gnutls_x509_crt_check_issuer: raw names and key ids, no signature).
//   - PreferVerified false takes the first candidate, as QEMU's load-time
//     walk does (qemu:crypto/tlscredsx509.c
//     qcrypto_tls_creds_check_authority_chain stops at the first
//     gnutls_x509_crt_check_issuer match). True takes the first whose key
//     verifies the signature, else one signed with an insecure algorithm,
//     else the first, as crypto/x509 tries every candidate.
//
// Every walk stops at a self-issued certificate ([SelfIssued]), at a
// missing issuer (a last link with status [LinkNotFound]) and at a
// certificate already visited (a last link with status [LinkLoop]; QEMU's
// own walk has no such guard).
//
// Sigs, when set, remembers the signatures checked, for walks over the
// same certificates (a nil Sigs checks every signature the walk needs).
// Bare links carry Cert, From, Index and Status only, and a not-found
// link its Subject: for walkers that read nothing else (lint's), since
// SelfSigned checks each root's own signature and Subject and
// SHA256Fingerprint format every certificate.
type Walk struct {
	Pools          []Pool
	PreferVerified bool
	Sigs           *Signatures
	Bare           bool
}

// From walks from start, whose link is named from (index 0, status
// [LinkOK]).
func (w Walk) From(start *x509.Certificate, from string) []ChainLink {
	cur := start
	links := []ChainLink{w.link(cur, from, 0, LinkOK)}
	seen := map[string]bool{string(cur.Raw): true}
	for !SelfIssued(cur) {
		pick, at, status := w.issuer(cur)
		if pick == nil {
			links = append(links, ChainLink{Subject: dnOrHex(cur.RawIssuer), Index: -1, Status: LinkNotFound})
			break
		}
		if seen[string(pick.Raw)] {
			status = LinkLoop
		}
		links = append(links, w.link(pick, w.Pools[at.pool].From, w.Pools[at.pool].Offset+at.index, status))
		if status == LinkLoop {
			break
		}
		seen[string(pick.Raw)] = true
		cur = pick
	}
	return links
}

// position is where in a walk's pools a certificate was found.
type position struct{ pool, index int }

// issuer picks c's issuer in the pools, where it is, and the status of
// c's signature under its key.
func (w Walk) issuer(c *x509.Certificate) (*x509.Certificate, position, string) {
	var (
		pick   *x509.Certificate
		at     position
		status = LinkNotFound
	)
	for pi, p := range w.Pools {
		for i, cand := range p.Certs {
			if cand == c || !IssuedBy(c, cand) {
				continue
			}
			st := signatureStatus(w.Sigs.Check(c, cand))
			if pick == nil || rank(st) < rank(status) {
				pick, at, status = cand, position{pi, i}, st
			}
			if !w.PreferVerified || st == LinkOK {
				return pick, at, status
			}
		}
	}
	return pick, at, status
}

// Issuer returns the first certificate of pool that issued c by
// [IssuedBy] (c itself excluded): the one QEMU's load-time walk takes.
func Issuer(c *x509.Certificate, pool []*x509.Certificate) *x509.Certificate {
	for _, a := range pool {
		if a != c && IssuedBy(c, a) {
			return a
		}
	}
	return nil
}

// rank orders signature statuses from best to worst.
func rank(status string) int {
	switch status {
	case LinkOK:
		return 0
	case LinkInsecure:
		return 1
	case LinkBadSignature:
		return 2
	}
	return 3
}

func (w Walk) link(c *x509.Certificate, from string, index int, status string) ChainLink {
	if w.Bare {
		return ChainLink{Cert: c, From: from, Index: index, Status: status}
	}
	fp := sha256.Sum256(c.Raw)
	return ChainLink{
		Cert: c, Subject: dnOrHex(c.RawSubject), From: from, Index: index, Status: status,
		SelfSigned:        IssuedBy(c, c) && signatureStatus(w.Sigs.Check(c, c)) != LinkBadSignature,
		SHA256Fingerprint: colonHex(fp[:], true),
	}
}

// IssuedBy is GnuTLS's issuer relation (gnutls_x509_crt_check_issuer, as
// GnuTLS's chain verification and QEMU's load-time walk use it): c's raw
// issuer name equals issuer's raw subject name byte for byte, and, when c
// has an authority key id and issuer a subject key id, the two are equal.
// No signature is checked. IssuedBy(c, c) holds for a self-issued
// certificate.
func IssuedBy(c, issuer *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, issuer.RawSubject) {
		return false
	}
	if len(c.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 {
		return bytes.Equal(c.AuthorityKeyId, issuer.SubjectKeyId)
	}
	return true
}

// SelfIssued reports whether c is its own issuer by [IssuedBy]: where
// GnuTLS, and QEMU's walk from a leaf to its root, stop.
func SelfIssued(c *x509.Certificate) bool { return IssuedBy(c, c) }

// SelfSigned reports whether c is self-issued and its own key verifies its
// signature (a signature with an insecure algorithm, which Go does not
// check, counts: GnuTLS reads the certificate as a root all the same).
func SelfSigned(c *x509.Certificate) bool {
	return IssuedBy(c, c) && signatureStatus(CheckSignature(c, c)) != LinkBadSignature
}

// signatureStatus is the link status of a [CheckSignature] outcome.
func signatureStatus(err error) string {
	var insecure x509.InsecureAlgorithmError
	switch {
	case err == nil:
		return LinkOK
	case errors.As(err, &insecure):
		return LinkInsecure
	}
	return LinkBadSignature
}
