package asm

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"vcpu/internal/termsafe"
)

// Error is one assembly error: where it is, what is wrong, and the source
// line it is on, so that a message can show the line with a caret under the
// offending token. Notes say how the line was reached: the .include
// directives and macro expansions that led to it, innermost first, and for a
// duplicate label where the first definition is.
type Error struct {
	File  string // file name as it was named (given to Assemble, or joined for an include)
	Line  int    // 1-based
	Col   int    // 1-based byte column of the offending token
	Msg   string
	Text  string // the source line, as written
	Notes []Note

	more int // on the last entry of a list cut at maxErrors: how many were dropped
}

// Note is a secondary place attached to an Error.
type Note struct {
	File string
	Line int
	Col  int
	Msg  string // e.g. "included from here", `in expansion of macro "swap"`
	Text string
}

// Error formats the error as
//
//	FILE:LINE:COL: message
//	<the source line>
//	<spaces or tabs>^
//
// followed by each note in the same three-line form.
func (e *Error) Error() string {
	var b strings.Builder
	writeDiag(&b, e.File, e.Line, e.Col, e.Msg, e.Text)
	for _, n := range e.Notes {
		b.WriteByte('\n')
		if n.File == "" { // a summary of elided notes
			b.WriteString("note: " + n.Msg)
			continue
		}
		writeDiag(&b, n.File, n.Line, n.Col, "note: "+n.Msg, n.Text)
	}
	return b.String()
}

func writeDiag(b *strings.Builder, file string, line, col int, msg, text string) {
	echo, caret := echoLine(text, col)
	fmt.Fprintf(b, "%s:%d:%d: %s\n%s\n%s^", termsafe.String(file), line, col, termsafe.String(msg), echo, caret)
}

// maxEcho bounds how much of a source line an error shows: a line of
// megabytes is shown as the stretch around the column, between "...".
const maxEcho = 160

// echoLine is the source line as an error shows it, and the indentation
// that puts a caret under byte column col (1-based) of it. A control
// character is shown escaped, as termsafe.String writes it (so that an ESC
// in a source line cannot retitle or clear the terminal), and the caret
// moves past the whole escape; tabs are kept as tabs so the caret lines up
// however the terminal expands them; a multi-byte character counts as one
// column. A long line is cut to maxEcho bytes around the column.
func echoLine(text string, col int) (echo, caret string) {
	at := min(max(col-1, 0), len(text))
	from, to, pre, post := 0, len(text), "", ""
	if len(text) > maxEcho {
		from = max(0, min(at-maxEcho/2, len(text)-maxEcho))
		for from > 0 && from < len(text) && !utf8.RuneStart(text[from]) {
			from--
		}
		to = min(len(text), from+maxEcho)
		for to < len(text) && !utf8.RuneStart(text[to]) {
			to++
		}
		if from > 0 {
			pre = "..."
		}
		if to < len(text) {
			post = "..."
		}
	}
	var e, c strings.Builder
	e.WriteString(pre)
	c.WriteString(strings.Repeat(" ", len(pre)))
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(text[i:])
		shown := "\t" // tabs are kept: harmless, and the caret line keeps them too
		if r != '\t' {
			shown = termsafe.String(text[i : i+size])
		}
		e.WriteString(shown)
		if i < at {
			if r == '\t' {
				c.WriteByte('\t')
			} else {
				c.WriteString(strings.Repeat(" ", utf8.RuneCountInString(shown)))
			}
		}
		i += size
	}
	e.WriteString(post)
	return e.String(), c.String()
}

// ErrorList is every error found in a program, sorted by file (in the order
// the files were first read, the main file first), line and column.
type ErrorList []*Error

// Error joins the errors, one per paragraph, without a trailing newline.
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// maxErrors bounds how many errors are kept: a pathological input (a macro
// expanded a million times with an error inside) must not exhaust memory.
const maxErrors = 1000

// maxNotes bounds the include/expansion notes shown for one error.
const maxNotes = 8

// errorSink collects errors during assembly. Positions are resolved to
// file/line/col text when an error is added, so the sink never needs to keep
// the lines alive.
type errorSink struct {
	list    []*Error
	order   []int // file order key of each error, parallel to list
	dropped int
}

// add records an error at byte offset off of line li.
func (s *errorSink) add(li *lineInfo, off int, format string, args ...any) *Error {
	e := &Error{Msg: fmt.Sprintf(format, args...)}
	if li != nil {
		e.File, e.Line, e.Col, e.Text = li.file.name, li.line, li.col(off), li.echo
		for o := li.origin; o != nil; o = o.parent {
			e.Notes = append(e.Notes, Note{File: o.file, Line: o.line, Col: o.col, Msg: o.msg, Text: o.echo})
		}
		if n := len(e.Notes); n > maxNotes {
			// A runaway recursion would repeat one note 64 times: keep the
			// innermost and outermost steps.
			kept := append(e.Notes[:maxNotes/2:maxNotes/2], Note{Msg: fmt.Sprintf("... %d more levels of .include or macro expansion ...", n-maxNotes)})
			e.Notes = append(kept, e.Notes[n-maxNotes/2:]...)
		}
	}
	if len(s.list) >= maxErrors {
		s.dropped++
		return e // returned so that callers may attach notes; not kept
	}
	key := 0
	if li != nil {
		key = li.file.index
	}
	s.list = append(s.list, e)
	s.order = append(s.order, key)
	return e
}

// result sorts the errors and returns them as an error, or nil if there are none.
func (s *errorSink) result() error {
	if len(s.list) == 0 {
		return nil
	}
	idx := make([]int, len(s.list))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ea, eb := s.list[idx[a]], s.list[idx[b]]
		if s.order[idx[a]] != s.order[idx[b]] {
			return s.order[idx[a]] < s.order[idx[b]]
		}
		if ea.Line != eb.Line {
			return ea.Line < eb.Line
		}
		return ea.Col < eb.Col
	})
	out := make(ErrorList, 0, len(idx)+1)
	for _, i := range idx {
		out = append(out, s.list[i])
	}
	if s.dropped > 0 {
		last := out[len(out)-1]
		out = append(out, &Error{File: last.File, Line: last.Line, Col: last.Col, Text: last.Text,
			Msg: fmt.Sprintf("too many errors: %d more not shown", s.dropped), more: s.dropped})
	}
	return out
}

// "Did you mean" suggestions. A misspelt name is compared with the names
// that would have been valid in its place by optimal string alignment
// distance (Levenshtein plus swapping two neighbours, so "mvo" finds "mov").

// maxSuggestLen skips suggestions for very long names: they cost
// quadratic time and are never typos of short ones anyway.
const maxSuggestLen = 64

// suggest returns the candidate closest to name, or "" if none is close:
// at most two edits away and fewer edits than name has characters. Ties go
// to the alphabetically first candidate, so the result never depends on the
// order of a map.
func suggest(name string, candidates []string) string {
	if len(name) > maxSuggestLen {
		return ""
	}
	best, bestD := "", 0
	for _, c := range candidates {
		if c == name || abs(len(c)-len(name)) > 2 {
			continue
		}
		d := editDistance(name, c)
		if strings.EqualFold(name, c) {
			d = 1 // only the case differs: the likeliest slip of all
		}
		if d > 2 || d >= len(name) && !strings.EqualFold(name, c) {
			continue
		}
		if best == "" || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal string alignment distance between a and b,
// counting bytes.
func editDistance(a, b string) int {
	// Three rows: the one two back is needed for transpositions.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Summary says in one line that the program does not assemble, how many
// errors there are and where the first one is, without any message or
// source text: what the kernel prints when a spawned program fails, which
// must show nothing of a file the guest may not read.
func (l ErrorList) Summary() string {
	if len(l) == 0 {
		return "does not assemble"
	}
	n := len(l)
	if more := l[n-1].more; more > 0 {
		n += more - 1 // the last entry only counts the others
	}
	return fmt.Sprintf("does not assemble: %d error%s, the first at %s:%d:%d", n, plural(n), termsafe.String(l[0].File), l[0].Line, l[0].Col)
}
