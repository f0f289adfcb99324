package main

import (
	"strings"
	"unicode/utf8"

	"github.com/tlscreds/tlscreds/lint"
)

// terminalSafe is the net under everything the command prints: whatever a
// renderer forgot to pass through lint.Printable, no control character but
// newline and tab reaches the terminal (tlscreds prints no colour: an
// escape sequence in output is always someone else's), no byte that is not UTF-8, and no PEM
// private-key block. It escapes as lint.Printable does. Untrusted strings
// are still escaped where they are rendered: only there can a newline in
// a file name be told from the newline that ends a line.
type terminalSafe struct {
	carry []byte // an incomplete UTF-8 sequence at the end of the last write
}

// filter returns p made safe, keeping back an incomplete UTF-8 sequence at
// its end for the next write.
func (t *terminalSafe) filter(p []byte) []byte {
	if len(t.carry) > 0 {
		p = append(t.carry, p...)
		t.carry = nil
	}
	if n := incompleteTail(p); n > 0 {
		t.carry = append([]byte(nil), p[len(p)-n:]...)
		p = p[:len(p)-n]
	}
	s := string(p)
	if hasKeyBlock(s) {
		s = lint.Redact(s)
	}
	out := make([]byte, 0, len(s))
	return lint.AppendEscaped(out, s, true)
}

func hasKeyBlock(s string) bool {
	return strings.Contains(s, "PRIVATE KEY-----")
}

// incompleteTail is the length of a UTF-8 sequence cut short at the end
// of p (0 when p ends on a rune boundary or with bytes that cannot start
// a longer sequence).
func incompleteTail(p []byte) int {
	for n := 1; n <= 3 && n <= len(p); n++ {
		b := p[len(p)-n]
		if b < 0x80 {
			return 0
		}
		if utf8.RuneStart(b) {
			want := 0
			switch {
			case b&0xe0 == 0xc0:
				want = 2
			case b&0xf0 == 0xe0:
				want = 3
			case b&0xf8 == 0xf0:
				want = 4
			}
			if want > n && !utf8.FullRune(p[len(p)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}
