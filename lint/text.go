package lint

import (
	"strconv"
	"strings"
	"unicode"
)

// Printable makes text that came from certificates, file names or the
// network safe to print: characters that are not printable (a newline in
// a DN, an escape sequence in a common name) are shown as Go escapes and
// never reach the terminal. Every renderer of findings uses it.
func Printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) || r == ' ' {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
