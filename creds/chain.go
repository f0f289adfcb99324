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
// leaf[1:], then in pool, the way GnuTLS (and so QEMU) decides issuers:
// the raw issuer name must equal the candidate's raw subject, byte for
// byte, and when the certificate has an authority key id and the
// candidate a subject key id, the two must be equal. Among several
// candidates, the first whose key verifies the signature wins.
//
// The walk ends at a self-issued certificate, at an issuer that cannot be
// found (a last link with a nil Cert and status [LinkNotFound]), or at a
// certificate already visited ([LinkLoop]; QEMU itself has no guard
// against such a loop). The first link has status [LinkOK].
func Chain(leaf, pool []*x509.Certificate) []ChainLink {
	if len(leaf) == 0 {
		return nil
	}
	type candidate struct {
		cert  *x509.Certificate
		from  string
		index int
	}
	var all []candidate
	for i, c := range leaf[1:] {
		all = append(all, candidate{c, "chain", i + 1})
	}
	for i, c := range pool {
		all = append(all, candidate{c, "ca", i})
	}
	cur := leaf[0]
	links := []ChainLink{newLink(cur, "leaf", 0, LinkOK)}
	seen := map[string]bool{string(cur.Raw): true}
	for !IssuedBy(cur, cur) {
		var pick *candidate
		status := LinkNotFound
		for i := range all {
			cand := &all[i]
			if !IssuedBy(cur, cand.cert) {
				continue
			}
			st := signatureStatus(cur, cand.cert)
			if pick == nil || rank(st) < rank(status) {
				pick, status = cand, st
			}
			if st == LinkOK {
				break
			}
		}
		if pick == nil {
			links = append(links, ChainLink{Subject: dnOrHex(cur.RawIssuer), Index: -1, Status: LinkNotFound})
			break
		}
		if seen[string(pick.cert.Raw)] {
			status = LinkLoop
		}
		links = append(links, newLink(pick.cert, pick.from, pick.index, status))
		if status == LinkLoop {
			break
		}
		seen[string(pick.cert.Raw)] = true
		cur = pick.cert
	}
	return links
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

func newLink(c *x509.Certificate, from string, index int, status string) ChainLink {
	fp := sha256.Sum256(c.Raw)
	return ChainLink{
		Cert: c, Subject: dnOrHex(c.RawSubject), From: from, Index: index, Status: status,
		SelfSigned:        SelfSigned(c),
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
	return IssuedBy(c, c) && signatureStatus(c, c) != LinkBadSignature
}

// signatureStatus checks c's signature with issuer's key only: unlike
// CheckSignatureFrom it does not ask whether issuer may issue.
func signatureStatus(c, issuer *x509.Certificate) string {
	err := issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	var insecure x509.InsecureAlgorithmError
	switch {
	case err == nil:
		return LinkOK
	case errors.As(err, &insecure):
		return LinkInsecure
	}
	return LinkBadSignature
}
