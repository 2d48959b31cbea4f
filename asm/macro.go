package asm

import (
	"fmt"
	"strconv"
	"strings"

	"vcpu/cpu"
)

// Macros are text substitution, done one line at a time: a body line has
// each \param replaced by the call's argument text and \@ by a number unique
// to the expansion, then is lexed and parsed like any line. Parameters are
// replaced inside quotes too (so a parameter named n shadows the \n escape
// in that macro's body); outside quotes an unknown \name is an error.

type bodyLine struct {
	line int
	text string
}

type macro struct {
	name     string // as defined; calls match it case-insensitively, like mnemonics
	params   []string
	body     []bodyLine
	file     *srcFile
	li       *lineInfo // the .macro line
	off      int
	valid    bool // the header had no error: define it at .endm
	poisoned bool // it recursed too deeply: further calls expand to nothing
}

// startMacro parses a ".macro NAME p1, p2" header. It returns a macro even
// when the header is bad, so that the body is still skipped up to .endm.
func (a *assembler) startMacro(li *lineInfo, head token, rest []token) *macro {
	m := &macro{file: li.file, li: li, off: head.off, valid: true, name: "?"}
	if len(rest) == 0 || rest[0].kind != tIdent {
		a.errs.add(li, head.end(), ".macro: expected a macro name")
		m.valid = false
		return m
	}
	m.name = rest[0].text
	lname := strings.ToLower(m.name)
	if _, ok := cpu.Lookup(lname); ok {
		a.errs.add(li, rest[0].off, "macro name %q is already an instruction", m.name)
		m.valid = false
	} else if old, ok := a.macros[lname]; ok {
		e := a.errs.add(li, rest[0].off, "macro %q is already defined", m.name)
		e.Notes = append(e.Notes, Note{File: old.li.file.name, Line: old.li.line, Col: old.li.col(old.off),
			Msg: "previous definition here", Text: old.li.echo})
		m.valid = false
	}
	expectName := true
	for _, t := range rest[1:] {
		switch {
		case t.kind == tPunct && t.text == "," && !expectName:
			expectName = true
		case t.kind == tIdent:
			for _, p := range m.params {
				if p == t.text {
					a.errs.add(li, t.off, "macro %q has two parameters named %q", m.name, t.text)
					m.valid = false
				}
			}
			m.params = append(m.params, t.text)
			expectName = false
		default:
			a.errs.add(li, t.off, ".macro: expected a parameter name, got %q", t.text)
			m.valid = false
			return m
		}
	}
	if expectName && len(m.params) > 0 {
		a.errs.add(li, rest[len(rest)-1].off, ".macro: expected a parameter name after ','")
		m.valid = false
	}
	return m
}

func (a *assembler) defineMacro(m *macro) {
	if m.valid {
		a.macros[strings.ToLower(m.name)] = m
	}
}

// macroNames lists defined macros, for suggestions.
func (a *assembler) macroNames() []string {
	var names []string
	for _, m := range a.macros {
		names = append(names, strings.ToLower(m.name))
	}
	return names
}

// expand processes a call of m on line li.
func (a *assembler) expand(li *lineInfo, m *macro, head token, rest []token) {
	if m.poisoned {
		return
	}
	groups, perr := splitOperands(rest, head.end())
	if perr != nil {
		a.errs.add(li, perr.off, "%s", perr.msg)
		return
	}
	if len(groups) != len(m.params) {
		a.errs.add(li, head.off, "macro %q takes %d argument%s (%s), got %d",
			m.name, len(m.params), plural(len(m.params)), strings.Join(m.params, ", "), len(groups))
		return
	}
	if len(a.expStack) >= maxMacroDepth {
		a.errs.add(li, head.off, "macro expansion nested too deeply (limit %d): does macro %q call itself?",
			maxMacroDepth, m.name)
		for _, x := range a.expStack {
			x.poisoned = true // unwind every level at once instead of failing 2^64 times
		}
		return
	}
	args := make(map[string]string, len(groups))
	for i, g := range groups {
		args[m.params[i]] = li.text[g[0].off:g[len(g)-1].end()]
	}
	n := a.nexpand
	a.nexpand++
	org := &origin{file: li.file.name, line: li.line, col: li.col(head.off),
		msg: fmt.Sprintf("in expansion of macro %q", m.name), echo: li.echo, parent: li.origin}
	a.expStack = append(a.expStack, m)
	defer func() { a.expStack = a.expStack[:len(a.expStack)-1] }()
	for _, b := range m.body {
		if a.fatal || m.poisoned {
			return
		}
		bl := &lineInfo{file: m.file, line: b.line, echo: b.text, origin: org}
		var bad *posErr
		bl.text, bl.segs, bad = substitute(b.text, m, args, n)
		if bad != nil {
			bl.text, bl.segs = b.text, nil
			if a.countLine(bl) {
				a.errs.add(bl, bad.off, "%s", bad.msg)
			}
			continue
		}
		a.processLine(bl, false)
	}
}

// substitute replaces \param and \@ in one body line.
func substitute(text string, m *macro, args map[string]string, n int) (string, []colSeg, *posErr) {
	if !strings.Contains(text, `\`) {
		return text, nil, nil
	}
	var b strings.Builder
	var segs []colSeg
	copied := 0 // text[copied:i] is yet to be copied
	flush := func(upto int) {
		if upto > copied {
			segs = append(segs, colSeg{off: b.Len(), col: copied + 1})
			b.WriteString(text[copied:upto])
		}
	}
	insert := func(at, end int, s string) {
		flush(at)
		segs = append(segs, colSeg{off: b.Len(), col: at + 1, fixed: true})
		b.WriteString(s)
		copied = end
	}
	var quote byte
	i := 0
loop:
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\\' && i+1 < len(text) && text[i+1] == '@':
			insert(i, i+2, strconv.Itoa(n))
			i += 2
		case c == '\\' && i+1 < len(text) && isIdentStart(text[i+1]):
			j := i + 1
			for j < len(text) && isIdentChar(text[j]) {
				j++
			}
			if v, ok := args[text[i+1:j]]; ok {
				insert(i, j, v)
				i = j
			} else if quote == 0 {
				msg := fmt.Sprintf("macro %q has no parameter %q", m.name, text[i+1:j])
				if s := suggest(text[i+1:j], m.params); s != "" {
					msg += fmt.Sprintf(` (did you mean \%s?)`, s)
				}
				return "", nil, &posErr{off: i, msg: msg}
			} else {
				i += 2 // an escape such as \n inside quotes
			}
		case c == '\\':
			i += 2 // an escaped quote stays inside its string; a stray \ is the lexer's to report
		case quote != 0:
			if c == quote {
				quote = 0
			}
			i++
		case c == '"' || c == '\'':
			quote = c
			i++
		case c == ';' || c == '#':
			break loop
		default:
			i++
		}
	}
	flush(len(text))
	return b.String(), segs, nil
}
