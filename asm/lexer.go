package asm

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"vcpu/image"
)

// The lexer turns one source line into tokens. Lines are independent: a
// statement never spans lines, so the lexer needs no state between them, and
// a macro expansion can be lexed like any other line.

type tokKind uint8

const (
	tIdent     tokKind = iota // main, r1, SYS_WRITE
	tDirective                // .word (text keeps the dot)
	tNumber                   // 42, 0x2a, 0b101010
	tChar                     // 'a': val holds the character
	tString                   // "hi\n": str holds the decoded bytes
	tPunct                    // , : [ ] ( ) + - * / % << >> & ^ | ~ and . (the location counter)
)

type token struct {
	kind tokKind
	text string // the token as written
	off  int    // byte offset in the line
	val  int64  // tNumber, tChar
	str  []byte // tString
}

func (t token) end() int { return t.off + len(t.text) }

// lexError is a problem at a byte offset of the line.
type lexError struct {
	off int
	msg string
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// commentStart returns the offset where a ';' or '#' comment begins, or
// len(text). Quotes are tracked so that "a;b" and '#' are not comments.
func commentStart(text string) int {
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ';' || c == '#':
			return i
		}
	}
	return len(text)
}

// maxLineTokens bounds the tokens of one line. A statement has at most a
// handful of operands; this many leaves room for long generated data
// tables, and stops a line of ten million "(" before its tokens fill the
// host's memory.
const maxLineTokens = 1 << 16

// maxLexErrors bounds the errors one line reports: a long line of bad
// bytes is one problem, not millions.
const maxLexErrors = 16

// lexLine splits text into tokens, stopping at a comment, and appends them
// to toks (a buffer the caller reuses from line to line). It keeps going
// after an error, so one line can report several problems, and it returns
// the tokens it could make so that labels on a bad line still get defined.
// A line with more than maxLineTokens tokens is an error and is cut there.
func lexLine(text string, toks []token) ([]token, []lexError) {
	toks = toks[:0]
	var errs []lexError
	errf := func(off int, format string, args ...any) {
		if len(errs) < maxLexErrors {
			errs = append(errs, lexError{off, fmt.Sprintf(format, args...)})
		}
	}
	i := 0
	for i < len(text) {
		if len(toks) == maxLineTokens {
			errf(i, "line too long: more than %d tokens", maxLineTokens)
			return toks, errs
		}
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i++
		case c == ';' || c == '#':
			return toks, errs
		case isIdentStart(c) || c == '.':
			j := i + 1
			for j < len(text) && isIdentChar(text[j]) {
				j++
			}
			kind := tIdent
			if c == '.' {
				kind = tDirective
				if j == i+1 { // a lone '.': the location counter
					toks = append(toks, token{kind: tPunct, text: ".", off: i})
					i = j
					continue
				}
			}
			if j-i > image.MaxNameLen {
				errf(i, "name longer than %d characters", image.MaxNameLen)
			}
			toks = append(toks, token{kind: kind, text: text[i:j], off: i})
			i = j
		case '0' <= c && c <= '9':
			j := i
			for j < len(text) && isIdentChar(text[j]) {
				j++
			}
			v, msg := parseNumber(text[i:j])
			if msg != "" {
				errf(i, "%s", msg)
			}
			toks = append(toks, token{kind: tNumber, text: text[i:j], off: i, val: v})
			i = j
		case c == '"':
			j, s := lexString(text, i, errf)
			toks = append(toks, token{kind: tString, text: text[i:j], off: i, str: s})
			i = j
		case c == '\'':
			j, v := lexChar(text, i, errf)
			toks = append(toks, token{kind: tChar, text: text[i:j], off: i, val: v})
			i = j
		case (c == '<' || c == '>') && i+1 < len(text) && text[i+1] == c:
			toks = append(toks, token{kind: tPunct, text: text[i : i+2], off: i})
			i += 2
		case strings.IndexByte(",:[]()+-*/%&^|~", c) >= 0:
			toks = append(toks, token{kind: tPunct, text: text[i : i+1], off: i})
			i++
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size <= 1 {
				errf(i, "unexpected byte %#02x", c)
				size = 1
			} else {
				errf(i, "unexpected character %q", r)
			}
			i += size
		}
	}
	return toks, errs
}

// parseNumber reads a decimal, 0x hex or 0b binary literal. Leading zeros
// are decimal (there is no octal), as a beginner would expect.
func parseNumber(s string) (int64, string) {
	digits, base := s, 10
	if len(s) > 1 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			digits, base = s[2:], 16
		case 'b', 'B':
			digits, base = s[2:], 2
		}
	}
	if digits == "" {
		return 0, fmt.Sprintf("malformed number %q", s)
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Sprintf("number %s is too large", s)
		}
		return 0, fmt.Sprintf("malformed number %q", s)
	}
	if u > 1<<63-1 {
		return 0, fmt.Sprintf("number %s is too large", s)
	}
	return int64(u), ""
}

// lexEscape decodes the escape sequence at text[i] (the character after the
// backslash at i-1) and returns the byte and the offset after it.
func lexEscape(text string, i int, errf func(int, string, ...any)) (byte, int) {
	if i >= len(text) {
		errf(i-1, "unfinished escape sequence")
		return 0, i
	}
	switch c := text[i]; c {
	case 'n':
		return '\n', i + 1
	case 't':
		return '\t', i + 1
	case 'r':
		return '\r', i + 1
	case '0':
		return 0, i + 1
	case '\\', '"', '\'':
		return c, i + 1
	case 'x':
		if i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]) {
			v, _ := strconv.ParseUint(text[i+1:i+3], 16, 8)
			return byte(v), i + 3
		}
		errf(i-1, `bad escape: \x must be followed by two hex digits`)
		return 0, i + 1
	default:
		r, size := utf8.DecodeRuneInString(text[i:])
		errf(i-1, `unknown escape sequence \%c (known: \n \t \r \0 \\ \" \' \xHH)`, r)
		return 0, i + size
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// lexString reads a double-quoted string starting at text[start].
func lexString(text string, start int, errf func(int, string, ...any)) (int, []byte) {
	var s []byte
	i := start + 1
	for i < len(text) {
		c := text[i]
		switch c {
		case '"':
			return i + 1, s
		case '\\':
			var b byte
			b, i = lexEscape(text, i+1, errf)
			s = append(s, b)
		default:
			s = append(s, c)
			i++
		}
	}
	errf(start, "unterminated string")
	return len(text), s
}

// lexChar reads a character literal starting at text[start]: one byte, an
// escape, or one UTF-8 character (its code point is the value).
func lexChar(text string, start int, errf func(int, string, ...any)) (int, int64) {
	i := start + 1
	if i >= len(text) {
		errf(start, "unterminated character literal")
		return i, 0
	}
	var v int64
	switch c := text[i]; c {
	case '\'':
		errf(start, "empty character literal")
		return i + 1, 0
	case '\\':
		var b byte
		b, i = lexEscape(text, i+1, errf)
		v = int64(b)
	default:
		r, size := utf8.DecodeRuneInString(text[i:])
		v = int64(r)
		if r == utf8.RuneError && size == 1 {
			v = int64(c)
		}
		i += size
	}
	if i < len(text) && text[i] == '\'' {
		return i + 1, v
	}
	// Find a closing quote on the line to tell "too long" from "unterminated".
	if j := strings.IndexByte(text[i:], '\''); j >= 0 && j <= 8 && !strings.ContainsAny(text[i:i+j], ";#, \t") {
		errf(start, "character literal must hold exactly one character")
		return i + j + 1, v
	}
	errf(start, "unterminated character literal")
	return i, v
}
