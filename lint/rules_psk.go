package lint

import "github.com/tlscreds/tlscreds/creds"

var (
	_ = register(&Rule{
		ID: "psk-file-problem", Severity: Warning, Subject: SubjectFile,
		Summary:  "keys.psk has a line that QEMU or GnuTLS reads wrongly or not at all (CRLF, bad hex, duplicate user, short key)",
		Citation: "QEMU crypto/tlscredspsk.c; GnuTLS psktool format; QEMU commit \"crypto: check for and report errors setting PSK credentials\" (7.2)",
		QEMU:     "Cannot set PSK client credentials: %s",
		Fix:      "write username:hexkey lines with LF endings (psktool -u USER -p keys.psk), one line per user, keys of 16 bytes or more",
		check:    checkPSK,
	})
)

func checkPSK(c *Context, r *Rule) {
	for _, f := range c.M.FilesOf(creds.RolePSK) {
		if f.PSK == nil {
			continue
		}
		for _, p := range f.PSK.Problems {
			sev := Warning
			switch p.Kind {
			case creds.PSKProblemBadHex, creds.PSKProblemNoColon, creds.PSKProblemEmptyUser:
				sev = Error
			case creds.PSKProblemCRLF:
				if !c.Server() {
					sev = Error // QEMU's client keeps the CR and the hex decode fails
				}
			case creds.PSKProblemBlank:
				sev = Info
			}
			c.addSev(r, sev, f.Path, "%s", p.Message)
			if sev == Error && (p.Kind == creds.PSKProblemBadHex || p.Kind == creds.PSKProblemCRLF) {
				// gnutls_psk_set_client_credentials with GNUTLS_PSK_KEY_HEX
				c.quote(qPSKClient, qv{reason: "Error in parsing."})
			}
		}
	}
}
