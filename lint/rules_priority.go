package lint

import (
	"errors"
	"fmt"
	"sync"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/gnutlsprio"
)

// Rules whose problem shows when a TLS session starts, not when QEMU loads
// the object (class session-fails): `qemu-img info ... driver=null-co`
// loads them, every NBD, migration or VNC session with them fails.

var _ = register(&Rule{
	ID: "priority-invalid", Severity: Error, Class: ClassSessionFails, Subject: SubjectObject,
	Summary: "priority= is a GnuTLS priority string GnuTLS 3.7.9 refuses (a syntax error, or nothing usable left: no protocol version, cipher suite or signature algorithm): QEMU loads the object, then every TLS session with it fails",
	Citation: "QEMU crypto/tlssession.c qcrypto_tls_session_new (gnutls_priority_set_direct; tls-creds-anon appends :+ANON-DH, tls-creds-psk :+ECDHE-PSK:+DHE-PSK:+PSK); " +
		"GnuTLS 3.7.9 lib/priority.c; measured with NBD sessions (x509, psk, anon), qemu-nbd 7.2.22 serving and qemu-img 7.2.22, 10.0.0, 10.1.0 and 10.2.0 as clients (10.2.0 crashes with an anon client object)",
	QEMU: "Unable to set TLS session priority %s: %s",
	Fix:  "start from a keyword and adjust it (priority=NORMAL, NORMAL:-VERS-TLS1.2, SECURE128:%SERVER_PRECEDENCE); check a string with gnutls-cli --list --priority=STRING, and leave priority= out for QEMU's default (NORMAL)",
	check: func(c *Context, r *Rule) {
		sp := c.Spec()
		if c.libvirt() || !sp.IsSet("priority") {
			return
		}
		prio := qemuPriority(sp)
		var e *gnutlsprio.Error
		if !errors.As(gnutlsprio.Check(prio), &e) {
			return
		}
		why := "GnuTLS 3.7.9 refuses it"
		switch {
		case e.Code == gnutlsprio.ErrInvalidRequest && e.Pos > 0:
			why = fmt.Sprintf("GnuTLS 3.7.9 cannot parse it from %q on", prio[e.Pos:])
		case e.Code == gnutlsprio.ErrNoPriorities:
			why = "it leaves GnuTLS 3.7.9 no usable protocol version, cipher suite or signature algorithm"
		}
		shown := fmt.Sprintf("priority=%q", sp.Priority)
		if prio != sp.Priority {
			shown += fmt.Sprintf(" (QEMU hands GnuTLS %q)", prio)
		}
		c.add(r, "", "%s: %s (%s); QEMU loads the object, then every TLS session with it fails", shown, why, e.Strerror())
		m := qPriority
		if sp.Kind == creds.KindX509 {
			m = qPriorityX509
		}
		c.quote(m, qv{priority: prio, reason: e.Strerror()})
	},
})

// prioritySuffix is what QEMU appends to priority= for each credential
// type (TLS_PRIORITY_ADDITIONAL_ANON, TLS_PRIORITY_ADDITIONAL_PSK; from 10.2
// the class's prioritySuffix), the same in every proven build.
var prioritySuffix = sync.OnceValue(func() map[creds.Kind]string {
	return map[creds.Kind]string{
		creds.KindAnon: "+ANON-DH",
		creds.KindPSK:  "+ECDHE-PSK:+DHE-PSK:+PSK",
	}
})

// qemuPriority is the string QEMU gives gnutls_priority_set_direct: the
// priority= property (QEMU's default "NORMAL" when unset), then ":" and the
// type's suffix.
func qemuPriority(sp *creds.Spec) string {
	p := "NORMAL"
	if sp.IsSet("priority") {
		p = sp.Priority
	}
	if s := prioritySuffix()[sp.Kind]; s != "" {
		p += ":" + s
	}
	return p
}
