// Package keyval writes QEMU's keyval syntax (qemu:util/keyval.c), the
// text of `-object TYPE,KEY=VALUE,...`: elements separated by commas, a
// literal comma inside a value doubled. It is the one place that escaping
// is done; [github.com/tlscreds/tlscreds/creds.NewSpec] builds a
// validated object spec over it, and packages that cannot import creds
// (fixtures, real-peer helpers) write their -object text with [Object].
package keyval

import "strings"

// Escape doubles every comma of v, so that v reads back as one value.
func Escape(v string) string { return strings.ReplaceAll(v, ",", ",,") }

// Object renders an object of type typ with props given as name, value
// pairs in order, the values escaped. A trailing name without a value is
// ignored.
func Object(typ string, props ...string) string {
	var b strings.Builder
	b.WriteString(typ)
	for i := 0; i+1 < len(props); i += 2 {
		b.WriteByte(',')
		b.WriteString(props[i])
		b.WriteByte('=')
		b.WriteString(Escape(props[i+1]))
	}
	return b.String()
}
