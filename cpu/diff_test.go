package cpu_test

import (
	"fmt"
	"testing"

	"vcpu/cpu"
)

// way is one way of driving a machine: Run calls of the sizes slices gives
// (cycled), and with slow set, SetAddressSpace before each call, which
// closes every fast-path window, so that with slices of 1 every fetch and
// every access takes the slow path: the reference.
type way struct {
	slices []uint64
	slow   bool
}

func (w way) String() string {
	if w.slow {
		return fmt.Sprintf("%v slow", w.slices)
	}
	return fmt.Sprint(w.slices)
}

// reference steps one instruction at a time on the slow path.
var reference = way{slices: []uint64{1}, slow: true}

// drive runs m for up to limit instructions the given way, going on after
// syscalls, and returns the log of non-budget stops.
func drive(m *machine, w way, limit uint64) []string {
	var log []string
	var total uint64
	for i := 0; total < limit; i++ {
		if w.slow {
			m.cpu.SetAddressSpace(m.as)
		}
		why, n := m.cpu.Run(min(w.slices[i%len(w.slices)], limit-total))
		total += n
		switch why {
		case cpu.StopBudget:
			continue
		case cpu.StopSyscall:
			log = append(log, fmt.Sprintf("syscall at %d pc %#x", total, m.cpu.PC()))
			continue
		}
		log = append(log, fmt.Sprintf("%v at %d pc %#x", why, total, m.cpu.PC()))
		break
	}
	return log
}

// diffPrograms are loops that mix fetches, loads, stores and stack
// traffic over several pages so that a small TLB misses and evicts.
func diffPrograms() map[string]*prog {
	inc := func(r uint8, v uint32) cpu.Inst { return rri(cpu.ADD, r, r, v) }
	push := func(r uint8) cpu.Inst { return cpu.Inst{Op: cpu.PUSH, C: r} }
	ps := map[string]*prog{}

	ps["loads stores pushes on two pages"] = new(prog).
		I(movi(5, dataBase)).I(movi(6, 0)).I(movi(cpu.SP, stackBase+cpu.PageSize+12)).
		L("loop").
		I(rrr(cpu.ADD, 7, 5, 6)).
		I(mem(cpu.LD, 1, 7, 0)).
		I(rrr(cpu.ADD, 1, 1, 6)).
		I(mem(cpu.ST, 1, 7, cpu.PageSize)).
		I(push(1)).
		I(mem(cpu.LDB, 2, 7, 1)).
		I(mem(cpu.LD, 4, 5, cpu.PageSize-2)). // straddles the data pages
		To(cpu.Inst{Op: cpu.CALL}, "f").
		I(one(cpu.POP, 3)).
		I(mem(cpu.STB, 3, 7, 2)).
		I(inc(6, 12)).
		To(bri(cpu.BLTU, 6, cpu.PageSize-4), "loop").
		I(syscall).
		I(movi(6, 0)).
		To(cpu.Inst{Op: cpu.JMP}, "loop").
		L("f").
		I(push(4)).I(push(2)).I(push(1)). // the stack crosses its page boundary
		I(one(cpu.POP, 9)).I(one(cpu.POP, 10)).I(one(cpu.POP, 11)).
		I(mem(cpu.ST, 11, cpu.SP, neg(7))). // unaligned, below sp
		I(ret)

	// A loop whose branch straddles the code pages 0x1000 and 0x2000.
	straddle := new(prog).
		I(movi(5, dataBase)).I(movi(6, 0)).
		L("loop").
		I(rrr(cpu.ADD, 7, 5, 6)).
		I(mem(cpu.ST, 6, 7, 0)).
		I(abs(cpu.XADD, 6, dataBase+cpu.PageSize-1)).
		I(inc(6, 4)).
		To(cpu.Inst{Op: cpu.JMP}, "far").
		Pad(0x2000-4).
		L("far").
		To(bri(cpu.BLTU, 6, 2*cpu.PageSize-64), "loop"). // 12 bytes at 0x1ffc
		I(mem(cpu.XCHG, 6, 5, 8)).
		I(mem(cpu.LD, 6, 5, 12)).
		I(syscall).
		I(movi(6, 0)).
		To(cpu.Inst{Op: cpu.JMP}, "loop")
	ps["branch straddling code pages"] = straddle

	// The same, with a load straddling pages right after the straddling
	// fetch, and a walk that ends in a fault past the data segment.
	ps["walk into a fault"] = new(prog).
		I(movi(5, dataBase)).
		L("loop").
		I(mem(cpu.LD, 1, 5, 0)).
		I(mem(cpu.ST, 1, 5, 2)).
		I(push(1)).
		I(one(cpu.POP, 2)).
		To(cpu.Inst{Op: cpu.JMP}, "near").
		Pad(0x2000-8).
		L("near").
		I(inc(5, 3)). // 8 bytes: ends exactly on the page boundary
		To(cpu.Inst{Op: cpu.JMP}, "loop")

	// Recursion down the stack's two pages, then back to the gate.
	ps["recursion to the gate"] = new(prog).
		I(movi(1, 600)).
		To(cpu.Inst{Op: cpu.CALL}, "rec").
		I(ret).
		L("rec").
		To(bri(cpu.BEQ, 1, 0), "done").
		I(push(1)).
		I(one(cpu.DEC, 1)).
		To(cpu.Inst{Op: cpu.CALL}, "rec").
		I(one(cpu.POP, 2)).
		I(rrr(cpu.ADD, 3, 3, 2)).
		I(abs(cpu.XADD, 2, dataBase+cpu.PageSize-2)).
		L("done").
		I(ret)
	moreDiffPrograms(ps)
	return ps
}

// fastWays are the ways compared with the reference: one instruction per
// Run keeping the windows (the window's single step), one long Run, and
// slices that end the budget at every kind of place, also between the two
// instructions of a fused pair.
var fastWays = []way{
	{slices: []uint64{1}},
	{slices: []uint64{1 << 40}},
	{slices: []uint64{7, 1, 100}},
	{slices: []uint64{1000}},
	{slices: []uint64{2, 3, 5, 7, 11, 13}},
}

// TestFastPathExact runs each program the reference way and the fast ways,
// and checks that registers, memory, faults and every TLB counter, lastUse
// and LRU position agree.
func TestFastPathExact(t *testing.T) {
	for name, p := range diffPrograms() {
		text := p.Bytes()
		for _, size := range []int{1, 2, 3, 4, 16} {
			t.Run(fmt.Sprintf("%s/TLB %d", name, size), func(t *testing.T) {
				run := func(w way) (machineState, []string) {
					m := newMachine(t, size, text)
					m.setWord(t, stackTop-4, gate)
					m.cpu.SetReg(cpu.SP, stackTop-4)
					log := drive(m, w, 40_000)
					m.checkCanaries(t)
					return m.state(), log
				}
				slow, slowLog := run(reference)
				if slow.Stats.Evictions == 0 && size <= 3 {
					t.Errorf("no evictions: the test does not exercise the TLB (%+v)", slow.Stats)
				}
				for _, w := range fastWays {
					fast, fastLog := run(w)
					if d := slow.diff(fast); d != "" {
						t.Errorf("%v differs from stepping: %s", w, d)
					}
					if fmt.Sprint(slowLog) != fmt.Sprint(fastLog) {
						t.Errorf("%v: stops %v, stepping stopped %v", w, fastLog, slowLog)
					}
				}
			})
		}
	}
}

// TestDiffProgramsEnd checks the programs end the way they are meant to,
// so that the differential test covers faults and gates.
func TestDiffProgramsEnd(t *testing.T) {
	want := map[string]string{
		"walk into a fault":                "fault",
		"recursion to the gate":            "gate",
		"fused branch into a fault":        "fault",
		"fused call into a stack overflow": "fault",
	}
	for name, p := range diffPrograms() {
		m := newMachine(t, 4, p.Bytes())
		m.setWord(t, stackTop-4, gate)
		m.cpu.SetReg(cpu.SP, stackTop-4)
		log := drive(m, way{slices: []uint64{1 << 40}}, 40_000)
		last := "budget"
		if len(log) > 0 {
			last = log[len(log)-1]
		}
		w, ok := want[name]
		if !ok {
			w = "syscall"
		}
		if len(last) < len(w) || last[:len(w)] != w {
			t.Errorf("%s: last stop %q, want %s (%v)", name, last, w, &m.cpu.Fault)
		}
	}
}

// moreDiffPrograms are the fast paths of the uop interpreter: cross-page
// direct and computed calls, jumps and returns (trampolines and the window
// check), a straddling instruction at a function's start, a jump into the
// immediate word of another instruction (an alternative decoding), fused
// add+branch pairs of every condition, entered at their branch too, and a
// fused pair whose branch leaves the code.
func moreDiffPrograms(ps map[string]*prog) {
	// build makes a program twice: first to learn where its labels are,
	// then with those addresses in the computed jumps.
	build := func(f func(addr func(string) uint32) *prog) *prog {
		first := f(func(string) uint32 { return 0 })
		return f(first.Addr)
	}
	ps["calls and computed jumps across pages"] = build(func(addr func(string) uint32) *prog {
		return new(prog).
			I(movi(5, dataBase)).I(movi(6, 0)).I(movi(7, 3)).
			L("loop").
			To(cpu.Inst{Op: cpu.CALL}, "f1"). // to another page: a trampoline
			I(movi(9, addr("f2"))).
			I(cpu.Inst{Op: cpu.CALL, Mode: cpu.ModeTarget, C: 9}). // computed, to a third page
			I(movi(9, addr("near"))).
			I(cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 9}). // computed, same page
			I(nop).
			L("near").
			I(movi(9, addr("imm")+4)).
			I(cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 9}). // into the immediate below
			L("imm").
			I(movi(1, 0x00000000)). // its immediate is the encoding of nop
			I(rri(cpu.ADD, 6, 6, 1)).
			To(bri(cpu.BLT, 6, 40), "loop"). // fused with the add
			I(mem(cpu.LD, 1, 5, 0)).
			I(movi(9, addr("br"))).
			I(cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 9}). // to the branch of a fused pair
			L("pair").
			I(one(cpu.DEC, 7)).
			L("br").
			To(bri(cpu.BNE, 7, 0), "pair").
			I(syscall).
			I(movi(6, 0)).I(movi(7, 3)).
			To(cpu.Inst{Op: cpu.JMP}, "loop").
			Pad(0x2000-4).
			L("f1").
			I(movi(8, 7)). // 8 bytes at 0x1ffc: straddles the code pages
			I(cpu.Inst{Op: cpu.PUSH, C: 6}).
			I(mem(cpu.ST, 6, 5, 4)).
			I(one(cpu.POP, 10)).
			I(ret). // back across the page boundary
			Pad(0x3000).
			L("f2").
			I(rri(cpu.ADD, 11, 11, 1)).
			To(bri(cpu.BGEU, 11, 1<<30), "f2"). // fused, never taken
			I(ret)
	})

	// Every condition fused with an add, register and immediate forms: a
	// taken branch skips the add to r4 after it, so r4 records the
	// untaken ones.
	fused := new(prog).I(movi(2, 50)).I(movi(5, dataBase)).
		L("loop").
		I(rri(cpu.ADD, 3, 3, 7)).
		I(mem(cpu.ST, 3, 5, 0)).                            // data page 1,
		I(mem(cpu.LD, 12, 5, cpu.PageSize)).                // data page 2,
		I(cpu.Inst{Op: cpu.PUSH, C: 3}).I(one(cpu.POP, 13)) // the stack: a small TLB evicts
	// Each condition after each kind of add: of an immediate (the sub),
	// a subtraction of a register, an addition of a register, into the
	// register the branch tests or another.
	adds := []cpu.Inst{rri(cpu.SUB, 3, 3, 5), rrr(cpu.SUB, 3, 3, 2), rrr(cpu.ADD, 6, 3, 2)}
	for op := cpu.BEQ; op <= cpu.BGEU; op++ {
		for _, imm := range []bool{false, true} {
			for k, add := range adds {
				next := fmt.Sprintf("%v%v%d", op, imm, k)
				br := brr(op, 3, 2)
				if imm {
					br = bri(op, 3, 0x300)
				}
				fused.I(add).To(br, next).I(rri(cpu.ADD, 4, 4, uint32(op))).L(next)
			}
		}
	}
	fused.I(rri(cpu.ADD, 2, 2, 3)).
		To(bri(cpu.BLTU, 2, 0x100), "loop").
		I(syscall).
		I(movi(2, 0)).
		To(cpu.Inst{Op: cpu.JMP}, "loop")
	ps["fused pairs of every condition"] = fused

	// Fused sub+call pairs recursing until the call's push overflows the
	// stack: a fault inside a fused pair, its add counted.
	ps["fused call into a stack overflow"] = new(prog).
		I(movi(5, dataBase)).
		L("rec").
		I(mem(cpu.ST, 1, 5, 0)).
		I(mem(cpu.LD, 12, 5, cpu.PageSize)).
		I(rri(cpu.SUB, 1, 1, 1)).
		To(cpu.Inst{Op: cpu.CALL}, "rec")

	// A fused pair whose branch leaves the code: the pair completes, then
	// the fetch faults.
	ps["fused branch into a fault"] = new(prog).
		I(movi(5, dataBase)).
		L("loop").
		I(mem(cpu.ST, 1, 5, 0)).
		I(mem(cpu.LD, 12, 5, cpu.PageSize)).
		I(cpu.Inst{Op: cpu.PUSH, C: 1}).I(one(cpu.POP, 13)).
		I(rri(cpu.ADD, 1, 1, 1)).
		To(bri(cpu.BNE, 1, 500), "loop").
		I(one(cpu.INC, 1)).
		I(bri(cpu.BEQ, 1, 501)) // Target 0: the null page
}

// TestWindowsSeeKernelChanges: the fast-path windows outlive Run calls, so
// a change the kernel makes between calls (a shrunk segment, an unmapped
// page, a flushed TLB) must close every window it touches, the windows
// put aside for a return to their page included. The program stores to
// two data pages in turn, so that each store reopens a window from its
// stream's spares.
func TestWindowsSeeKernelChanges(t *testing.T) {
	text := new(prog).
		I(movi(5, dataBase)).
		L("loop").
		I(mem(cpu.ST, 1, 5, 0x100)).              // page 1,
		I(mem(cpu.ST, 1, 5, 0x104)).              // the same window,
		I(mem(cpu.ST, 1, 5, cpu.PageSize+0x100)). // page 2,
		I(mem(cpu.ST, 1, 5, cpu.PageSize+0x104)). // the same window
		I(rri(cpu.ADD, 1, 1, 1)).
		To(cpu.Inst{Op: cpu.JMP}, "loop").Bytes()
	tests := []struct {
		name   string
		change func(m *machine)
	}{
		{"data segment shrunk below both stores", func(m *machine) { m.as.Segments[1].Limit = 0x100 }},
		{"second page unmapped", func(m *machine) {
			m.as.PT.Unmap(dataBase/cpu.PageSize + 1)
			m.cpu.TLB.Invalidate(m.as.ASID, dataBase/cpu.PageSize+1)
		}},
		{"data made read-only", func(m *machine) { m.as.Segments[1].Perm = cpu.PermR }},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 4, 16} {
			for _, first := range []uint64{30, 31, 32, 33, 34, 35} { // stop before each instruction of the loop
				run := func(slow bool) (machineState, cpu.StopReason) {
					m := newMachine(t, size, text)
					if why, _ := m.cpu.Run(first); why != cpu.StopBudget { // every window and spare open
						t.Fatalf("%s: stopped %v (%v)", tt.name, why, &m.cpu.Fault)
					}
					tt.change(m)
					if slow {
						m.cpu.SetAddressSpace(m.as)
					}
					why, _ := m.cpu.Run(100)
					return m.state(), why
				}
				want, wantWhy := run(true)
				got, why := run(false)
				if wantWhy != cpu.StopFault {
					t.Fatalf("%s: the slow path did not fault (%v)", tt.name, wantWhy)
				}
				if d := want.diff(got); d != "" || why != wantWhy {
					t.Errorf("%s, TLB %d, first Run %d: stopped %v, %s", tt.name, size, first, why, d)
				}
			}
		}
	}
}
