package asm

import (
	"fmt"
	"strings"
)

// Directives: their names and the arguments each takes. Their effect on the
// layout is in layout.go, their bytes in encode.go; .include and macros are
// handled while reading the source (source.go, macro.go).

// directiveNames is every directive, for suggestions.
var directiveNames = []string{".align", ".ascii", ".asciz", ".bss", ".byte", ".data", ".endm", ".equ",
	".global", ".globl", ".include", ".macro", ".space", ".text", ".word", ".zero"}

// parseDirective checks a directive's arguments and stores them in st.args.
func (a *assembler) parseDirective(st *stmt, head token, toks []token) *posErr {
	line := st.li.text
	eol := len(strings.TrimRight(line[:commentStart(line)], " \t\r"))
	if eol < head.end() {
		eol = head.end()
	}
	groups, err := splitOperands(toks, eol)
	if err != nil {
		return err
	}
	count := func(min, max int, what string) *posErr {
		if len(groups) >= min && (max < 0 || len(groups) <= max) {
			return nil
		}
		at := eol
		if max >= 0 && len(groups) > max {
			at = groups[max][0].off
		}
		return errAt(at, "%s: expected %s", st.name, what)
	}
	switch st.name {
	case ".text", ".data", ".bss":
		return count(0, 0, "no arguments")
	case ".word", ".byte":
		if err := count(1, -1, "one or more values"); err != nil {
			return err
		}
		return a.parseArgs(st, groups, oExpr, "a number or an expression")
	case ".space", ".zero", ".align":
		if err := count(1, 1, "one size"); err != nil {
			return err
		}
		return a.parseArgs(st, groups, oExpr, "a number or an expression")
	case ".ascii", ".asciz":
		if err := count(1, -1, `a string in double quotes`); err != nil {
			return err
		}
		return a.parseArgs(st, groups, oString, "a string in double quotes")
	case ".equ":
		if err := count(2, 2, "a name and a value: .equ NAME, expr"); err != nil {
			return err
		}
		if g := groups[0]; len(g) != 1 || g[0].kind != tIdent {
			return errAt(g[0].off, ".equ: expected a name, got %q", line[g[0].off:g[len(g)-1].end()])
		}
		name := groups[0][0]
		st.args = append(st.args, operand{kind: oExpr, off: name.off, text: name.text})
		o, err := parseOperand(line, groups[1])
		if err == nil && o.kind != oExpr {
			err = errAt(o.off, ".equ: expected a value, got %q", o.text)
		}
		st.args = append(st.args, o)
		return err
	case ".global", ".globl":
		// Accepted for familiarity: every symbol is visible already.
		for _, g := range groups {
			if len(g) != 1 || g[0].kind != tIdent {
				return errAt(g[0].off, "%s: expected a symbol name", st.name)
			}
		}
		return count(1, -1, "a symbol name")
	}
	msg := fmt.Sprintf("unknown directive %q", head.text)
	if s := suggest(st.name, directiveNames); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return errAt(head.off, "%s", msg)
}

// parseArgs parses every argument group, requiring kind.
func (a *assembler) parseArgs(st *stmt, groups [][]token, kind opKind, what string) *posErr {
	for _, g := range groups {
		o, err := parseOperand(st.li.text, g)
		if err != nil {
			return err
		}
		if o.kind != kind {
			return errAt(o.off, "%s: expected %s, got %q", st.name, what, o.text)
		}
		st.args = append(st.args, o)
	}
	return nil
}

// dataSize is the size of a data directive's bytes. It is the one size
// function for data: layout reserves it and encode checks it emitted that many.
func dataSize(st *stmt) int {
	n := 0
	switch st.name {
	case ".byte":
		n = len(st.args)
	case ".word":
		n = 4 * len(st.args)
	case ".ascii", ".asciz":
		for _, o := range st.args {
			n += len(o.str)
			if st.name == ".asciz" {
				n++
			}
		}
	}
	return n
}
