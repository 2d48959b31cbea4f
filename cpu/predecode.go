package cpu

import "math/bits"

// xop is an executable operation: an Opcode with its operand mode folded in,
// so that the interpreter's one switch never tests a mode bit.
type xop uint8

const (
	xIllegal xop = iota
	xNop
	xMovR
	xMovI
	xAddR
	xAddI // also inc, dec and sub with an immediate: rd = rs + imm
	xSubR
	xSubI // never made: lower turns it into xAddI of the negated immediate
	xMulR
	xMulI
	xAndR
	xAndI
	xOrR
	xOrI
	xXorR
	xXorI
	xShlR
	xShlI
	xShrR
	xShrI
	xSarR
	xSarI
	xDivR
	xDivI
	xRemR
	xRemI
	xDivuR
	xDivuI
	xRemuR
	xRemuI
	xNot
	xNeg
	xLd
	xLdb
	xSt
	xStb
	xPushR
	xPushI
	xPop
	xXchg
	xXadd
	xJmpI
	xJmpR
	xCallI
	xCallR
	xRet
	xBeqR
	xBeqI
	xBneR
	xBneI
	xBltR
	xBltI
	xBleR
	xBleI
	xBgtR
	xBgtI
	xBgeR
	xBgeI
	xBltuR
	xBltuI
	xBleuR
	xBleuI
	xBgtuR
	xBgtuI
	xBgeuR
	xBgeuI
	xSyscall

	// Fused loop closers: an xAddI (add, sub, inc or dec of an
	// immediate) whose next instruction is a conditional branch on the
	// same page. The uop holds the add; the branch is the next uop, kept
	// as it is so that a jump to it or a budget that ends between the two
	// runs it alone. Same order as xBeqR..xBgeuI.
	xAddIBeqR
	xAddIBeqI
	xAddIBneR
	xAddIBneI
	xAddIBltR
	xAddIBltI
	xAddIBleR
	xAddIBleI
	xAddIBgtR
	xAddIBgtI
	xAddIBgeR
	xAddIBgeI
	xAddIBltuR
	xAddIBltuI
	xAddIBleuR
	xAddIBleuI
	xAddIBgtuR
	xAddIBgtuI
	xAddIBgeuR
	xAddIBgeuI
	xAddICallI // an xAddI and a direct call: sub r1, 1; call fib

	// Fused compare-and-branch by subtraction or addition of registers
	// (sub r4, r3, r1; bne r4, 7, loop), like the xAddI pairs. addR and
	// subR share one form, rd = rs + (rt ^ neg) - neg, with neg (in target,
	// which they do not use) all ones to subtract. Same order as xBeqR..xBgeuI.
	xAddRBeqR
	xAddRBeqI
	xAddRBneR
	xAddRBneI
	xAddRBltR
	xAddRBltI
	xAddRBleR
	xAddRBleI
	xAddRBgtR
	xAddRBgtI
	xAddRBgeR
	xAddRBgeI
	xAddRBltuR
	xAddRBltuI
	xAddRBleuR
	xAddRBleuI
	xAddRBgtuR
	xAddRBgtuI
	xAddRBgeuR
	xAddRBgeuI

	// Markers, not instructions: stepping onto one costs no budget and no
	// TLB lookup, and sends the fetch of what it stands for to the slow path.
	xGoto // the instruction is at uop target, on another page or an alternative (see Code)
	xOut  // pc is outside the code or misaligned: the fetch faults, or is the gate
)

// zeroReg is a register index that always reads 0: an absolute memory
// operand [expr] is executed as [zeroReg + expr], saving a mode test.
const zeroReg = NumRegs

// uop is a predecoded instruction, 16 bytes: four to a cache line.
type uop struct {
	op      xop
	a, b, c uint8
	imm     uint32
	target  uint32 // jumps and branches: the uop index of the target
	pc      uint32 // where the instruction is; its size is the next uop's pc minus this
}

// Code is a code segment decoded once, at load time, for an interpreter
// that steps an instruction index instead of a byte pc: falling through is
// i+1 and a branch goes to a uop index resolved here, so finding the next
// instruction never waits for the current one's size, and the interpreter
// never tests where an instruction is: wherever the fetch changes page, the
// step lands on an xGoto, which sends it through the slow path.
//
//	uops: [ linear stream | end | alternatives | trampolines and outside targets ]
//
// The linear stream is the text decoded from its first byte, instruction
// after instruction, as the assembler laid it out; an undecodable word is an
// illegal uop one word long. Where the next instruction is not wholly on the
// page of the previous one's last byte (the next page, or an instruction
// straddling two), an xGoto to it sits between them. "end" is an xOut for the
// address after the last word. A jump may land on any word, also one inside
// an instruction (the immediate of another, say): each such word has an
// alternative uop, decoded from it and followed by an xGoto to its
// fall-through. A direct target that is a linear instruction wholly on the
// branch's page is reached directly; any other gets a trampoline xGoto, or an
// xOut carrying the address if it is outside the code or misaligned.
// Every uop, the markers too, carries the pc of the instruction it stands
// for, and every executable uop is followed by one, so the next uop's pc is
// always where execution continues.
type Code struct {
	Base  uint32
	Text  []byte
	uops  []uop
	index []uint32 // uop of each word of the text
	pages []span   // per page of the text: the linear uops wholly inside it
	why   []string // decode errors, indexed by an illegal uop's imm
	limit uint32   // len(Text)
}

// span is a range [lo, lo+n) of uop indices.
type span struct{ lo, n uint32 }

// Predecode decodes text, to be mapped at base (page aligned), for execution.
func Predecode(base uint32, text []byte) *Code {
	words := (len(text) + WordSize - 1) / WordSize
	c := &Code{Base: base, Text: text, limit: uint32(len(text)),
		index: make([]uint32, words), pages: make([]span, (len(text)+PageSize-1)/PageSize)}
	// decode makes the uop of word w and returns it with its length in bytes.
	decode := func(w int) (uop, uint32) {
		pc := base + uint32(w*WordSize)
		in, n, err := Decode(text[w*WordSize:])
		if err != nil {
			c.why = append(c.why, err.Error())
			return uop{op: xIllegal, pc: pc, imm: uint32(len(c.why) - 1)}, WordSize
		}
		return lower(in, pc), uint32(n)
	}
	// The linear stream, with an xGoto wherever the fetch changes page.
	mid := make([]bool, words) // inside a linear instruction, not its start
	fetchPage := ^uint32(0)    // page of the previous instruction's last byte
	for w := 0; w < words; {
		u, n := decode(w)
		if u.pc/PageSize != fetchPage || (u.pc+n-1)/PageSize != fetchPage {
			if len(c.uops) > 0 {
				c.uops = append(c.uops, uop{op: xGoto, pc: u.pc, target: uint32(len(c.uops)) + 1})
			}
			fetchPage = (u.pc + n - 1) / PageSize
		}
		c.index[w] = uint32(len(c.uops))
		c.uops = append(c.uops, u)
		for k := 1; k < int(n/WordSize); k++ {
			mid[w+k] = true
		}
		w += int(n / WordSize)
	}
	linear := uint32(len(c.uops))
	c.uops = append(c.uops, uop{op: xOut, pc: base + uint32(words*WordSize)})
	// The alternatives, each followed by an xGoto to its fall-through
	// (resolved once every word has its uop).
	for w := range words {
		if mid[w] {
			u, n := decode(w)
			c.index[w] = uint32(len(c.uops))
			c.uops = append(c.uops, u, uop{op: xGoto, pc: u.pc + n})
		}
	}
	for i := linear + 1; i < uint32(len(c.uops)); i += 2 {
		g := &c.uops[i+1]
		g.target = linear // past the last word: the end
		if idx, ok := c.indexOf(g.pc); ok {
			g.target = idx
		}
	}
	c.findPages(linear)
	c.resolveTargets()
	c.fuse(linear)
	return c
}

// resolveTargets turns every direct jump, call and branch target address
// into the index of the uop there, or of a trampoline to it, or of an xOut
// that carries it.
func (c *Code) resolveTargets() {
	tramp := map[uint32]uint32{} // target address -> its trampoline or xOut
	for i := range c.uops {
		u := c.uops[i]
		if !(u.op == xJmpI || u.op == xCallI || (u.op >= xBeqR && u.op <= xBgeuI)) {
			continue
		}
		idx, ok := c.indexOf(u.target)
		if ok {
			// Direct only to a linear instruction wholly on the page the
			// fetch is on after the branch: the page of its last byte.
			p := c.pages[(c.uops[i+1].pc-1-c.Base)/PageSize]
			if idx-p.lo < p.n {
				c.uops[i].target = idx
				continue
			}
		}
		t, seen := tramp[u.target]
		if !seen {
			t = uint32(len(c.uops))
			tramp[u.target] = t
			m := uop{op: xOut, pc: u.target}
			if ok {
				m = uop{op: xGoto, pc: u.target, target: idx}
			}
			c.uops = append(c.uops, m)
		}
		c.uops[i].target = t
	}
}

// indexOf is the uop at pc, if pc is a word of the code.
func (c *Code) indexOf(pc uint32) (uint32, bool) {
	off := pc - c.Base
	if off >= c.limit || off%WordSize != 0 {
		return 0, false
	}
	return c.index[off/WordSize], true
}

// findPages records, for each page of the text, the linear uops that lie
// wholly inside it: a computed jump to one of them from the same page needs
// no translation. An instruction that straddles two pages belongs to
// neither, and no xGoto lies inside a page's range.
func (c *Code) findPages(linear uint32) {
	for i := range linear {
		u := c.uops[i]
		first, last := u.pc, c.uops[i+1].pc-1
		if u.op == xGoto || first/PageSize != last/PageSize {
			continue
		}
		p := &c.pages[(first-c.Base)/PageSize]
		if p.n == 0 {
			p.lo = i
		}
		p.n = i + 1 - p.lo
	}
}

// fuse marks the pairs one dispatch runs, on the same page (no xGoto
// between them): an add or subtract of an immediate or a register followed
// by a conditional branch (a loop closer: inc r1; blt r1, r3, loop, or
// sub r4, r3, r1; bne r4, 7, loop), and an xAddI followed by a direct call
// (an argument set up for a call: sub r1, 1; call fib).
func (c *Code) fuse(linear uint32) {
	for i := uint32(0); i+1 < linear; i++ {
		u, next := &c.uops[i], &c.uops[i+1]
		branch := next.op >= xBeqR && next.op <= xBgeuI
		switch {
		case u.op == xAddI && branch:
			u.op = xAddIBeqR + (next.op - xBeqR)
		case u.op == xAddI && next.op == xCallI:
			u.op = xAddICallI
		case u.op == xAddR && branch:
			u.op, u.target = xAddRBeqR+(next.op-xBeqR), 0
		case u.op == xSubR && branch:
			u.op, u.target = xAddRBeqR+(next.op-xBeqR), ^uint32(0)
		}
	}
}

// lower turns an architectural instruction at pc into the interpreter's
// form. Direct targets are still addresses; resolveTargets makes them uop
// indices.
func lower(in Inst, pc uint32) uop {
	u := uop{a: in.A, b: in.B, c: in.C, imm: in.Imm, target: in.Target, pc: pc}
	imm := in.Mode&ModeImm != 0
	pick := func(r, i xop) xop {
		if imm {
			return i
		}
		return r
	}
	switch in.Op {
	case NOP:
		u.op = xNop
	case MOV:
		u.op = pick(xMovR, xMovI)
	case ADD, SUB, MUL, AND, OR, XOR, SHL, SHR, SAR, DIV, REM, DIVU, REMU:
		u.op = pick(xAddR+2*xop(in.Op-ADD), xAddI+2*xop(in.Op-ADD))
		switch {
		case u.op == xSubI: // one form for every add of a constant, which fuse looks for
			u.op, u.imm = xAddI, -in.Imm
		case u.op >= xDivI && u.op <= xRemuI && u.op%2 == xDivI%2 && in.Imm == 0:
			u.op, u.c = u.op-1, zeroReg // a division by the register that is always 0: the same fault
		case u.op == xDivI || u.op == xRemI:
			u.target, u.c = divMagic(uint32(max(int32(in.Imm), -int32(in.Imm))))
		case u.op == xDivuI || u.op == xRemuI:
			u.target, u.c = divMagic(in.Imm)
		}
	case NOT:
		u.op = xNot
	case NEG:
		u.op = xNeg
	case INC, DEC: // rd = rd + 1 or rd + 0xFFFFFFFF
		u.op, u.b, u.imm = xAddI, in.A, 1
		if in.Op == DEC {
			u.imm = ^uint32(0)
		}
	case LD, LDB, ST, STB, XCHG, XADD:
		u.op = [...]xop{LD: xLd, LDB: xLdb, ST: xSt, STB: xStb, XCHG: xXchg, XADD: xXadd}[in.Op]
		if in.Mode&ModeAbs != 0 {
			u.b = zeroReg
		}
	case PUSH:
		u.op = pick(xPushR, xPushI)
	case POP:
		u.op = xPop
	case JMP, CALL:
		u.op = xJmpI
		if in.Mode&ModeTarget != 0 {
			u.op = xJmpR
		}
		if in.Op == CALL {
			u.op += xCallI - xJmpI
		}
	case RET:
		u.op = xRet
	case BEQ, BNE, BLT, BLE, BGT, BGE, BLTU, BLEU, BGTU, BGEU:
		u.op = pick(xBeqR+2*xop(in.Op-BEQ), xBeqI+2*xop(in.Op-BEQ))
	case SYSCALL:
		u.op = xSyscall
	}
	return u
}

// divMagic returns the multiplier m and shift s that divide by a constant
// d > 0 without a divide instruction (Granlund and Montgomery, "Division by
// invariant integers using multiplication", 1994, theorem 4.2): for every
// x < 2^32, x/d = ((x*m >> 32) + x) >> s, all in 64 bits. s is ceil(log2 d)
// and 2^32+m is floor(2^(32+s)/d) + 1, which is below 2^33, so m fits in 32
// bits and x*m in 64. (The exact condition, 2^(32+s) <= (2^32+m)*d <=
// 2^(32+s) + 2^s, holds because d <= 2^s.)
func divMagic(d uint32) (m uint32, s uint8) {
	s = uint8(bits.Len32(d - 1))
	hi, lo := uint64(0), uint64(1)<<(32+s)
	if s == 32 {
		hi, lo = 1, 0
	}
	q, _ := bits.Div64(hi, lo, uint64(d))
	return uint32(q + 1 - 1<<32), s
}

// udiv is x/d for the multiplier and shift divMagic made for d.
func udiv(x, m uint32, s uint8) uint32 {
	return uint32((uint64(x)*uint64(m)>>32 + uint64(x)) >> s)
}

// sdiv is x/d, signed and toward zero, with m and s made for |d|. Like Go
// and the ISA, MinInt32/-1 is MinInt32.
func sdiv(x, d, m uint32, s uint8) uint32 {
	sx, sq := uint32(int32(x)>>31), uint32(int32(x^d)>>31) // all ones if negative
	q := udiv((x^sx)-sx, m, s)
	return (q ^ sq) - sq
}
