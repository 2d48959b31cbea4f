package cpu_test

import (
	"fmt"
	"testing"

	"vcpu/cpu"
)

// drive runs m for up to limit instructions in Run calls of the sizes
// slice gives (cycled), going on after syscalls, and returns the log of
// non-budget stops. Every Run call starts with its fast-path windows
// closed, so slices of 1 run (nearly) everything through the slow path.
func drive(m *machine, slices []uint64, limit uint64) []string {
	var log []string
	var total uint64
	for i := 0; total < limit; i++ {
		why, n := m.cpu.Run(min(slices[i%len(slices)], limit-total))
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
	return ps
}

// TestFastPathExact runs each program with one-instruction Run calls
// (the slow path), with odd-sized slices, and in one Run, and checks that
// registers, memory, faults and every TLB counter and LRU position agree.
func TestFastPathExact(t *testing.T) {
	for name, p := range diffPrograms() {
		text := p.Bytes()
		for _, size := range []int{2, 3, 4, 16} {
			t.Run(fmt.Sprintf("%s/TLB %d", name, size), func(t *testing.T) {
				run := func(slices ...uint64) (machineState, []string) {
					m := newMachine(t, size, text)
					m.setWord(t, stackTop-4, gate)
					m.cpu.SetReg(cpu.SP, stackTop-4)
					log := drive(m, slices, 40_000)
					m.checkCanaries(t)
					return m.state(), log
				}
				slow, slowLog := run(1)
				if slow.Stats.Evictions == 0 && size <= 3 {
					t.Errorf("no evictions: the test does not exercise the TLB (%+v)", slow.Stats)
				}
				for _, slices := range [][]uint64{{1 << 40}, {7, 1, 100}, {1000}} {
					fast, fastLog := run(slices...)
					if d := slow.diff(fast); d != "" {
						t.Errorf("slices %v differ from stepping: %s", slices, d)
					}
					if fmt.Sprint(slowLog) != fmt.Sprint(fastLog) {
						t.Errorf("slices %v: stops %v, stepping stopped %v", slices, fastLog, slowLog)
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
		"walk into a fault":     "fault",
		"recursion to the gate": "gate",
	}
	for name, p := range diffPrograms() {
		m := newMachine(t, 4, p.Bytes())
		m.setWord(t, stackTop-4, gate)
		m.cpu.SetReg(cpu.SP, stackTop-4)
		log := drive(m, []uint64{1 << 40}, 40_000)
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
