// Package cpu is vcpu's processor: the instruction set, its encoding, the
// interpreter and the MMU (segments, page tables, TLB) it translates every
// access through. It knows nothing of processes or files; the kernel drives it
// with Run(budget) and reads back why it stopped.
package cpu

import "fmt"

// Opcode is an instruction as the programmer writes it, and the first byte of
// its encoding. The assembler, encoder, decoder, disassembler and window all
// read the same table, Instructions, indexed by Opcode.
type Opcode uint8

const (
	NOP Opcode = iota
	MOV
	ADD
	SUB
	MUL
	AND
	OR
	XOR
	SHL
	SHR
	SAR
	DIV
	REM
	DIVU
	REMU
	NOT
	NEG
	INC
	DEC
	LD
	LDB
	ST
	STB
	PUSH
	POP
	XCHG
	XADD
	JMP
	BEQ
	BNE
	BLT
	BLE
	BGT
	BGE
	BLTU
	BLEU
	BGTU
	BGEU
	CALL
	RET
	SYSCALL
	NumOpcodes
)

// Format says which operands an instruction takes, and so how it is encoded.
type Format uint8

const (
	FmtNone        Format = iota // nop, ret, syscall
	FmtRdRsSrc                   // add rd, rs, src (the assembler also takes add rd, src)
	FmtRdSrc                     // mov rd, src
	FmtRdRs                      // not rd, rs
	FmtRd                        // inc rd; pop rd
	FmtRegMem                    // ld rd, addr; st rs, addr; xchg rd, addr
	FmtSrc                       // push src
	FmtTarget                    // jmp target; call target
	FmtRsSrcTarget               // beq rs, src, label
)

// Info describes one instruction: the single source of truth for its name,
// operands and meaning.
type Info struct {
	Name    string
	Format  Format
	Meaning string
}

// Instructions is the instruction set, indexed by Opcode.
var Instructions = [NumOpcodes]Info{
	NOP:     {"nop", FmtNone, "nothing"},
	MOV:     {"mov", FmtRdSrc, "rd = src"},
	ADD:     {"add", FmtRdRsSrc, "rd = rs + src (wraps)"},
	SUB:     {"sub", FmtRdRsSrc, "rd = rs - src (wraps)"},
	MUL:     {"mul", FmtRdRsSrc, "rd = rs * src (low 32 bits)"},
	AND:     {"and", FmtRdRsSrc, "rd = rs & src"},
	OR:      {"or", FmtRdRsSrc, "rd = rs | src"},
	XOR:     {"xor", FmtRdRsSrc, "rd = rs ^ src"},
	SHL:     {"shl", FmtRdRsSrc, "rd = rs << (src mod 32)"},
	SHR:     {"shr", FmtRdRsSrc, "rd = rs >> (src mod 32), logical"},
	SAR:     {"sar", FmtRdRsSrc, "rd = rs >> (src mod 32), arithmetic"},
	DIV:     {"div", FmtRdRsSrc, "rd = rs / src, signed, toward zero; faults on 0"},
	REM:     {"rem", FmtRdRsSrc, "rd = rs % src, signed; faults on 0"},
	DIVU:    {"divu", FmtRdRsSrc, "rd = rs / src, unsigned; faults on 0"},
	REMU:    {"remu", FmtRdRsSrc, "rd = rs % src, unsigned; faults on 0"},
	NOT:     {"not", FmtRdRs, "rd = ^rs"},
	NEG:     {"neg", FmtRdRs, "rd = -rs"},
	INC:     {"inc", FmtRd, "rd = rd + 1"},
	DEC:     {"dec", FmtRd, "rd = rd - 1"},
	LD:      {"ld", FmtRegMem, "rd = word at addr"},
	LDB:     {"ldb", FmtRegMem, "rd = byte at addr, zero-extended"},
	ST:      {"st", FmtRegMem, "word at addr = rs"},
	STB:     {"stb", FmtRegMem, "byte at addr = low byte of rs"},
	PUSH:    {"push", FmtSrc, "sp -= 4; [sp] = src"},
	POP:     {"pop", FmtRd, "rd = [sp]; sp += 4"},
	XCHG:    {"xchg", FmtRegMem, "atomically swap rd and the word at addr"},
	XADD:    {"xadd", FmtRegMem, "atomically old = [addr]; [addr] = old + rd; rd = old"},
	JMP:     {"jmp", FmtTarget, "pc = target"},
	BEQ:     {"beq", FmtRsSrcTarget, "branch if rs == src"},
	BNE:     {"bne", FmtRsSrcTarget, "branch if rs != src"},
	BLT:     {"blt", FmtRsSrcTarget, "branch if rs < src, signed"},
	BLE:     {"ble", FmtRsSrcTarget, "branch if rs <= src, signed"},
	BGT:     {"bgt", FmtRsSrcTarget, "branch if rs > src, signed"},
	BGE:     {"bge", FmtRsSrcTarget, "branch if rs >= src, signed"},
	BLTU:    {"bltu", FmtRsSrcTarget, "branch if rs < src, unsigned"},
	BLEU:    {"bleu", FmtRsSrcTarget, "branch if rs <= src, unsigned"},
	BGTU:    {"bgtu", FmtRsSrcTarget, "branch if rs > src, unsigned"},
	BGEU:    {"bgeu", FmtRsSrcTarget, "branch if rs >= src, unsigned"},
	CALL:    {"call", FmtTarget, "push the return address; pc = target"},
	RET:     {"ret", FmtNone, "pc = [sp]; sp += 4"},
	SYSCALL: {"syscall", FmtNone, "trap into the kernel: r0 = number, r1-r4 arguments, result in r0"},
}

func (op Opcode) String() string {
	if op < NumOpcodes {
		return Instructions[op].Name
	}
	return fmt.Sprintf("op%d", uint8(op))
}

// Lookup finds an opcode by its (lower-case) mnemonic.
func Lookup(mnemonic string) (Opcode, bool) {
	op, ok := byName[mnemonic]
	return op, ok
}

var byName = func() map[string]Opcode {
	m := make(map[string]Opcode, NumOpcodes)
	for op := Opcode(0); op < NumOpcodes; op++ {
		m[Instructions[op].Name] = op
	}
	return m
}()

// Register conventions.
const (
	NumRegs = 16
	FP      = 14 // fp: frame pointer, by convention
	SP      = 15 // sp: the stack pointer push, pop, call and ret use
)

// RegName is the canonical assembler name of register r.
func RegName(r int) string {
	switch r {
	case SP:
		return "sp"
	case FP:
		return "fp"
	}
	return fmt.Sprintf("r%d", r)
}
