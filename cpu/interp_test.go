package cpu_test

import (
	"fmt"
	"testing"

	"vcpu/cpu"
)

const intMin = 0x8000_0000

// regs are register values by number.
type regs map[int]uint32

// memWords are guest words by virtual address.
type memWords map[uint32]uint32

type semTest struct {
	name    string
	regs    regs     // before
	mem     memWords // before
	code    *prog    // the program; a syscall is appended
	want    regs     // after
	wantMem memWords // after
}

// semTests has one row (at least) for every instruction form, with the
// corner cases docs/ISA.md names.
func semTests() []semTest {
	p := func() *prog { return new(prog) }
	t := []semTest{
		{name: "nop", regs: regs{1: 5}, code: p().I(nop), want: regs{1: 5}},
		{name: "mov reg", regs: regs{2: 42}, code: p().I(movr(1, 2)), want: regs{1: 42, 2: 42}},
		{name: "mov imm", code: p().I(movi(1, 0xFFFFFFFF)), want: regs{1: 0xFFFFFFFF}},
		{name: "add wraps", regs: regs{2: 0xFFFFFFFF, 3: 2}, code: p().I(rrr(cpu.ADD, 1, 2, 3)), want: regs{1: 1}},
		{name: "add imm", regs: regs{2: 40}, code: p().I(rri(cpu.ADD, 1, 2, 2)), want: regs{1: 42}},
		{name: "add imm negative", regs: regs{2: 40}, code: p().I(rri(cpu.ADD, 1, 2, 0xFFFFFFFE)), want: regs{1: 38}},
		{name: "sub wraps", regs: regs{2: 0, 3: 1}, code: p().I(rrr(cpu.SUB, 1, 2, 3)), want: regs{1: 0xFFFFFFFF}},
		{name: "sub imm", regs: regs{2: 10}, code: p().I(rri(cpu.SUB, 2, 2, 3)), want: regs{2: 7}},
		{name: "mul wraps", regs: regs{2: 0x10000, 3: 0x10000}, code: p().I(rrr(cpu.MUL, 1, 2, 3)), want: regs{1: 0}},
		{name: "mul -1*-1", regs: regs{2: 0xFFFFFFFF}, code: p().I(rri(cpu.MUL, 1, 2, 0xFFFFFFFF)), want: regs{1: 1}},
		{name: "and", regs: regs{2: 0xF0F0, 3: 0xFF00}, code: p().I(rrr(cpu.AND, 1, 2, 3)), want: regs{1: 0xF000}},
		{name: "and imm", regs: regs{2: 0xF0F0}, code: p().I(rri(cpu.AND, 1, 2, 0xFF)), want: regs{1: 0xF0}},
		{name: "or", regs: regs{2: 0xF0F0, 3: 0xFF00}, code: p().I(rrr(cpu.OR, 1, 2, 3)), want: regs{1: 0xFFF0}},
		{name: "or imm", regs: regs{2: 0xF0F0}, code: p().I(rri(cpu.OR, 1, 2, 0xF)), want: regs{1: 0xF0FF}},
		{name: "xor", regs: regs{2: 0xF0F0, 3: 0xFF00}, code: p().I(rrr(cpu.XOR, 1, 2, 3)), want: regs{1: 0x0FF0}},
		{name: "xor imm", regs: regs{2: 0xF0F0}, code: p().I(rri(cpu.XOR, 1, 2, 0xFFFFFFFF)), want: regs{1: 0xFFFF0F0F}},
		{name: "shl", regs: regs{2: 3, 3: 4}, code: p().I(rrr(cpu.SHL, 1, 2, 3)), want: regs{1: 48}},
		{name: "shl mod 32", regs: regs{2: 3, 3: 33}, code: p().I(rrr(cpu.SHL, 1, 2, 3)), want: regs{1: 6}},
		{name: "shl imm 32 is 0", regs: regs{2: 3}, code: p().I(rri(cpu.SHL, 1, 2, 32)), want: regs{1: 3}},
		{name: "shl imm out", regs: regs{2: 3}, code: p().I(rri(cpu.SHL, 1, 2, 31)), want: regs{1: intMin}},
		{name: "shr logical", regs: regs{2: intMin, 3: 31}, code: p().I(rrr(cpu.SHR, 1, 2, 3)), want: regs{1: 1}},
		{name: "shr imm mod 32", regs: regs{2: 0x100}, code: p().I(rri(cpu.SHR, 1, 2, 36)), want: regs{1: 0x10}},
		{name: "sar arithmetic", regs: regs{2: intMin, 3: 31}, code: p().I(rrr(cpu.SAR, 1, 2, 3)), want: regs{1: 0xFFFFFFFF}},
		{name: "sar positive", regs: regs{2: 0x7FFFFFFF, 3: 30}, code: p().I(rrr(cpu.SAR, 1, 2, 3)), want: regs{1: 1}},
		{name: "sar imm mod 32", regs: regs{2: 0xFFFFFF00}, code: p().I(rri(cpu.SAR, 1, 2, 36)), want: regs{1: 0xFFFFFFF0}},
		{name: "div", regs: regs{2: 7, 3: 2}, code: p().I(rrr(cpu.DIV, 1, 2, 3)), want: regs{1: 3}},
		{name: "div truncates toward zero", regs: regs{2: neg(7), 3: 2}, code: p().I(rrr(cpu.DIV, 1, 2, 3)), want: regs{1: neg(3)}},
		{name: "div by negative", regs: regs{2: 7}, code: p().I(rri(cpu.DIV, 1, 2, neg(2))), want: regs{1: neg(3)}},
		{name: "div INT_MIN by -1", regs: regs{2: intMin, 3: neg(1)}, code: p().I(rrr(cpu.DIV, 1, 2, 3)), want: regs{1: intMin}},
		{name: "div imm INT_MIN by -1", regs: regs{2: intMin}, code: p().I(rri(cpu.DIV, 1, 2, neg(1))), want: regs{1: intMin}},
		{name: "rem sign of dividend", regs: regs{2: neg(7), 3: 2}, code: p().I(rrr(cpu.REM, 1, 2, 3)), want: regs{1: neg(1)}},
		{name: "rem negative divisor", regs: regs{2: 7}, code: p().I(rri(cpu.REM, 1, 2, neg(2))), want: regs{1: 1}},
		{name: "rem INT_MIN by -1", regs: regs{2: intMin, 3: neg(1)}, code: p().I(rrr(cpu.REM, 1, 2, 3)), want: regs{1: 0}},
		{name: "divu", regs: regs{2: 0xFFFFFFFE, 3: 2}, code: p().I(rrr(cpu.DIVU, 1, 2, 3)), want: regs{1: 0x7FFFFFFF}},
		{name: "divu imm big divisor", regs: regs{2: 7}, code: p().I(rri(cpu.DIVU, 1, 2, neg(1))), want: regs{1: 0}},
		{name: "remu", regs: regs{2: 0xFFFFFFFF, 3: 10}, code: p().I(rrr(cpu.REMU, 1, 2, 3)), want: regs{1: 5}},
		{name: "remu imm", regs: regs{2: neg(7)}, code: p().I(rri(cpu.REMU, 1, 2, 2)), want: regs{1: 1}},
		{name: "not", regs: regs{2: 0x0F0F0F0F}, code: p().I(cpu.Inst{Op: cpu.NOT, A: 1, B: 2}), want: regs{1: 0xF0F0F0F0}},
		{name: "neg", regs: regs{2: 5}, code: p().I(cpu.Inst{Op: cpu.NEG, A: 1, B: 2}), want: regs{1: neg(5)}},
		{name: "neg INT_MIN", regs: regs{2: intMin}, code: p().I(cpu.Inst{Op: cpu.NEG, A: 1, B: 2}), want: regs{1: intMin}},
		{name: "inc wraps", regs: regs{1: 0xFFFFFFFF}, code: p().I(one(cpu.INC, 1)), want: regs{1: 0}},
		{name: "dec wraps", regs: regs{1: 0}, code: p().I(one(cpu.DEC, 1)), want: regs{1: 0xFFFFFFFF}},

		{name: "ld", regs: regs{2: dataBase}, mem: memWords{dataBase + 8: 0xCAFEBABE},
			code: p().I(mem(cpu.LD, 1, 2, 8)), want: regs{1: 0xCAFEBABE}},
		{name: "ld negative displacement", regs: regs{2: dataBase + 12}, mem: memWords{dataBase + 8: 77},
			code: p().I(mem(cpu.LD, 1, 2, neg(4))), want: regs{1: 77}},
		{name: "ld absolute", mem: memWords{dataBase + 16: 99},
			code: p().I(abs(cpu.LD, 1, dataBase+16)), want: regs{1: 99}},
		{name: "ld unaligned", regs: regs{2: dataBase + 1}, mem: memWords{dataBase: 0x44332211, dataBase + 4: 0x88776655},
			code: p().I(mem(cpu.LD, 1, 2, 0)), want: regs{1: 0x55443322}},
		{name: "ld straddles two pages", regs: regs{2: dataBase + cpu.PageSize - 2},
			mem:  memWords{dataBase + cpu.PageSize - 4: 0x2211_0000, dataBase + cpu.PageSize: 0x0000_4433},
			code: p().I(mem(cpu.LD, 1, 2, 0)), want: regs{1: 0x44332211}},
		{name: "ldb zero-extends", regs: regs{2: dataBase}, mem: memWords{dataBase: 0x000080FF},
			code: p().I(mem(cpu.LDB, 1, 2, 0)).I(mem(cpu.LDB, 3, 2, 1)), want: regs{1: 0xFF, 3: 0x80}},
		{name: "ldb absolute", mem: memWords{dataBase: 0x00001234},
			code: p().I(abs(cpu.LDB, 1, dataBase+1)), want: regs{1: 0x12}},
		{name: "st", regs: regs{1: 0xDEADBEEF, 2: dataBase}, code: p().I(mem(cpu.ST, 1, 2, 4)),
			wantMem: memWords{dataBase + 4: 0xDEADBEEF, dataBase: 0, dataBase + 8: 0}},
		{name: "st absolute", regs: regs{1: 5}, code: p().I(abs(cpu.ST, 1, dataBase+32)), wantMem: memWords{dataBase + 32: 5}},
		{name: "st unaligned", regs: regs{1: 0x44332211, 2: dataBase + 3}, code: p().I(mem(cpu.ST, 1, 2, 0)),
			wantMem: memWords{dataBase: 0x11000000, dataBase + 4: 0x00443322}},
		{name: "st straddles two pages", regs: regs{1: 0x44332211, 2: dataBase + cpu.PageSize - 1},
			code:    p().I(mem(cpu.ST, 1, 2, 0)),
			wantMem: memWords{dataBase + cpu.PageSize - 4: 0x11000000, dataBase + cpu.PageSize: 0x00443322}},
		{name: "stb low byte only", regs: regs{1: 0x12345678, 2: dataBase}, mem: memWords{dataBase: 0xAAAAAAAA},
			code: p().I(mem(cpu.STB, 1, 2, 2)), wantMem: memWords{dataBase: 0xAA78AAAA}},
		{name: "stb absolute", regs: regs{1: 0x1FF}, code: p().I(abs(cpu.STB, 1, dataBase+3)), wantMem: memWords{dataBase: 0xFF000000}},

		{name: "push reg", regs: regs{3: 0xABCD}, code: p().I(cpu.Inst{Op: cpu.PUSH, C: 3}),
			want: regs{cpu.SP: stackTop - 4}, wantMem: memWords{stackTop - 4: 0xABCD}},
		{name: "push imm", code: p().I(cpu.Inst{Op: cpu.PUSH, Mode: cpu.ModeImm, Imm: 0xFFFFFFF0}),
			want: regs{cpu.SP: stackTop - 4}, wantMem: memWords{stackTop - 4: 0xFFFFFFF0}},
		{name: "push sp pushes the old sp", code: p().I(cpu.Inst{Op: cpu.PUSH, C: cpu.SP}),
			want: regs{cpu.SP: stackTop - 4}, wantMem: memWords{stackTop - 4: stackTop}},
		{name: "push pop", regs: regs{3: 7},
			code: p().I(cpu.Inst{Op: cpu.PUSH, C: 3}).I(cpu.Inst{Op: cpu.PUSH, Mode: cpu.ModeImm, Imm: 8}).I(one(cpu.POP, 4)).I(one(cpu.POP, 5)),
			want: regs{4: 8, 5: 7, cpu.SP: stackTop}},
		{name: "pop sp: rd = [sp], then sp += 4", regs: regs{cpu.SP: stackBase}, mem: memWords{stackBase: 0x100},
			code: p().I(one(cpu.POP, cpu.SP)), want: regs{cpu.SP: 0x104}},
		{name: "push and pop across the stack's two pages", regs: regs{cpu.SP: stackBase + cpu.PageSize + 2, 1: 0x11223344},
			code: p().I(cpu.Inst{Op: cpu.PUSH, C: 1}).I(one(cpu.POP, 2)),
			want: regs{2: 0x11223344, cpu.SP: stackBase + cpu.PageSize + 2}},

		{name: "xchg", regs: regs{1: 5, 2: dataBase}, mem: memWords{dataBase + 4: 9},
			code: p().I(mem(cpu.XCHG, 1, 2, 4)), want: regs{1: 9}, wantMem: memWords{dataBase + 4: 5}},
		{name: "xchg absolute straddling pages", regs: regs{1: 0x55667788},
			mem:  memWords{dataBase + cpu.PageSize - 4: 0x2211_0000, dataBase + cpu.PageSize: 0x0000_4433},
			code: p().I(abs(cpu.XCHG, 1, dataBase+cpu.PageSize-2)), want: regs{1: 0x44332211},
			wantMem: memWords{dataBase + cpu.PageSize - 4: 0x7788_0000, dataBase + cpu.PageSize: 0x0000_5566}},
		{name: "xadd", regs: regs{1: 5, 2: dataBase}, mem: memWords{dataBase: 9},
			code: p().I(mem(cpu.XADD, 1, 2, 0)), want: regs{1: 9}, wantMem: memWords{dataBase: 14}},
		{name: "xadd absolute wraps", regs: regs{1: 2}, mem: memWords{dataBase: 0xFFFFFFFF},
			code: p().I(abs(cpu.XADD, 1, dataBase)), want: regs{1: 0xFFFFFFFF}, wantMem: memWords{dataBase: 1}},

		{name: "jmp label", code: p().To(cpu.Inst{Op: cpu.JMP}, "x").I(movi(1, 1)).L("x").I(movi(2, 2)),
			want: regs{1: 0, 2: 2}},
		{name: "jmp reg", code: p().I(movi(3, codeBase+20)).I(cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 3}).
			I(movi(1, 1)).I(movi(2, 2)), want: regs{1: 0, 2: 2, 3: codeBase + 20}},
		{name: "call label, ret",
			code: p().To(cpu.Inst{Op: cpu.CALL}, "f").I(movi(2, 2)).To(cpu.Inst{Op: cpu.JMP}, "end").
				L("f").I(movi(1, 1)).I(abs(cpu.LD, 4, stackTop-4)).I(ret).L("end"),
			want: regs{1: 1, 2: 2, 4: codeBase + 8, cpu.SP: stackTop}},
		{name: "call reg, ret",
			code: p().I(movi(3, codeBase+28)).I(cpu.Inst{Op: cpu.CALL, Mode: cpu.ModeTarget, C: 3}).I(movi(2, 2)).
				To(cpu.Inst{Op: cpu.JMP}, "end").I(movi(1, 1)).I(ret).L("end"),
			want: regs{1: 1, 2: 2, 3: codeBase + 28, cpu.SP: stackTop}},
	}
	// Every branch, both forms, on operands where signed and unsigned
	// comparisons disagree.
	pairs := [][2]uint32{{1, 2}, {2, 1}, {2, 2}, {neg(1), 1}, {1, neg(1)}, {intMin, 0x7FFFFFFF}, {0, 0}}
	for op := cpu.BEQ; op <= cpu.BGEU; op++ {
		for _, pr := range pairs {
			want := uint32(1)
			if branchTaken(op, pr[0], pr[1]) {
				want = 2
			}
			code := func(br cpu.Inst) *prog {
				return p().To(br, "yes").I(movi(10, 1)).To(cpu.Inst{Op: cpu.JMP}, "end").L("yes").I(movi(10, 2)).L("end")
			}
			t = append(t,
				semTest{name: fmt.Sprintf("%v %#x, r %#x", op, pr[0], pr[1]), regs: regs{1: pr[0], 2: pr[1]},
					code: code(brr(op, 1, 2)), want: regs{10: want}},
				semTest{name: fmt.Sprintf("%v %#x, imm %#x", op, pr[0], pr[1]), regs: regs{1: pr[0]},
					code: code(bri(op, 1, pr[1])), want: regs{10: want}})
		}
	}
	return t
}

func neg(x uint32) uint32 { return -x }

// branchTaken is the reference for the ten branches.
func branchTaken(op cpu.Opcode, a, b uint32) bool {
	sa, sb := int32(a), int32(b)
	switch op {
	case cpu.BEQ:
		return a == b
	case cpu.BNE:
		return a != b
	case cpu.BLT:
		return sa < sb
	case cpu.BLE:
		return sa <= sb
	case cpu.BGT:
		return sa > sb
	case cpu.BGE:
		return sa >= sb
	case cpu.BLTU:
		return a < b
	case cpu.BLEU:
		return a <= b
	case cpu.BGTU:
		return a > b
	case cpu.BGEU:
		return a >= b
	}
	panic(op)
}

func TestSemantics(t *testing.T) {
	covered := map[[2]int]bool{{int(cpu.SYSCALL), 0}: true}
	for _, tt := range semTests() {
		for _, it := range tt.code.items {
			if it.label == "" && it.raw == nil {
				covered[[2]int{int(it.in.Op), int(it.in.Mode)}] = true
			}
		}
		t.Run(tt.name, func(t *testing.T) {
			text := tt.code.I(syscall).Bytes()
			for _, size := range []int{1, 16} { // thrashing TLB and roomy TLB
				m := newMachine(t, size, text)
				for r, v := range tt.regs {
					m.cpu.SetReg(r, v)
				}
				for a, v := range tt.mem {
					m.setWord(t, a, v)
				}
				before := m.cpu.Context()
				why := m.runToStop(t, 1000)
				if why != cpu.StopSyscall {
					t.Fatalf("stopped with %v (%v) at pc %#x", why, &m.cpu.Fault, m.cpu.PC())
				}
				if m.cpu.PC() != codeBase+uint32(len(text)) {
					t.Errorf("pc %#x after the final syscall, want %#x", m.cpu.PC(), codeBase+len(text))
				}
				// Registers not named in want keep their values.
				for r := range cpu.NumRegs {
					want, named := tt.want[r], true
					if _, ok := tt.want[r]; !ok {
						want, named = before.R[r], false
					}
					if got := m.cpu.Reg(r); got != want {
						t.Errorf("TLB %d: %s = %#x, want %#x (named %v)", size, cpu.RegName(r), got, want, named)
					}
				}
				for a, v := range tt.wantMem {
					if got := m.word(t, a); got != v {
						t.Errorf("TLB %d: word at %#x = %#x, want %#x", size, a, got, v)
					}
				}
				m.checkCanaries(t)
			}
		})
	}
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		for _, mode := range formModes(cpu.Instructions[op].Format) {
			if !covered[[2]int{int(op), int(mode)}] {
				t.Errorf("no semantics test for %v in mode %#x", op, mode)
			}
		}
	}
}

// TestRunCounts: Run counts every completed instruction, a syscall
// included, and stops with PC after the syscall.
func TestRunCounts(t *testing.T) {
	text := new(prog).I(nop).I(nop).I(syscall).I(movi(1, 1)).I(syscall).Bytes()
	m := newMachine(t, 4, text)
	if why, n := m.cpu.Run(0); why != cpu.StopBudget || n != 0 || m.cpu.PC() != codeBase {
		t.Fatalf("Run(0) = %v, %d, pc %#x", why, n, m.cpu.PC())
	}
	if why, n := m.cpu.Run(2); why != cpu.StopBudget || n != 2 || m.cpu.PC() != codeBase+8 {
		t.Fatalf("Run(2) = %v, %d, pc %#x", why, n, m.cpu.PC())
	}
	if why, n := m.cpu.Run(100); why != cpu.StopSyscall || n != 1 || m.cpu.PC() != codeBase+12 {
		t.Fatalf("Run to syscall = %v, %d, pc %#x", why, n, m.cpu.PC())
	}
	if why, n := m.cpu.Run(100); why != cpu.StopSyscall || n != 2 || m.cpu.Reg(1) != 1 {
		t.Fatalf("Run to second syscall = %v, %d, r1 %d", why, n, m.cpu.Reg(1))
	}
	if m.cpu.Retired != 5 {
		t.Errorf("Retired = %d, want 5", m.cpu.Retired)
	}
}

// TestGate: returning to the gate address, or jumping there, ends the
// thread; the ret or jmp counts.
func TestGate(t *testing.T) {
	tests := []struct {
		name string
		code *prog
		n    uint64
		sp   uint32
	}{
		{"ret to gate", new(prog).I(movi(0, 3)).I(ret), 2, stackTop},
		{"jmp to gate", new(prog).I(movi(0, 3)).I(cpu.Inst{Op: cpu.JMP, Target: gate}), 2, stackTop - 4},
		{"call to gate", new(prog).I(movi(0, 3)).I(cpu.Inst{Op: cpu.CALL, Target: gate}), 2, stackTop - 8},
	}
	for _, tt := range tests {
		m := newMachine(t, 4, tt.code.Bytes())
		m.cpu.SetReg(cpu.SP, stackTop-4)
		m.setWord(t, stackTop-4, gate)
		why, n := m.cpu.Run(100)
		if why != cpu.StopGate || n != tt.n || m.cpu.PC() != gate || m.cpu.Reg(0) != 3 || m.cpu.Reg(cpu.SP) != tt.sp {
			t.Errorf("%s: %v after %d, pc %#x, r0 %d, sp %#x; want gate after %d, sp %#x",
				tt.name, why, n, m.cpu.PC(), m.cpu.Reg(0), m.cpu.Reg(cpu.SP), tt.n, tt.sp)
		}
	}
}

// TestStopReasonString: every stop reason has a name.
func TestStopReasonString(t *testing.T) {
	for s, want := range map[cpu.StopReason]string{cpu.StopBudget: "budget", cpu.StopSyscall: "syscall",
		cpu.StopFault: "fault", cpu.StopGate: "gate", 9: "stop9"} {
		if got := s.String(); got != want {
			t.Errorf("StopReason(%d).String() = %q, want %q", s, got, want)
		}
	}
}

// TestContext: SetContext and Context round-trip, and an absolute memory
// operand never sees a register (the hidden zero register stays zero).
func TestContext(t *testing.T) {
	m := newMachine(t, 4, new(prog).I(abs(cpu.LD, 1, dataBase)).I(syscall).Bytes())
	var ctx cpu.Context
	for i := range ctx.R {
		ctx.R[i] = 0x1000_0000 * uint32(i+1)
	}
	ctx.PC = codeBase
	m.cpu.SetContext(ctx)
	if m.cpu.Context() != ctx {
		t.Fatalf("Context() = %+v, want %+v", m.cpu.Context(), ctx)
	}
	m.setWord(t, dataBase, 17)
	if why := m.runToStop(t, 10); why != cpu.StopSyscall || m.cpu.Reg(1) != 17 {
		t.Fatalf("%v, r1 = %d (%v)", why, m.cpu.Reg(1), &m.cpu.Fault)
	}
	// Register 16 (the hidden zero register) is out of the kernel's reach.
	for name, f := range map[string]func(){
		"Reg(16)":       func() { m.cpu.Reg(cpu.NumRegs) },
		"SetReg(16, 1)": func() { m.cpu.SetReg(cpu.NumRegs, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestDivideByConstant checks the multiply-and-shift division predecode
// gives a constant divisor against Go's division, for divisors of every
// size and sign and dividends at the edges and spread over the range.
func TestDivideByConstant(t *testing.T) {
	divisors := []uint32{1, 2, 3, 5, 6, 7, 10, 11, 641, 1 << 16, 1<<16 + 1, 0x7FFFFFFF, intMin, intMin + 1,
		0xFFFFFFFE, 0xFFFFFFFF, neg(2), neg(3), neg(7), neg(641), 0x12345678, 0xDEADBEEF}
	dividends := []uint32{0, 1, 2, 3, 6, 7, 8, 0x7FFFFFFE, 0x7FFFFFFF, intMin, intMin + 1, 0xFFFFFFFE, 0xFFFFFFFF}
	for x := uint32(12345); len(dividends) < 300; x = x*0x9E3779B9 + 7 {
		dividends = append(dividends, x, x>>7, x>>19)
	}
	for d := uint32(99); len(divisors) < 150; d = d*0x2545F491 + 3 {
		divisors = append(divisors, d|1, d>>9|1, d>>23|1)
	}
	for _, d := range divisors {
		text := new(prog).
			I(rri(cpu.DIV, 3, 1, d)).I(rri(cpu.REM, 4, 1, d)).
			I(rri(cpu.DIVU, 5, 1, d)).I(rri(cpu.REMU, 6, 1, d)).
			I(syscall).Bytes()
		m := newMachine(t, 4, text)
		for _, x := range dividends {
			m.cpu.SetContext(cpu.Context{PC: codeBase, R: [cpu.NumRegs]uint32{1: x}})
			if why := m.runToStop(t, 10); why != cpu.StopSyscall {
				t.Fatalf("%#x by %#x: stopped %v (%v)", x, d, why, &m.cpu.Fault)
			}
			want := [4]uint32{uint32(int32(x) / int32(d)), uint32(int32(x) % int32(d)), x / d, x % d}
			got := [4]uint32{m.cpu.Reg(3), m.cpu.Reg(4), m.cpu.Reg(5), m.cpu.Reg(6)}
			if got != want {
				t.Errorf("%#x by %#x: div, rem, divu, remu = %#x, want %#x", x, d, got, want)
			}
		}
	}
}

// TestFusedPairs checks what predecode fuses (an add or subtract of an
// immediate or a register, then a conditional branch) against Go's
// arithmetic and comparisons, run as a pair and, with a budget of 1, as
// two instructions: the differential tests compare fast paths with each
// other, so they could not see a fused pair that computed the wrong thing
// on every path.
func TestFusedPairs(t *testing.T) {
	vals := []uint32{0, 1, 2, 5, 0x7FFFFFFF, intMin, 0xFFFFFFFF, 0xFFFFFFFE}
	alus := []struct {
		name string
		in   func(y uint32) cpu.Inst
		do   func(x, y uint32) uint32
	}{
		{"sub imm", func(y uint32) cpu.Inst { return rri(cpu.SUB, 3, 3, y) }, func(x, y uint32) uint32 { return x - y }},
		{"add imm", func(y uint32) cpu.Inst { return rri(cpu.ADD, 3, 3, y) }, func(x, y uint32) uint32 { return x + y }},
		{"sub reg", func(uint32) cpu.Inst { return rrr(cpu.SUB, 3, 3, 2) }, func(x, y uint32) uint32 { return x - y }},
		{"add reg", func(uint32) cpu.Inst { return rrr(cpu.ADD, 3, 3, 2) }, func(x, y uint32) uint32 { return x + y }},
	}
	conds := map[cpu.Opcode]func(x, y uint32) bool{
		cpu.BEQ: func(x, y uint32) bool { return x == y }, cpu.BNE: func(x, y uint32) bool { return x != y },
		cpu.BLT: func(x, y uint32) bool { return int32(x) < int32(y) }, cpu.BLE: func(x, y uint32) bool { return int32(x) <= int32(y) },
		cpu.BGT: func(x, y uint32) bool { return int32(x) > int32(y) }, cpu.BGE: func(x, y uint32) bool { return int32(x) >= int32(y) },
		cpu.BLTU: func(x, y uint32) bool { return x < y }, cpu.BLEU: func(x, y uint32) bool { return x <= y },
		cpu.BGTU: func(x, y uint32) bool { return x > y }, cpu.BGEU: func(x, y uint32) bool { return x >= y },
	}
	for op, cond := range conds {
		for _, imm := range []bool{false, true} {
			for _, alu := range alus {
				for _, y := range vals {
					// The branch compares the add's result with r2 or
					// with the immediate y.
					br := brr(op, 3, 2)
					if imm {
						br = bri(op, 3, y)
					}
					text := new(prog).I(alu.in(y)).To(br, "taken").I(movi(7, 1)).I(syscall).
						L("taken").I(movi(7, 2)).I(syscall).Bytes()
					m := newMachine(t, 4, text)
					for _, x := range vals {
						v := alu.do(x, y)
						want := uint32(1)
						if cond(v, y) {
							want = 2
						}
						for _, first := range []uint64{1, 100} { // the add alone first, or the pair at once
							m.cpu.SetContext(cpu.Context{PC: codeBase, R: [cpu.NumRegs]uint32{2: y, 3: x}})
							if why, _ := m.cpu.Run(first); why == cpu.StopBudget {
								m.runToStop(t, 10)
							}
							if m.cpu.Reg(3) != v || m.cpu.Reg(7) != want {
								t.Errorf("%s %#x, %#x then %v (imm %v), first Run %d: r3 = %#x, r7 = %d; want %#x, %d",
									alu.name, x, y, op, imm, first, m.cpu.Reg(3), m.cpu.Reg(7), v, want)
							}
						}
					}
				}
			}
		}
	}
}
