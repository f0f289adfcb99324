package lint

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds"
)

var (
	_ = register(&Rule{
		ID: "psk-file-problem", Severity: Warning, Subject: SubjectFile,
		Summary:  "keys.psk has a line that QEMU or GnuTLS reads wrongly or not at all (CRLF, bad hex, duplicate user, short key); QEMU loads the file, the users of such lines fail at the handshake",
		Citation: "QEMU crypto/tlscredspsk.c; GnuTLS psktool format; QEMU commit \"crypto: check for and report errors setting PSK credentials\" (7.2)",
		Fix:      "write username:hexkey lines with LF endings (psktool -u USER -p keys.psk), one line per user, keys of 16 bytes or more",
		check:    checkPSK,
	})
	_ = register(&Rule{
		ID: "psk-username-not-found", Severity: Error, Subject: SubjectFile,
		Summary:  "keys.psk has no line for the PSK client's username (username=, default \"qemu\"): QEMU refuses to create the client object",
		Citation: "QEMU crypto/tlscredspsk.c (the client takes the first line starting with USERNAME:); measured on QEMU 7.2.22, 10.0.0, 10.1.0 and 10.2.0",
		QEMU:     "Username %s not found in PSK file %s",
		Fix:      "add the username's line (psktool -u USERNAME -p keys.psk), or set username= to a user the file has",
		check: func(c *Context, r *Rule) {
			for _, f := range pskClientFiles(c) {
				if ce, ok := pskClientErr(c, f); ok && ce.Line == 0 {
					c.add(r, f.Path, "%s has no line starting with %q (QEMU: %q)", filepath.Base(f.Path), ce.Username+":", ce.QEMU)
					c.results[len(c.results)-1].Consumer = ce.QEMU // the same in every proven build
				}
			}
		},
	})
	_ = register(&Rule{
		ID: "psk-client-key-invalid", Severity: Error, Subject: SubjectFile,
		Summary:  "the keys.psk line of the PSK client's username has a key GnuTLS refuses (not hex, odd digits, a CR or space, under 4 bytes): QEMU refuses to create the client object",
		Citation: "QEMU crypto/tlscredspsk.c (the rest of the line, untrimmed, as GNUTLS_PSK_KEY_HEX); GnuTLS 3.7.9 gnutls_psk_set_client_credentials; measured on QEMU 7.2.22, 10.0.0, 10.1.0 and 10.2.0",
		QEMU:     "Cannot set PSK client credentials: %s",
		Fix:      "write the line as USERNAME:HEXKEY with LF endings and nothing after the key (psktool makes 32-byte keys; dos2unix removes CRs)",
		check: func(c *Context, r *Rule) {
			for _, f := range pskClientFiles(c) {
				if ce, ok := pskClientErr(c, f); ok && ce.Line > 0 {
					c.add(r, f.Path, "line %d: the key for username %q: %s (QEMU: %q)", ce.Line, ce.Username, ce.Reason, ce.QEMU)
					c.results[len(c.results)-1].Consumer = ce.QEMU // the same in every proven build
				}
			}
		},
	})
)

// pskClientFiles are the parsed keys.psk files of a PSK client object.
func pskClientFiles(c *Context) []*creds.File {
	if c.Spec().Kind != creds.KindPSK || c.Server() {
		return nil
	}
	var out []*creds.File
	for _, f := range c.M.FilesOf(creds.RolePSK) {
		if f.PSK != nil {
			out = append(out, f)
		}
	}
	return out
}

// pskClientErr is why QEMU's PSK client refuses f, if it does, with
// QEMU's message naming the file as dir= gives it.
func pskClientErr(c *Context, f *creds.File) (*creds.PSKClientError, bool) {
	_, err := f.PSK.ClientKey(c.Spec().Username)
	var ce *creds.PSKClientError
	if !errors.As(err, &ce) {
		return nil, false
	}
	if ce.File == "" {
		ce.File = f.Path
		if ce.Line == 0 {
			ce.QEMU = fmt.Sprintf("Username %s not found in PSK file %s", ce.Username, f.Path)
		}
	}
	return ce, true
}

// checkPSK reports the lines of keys.psk that QEMU or GnuTLS read wrongly
// or not at all. QEMU loads every such file (a server only checks that it
// exists, a client reads one line), so these are warnings: the line a
// client uses is judged by psk-username-not-found and psk-client-key-invalid.
func checkPSK(c *Context, r *Rule) {
	for _, f := range c.M.FilesOf(creds.RolePSK) {
		if f.PSK == nil {
			continue
		}
		used := -1 // the line the client's refusal is about
		if ce, ok := pskClientErr(c, f); ok && !c.Server() {
			used = ce.Line
		}
		for _, p := range f.PSK.Problems {
			if p.Line == used {
				continue
			}
			sev := Warning
			if p.Kind == creds.PSKProblemBlank {
				sev = Info
			}
			c.addSev(r, sev, f.Path, "%s", p.Message)
			if sev == Error && (p.Kind == creds.PSKProblemBadHex || p.Kind == creds.PSKProblemCRLF) {
				// gnutls_psk_set_client_credentials with GNUTLS_PSK_KEY_HEX
				c.quote(qPSKClient, qv{reason: "Error in parsing."})
			}
		}
		if c.Server() && len(f.PSK.Entries) == 0 {
			c.add(r, f.Path, "no usable username:hexkey line: the server loads, and GnuTLS, which reads the file at each handshake, refuses every client's username")
		}
	}
}
