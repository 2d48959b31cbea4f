// Package termsafe shows text a guest chose (its output in a trace, a
// program's name, a path it passed) on the host's terminal without letting
// it drive the terminal: control characters come out escaped, so an ESC
// sequence cannot retitle the window or clear the screen.
package termsafe

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// String returns s with every control character (C0, DEL, C1) and every
// byte that is not UTF-8 escaped as \n, \t, \r or \xHH; printable text,
// non-ASCII letters included, is kept as it is.
func String(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return isControl(r) || r == utf8.RuneError }) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x` + hex2(s[i]))
		case isControl(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }

func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	case '\r':
		return `\r`
	}
	if r < 0x100 {
		return `\x` + hex2(byte(r))
	}
	return `\u` + strconv.FormatInt(int64(r), 16)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// Quote shows bytes a guest wrote or read as a double-quoted string, the
// way strace does: printable ASCII as itself, \n \t \r \" \\ and \xHH for
// the rest, at most max bytes of them followed by ... when there are more.
func Quote(p []byte, max int) string {
	more := len(p) > max
	if more {
		p = p[:max]
	}
	var b strings.Builder
	b.Grow(len(p) + 2)
	b.WriteByte('"')
	for _, c := range p {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			b.WriteString(escape(rune(c)))
		}
	}
	b.WriteByte('"')
	if more {
		b.WriteString("...")
	}
	return b.String()
}
