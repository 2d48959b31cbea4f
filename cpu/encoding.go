package cpu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// An instruction is one header word followed by zero, one or two immediate
// words, all little-endian; instructions are word aligned, so every
// instruction is 4, 8 or 12 bytes long. (docs/ISA.md has the full story.)
//
//	header word
//	 byte 0    byte 1    byte 2         byte 3
//	+--------+--------+----+----+    +----+----+
//	| opcode |  mode  | A  | B  |    | C  | 0  |
//	+--------+--------+----+----+    +----+----+
//	                   hi   lo        hi   lo   (4-bit register numbers)
//
//	then: Imm word     if the source operand is an immediate (ModeImm)
//	                   or the instruction has a memory operand (displacement)
//	      Target word  for jmp/call to a label, and for every branch
//
// Unused register fields and mode bits must be zero: every instruction has
// exactly one encoding, so assemble -> disassemble -> assemble is exact.

// Mode is byte 1 of the header: how the operands are given.
type Mode uint8

const (
	ModeImm    Mode = 1 << 0 // the source operand is the Imm word, not register C
	ModeAbs    Mode = 1 << 1 // the memory operand is [Imm], with no base register
	ModeTarget Mode = 1 << 2 // jmp/call go to register C instead of the Target word
)

// Inst is one instruction in architectural form: what the assembler encodes
// and the disassembler prints.
type Inst struct {
	Op     Opcode
	Mode   Mode
	A      uint8  // rd, or rs of st/stb and branches
	B      uint8  // rs of three-operand ALU and not/neg; base register of a memory operand
	C      uint8  // register source operand, or the register of jmp/call rC
	Imm    uint32 // immediate source operand, or memory displacement
	Target uint32 // jump or branch target address
}

// WordSize is the size of a header or immediate word.
const WordSize = 4

// MaxInstSize is the longest encoding: a branch with an immediate operand.
const MaxInstSize = 3 * WordSize

// Size is the encoded length in bytes of an instruction with this opcode and
// mode. The assembler's layout pass and the decoder share it. An unknown
// opcode is one word: the illegal instruction the decoder makes of it.
func Size(op Opcode, m Mode) int {
	if op >= NumOpcodes {
		return WordSize
	}
	n := 1
	switch Instructions[op].Format {
	case FmtRdRsSrc, FmtRdSrc, FmtSrc:
		if m&ModeImm != 0 {
			n++
		}
	case FmtRegMem:
		n++
	case FmtTarget:
		if m&ModeTarget == 0 {
			n++
		}
	case FmtRsSrcTarget:
		n++
		if m&ModeImm != 0 {
			n++
		}
	}
	return n * WordSize
}

// allowedModes lists the mode bits each format may carry.
func allowedModes(f Format) Mode {
	switch f {
	case FmtRdRsSrc, FmtRdSrc, FmtSrc, FmtRsSrcTarget:
		return ModeImm
	case FmtRegMem:
		return ModeAbs
	case FmtTarget:
		return ModeTarget
	}
	return 0
}

// usedRegs reports which of the A, B, C register fields an instruction uses.
func usedRegs(op Opcode, m Mode) (a, b, c bool) {
	switch Instructions[op].Format {
	case FmtRdRsSrc:
		return true, true, m&ModeImm == 0
	case FmtRdSrc:
		return true, false, m&ModeImm == 0
	case FmtRdRs:
		return true, true, false
	case FmtRd:
		return true, false, false
	case FmtRegMem:
		return true, m&ModeAbs == 0, false
	case FmtSrc:
		return false, false, m&ModeImm == 0
	case FmtTarget:
		return false, false, m&ModeTarget != 0
	case FmtRsSrcTarget:
		return true, false, m&ModeImm == 0
	}
	return false, false, false
}

// Valid reports whether in can be encoded: a known opcode, mode bits its
// format allows, registers in range and unused fields zero.
func (in Inst) Valid() error {
	if in.Op >= NumOpcodes {
		return fmt.Errorf("unknown opcode %d", in.Op)
	}
	f := Instructions[in.Op].Format
	if in.Mode&^allowedModes(f) != 0 {
		return fmt.Errorf("%s: mode %#x not allowed", in.Op, uint8(in.Mode))
	}
	ua, ub, uc := usedRegs(in.Op, in.Mode)
	for _, r := range []struct {
		used bool
		v    uint8
	}{{ua, in.A}, {ub, in.B}, {uc, in.C}} {
		if r.v >= NumRegs || (!r.used && r.v != 0) {
			return fmt.Errorf("%s: bad register field %d", in.Op, r.v)
		}
	}
	if !hasImm(f, in.Mode) && in.Imm != 0 {
		return fmt.Errorf("%s: immediate not allowed", in.Op)
	}
	if !hasTarget(f, in.Mode) && in.Target != 0 {
		return fmt.Errorf("%s: target not allowed", in.Op)
	}
	return nil
}

func hasImm(f Format, m Mode) bool {
	switch f {
	case FmtRdRsSrc, FmtRdSrc, FmtSrc, FmtRsSrcTarget:
		return m&ModeImm != 0
	case FmtRegMem:
		return true
	}
	return false
}

func hasTarget(f Format, m Mode) bool {
	return f == FmtRsSrcTarget || (f == FmtTarget && m&ModeTarget == 0)
}

// Size is the encoded length of in.
func (in Inst) Size() int { return Size(in.Op, in.Mode) }

// Append encodes in onto b. It panics if in is not Valid: the assembler only
// builds valid instructions, so an invalid one is a bug in vcpu.
func (in Inst) Append(b []byte) []byte {
	if err := in.Valid(); err != nil {
		panic("cpu: encoding invalid instruction: " + err.Error())
	}
	b = append(b, byte(in.Op), byte(in.Mode), in.A<<4|in.B, in.C<<4)
	f := Instructions[in.Op].Format
	if hasImm(f, in.Mode) {
		b = binary.LittleEndian.AppendUint32(b, in.Imm)
	}
	if hasTarget(f, in.Mode) {
		b = binary.LittleEndian.AppendUint32(b, in.Target)
	}
	return b
}

// ErrTruncated is returned by Decode when the bytes end inside an instruction.
var ErrTruncated = errors.New("instruction truncated")

// Decode reads one instruction from the start of b and returns it with its
// size. Any byte sequence either decodes to a Valid instruction or gives an
// error; it never panics.
func Decode(b []byte) (Inst, int, error) {
	if len(b) < WordSize {
		return Inst{}, 0, ErrTruncated
	}
	in := Inst{Op: Opcode(b[0]), Mode: Mode(b[1]), A: b[2] >> 4, B: b[2] & 15, C: b[3] >> 4}
	if b[3]&15 != 0 {
		return Inst{}, 0, fmt.Errorf("reserved bits set in %#08x", binary.LittleEndian.Uint32(b))
	}
	if in.Op >= NumOpcodes {
		return Inst{}, 0, fmt.Errorf("unknown opcode %#02x", b[0])
	}
	f := Instructions[in.Op].Format
	if in.Mode&^allowedModes(f) != 0 {
		return Inst{}, 0, fmt.Errorf("%s: mode %#02x not allowed", in.Op, b[1])
	}
	n := Size(in.Op, in.Mode)
	if len(b) < n {
		return Inst{}, 0, ErrTruncated
	}
	w := WordSize
	if hasImm(f, in.Mode) {
		in.Imm = binary.LittleEndian.Uint32(b[w:])
		w += WordSize
	}
	if hasTarget(f, in.Mode) {
		in.Target = binary.LittleEndian.Uint32(b[w:])
	}
	if err := in.Valid(); err != nil {
		return Inst{}, 0, err
	}
	return in, n, nil
}
