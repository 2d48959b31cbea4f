package asm

import (
	"encoding/binary"
	"sort"

	"vcpu/cpu"
	"vcpu/image"
)

// Pass 2: encoding. Every label now has its address, so every expression
// can be evaluated and range-checked. Each statement writes its bytes at
// the offset layout gave it and must write exactly the size layout
// reserved; the gaps (alignment padding, .space) are the zeros the buffers
// start with.

func (a *assembler) encode() *image.Program {
	var buf [2][]byte
	for sec := image.SecText; sec <= image.SecData; sec++ {
		buf[sec] = make([]byte, a.size[sec])
	}
	var lines []image.LineEntry
	for _, st := range a.stmts {
		if st.bad || st.kind == sNone {
			continue
		}
		var b []byte
		var ok bool
		switch {
		case st.kind == sInst:
			b, ok = a.encodeInst(st)
			if ok {
				lines = append(lines, image.LineEntry{PC: a.base[image.SecText] + st.at, File: uint32(st.li.file.index), Line: uint32(st.li.line)})
			}
		case st.name == ".byte" || st.name == ".word" || st.name == ".ascii" || st.name == ".asciz":
			b, ok = a.encodeData(st)
		default:
			continue // .space/.zero are zeros already; the rest emit nothing
		}
		if !ok {
			continue
		}
		if len(b) != st.size || st.sec > image.SecData || int(st.at)+len(b) > len(buf[st.sec]) {
			a.errs.add(st.li, st.off, "internal error: %s encoded to %d bytes, layout reserved %d", st.name, len(b), st.size)
			continue
		}
		copy(buf[st.sec][st.at:], b)
	}
	p := &image.Program{
		Text: buf[image.SecText], TextBase: a.base[image.SecText],
		Data: buf[image.SecData], DataBase: a.base[image.SecData],
		BSSBase: a.base[image.SecBSS], BSSSize: a.size[image.SecBSS],
		Entry: a.base[image.SecText],
		Lines: lines,
	}
	if s := a.symbols["main"]; s != nil && s.state == resolved && s.equ == nil && s.sec == image.SecText {
		p.Entry = uint32(s.value)
	}
	for _, s := range a.symList {
		if s.state == resolved {
			p.Symbols = append(p.Symbols, image.Symbol{Name: s.name, Value: uint32(s.value), Section: s.sec})
		}
	}
	sortSymbols(p.Symbols)
	for _, f := range a.files {
		p.Files = append(p.Files, f.name)
	}
	p.Normalize()
	return p
}

// sortSymbols orders symbols by value, then name, as Program documents.
func sortSymbols(s []image.Symbol) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Value != s[j].Value {
			return s[i].Value < s[j].Value
		}
		return s[i].Name < s[j].Name
	})
}

// value evaluates an operand's expression, reporting errors; ok is false
// if there was one.
func (a *assembler) value(st *stmt, e *expr) (int64, bool) {
	v, err := e.eval(func(name string, off int) (int64, *posErr) {
		if name == dot {
			return int64(a.base[st.sec]) + int64(st.at), nil
		}
		return a.lookup(name, off, 0)
	})
	if err != nil {
		if err.msg != "" {
			a.errs.add(st.li, err.off, "%s", err.msg)
		}
		return 0, false
	}
	return v, true
}

// word32 evaluates an operand that must fit 32 bits; what names it in the
// message ("immediate", "displacement", ...).
func (a *assembler) word32(st *stmt, o operand, what string) (uint32, bool) {
	v, ok := a.value(st, o.e)
	if !ok {
		return 0, false
	}
	if o.kind == oMem && o.neg {
		v = -v
	}
	if !fits32(v) {
		a.errs.add(st.li, o.pos(), "%s %s does not fit in 32 bits (-2^31 .. 2^32-1)", what, fmtVal(v))
		return 0, false
	}
	return uint32(v), true
}

// encodeInst builds the instruction from its operands and encodes it.
func (a *assembler) encodeInst(st *stmt) ([]byte, bool) {
	in := cpu.Inst{Op: st.op, Mode: st.mode}
	args := st.args
	ok := true
	src := func(o operand) {
		if o.kind == oReg {
			in.C = uint8(o.reg)
			return
		}
		v, good := a.word32(st, o, "immediate")
		in.Imm, ok = v, ok && good
	}
	target := func(o operand) {
		v, good := a.word32(st, o, "target address")
		in.Target, ok = v, ok && good
	}
	switch cpu.Instructions[st.op].Format {
	case cpu.FmtRdRsSrc:
		in.A, in.B = uint8(args[0].reg), uint8(args[0].reg)
		if len(args) == 3 {
			in.B = uint8(args[1].reg)
		}
		src(args[len(args)-1])
	case cpu.FmtRdSrc:
		in.A = uint8(args[0].reg)
		src(args[1])
	case cpu.FmtRdRs:
		in.A, in.B = uint8(args[0].reg), uint8(args[1].reg)
	case cpu.FmtRd:
		in.A = uint8(args[0].reg)
	case cpu.FmtRegMem:
		in.A = uint8(args[0].reg)
		if m := args[1]; m.reg >= 0 {
			in.B = uint8(m.reg)
		}
		if args[1].e != nil {
			v, good := a.word32(st, args[1], "displacement")
			in.Imm, ok = v, ok && good
		}
	case cpu.FmtSrc:
		src(args[0])
	case cpu.FmtTarget:
		if args[0].kind == oReg {
			in.C = uint8(args[0].reg)
		} else {
			target(args[0])
		}
	case cpu.FmtRsSrcTarget:
		in.A = uint8(args[0].reg)
		src(args[1])
		target(args[2])
	}
	if !ok {
		return nil, false
	}
	if err := in.Valid(); err != nil {
		a.errs.add(st.li, st.off, "internal error: built an invalid instruction: %v", err)
		return nil, false
	}
	return in.Append(nil), true
}

// encodeData produces the bytes of .byte, .word, .ascii and .asciz.
func (a *assembler) encodeData(st *stmt) ([]byte, bool) {
	if st.name == ".ascii" || st.name == ".asciz" {
		b := make([]byte, 0, dataSize(st))
		for _, o := range st.args {
			b = append(b, o.str...)
			if st.name == ".asciz" {
				b = append(b, 0)
			}
		}
		return b, true
	}
	b := st.data // the constants, encoded by compactData; nothing reads them after this
	ok := len(st.rangeErr) == 0
	for _, r := range st.rangeErr {
		a.rangeError(st, int(r.off), r.v)
	}
	for _, o := range st.args {
		v, good := a.value(st, o.e)
		if good && !fitsData(st.name, v) {
			a.rangeError(st, o.pos(), v)
			good = false
		}
		ok = ok && good
		if st.name == ".byte" {
			b[o.at] = byte(v)
		} else {
			binary.LittleEndian.PutUint32(b[o.at:], uint32(v))
		}
	}
	return b, ok
}

// fitsData reports whether v fits a value of directive name, .byte or
// .word: checked when the value is a constant (compactData) and when it
// needed a label (encodeData).
func fitsData(name string, v int64) bool {
	if name == ".byte" {
		return v >= -128 && v <= 255
	}
	return fits32(v)
}

// rangeError reports a .byte or .word value that does not fit.
func (a *assembler) rangeError(st *stmt, off int, v int64) {
	if st.name == ".byte" {
		a.errs.add(st.li, off, "value %s does not fit in a byte (-128..255)", fmtVal(v))
	} else {
		a.errs.add(st.li, off, "value %s does not fit in 32 bits (-2^31 .. 2^32-1)", fmtVal(v))
	}
}
