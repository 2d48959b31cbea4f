package cpu_test

import (
	"testing"

	"vcpu/cpu"
)

type faultTest struct {
	name   string
	code   *prog // label "f" marks the faulting instruction
	segs   func(text []byte) []seg
	setup  func(m *machine)
	regs   regs
	kind   cpu.FaultKind
	access cpu.Access
	addr   uint32 // 0: the faulting pc
	reason string
	at     uint32 // the pc of the fault if not "f": "f" jumps there and completes (or "jump to null")
}

// smallData is the standard layout with a data segment of 100 bytes: its
// page is mapped, but only its first 100 bytes are valid.
func smallData(text []byte) []seg {
	s := standardSegs(text)
	s[1].limit = 100
	return s
}

func faultTests() []faultTest {
	p := func() *prog { return new(prog).I(movi(9, 9)) } // one instruction completes first
	sp := func(v uint32) regs { return regs{cpu.SP: v} }
	return []faultTest{
		{name: "write to code", code: p().L("f").I(abs(cpu.ST, 1, codeBase)),
			kind: cpu.SegFault, access: cpu.Write, addr: codeBase, reason: "write to code segment"},
		{name: "byte write to code", code: p().L("f").I(mem(cpu.STB, 1, 2, 3)), regs: regs{2: codeBase + 4},
			kind: cpu.SegFault, access: cpu.Write, addr: codeBase + 7, reason: "write to code segment"},
		{name: "xchg on code is a write", code: p().L("f").I(abs(cpu.XCHG, 1, codeBase)),
			kind: cpu.SegFault, access: cpu.Write, addr: codeBase, reason: "write to code segment"},
		{name: "xadd on code is a write", code: p().L("f").I(abs(cpu.XADD, 1, codeBase+4)),
			kind: cpu.SegFault, access: cpu.Write, addr: codeBase + 4, reason: "write to code segment"},
		{name: "execute data", code: p().L("f").I(cpu.Inst{Op: cpu.JMP, Target: dataBase}),
			kind: cpu.SegFault, access: cpu.Exec, addr: dataBase, reason: "execute in data segment", at: dataBase},
		{name: "execute stack by ret", code: p().I(cpu.Inst{Op: cpu.PUSH, Mode: cpu.ModeImm, Imm: stackBase}).L("f").I(ret),
			kind: cpu.SegFault, access: cpu.Exec, addr: stackBase, reason: "execute in stack segment", at: stackBase},
		{name: "read null page", code: p().L("f").I(mem(cpu.LD, 1, 0, 0)),
			kind: cpu.SegFault, access: cpu.Read, addr: 0, reason: "read of null page"},
		{name: "read null page + 8", code: p().L("f").I(mem(cpu.LDB, 1, 0, 8)),
			kind: cpu.SegFault, access: cpu.Read, addr: 8, reason: "read of null page"},
		{name: "write null page", code: p().L("f").I(abs(cpu.ST, 1, 0xFFC)),
			kind: cpu.SegFault, access: cpu.Write, addr: 0xFFC, reason: "write of null page"},
		{name: "jump to null", code: p().L("f").I(cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 0}),
			kind: cpu.SegFault, access: cpu.Exec, addr: 0, reason: "execute of null page", at: 0},
		{name: "one byte past the limit, page mapped", segs: smallData,
			code: p().I(abs(cpu.LDB, 1, dataBase+99)).L("f").I(abs(cpu.LDB, 1, dataBase+100)),
			kind: cpu.SegFault, access: cpu.Read, addr: dataBase + 100, reason: "read past the end of data segment"},
		{name: "byte store past the limit", segs: smallData,
			code: p().I(abs(cpu.STB, 1, dataBase+99)).L("f").I(abs(cpu.STB, 1, dataBase+100)),
			kind: cpu.SegFault, access: cpu.Write, addr: dataBase + 100, reason: "write past the end of data segment"},
		{name: "word straddles the limit", segs: smallData,
			code: p().I(abs(cpu.LD, 1, dataBase+96)).L("f").I(abs(cpu.LD, 1, dataBase+97)),
			kind: cpu.SegFault, access: cpu.Read, addr: dataBase + 97, reason: "read straddles the end of data segment"},
		{name: "word store straddles the end into an unmapped page",
			code: p().L("f").I(abs(cpu.ST, 1, dataBase+dataLimit-2)),
			kind: cpu.SegFault, access: cpu.Write, addr: dataBase + dataLimit - 2, reason: "write straddles the end of data segment"},
		{name: "xchg straddles the limit", segs: smallData,
			code: p().L("f").I(abs(cpu.XCHG, 1, dataBase+98)),
			kind: cpu.SegFault, access: cpu.Write, addr: dataBase + 98, reason: "write straddles the end of data segment"},
		{name: "far past the end", code: p().L("f").I(abs(cpu.LD, 1, 0x4000_0000)),
			kind: cpu.SegFault, access: cpu.Read, addr: 0x4000_0000, reason: "read of unmapped address"},
		{name: "stack overflow by push", code: p().L("f").I(cpu.Inst{Op: cpu.PUSH, C: 1}), regs: sp(stackBase),
			kind: cpu.SegFault, access: cpu.Write, addr: stackBase - 4, reason: "write below stack of tid 0: stack overflow"},
		{name: "stack overflow by call", code: p().L("f").I(cpu.Inst{Op: cpu.CALL, Target: codeBase}), regs: sp(stackBase + 2),
			kind: cpu.SegFault, access: cpu.Write, addr: stackBase - 2, reason: "write below stack of tid 0: stack overflow"},
		{name: "pop above the stack", code: p().L("f").I(one(cpu.POP, 1)),
			kind: cpu.SegFault, access: cpu.Read, addr: stackTop, reason: "read past the end of stack segment"},
		{name: "ret above the stack", code: p().L("f").I(ret), regs: sp(stackTop - 2),
			kind: cpu.SegFault, access: cpu.Read, addr: stackTop - 2, reason: "read straddles the end of stack segment"},
		{name: "misaligned pc", code: p().L("f").I(cpu.Inst{Op: cpu.JMP, Target: codeBase + 2}),
			kind: cpu.IllegalFault, access: cpu.Exec, addr: codeBase + 2, reason: "misaligned pc", at: codeBase + 2},
		{name: "unknown opcode", code: p().L("f").Raw(0xFF, 0, 0, 0),
			kind: cpu.IllegalFault, access: cpu.Exec, reason: "unknown opcode 0xff"},
		{name: "reserved bits", code: p().L("f").Raw(0, 0, 0, 1),
			kind: cpu.IllegalFault, access: cpu.Exec, reason: "reserved bits set in 0x01000000"},
		{name: "bad mode", code: p().L("f").Raw(0, 1, 0, 0),
			kind: cpu.IllegalFault, access: cpu.Exec, reason: "nop: mode 0x01 not allowed"},
		{name: "truncated at the end of text", code: p().L("f").Raw(byte(cpu.MOV), byte(cpu.ModeImm), 0x10, 0),
			kind: cpu.IllegalFault, access: cpu.Exec, reason: "instruction truncated"},
		{name: "text not a multiple of 4", code: p().L("f").Raw(0, 0),
			kind: cpu.IllegalFault, access: cpu.Exec, reason: "instruction truncated"},
		{name: "running off the end of text", code: p().L("f"),
			kind: cpu.SegFault, access: cpu.Exec, addr: codeBase + 8, reason: "execute past the end of code segment"},
		{name: "jump outside code", code: p().L("f").I(cpu.Inst{Op: cpu.JMP, Target: 0x0005_0000}),
			kind: cpu.SegFault, access: cpu.Exec, addr: 0x0005_0000, reason: "execute of unmapped address", at: 0x0005_0000},
		{name: "call outside code", code: p().L("f").I(cpu.Inst{Op: cpu.CALL, Target: 0x0005_0000}),
			kind: cpu.SegFault, access: cpu.Exec, addr: 0x0005_0000, reason: "execute of unmapped address", at: 0x0005_0000},
		{name: "div by zero", code: p().L("f").I(rrr(cpu.DIV, 1, 2, 3)), regs: regs{2: 7},
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "div imm zero", code: p().L("f").I(rri(cpu.DIV, 1, 2, 0)), regs: regs{2: 7},
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "rem by zero", code: p().L("f").I(rrr(cpu.REM, 1, 2, 3)), regs: regs{2: intMin},
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "rem imm zero", code: p().L("f").I(rri(cpu.REM, 1, 2, 0)),
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "divu by zero", code: p().L("f").I(rrr(cpu.DIVU, 1, 2, 3)),
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "divu imm zero", code: p().L("f").I(rri(cpu.DIVU, 1, 2, 0)),
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "remu by zero", code: p().L("f").I(rrr(cpu.REMU, 1, 2, 3)),
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "remu imm zero", code: p().L("f").I(rri(cpu.REMU, 1, 2, 0)),
			kind: cpu.ArithFault, reason: "division by zero"},
		{name: "page not present in a segment",
			code:  p().L("f").I(abs(cpu.LD, 1, dataBase+cpu.PageSize+8)),
			setup: func(m *machine) { m.as.PT.Unmap(dataBase/cpu.PageSize + 1) },
			kind:  cpu.SegFault, access: cpu.Read, addr: dataBase + cpu.PageSize + 8, reason: "read of a page not present"},
		{name: "straddling store, second page not present",
			code:  p().L("f").I(abs(cpu.ST, 1, dataBase+cpu.PageSize-1)),
			setup: func(m *machine) { m.as.PT.Unmap(dataBase/cpu.PageSize + 1) },
			kind:  cpu.SegFault, access: cpu.Write, addr: dataBase + cpu.PageSize, reason: "write of a page not present"},
		{name: "straddling fetch, second page not present",
			code:  p().Pad(0x2000 - 4).L("f").I(movi(1, 2)).I(syscall),
			setup: func(m *machine) { m.as.PT.Unmap(0x2000 / cpu.PageSize) },
			kind:  cpu.SegFault, access: cpu.Exec, addr: 0x2000, reason: "execute of a page not present"},
	}
}

func TestFaults(t *testing.T) {
	for _, tt := range faultTests() {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.code.Bytes()
			var segs []seg
			if tt.segs != nil {
				segs = tt.segs(text)
			}
			m := newMachine(t, 4, text, segs...)
			if tt.setup != nil {
				tt.setup(m)
			}
			for r, v := range tt.regs {
				m.cpu.SetReg(r, v)
			}
			pc := tt.code.Addr("f")
			addr := tt.addr
			if addr == 0 && tt.kind != cpu.SegFault {
				addr = pc
				if tt.at != 0 {
					addr = tt.at
				}
			}
			// Run to just before the faulting instruction, then let it fault.
			var before cpu.Context
			n := uint64(0)
			for m.cpu.PC() != pc || n == 0 {
				if why, k := m.cpu.Run(1); why != cpu.StopBudget || k != 1 {
					t.Fatalf("stopped early: %v (%v) at %#x", why, &m.cpu.Fault, m.cpu.PC())
				}
				if n++; n > 10_000 {
					t.Fatal("never reached the faulting instruction")
				}
			}
			if tt.at != 0 || tt.name == "jump to null" {
				// The jump completes; its target faults.
				if why, k := m.cpu.Run(1); why != cpu.StopBudget || k != 1 {
					t.Fatalf("the jump stopped: %v (%v)", why, &m.cpu.Fault)
				}
				pc = tt.at
				n++
			}
			before = m.cpu.Context()
			why, k := m.cpu.Run(100)
			if why != cpu.StopFault || k != 0 || m.cpu.PC() != pc {
				t.Fatalf("Run = %v after %d (pc %#x), want an immediate fault at %#x", why, k, m.cpu.PC(), pc)
			}
			want := cpu.Fault{Kind: tt.kind, Access: tt.access, Addr: addr, PC: pc, Reason: tt.reason}
			if m.cpu.Fault != want {
				t.Errorf("fault\n got %+v\nwant %+v", m.cpu.Fault, want)
			}
			if m.cpu.Context() != before {
				t.Errorf("the faulting instruction changed the registers:\n got %+v\nwant %+v", m.cpu.Context(), before)
			}
			if m.cpu.Retired != n {
				t.Errorf("Retired = %d, want %d (the fault does not count)", m.cpu.Retired, n)
			}
			m.checkCanaries(t)
		})
	}
}

// TestFaultAfterBudget: a fault after some instructions reports how many
// completed.
func TestFaultCountsCompleted(t *testing.T) {
	text := new(prog).I(nop).I(nop).I(nop).I(abs(cpu.ST, 1, codeBase)).Bytes()
	m := newMachine(t, 4, text)
	if why, n := m.cpu.Run(100); why != cpu.StopFault || n != 3 || m.cpu.PC() != codeBase+12 || m.cpu.Fault.PC != codeBase+12 {
		t.Fatalf("Run = %v, %d, pc %#x, fault %+v", why, n, m.cpu.PC(), m.cpu.Fault)
	}
	// Running again faults again, at once.
	if why, n := m.cpu.Run(100); why != cpu.StopFault || n != 0 {
		t.Fatalf("second Run = %v, %d", why, n)
	}
}

func TestFaultError(t *testing.T) {
	f := cpu.Fault{Kind: cpu.SegFault, Reason: "write to code segment"}
	if got := f.Error(); got != "segmentation fault (write to code segment)" {
		t.Errorf("Error() = %q", got)
	}
	f = cpu.Fault{Kind: cpu.ArithFault}
	if got := f.Error(); got != "arithmetic fault" {
		t.Errorf("Error() = %q", got)
	}
	for k, want := range map[cpu.FaultKind]string{cpu.NoFault: "no fault", cpu.SegFault: "segmentation fault",
		cpu.ArithFault: "arithmetic fault", cpu.IllegalFault: "illegal instruction"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
	for a, want := range map[cpu.Access]string{cpu.Read: "read", cpu.Write: "write", cpu.Exec: "execute"} {
		if a.String() != want {
			t.Errorf("%d.String() = %q, want %q", a, a.String(), want)
		}
	}
}
