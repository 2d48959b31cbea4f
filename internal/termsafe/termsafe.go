// Package termsafe makes text that vcpu did not write itself safe to print
// on a terminal: a source line echoed under an assembler error, a program
// or file name a guest chose. A control character in it could otherwise
// move the cursor, clear the screen or retitle the window (ESC sequences),
// or break a one-line message in two. Every such print goes through Escape.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every control character (C0, DEL and C1) and every
// byte that is not UTF-8 written as a Go escape: \x1b, \n, \u009b. Tabs are
// kept, so that a caret under an echoed line still lines up. A string with
// nothing to escape is returned as it is, without allocating.
func Escape(s string) string {
	if !needs(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteByte('\t')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needs(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || r == utf8.RuneError {
			return true
		}
	}
	return false
}
