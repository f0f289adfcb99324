package lint

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/gnutlspem"
	"github.com/tlscreds/tlscreds/creds/privkey"
)

// A finding's consumer_message, in a QEMU profile, is the exact line the
// profile's QEMU build prints for that certificate's role and that
// failure, without the program's "qemu-img: " prefix: paths exactly as
// given in dir= (dir + "/" + name), DNs in GnuTLS's order (O=...,CN=...),
// GnuTLS's own reason where QEMU appends one. The texts are data, keyed by
// the first version that prints them in that wording (qemuTexts), so every
// rule has one implementation for every version. TestQEMUVersionsDifferential
// (lint/qemudiff) proves every text against the real qemu-img of each
// proven build; docs/rules.md lists the few it cannot make equal.

// qemuMsg is one message of QEMU's TLS credential loader.
type qemuMsg int

const (
	qAccess         qemuMsg = iota + 1 // qcrypto_tls_creds_get_path
	qNoServerID                        // 10.2: no identity at all
	qCertNoKey                         // 10.2 identity pairing
	qKeyNoCert                         // 10.2 identity pairing
	qKeyMismatch                       // GnuTLS links certificate and key
	qCertKeyLoad                       // ≤10.1: gnutls_certificate_set_x509_key_file2 failed
	qKeyImport                         // 10.2: the key does not import (no GnuTLS reason)
	qCAImport                          // the CA file does not import
	qCertImport                        // the identity file does not import
	qCALoad                            // ≤10.1: gnutls_certificate_set_x509_trust_file failed
	qCRLLoad                           // the CRL does not load
	qDHLoad                            // dh-params.pem does not import
	qDHOpen                            // ≤10.1: GLib cannot open dh-params.pem
	qDHDeprecated                      // 10.2's warning for any dh-params.pem
	qExpired                           // check_cert_times
	qNotActive                         // check_cert_times
	qBCMissing                         // check_cert_basic_constraints, CA without BC
	qBCNotCA                           // check_cert_basic_constraints, CA with cA=FALSE
	qBCIsCA                            // check_cert_basic_constraints, leaf with cA=TRUE
	qKUCertSign                        // check_cert_key_usage, CA
	qKUDigitalSig                      // check_cert_key_usage, leaf
	qKUKeyEnc                          // check_cert_key_usage, leaf (≤10.1)
	qEKU                               // check_cert_key_purpose
	qVerify                            // check_cert_pair: gnutls_x509_crt_list_verify
	qNoIssuer                          // no issuer for the identity (10.2: on the chain of trust)
	qIssuerMismatch                    // 10.2 check_authority_chain: identity file not sorted
	qPSKClient                         // tls-creds-psk client: GnuTLS refuses the key (since 7.2)
	qPriorityX509                      // session start: GnuTLS refuses a tls-creds-x509 priority=
	qPriority                          // session start: GnuTLS refuses a tls-creds-anon/-psk priority=
)

// qemuText is a message in the wording of QEMU versions from Since on.
// {word} stands for a value of [qv].
type qemuText struct {
	Since [3]int
	Text  string
}

var v102 = [3]int{10, 2, 0}

// qemuTexts are the loader's messages by version, oldest wording first,
// as measured with qemu-img 7.2.22 (Debian 12), 10.0.0, 10.1.0 and 10.2.0.
var qemuTexts = map[qemuMsg][]qemuText{
	qAccess:     {{Text: "Unable to access credentials {path}: {errno}"}},
	qNoServerID: {{Text: "Unable to access credentials {cert}: No such file or directory"}, {v102, "Missing server cert '{cert}' & key '{key}'"}},
	qCertNoKey:  {{v102, "Cert '{cert}' without corresponding key '{key}'"}},
	qKeyNoCert:  {{v102, "Key '{key}' without corresponding cert '{cert}'"}},
	qKeyMismatch: {{Text: "Cannot load certificate '{cert}' & key '{key}': The certificate and the given key do not match."},
		{v102, "Cannot set certificate '{cert}' & key '{key}': The certificate and the given key do not match."}},
	qCertKeyLoad:    {{Text: "Cannot load certificate '{cert}' & key '{key}': {reason}"}},
	qKeyImport:      {{v102, "Unable to import private key {key}"}},
	qCAImport:       {{Text: "Unable to import CA certificate list {path}"}, {v102, "Unable to import certificate {path}: {reason}"}},
	qCertImport:     {{Text: "Unable to import {role} certificate {path}: {reason}"}, {v102, "Unable to import certificate {path}: {reason}"}},
	qCALoad:         {{Text: "Cannot load CA certificate '{path}': {reason}"}},
	qCRLLoad:        {{Text: "Cannot load CRL '{path}': {reason}"}},
	qDHLoad:         {{Text: "Unable to load DH parameters from {path}: {reason}"}},
	qDHOpen:         {{Text: "Failed to open file \u201c{path}\u201d: {errno}"}},
	qDHDeprecated:   {{v102, "warning: Use of an external DH parameters file '{path}' is deprecated and will be removed in a future release"}},
	qExpired:        {{Text: "The {role} certificate {path} has expired"}},
	qNotActive:      {{Text: "The {role} certificate {path} is not yet active"}},
	qBCMissing:      {{Text: "The certificate {path} is missing basic constraints for a CA"}},
	qBCNotCA:        {{Text: "The certificate {path} basic constraints do not show a CA"}},
	qBCIsCA:         {{Text: "The certificate {path} basic constraints show a CA, but we need one for a {role}"}},
	qKUCertSign:     {{Text: "Certificate {path} usage does not permit certificate signing"}},
	qKUDigitalSig:   {{Text: "Certificate {path} usage does not permit digital signature"}},
	qKUKeyEnc:       {{Text: "Certificate {path} usage does not permit key encipherment"}},
	qEKU:            {{Text: "Certificate {path} purpose does not allow use with a TLS {role}"}},
	qVerify:         {{Text: "Our own certificate {cert} failed validation against {ca}: {reason}"}},
	qNoIssuer:       {{Text: "Our own certificate {cert} failed validation against {ca}: The certificate hasn't got a known issuer"}, {v102, "Cert '{dn}' has no issuer in CA chain"}},
	qIssuerMismatch: {{v102, "Cert '{issuer}' does not match issuer of cert '{dn}'"}},
	qPSKClient:      {{Text: "Cannot set PSK client credentials: {reason}"}},
	qPriorityX509:   {{Text: "Cannot set default TLS session priority {priority}: {reason}"}, {v102, "Unable to set TLS session priority {priority}: {reason}"}},
	qPriority:       {{Text: "Unable to set TLS session priority {priority}: {reason}"}},
}

// GnuTLS's reasons in check_cert_pair's message (gnutls_x509_crt_list_verify
// status bits, as QEMU words them).
const (
	reasonNotTrusted = "The certificate is not trusted"
	reasonInsecure   = "The certificate uses an insecure algorithm"
	// reasonReadFile is GnuTLS's text when it cannot read a file it was
	// given by name (a directory, or no permission).
	reasonReadFile = "Error while reading file."
)

// qv are the values a message puts in.
type qv struct {
	path, cert, key, ca string
	dn, issuer          string // DNs in GnuTLS's order
	role                string // CA, server, client
	reason, errno       string
	priority            string // the priority string GnuTLS is given
}

// qemuText is message m in the wording of the profile's QEMU build, ""
// for libvirt or when that build never prints it.
func (c *Context) qemuText(m qemuMsg, v qv) string {
	b, ok := c.build()
	if !ok {
		return ""
	}
	text := ""
	for _, t := range qemuTexts[m] {
		if !less(b.Version, t.Since) {
			text = t.Text
		}
	}
	if text == "" {
		return ""
	}
	return strings.NewReplacer("{path}", v.path, "{cert}", v.cert, "{key}", v.key, "{ca}", v.ca,
		"{dn}", v.dn, "{issuer}", v.issuer, "{role}", v.role, "{reason}", v.reason, "{errno}", v.errno, "{priority}", v.priority).Replace(text)
}

// quote sets the consumer message of the finding just added to message m
// of the profile's QEMU build (libvirt's stays).
func (c *Context) quote(m qemuMsg, v qv) {
	if t := c.qemuText(m, v); t != "" && len(c.results) > 0 {
		path := v.path
		if path == "" {
			path = v.cert
		}
		c.results[len(c.results)-1].Consumer = t
		c.results[len(c.results)-1].step = c.loaderStep(m, path)
	}
}

// buildVersion is the version of the profile's QEMU build.
func (c *Context) buildVersion() [3]int {
	b, _ := c.build()
	return b.Version
}

// pairOf is the identity (certificate and key files) f belongs to.
func (c *Context) pairOf(f *creds.File) (cert, key string) {
	for _, id := range c.M.Identities() {
		if id.Cert == f || id.Key == f {
			return id.Cert.Path, id.Key.Path
		}
	}
	names := func(f *creds.File) string { return f.Path }
	for _, o := range c.M.Files {
		if o.Index == f.Index && o != f && (o.Role == creds.RoleCert || o.Role == creds.RoleKey) {
			if f.Role == creds.RoleCert {
				return f.Path, names(o)
			}
			return names(o), f.Path
		}
	}
	return f.Path, f.Path
}

// caPath is the path of the object's CA file.
func (c *Context) caPath() string {
	if f := c.M.FileOf(creds.RoleCA); f != nil {
		return f.Path
	}
	return ""
}

// certQuote is the message of a per-certificate check (check_cert) on a
// certificate in scope.
func (c *Context) certQuote(m qemuMsg, ref certRef) {
	role := c.roleWord()
	if ref.IsCA && (m == qExpired || m == qNotActive) {
		role = "CA"
	}
	c.quote(m, qv{path: ref.File, role: role})
}

// verifyQuote is check_cert_pair's message for the identity whose
// certificate file is certPath.
func (c *Context) verifyQuote(certPath, reason string) {
	c.quote(qVerify, qv{cert: certPath, ca: c.caPath(), reason: reason})
}

// identityOf is the identity certificate path a certificate in scope
// belongs to: itself for a leaf or an identity-file intermediate, else
// the first identity's.
func (c *Context) identityOf(ref certRef) string {
	for _, id := range c.identities() {
		if id.Cert.Path == ref.File {
			return id.Cert.Path
		}
	}
	if ids := c.identities(); len(ids) > 0 {
		return ids[0].Cert.Path
	}
	return ref.File
}

// fileQuote is the message for a file QEMU cannot read or import, by the
// file's role, the failure and the version.
func (c *Context) fileQuote(f *creds.File) {
	cert, key := c.pairOf(f)
	unreadable := f.Data == nil && f.Err != nil
	denied := unreadable && errors.Is(f.Err, fs.ErrPermission)
	if unreadable && denied && c.modern() {
		c.quote(qAccess, qv{path: f.Path, errno: "Permission denied"})
		return
	}
	switch f.Role {
	case creds.RoleCA:
		switch {
		case unreadable:
			c.quote(qCALoad, qv{path: f.Path, reason: reasonReadFile})
		default:
			c.quote(qCAImport, qv{path: f.Path, reason: certListReason(f.Data)})
		}
	case creds.RoleCert:
		switch {
		case unreadable:
			c.quote(qCertKeyLoad, qv{cert: cert, key: key, reason: reasonReadFile})
		case !c.modern() && c.sanityOff():
			c.quote(qCertKeyLoad, qv{cert: cert, key: key, reason: singleCertReason(f.Data)})
		case !c.modern():
			c.quote(qCertImport, qv{path: f.Path, role: c.roleWord(), reason: singleCertReason(f.Data)})
		default:
			c.quote(qCertImport, qv{path: f.Path, reason: certListReason(f.Data)})
		}
	case creds.RoleKey:
		switch {
		case unreadable:
			c.quote(qCertKeyLoad, qv{cert: cert, key: key, reason: reasonReadFile})
		case c.modern():
			c.quote(qKeyImport, qv{key: f.Path})
		default:
			c.quote(qCertKeyLoad, qv{cert: cert, key: key, reason: keyReason(f)})
		}
	case creds.RoleCRL:
		reason := reasonReadFile
		if !unreadable {
			// gnutls_certificate_set_x509_crl_file: a file without a CRL
			// block gives "Base64 decoding error." (measured on all four)
			if reason = blockReason("X509 CRL", f.Data); reason == gnutlspem.TextUnexpectedHeader {
				reason = gnutlspem.TextBase64
			}
		}
		c.quote(qCRLLoad, qv{path: f.Path, reason: reason})
	case creds.RoleDH:
		switch {
		case denied:
			c.quote(qDHOpen, qv{path: f.Path, errno: "Permission denied"})
		case !unreadable:
			c.quote(qDHLoad, qv{path: f.Path, reason: blockReason("DH PARAMETERS", f.Data)})
		}
	}
}

// certListReason is GnuTLS's text for a CA or identity file that
// gnutls_x509_crt_list_import2 refuses (QEMU 10.2 reads every file that
// way, up to its first NUL byte).
func certListReason(data []byte) string {
	data, _ = gnutlspem.CutNUL(data)
	blocks, err := gnutlspem.CertList(data, 0)
	if err != nil {
		return gnutlsText(err)
	}
	for _, b := range blocks {
		if _, err := x509.ParseCertificate(b.DER); err != nil {
			return gnutlspem.DERReason(b.DER)
		}
	}
	return gnutlspem.TextASN1DER
}

// gnutlsText is the GnuTLS text a creds/gnutlspem error carries.
func gnutlsText(err error) string {
	var ge *gnutlspem.Error
	if errors.As(err, &ge) {
		return ge.GnuTLS
	}
	return gnutlspem.TextBase64
}

// singleCertReason is GnuTLS's text for an identity file that
// gnutls_x509_crt_import (QEMU ≤10.1's sanity check) refuses: it reads
// the first block only.
func singleCertReason(data []byte) string {
	data, _ = gnutlspem.CutNUL(data)
	b, err := gnutlspem.Cert(data)
	if err != nil {
		return gnutlsText(err)
	}
	return gnutlspem.DERReason(b.DER)
}

// blockReason is GnuTLS's text for a file of one PEM block with the given
// label (a CRL, DH parameters) that does not import.
func blockReason(label string, data []byte) string {
	b, err := gnutlspem.Decode(label, data)
	if err != nil {
		return gnutlsText(err)
	}
	return gnutlspem.DERReason(b.DER)
}

// keyReason is GnuTLS's text for a key gnutls_certificate_set_x509_key_file2
// refuses (QEMU ≤10.1 quotes it after the certificate and key paths). GnuTLS
// reads the whole file there, NUL bytes included.
func keyReason(f *creds.File) string {
	if r := privkey.GnuTLSReason(f.Err); r != "" {
		return r // a password, a PBES1 scheme or an iteration count GnuTLS refuses
	}
	_, err := gnutlspem.Key(f.Data)
	if err == nil {
		if bytes.Contains(f.Data, []byte("DEK-Info: ")) {
			return "The request is invalid." // legacy PEM encryption: a header GnuTLS cannot use here
		}
		return gnutlspem.TextASN1DER
	}
	return gnutlspem.KeyReason(f.Data, err)
}

// ruleQuotes are the messages each rule quotes, for the rule reference
// (docs/rules.md shows each in the wording of every proven build).
var ruleQuotes = sync.OnceValue(func() map[string][]qemuMsg {
	return map[string][]qemuMsg{
		"file-missing":                        {qAccess},
		"file-unreadable":                     {qAccess, qCALoad, qCertKeyLoad, qCRLLoad, qDHOpen},
		"file-der":                            {qCAImport, qCertImport, qCertKeyLoad, qKeyImport, qCRLLoad, qDHLoad},
		"file-invalid":                        {qCAImport, qCertImport, qCertKeyLoad, qKeyImport, qCRLLoad, qDHLoad},
		"key-encrypted-no-password":           {qKeyImport, qCertKeyLoad},
		"identity-unpaired":                   {qCertNoKey, qKeyNoCert},
		"server-no-identity":                  {qNoServerID},
		"key-mismatch":                        {qKeyMismatch},
		"cert-expired":                        {qExpired},
		"cert-not-yet-valid":                  {qNotActive},
		"ca-missing-basic-constraints":        {qBCMissing},
		"ca-not-ca":                           {qBCNotCA},
		"leaf-is-ca":                          {qBCIsCA},
		"leaf-self-signed":                    {qBCNotCA},
		"ca-key-usage-no-cert-sign":           {qKUCertSign, qVerify},
		"leaf-key-usage-no-digital-signature": {qKUDigitalSig},
		"leaf-key-usage-no-key-encipherment":  {qKUKeyEnc},
		"leaf-eku-wrong-purpose":              {qEKU},
		"cert-weak-signature":                 {qVerify},
		"cert-unknown-critical-extension":     {qVerify},
		"chain-signature-invalid":             {qVerify},
		"chain-no-issuer":                     {qNoIssuer},
		"aki-ski-mismatch":                    {qNoIssuer},
		"chain-unsorted":                      {qIssuerMismatch},
		"psk-file-problem":                    {qPSKClient},
		"dh-params-deprecated":                {qDHDeprecated},
		"priority-invalid":                    {qPriorityX509, qPriority},
	}
})

// qemuMsgScope names the objects a message is for, where a rule quotes
// different messages for different credential types.
var qemuMsgScope = sync.OnceValue(func() map[qemuMsg]string {
	return map[qemuMsg]string{
		qPriorityX509: "tls-creds-x509",
		qPriority:     "tls-creds-anon and tls-creds-psk",
	}
})

// qemuWordings renders rule r's messages for the rule reference: each
// wording with the proven builds that print it ({path}, {dn}, ... stand
// for what QEMU puts in).
func qemuWordings(r *Rule) []string {
	var out []string
	for _, m := range ruleQuotes()[r.ID] {
		scope := ""
		if sc := qemuMsgScope()[m]; sc != "" {
			scope = sc + " in "
		}
		texts := qemuTexts[m]
		for i, t := range texts {
			var builds []string
			for j := len(QEMUBuilds) - 1; j >= 0; j-- {
				b := QEMUBuilds[j]
				if !less(b.Version, t.Since) && (i+1 == len(texts) || less(b.Version, texts[i+1].Since)) {
					builds = append(builds, strings.TrimPrefix(string(b.Profile), "qemu-"))
				}
			}
			if len(builds) > 0 {
				out = append(out, scope+strings.Join(builds, ", ")+": "+codeSpan(t.Text))
			}
		}
	}
	return out
}

// QEMUWordings returns every wording of rule r's QEMU messages in the
// proven builds, oldest first, with "%s" where QEMU puts a path, a name
// or GnuTLS's reason: what explain reads as this rule's message,
// whichever version printed it.
func QEMUWordings(r *Rule) []string {
	var out []string
	for _, m := range ruleQuotes()[r.ID] {
		for _, t := range qemuTexts[m] {
			s := placeholders(t.Text)
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// placeholders replaces each {word} of a qemuText by %s.
func placeholders(text string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		j := strings.IndexByte(text[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		b.WriteString("%s")
		text = text[i+j+1:]
	}
}
