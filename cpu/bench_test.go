package cpu_test

import (
	"testing"

	"vcpu/cpu"
)

// benchSlice is how many guest instructions one benchmark iteration runs:
// large enough that the per-Run setup does not dominate, like a kernel
// quantum of a few thousand instructions.
const benchSlice = 10_000

// benchRun runs the (endless) program p for b.N slices with the MMU and a
// 16-entry TLB, and reports guest instructions per second.
func benchRun(b *testing.B, p *prog) {
	m := newMachine(b, 16, p.Bytes())
	var instrs uint64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		why, n := m.cpu.Run(benchSlice)
		if why != cpu.StopBudget {
			b.Fatalf("stopped: %v (%v)", why, &m.cpu.Fault)
		}
		instrs += n
	}
	b.StopTimer()
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(instrs)/s, "instr/s")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(instrs), "ns/instr")
}

// BenchmarkALULoop is a tight register loop: add, xor, shl and a branch.
func BenchmarkALULoop(b *testing.B) {
	p := new(prog).
		I(movi(2, 1)).
		L("loop").
		I(rrr(cpu.ADD, 1, 1, 2)).
		I(rrr(cpu.XOR, 3, 3, 1)).
		I(rri(cpu.SHL, 4, 1, 3)).
		I(rri(cpu.ADD, 2, 2, 1)).
		To(bri(cpu.BNE, 2, 0), "loop").
		To(cpu.Inst{Op: cpu.JMP}, "loop")
	benchRun(b, p)
}

// BenchmarkLoadStoreLoop walks an array that covers both data pages:
// load, add, store, then a push and a pop on the stack.
func BenchmarkLoadStoreLoop(b *testing.B) {
	p := new(prog).
		I(movi(5, dataBase)).
		I(movi(2, 3)).
		L("outer").
		I(movi(6, 0)).
		L("inner").
		I(rrr(cpu.ADD, 7, 5, 6)).
		I(mem(cpu.LD, 1, 7, 0)).
		I(rrr(cpu.ADD, 1, 1, 2)).
		I(mem(cpu.ST, 1, 7, 0)).
		I(cpu.Inst{Op: cpu.PUSH, C: 1}).
		I(one(cpu.POP, 3)).
		I(rri(cpu.ADD, 6, 6, 4)).
		To(bri(cpu.BLTU, 6, dataLimit), "inner").
		To(cpu.Inst{Op: cpu.JMP}, "outer")
	benchRun(b, p)
}

// BenchmarkCallLoop is recursive calls, fib(20) over and over: call, ret,
// push and pop, a data-dependent branch, a fused sub+call.
func BenchmarkCallLoop(b *testing.B) {
	p := new(prog).
		L("main").
		I(movi(1, 20)).
		To(cpu.Inst{Op: cpu.CALL}, "fib").
		To(cpu.Inst{Op: cpu.JMP}, "main").
		L("fib").
		To(bri(cpu.BLT, 1, 2), "base").
		I(cpu.Inst{Op: cpu.PUSH, C: 1}).
		I(rri(cpu.SUB, 1, 1, 1)).
		To(cpu.Inst{Op: cpu.CALL}, "fib").
		I(one(cpu.POP, 1)).
		I(cpu.Inst{Op: cpu.PUSH, C: 0}).
		I(rri(cpu.SUB, 1, 1, 2)).
		To(cpu.Inst{Op: cpu.CALL}, "fib").
		I(one(cpu.POP, 2)).
		I(rrr(cpu.ADD, 0, 0, 2)).
		I(ret).
		L("base").
		I(movr(0, 1)).
		I(ret)
	benchRun(b, p)
}
