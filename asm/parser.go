package asm

import (
	"encoding/binary"
	"fmt"
	"strings"

	"vcpu/cpu"
	"vcpu/image"
)

// The parser turns a line's tokens into a statement: its labels, then an
// instruction with operands checked against the ISA table's format, or a
// directive with its arguments. Everything the layout pass needs (which
// instruction, which operand kinds, so which encoding size) is settled here;
// only expression values wait for pass 2.

type stmtKind uint8

const (
	sNone stmtKind = iota // labels only, or an empty line
	sInst
	sDir
)

type labelDef struct {
	name string
	off  int
}

type opKind uint8

const (
	oReg opKind = iota
	oExpr
	oMem
	oString
)

// operand is one comma-separated operand or directive argument. It is
// kept small (48 bytes), since a program may hold millions until pass 2.
type operand struct {
	kind     opKind
	neg      bool   // oMem written [rs - expr]
	reg      int8   // oReg; base register of oMem, or -1 for [expr]
	off, end int32  // where it starts and ends in the line
	at       int32  // a .byte or .word value kept for pass 2: its offset in the statement's bytes
	e        *expr  // oExpr; displacement of oMem (nil: none)
	str      []byte // oString
}

// text is the operand as written, for messages.
func (o *operand) text(line string) string { return line[o.off:o.end] }

// pos is where the operand starts, for messages.
func (o *operand) pos() int { return int(o.off) }

// stmt is one statement. Layout fills in sec, at and size.
type stmt struct {
	li     *lineInfo
	labels []labelDef
	kind   stmtKind
	off    int    // offset of the mnemonic or directive
	name   string // lower-case mnemonic or directive (".word")
	op     cpu.Opcode
	mode   cpu.Mode
	args   []operand
	bad    bool // an error was reported: define labels, emit nothing

	// A .byte or .word keeps its bytes here, the constant values already
	// encoded; args then holds only the values that wait for labels.
	data     []byte
	rangeErr []rangeErr

	sec  image.Section
	at   uint32 // offset in its section
	size int
}

// splitLabels takes the leading "name:" pairs off a line's tokens and
// returns them with the remaining tokens.
func splitLabels(toks []token) ([]labelDef, []token, *posErr) {
	var labels []labelDef
	for len(toks) >= 2 && toks[1].kind == tPunct && toks[1].text == ":" {
		switch toks[0].kind {
		case tIdent:
			labels = append(labels, labelDef{toks[0].text, toks[0].off})
		case tDirective:
			return labels, nil, errAt(toks[0].off, "a label cannot start with '.': %q", toks[0].text)
		default:
			return labels, nil, errAt(toks[0].off, "expected a label name before ':', got %q", toks[0].text)
		}
		toks = toks[2:]
	}
	return labels, toks, nil
}

// splitOperands splits tokens at top-level commas. An empty operand (",,",
// a trailing comma) is an error.
func splitOperands(toks []token, eol int) ([][]token, *posErr) {
	if len(toks) == 0 {
		return nil, nil
	}
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ",":
			if depth == 0 {
				if i == start {
					return nil, errAt(t.off, "missing operand before ','")
				}
				out = append(out, toks[start:i])
				start = i + 1
			}
		}
	}
	if start == len(toks) {
		return nil, errAt(eol, "missing operand after ','")
	}
	return append(out, toks[start:]), nil
}

// parseOperand classifies and parses one operand.
func parseOperand(line string, toks []token) (operand, *posErr) {
	first, last := toks[0], toks[len(toks)-1]
	o := operand{off: int32(first.off), end: int32(last.end())}
	p := &tokParser{toks: toks, eol: last.end()}
	switch {
	case len(toks) == 1 && first.kind == tIdent:
		if r, ok := regNum(first.text); ok {
			o.kind, o.reg = oReg, int8(r)
			return o, nil
		}
		if looksLikeReg(first.text) {
			return o, errAt(first.off, "%s is not a register (registers are r0-r15, sp and fp)", first.text)
		}
	case len(toks) == 1 && first.kind == tString:
		o.kind, o.str = oString, first.str
		return o, nil
	case first.kind == tPunct && first.text == "[":
		return parseMem(o, p)
	}
	e, err := p.parseExpr()
	if err != nil {
		return o, err
	}
	if p.i < len(toks) {
		return o, errAt(p.here(), "unexpected %s after expression", p.describe())
	}
	o.kind, o.e = oExpr, e
	return o, nil
}

// parseMem parses [rs], [rs + expr], [rs - expr] or [expr].
func parseMem(o operand, p *tokParser) (operand, *posErr) {
	o.kind, o.reg = oMem, -1
	p.i++ // '['
	rb := -1
	for k, t := range p.toks {
		if t.kind == tPunct && t.text == "]" {
			rb = k
			break
		}
	}
	switch {
	case rb < 0:
		return o, errAt(p.eol, "missing ']' to close the memory operand")
	case rb != len(p.toks)-1:
		return o, errAt(p.toks[rb+1].off, "unexpected %q after the memory operand (an offset goes inside: [rs + expr])", p.toks[rb+1].text)
	}
	inner := &tokParser{toks: p.toks[1:rb], eol: p.toks[rb].off}
	if len(inner.toks) == 0 {
		return o, errAt(inner.eol, "empty memory operand: expected [rs], [rs + expr], [rs - expr] or [expr]")
	}
	if t := inner.toks[0]; t.kind == tIdent {
		if r, ok := regNum(t.text); ok {
			o.reg = int8(r)
			inner.i++
			if inner.i == len(inner.toks) {
				return o, nil
			}
			if !inner.isPunct("+") && !inner.isPunct("-") {
				return o, errAt(inner.here(), "expected '+', '-' or ']' after the base register, got %s", inner.describe())
			}
			// The sign belongs to the displacement, so [r1 - 4 + 2] is r1 - 2.
		} else if looksLikeReg(t.text) {
			return o, errAt(t.off, "%s is not a register (registers are r0-r15, sp and fp)", t.text)
		}
	}
	e, err := inner.parseExpr()
	if err != nil {
		return o, err
	}
	if inner.i < len(inner.toks) {
		return o, errAt(inner.here(), "unexpected %s in memory operand (expected [rs], [rs + expr], [rs - expr] or [expr])", inner.describe())
	}
	o.e = e
	return o, nil
}

// forms describes each format's operands, for count errors.
func forms(op cpu.Opcode) (min, max int, what string) {
	switch cpu.Instructions[op].Format {
	case cpu.FmtRdRsSrc:
		return 2, 3, "rd, rs, src or rd, src"
	case cpu.FmtRdSrc:
		return 2, 2, "rd, src"
	case cpu.FmtRdRs:
		return 2, 2, "rd, rs"
	case cpu.FmtRd:
		return 1, 1, "rd"
	case cpu.FmtRegMem:
		if op == cpu.ST || op == cpu.STB {
			return 2, 2, "rs, [addr]"
		}
		return 2, 2, "rd, [addr]"
	case cpu.FmtSrc:
		return 1, 1, "src"
	case cpu.FmtTarget:
		return 1, 1, "target"
	case cpu.FmtRsSrcTarget:
		return 3, 3, "rs, src, label"
	}
	return 0, 0, ""
}

// checkInst matches operands to the instruction's format and works out the
// mode bits, which fix the encoding's size.
func checkInst(op cpu.Opcode, args []operand, line string, eol int) (cpu.Mode, *posErr) {
	name := cpu.Instructions[op].Name
	min, max, what := forms(op)
	if len(args) < min || len(args) > max {
		at := eol
		if len(args) > max {
			at = args[max].pos()
		}
		switch {
		case max == 0:
			return 0, errAt(at, "%s takes no operands", name)
		case min == max:
			return 0, errAt(at, "%s: expected %d operand%s (%s), got %d", name, min, plural(min), what, len(args))
		}
		return 0, errAt(at, "%s: expected %d or %d operands (%s), got %d", name, min, max, what, len(args))
	}
	const (
		wantReg    = "a register"
		wantSrc    = "a register or an immediate value"
		wantMem    = "a memory operand such as [r1], [r1 + 4] or [label]"
		wantTarget = "a register or a label"
		wantLabel  = "a label"
	)
	need := func(i int, want string, kinds ...opKind) *posErr {
		a := args[i]
		for _, k := range kinds {
			if a.kind == k {
				return nil
			}
		}
		e := errAt(a.pos(), "%s: operand %d: expected %s, got %q", name, i+1, want, a.text(line))
		if a.kind == oExpr && a.e.kind == eSym && a.e.name != dot && len(kinds) == 1 && kinds[0] == oReg {
			if h := registerHint(a.e.name); h != "" {
				e.msg += h
			} else {
				e.name = a.e.name // perhaps a label: decided once labels are known
			}
		}
		if a.kind == oMem && op == cpu.MOV {
			e.msg += movHint(args, i, line)
		}
		return e
	}
	var mode cpu.Mode
	srcMode := func(i int) *posErr {
		if err := need(i, wantSrc, oReg, oExpr); err != nil {
			return err
		}
		if args[i].kind == oExpr {
			mode |= cpu.ModeImm
		}
		return nil
	}
	var err *posErr
	switch cpu.Instructions[op].Format {
	case cpu.FmtRdRsSrc:
		if err = need(0, wantReg, oReg); err == nil && len(args) == 3 {
			err = need(1, wantReg, oReg)
		}
		if err == nil {
			err = srcMode(len(args) - 1)
		}
	case cpu.FmtRdSrc:
		if err = need(0, wantReg, oReg); err == nil {
			err = srcMode(1)
		}
	case cpu.FmtRdRs:
		if err = need(0, wantReg, oReg); err == nil {
			err = need(1, wantReg, oReg)
		}
	case cpu.FmtRd:
		err = need(0, wantReg, oReg)
	case cpu.FmtRegMem:
		if err = need(0, wantReg, oReg); err == nil {
			if err = need(1, wantMem, oMem); err == nil && args[1].reg < 0 {
				mode |= cpu.ModeAbs
			}
		}
	case cpu.FmtSrc:
		err = srcMode(0)
	case cpu.FmtTarget:
		if err = need(0, wantTarget, oReg, oExpr); err == nil && args[0].kind == oReg {
			mode |= cpu.ModeTarget
		}
	case cpu.FmtRsSrcTarget:
		if err = need(0, wantReg, oReg); err == nil {
			if err = srcMode(1); err == nil {
				err = need(2, wantLabel, oExpr)
			}
		}
	}
	return mode, err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// parseInst parses an instruction's operands into st.
func parseInst(st *stmt, toks []token) *posErr {
	line := st.li.text
	eol := len(strings.TrimRight(line[:commentStart(line)], " \t\r"))
	groups, err := splitOperands(toks, eol)
	if err != nil {
		return hashHint(line, err)
	}
	for _, g := range groups {
		o, err := parseOperand(line, g)
		if err != nil {
			return err
		}
		st.args = append(st.args, o)
	}
	st.mode, err = checkInst(st.op, st.args, line, eol)
	return hashHint(line, err)
}

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
		return hashHint(line, err)
	}
	count := func(min, max int, what string) *posErr {
		if len(groups) >= min && (max < 0 || len(groups) <= max) {
			return nil
		}
		at := eol
		if max >= 0 && len(groups) > max {
			at = groups[max][0].off
		}
		return hashHint(line, errAt(at, "%s: expected %s", st.name, what))
	}
	switch st.name {
	case ".text", ".data", ".bss":
		return count(0, 0, "no arguments")
	case ".word", ".byte":
		if err := count(1, -1, "one or more values"); err != nil {
			return err
		}
		if err := a.parseArgs(st, groups, oExpr, "a number or an expression"); err != nil {
			return err
		}
		compactData(st)
		return nil
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
		st.args = append(st.args, operand{kind: oExpr, off: int32(name.off), end: int32(name.end())})
		o, err := parseOperand(line, groups[1])
		if err == nil && o.kind != oExpr {
			err = errAt(o.pos(), ".equ: expected a value, got %q", o.text(line))
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
			return errAt(o.pos(), "%s: expected %s, got %q", st.name, what, o.text(st.li.text))
		}
		st.args = append(st.args, o)
	}
	return nil
}

// rangeErr is a constant .byte or .word value that does not fit: reported
// in pass 2, as a value that needs a label would be, so that a statement
// layout refuses (.byte in .bss) reports only that.
type rangeErr struct {
	off int32
	v   int64
}

// compactData encodes a .byte or .word statement's constant values now, so
// that a long table of numbers costs one or four bytes a value until pass
// 2, not an operand and an expression each. Values that name symbols stay
// as operands, with their offset in the bytes.
func compactData(st *stmt) {
	size := 1
	if st.name == ".word" {
		size = 4
	}
	st.data = make([]byte, 0, size*len(st.args))
	var kept []operand
	for _, o := range st.args {
		v := int64(0)
		if o.e.kind == eNum {
			v = o.e.val
			if !fitsData(st.name, v) {
				st.rangeErr = append(st.rangeErr, rangeErr{o.off, v})
			}
		} else {
			o.at = int32(len(st.data))
			kept = append(kept, o)
		}
		if size == 1 {
			st.data = append(st.data, byte(v))
		} else {
			st.data = binary.LittleEndian.AppendUint32(st.data, uint32(v))
		}
	}
	st.args = kept
}

// dataSize is the size of a data directive's bytes. It is the one size
// function for data: layout reserves it and encode checks it emitted that many.
func dataSize(st *stmt) int {
	n := 0
	switch st.name {
	case ".byte", ".word":
		n = len(st.data)
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
