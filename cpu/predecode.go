package cpu

// xop is an executable operation: an Opcode with its operand mode folded in,
// so that the interpreter's one switch never tests a mode bit.
type xop uint8

const (
	xIllegal xop = iota
	xNop
	xMovR
	xMovI
	xAddR
	xAddI
	xSubR
	xSubI
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
	xInc
	xDec
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
)

// zeroReg is a register index that always reads 0: an absolute memory
// operand [expr] is executed as [zeroReg + expr], saving a mode test.
const zeroReg = NumRegs

// uop is a predecoded instruction, 16 bytes.
type uop struct {
	op       xop
	a, b, c  uint8
	size     uint8 // bytes: the next instruction is at pc + size
	straddle bool  // the encoding crosses a page boundary: the fetch touches two pages
	imm      uint32
	target   uint32
}

// Code is a code segment decoded once, at load time: one uop for every
// word, so that a jump to any aligned address finds its instruction (or its
// illegal-instruction fault) without decoding in the hot loop.
type Code struct {
	Base  uint32
	Text  []byte
	uops  []uop
	why   []string // decode errors, indexed by an illegal uop's imm
	limit uint32   // len(Text)
}

// Predecode decodes text, to be mapped at base (page aligned), for execution.
func Predecode(base uint32, text []byte) *Code {
	c := &Code{Base: base, Text: text, uops: make([]uop, (len(text)+3)/4), limit: uint32(len(text))}
	for i := range c.uops {
		off := i * WordSize
		in, n, err := Decode(text[off:])
		if err != nil {
			c.uops[i] = uop{op: xIllegal, imm: uint32(len(c.why)), size: WordSize}
			c.why = append(c.why, err.Error())
			continue
		}
		pc := base + uint32(off)
		c.uops[i] = lower(in, n, (pc%PageSize)+uint32(n) > PageSize)
	}
	return c
}

// At returns the architectural instruction at pc, for the window and the
// disassembler, or the error executing pc would fault with.
func (c *Code) At(pc uint32) (Inst, error) {
	off := pc - c.Base
	switch {
	case pc < c.Base || off >= c.limit:
		return Inst{}, errOutside
	case off%WordSize != 0:
		return Inst{}, errMisaligned
	}
	in, _, err := Decode(c.Text[off:])
	return in, err
}

type codeError string

func (e codeError) Error() string { return string(e) }

const (
	errOutside    = codeError("address outside the code segment")
	errMisaligned = codeError("misaligned pc")
)

// lower turns an architectural instruction into the interpreter's form.
func lower(in Inst, size int, straddle bool) uop {
	u := uop{a: in.A, b: in.B, c: in.C, size: uint8(size), straddle: straddle, imm: in.Imm, target: in.Target}
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
	case NOT:
		u.op = xNot
	case NEG:
		u.op = xNeg
	case INC:
		u.op = xInc
	case DEC:
		u.op = xDec
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
