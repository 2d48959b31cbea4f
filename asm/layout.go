package asm

import (
	"fmt"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
)

// Pass 1: layout. Walk the statements once, giving each its section and
// offset and each label its place. Sizes depend only on operand kinds
// (register or immediate), never on values, so labels can be used before
// they are defined. Only .space/.zero/.align need values now, and those may
// use numbers and constants defined earlier, not labels.
//
// A label marks the next thing emitted after it, after any padding: an
// instruction in .text is padded to a multiple of 4 (instructions must be
// word aligned), so "msg: .byte 1 / f: nop" puts f on the nop, not on the
// padding. A label at the end of a section marks its end.

// maxAlign is the largest .align: sections are page aligned, so more could
// not be honoured.
const maxAlign = abi.PageSize

type symState uint8

const (
	unresolved symState = iota
	resolving
	resolved
	failed
)

// symbol is a label or a .equ constant defined by the program.
type symbol struct {
	name  string
	sec   image.Section // image.SecAbs for .equ
	off   uint32        // labels: offset in the section
	value int64         // address of a label, value of a constant once resolved
	li    *lineInfo
	col   int   // offset of the name in its line
	equ   *expr // a .equ's expression
	state symState
	// dotSec and dotOff are where a .equ stands in its section: the value
	// of '.' in its expression, once the sections have their bases.
	dotSec image.Section
	dotOff uint32
}

func (s *symbol) note() Note {
	return Note{File: s.li.file.name, Line: s.li.line, Col: s.li.col(s.col), Msg: "previous definition here", Text: s.li.echo}
}

// checkName reports a name that cannot be a label or constant.
func (a *assembler) checkName(li *lineInfo, name string, off int) bool {
	switch _, isReg := regNum(name); {
	case isReg:
		a.errs.add(li, off, "%s is a register name and cannot be a label or constant", name)
	case looksLikeReg(name):
		a.errs.add(li, off, "%s looks like a register and cannot be a label or constant", name)
	default:
		if _, ok := a.predef[name]; ok {
			a.errs.add(li, off, "%s is a predefined constant and cannot be redefined", name)
			return false
		}
		return true
	}
	return false
}

// define enters a label (equ == nil) or constant in the symbol table.
func (a *assembler) define(li *lineInfo, name string, off int, equ *expr) *symbol {
	if !a.checkName(li, name, off) {
		return nil
	}
	if old := a.symbols[name]; old != nil {
		what := "label"
		if equ != nil {
			what = "constant"
		}
		e := a.errs.add(li, off, "duplicate %s %q", what, name)
		e.Notes = append(e.Notes, old.note())
		return nil
	}
	s := &symbol{name: name, li: li, col: off, equ: equ, sec: image.SecAbs}
	a.symbols[name] = s
	a.symList = append(a.symList, s)
	return s
}

func (a *assembler) layout() {
	sec := image.SecText
	var pending []*symbol
	var tooBig [3]bool
	place := func(at uint32) {
		for _, s := range pending {
			s.sec, s.off = sec, at
		}
		pending = nil
	}
	grow := func(st *stmt, n int64) bool {
		if int64(a.size[sec])+n > image.MaxSegment {
			if !tooBig[sec] {
				a.errs.add(st.li, st.off, "section %s grows beyond %d MiB", sec, image.MaxSegment>>20)
			}
			tooBig[sec] = true
			st.bad = true
			return false
		}
		return true
	}
	for _, st := range a.stmts {
		for _, l := range st.labels {
			if s := a.define(st.li, l.name, l.off, nil); s != nil {
				pending = append(pending, s)
			}
		}
		if st.bad || st.kind == sNone {
			continue
		}
		st.sec = sec
		switch {
		case st.kind == sInst:
			if sec != image.SecText {
				a.errs.add(st.li, st.off, "instruction %s in %s: instructions belong in .text", st.name, sec)
				st.bad = true
				continue
			}
			pad := int64(-a.size[sec] & 3)
			if !grow(st, pad) {
				continue
			}
			a.size[sec] += uint32(pad)
			st.size = cpu.Size(st.op, st.mode)
		case st.name == ".text" || st.name == ".data" || st.name == ".bss":
			place(a.size[sec])
			sec = map[string]image.Section{".text": image.SecText, ".data": image.SecData, ".bss": image.SecBSS}[st.name]
			continue
		case st.name == ".equ":
			a.defineEqu(st)
			continue
		case st.name == ".global" || st.name == ".globl":
			continue
		case st.name == ".align":
			n, ok := a.constArg(st)
			if ok && (n < 1 || n > maxAlign || n&(n-1) != 0) {
				a.errs.add(st.li, st.args[0].pos(), ".align: %s is not a power of two between 1 and %d", fmtVal(n), maxAlign)
				ok = false
			}
			if !ok {
				st.bad = true
				continue
			}
			pad := (n - int64(a.size[sec])%n) % n
			if grow(st, pad) {
				a.size[sec] += uint32(pad) // labels still pending: they mark what follows the padding
			}
			continue
		case st.name == ".space" || st.name == ".zero":
			n, ok := a.constArg(st)
			if ok && (n < 0 || n > image.MaxSegment) {
				a.errs.add(st.li, st.args[0].pos(), "%s: size %s out of range 0..%d", st.name, fmtVal(n), image.MaxSegment)
				ok = false
			}
			if !ok {
				st.bad = true
				continue
			}
			st.size = int(n)
		default: // .byte .word .ascii .asciz
			if sec == image.SecBSS {
				a.errs.add(st.li, st.off, "%s in .bss: only labels, .space/.zero and .align are allowed there (.bss holds no data)", st.name)
				st.bad = true
				continue
			}
			st.size = dataSize(st)
		}
		if !grow(st, int64(st.size)) {
			continue
		}
		place(a.size[sec])
		st.at = a.size[sec]
		a.size[sec] += uint32(st.size)
	}
	place(a.size[sec])

	a.base[image.SecText] = abi.TextBase
	a.base[image.SecData] = a.base[image.SecText] + abi.PageAlign(a.size[image.SecText])
	a.base[image.SecBSS] = a.base[image.SecData] + abi.PageAlign(a.size[image.SecData])
	for _, s := range a.symList {
		if s.equ == nil {
			s.value = int64(a.base[s.sec]) + int64(s.off)
			s.state = resolved
		}
	}
	for _, s := range a.symList {
		if s.equ != nil && s.state == unresolved {
			a.resolveEqu(s, 0)
		}
	}
	a.checkMain()
}

// checkMain checks the entry point: main, if defined, is an aligned .text label.
func (a *assembler) checkMain() {
	s := a.symbols["main"]
	if s == nil {
		a.checkStartNotLibrary()
		return
	}
	if s.state != resolved {
		return
	}
	switch {
	case s.equ != nil || s.sec != image.SecText:
		a.errs.add(s.li, s.col, "main is the entry point and must be a label in .text")
	case s.off%4 != 0:
		a.errs.add(s.li, s.col, "main is the entry point and must label an instruction (it is at unaligned offset %d)", s.off)
	}
}

// checkStartNotLibrary: without main a program starts at the start of
// .text, and when a library file was included first that is a library
// routine, run with no arguments: a mistake to point out here, not a
// fault to puzzle over at run time.
func (a *assembler) checkStartNotLibrary() {
	for _, st := range a.stmts {
		if st.kind != sInst || st.sec != image.SecText || st.bad {
			continue
		}
		if st.li.file.lib {
			a.errs.add(st.li, st.off, "the program has no main, so it would start here, in the library; label the first instruction of your program main")
		}
		return
	}
}

// defineEqu enters a .equ constant. It is evaluated now if it can be
// (so that .space can use it), else after layout, when labels have addresses.
func (a *assembler) defineEqu(st *stmt) {
	s := a.define(st.li, st.args[0].text(st.li.text), st.args[0].pos(), st.args[1].e)
	if s == nil {
		return
	}
	s.dotSec, s.dotOff = st.sec, a.size[st.sec]
	if v, err := s.equ.eval(a.lookupPass1); err == nil {
		s.value, s.state = v, resolved
	}
}

// constArg evaluates a size argument in pass 1.
func (a *assembler) constArg(st *stmt) (int64, bool) {
	v, err := st.args[0].e.eval(a.lookupPass1)
	if err != nil {
		a.errs.add(st.li, err.off, "%s: %s", st.name, err.msg)
		return 0, false
	}
	return v, true
}

// lookupPass1 resolves names in pass 1: predefined names and constants
// already known, not labels.
func (a *assembler) lookupPass1(name string, off int) (int64, *posErr) {
	if v, ok := a.predef[name]; ok {
		return v, nil
	}
	if name == dot {
		return 0, errAt(off, "'.' (the location counter) is an address, but a size must be a constant (addresses are known later)")
	}
	s := a.symbols[name]
	switch {
	case s == nil:
		return 0, errAt(off, "%q is not defined before this line (a size must be known where it is used)", name)
	case s.equ == nil:
		return 0, errAt(off, "%q is a label, but a size must be a constant (labels get their addresses later)", name)
	case s.state != resolved:
		return 0, errAt(off, "%q is not known yet here: it depends on a label or on a later definition", name)
	}
	return s.value, nil
}

// maxEquDepth bounds chains of constants defined in terms of later ones.
const maxEquDepth = 1000

// resolveEqu evaluates a deferred constant, reporting errors at its line.
func (a *assembler) resolveEqu(s *symbol, depth int) {
	if depth > maxEquDepth {
		a.errs.add(s.li, s.col, "constant %q is defined through a chain of more than %d constants", s.name, maxEquDepth)
		s.state = failed
		return
	}
	s.state = resolving
	v, err := s.equ.eval(func(name string, off int) (int64, *posErr) {
		if name == dot {
			return int64(a.base[s.dotSec]) + int64(s.dotOff), nil
		}
		return a.lookup(name, off, depth+1)
	})
	if err != nil {
		if err.msg != "" {
			a.errs.add(s.li, err.off, "%s", err.msg)
		}
		s.state = failed
		return
	}
	s.value, s.state = v, resolved
}

// lookup resolves a name once every label has its address. An error with
// an empty message means one already reported elsewhere.
func (a *assembler) lookup(name string, off int, depth int) (int64, *posErr) {
	if v, ok := a.predef[name]; ok {
		return v, nil
	}
	s := a.symbols[name]
	if s == nil {
		msg := fmt.Sprintf("undefined symbol %q", name)
		if sg := a.suggestSymbol(name); sg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sg)
		}
		return 0, &posErr{off: off, msg: msg}
	}
	switch s.state {
	case unresolved:
		a.resolveEqu(s, depth)
		return a.lookup(name, off, depth)
	case resolving:
		return 0, errAt(off, "constant %q is defined in terms of itself", name)
	case failed:
		return 0, &posErr{off: off}
	}
	return s.value, nil
}

// symbolNames lists every name a symbol reference could have meant: the
// program's labels and constants and the predefined names (registers are
// suggested apart, see suggestSymbol). They are gathered once, after
// layout, when every name is defined.
func (a *assembler) symbolNames() []string {
	if a.names != nil {
		return a.names
	}
	names := make([]string, 0, len(a.symList)+len(a.predef))
	for _, s := range a.symList {
		names = append(names, s.name)
	}
	for n := range a.predef {
		names = append(names, n)
	}
	a.names = names
	return a.names
}
