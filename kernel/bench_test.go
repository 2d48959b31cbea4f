package kernel_test

import (
	"fmt"
	"io"
	"testing"

	"vcpu/kernel"
)

// BenchmarkMachine runs a switch-heavy machine (four threads of one process
// and a second process, quantum 10) with nobody listening, with a listener
// that counts events, and with the Chrome trace writing to io.Discard: the
// first two must be within noise of each other, since the kernel builds no
// event when nobody listens and never one per instruction.
func BenchmarkMachine(b *testing.B) {
	src := `
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
spin:   ld   r6, [sp]
        add  r6, 1
        st   r6, [sp]
        jmp  spin
`
	prog := assemble(b, "bench.s", src)
	const steps = 1_000_000
	for _, mode := range []string{"off", "listener", "trace"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				cfg := kernel.DefaultConfig()
				cfg.Quantum = 10
				cfg.MaxSteps = steps
				k, _ := kernel.New(cfg, kernel.Options{})
				switch mode {
				case "listener":
					k.Listen(func(*kernel.Event) {})
				case "trace":
					defer kernel.NewChromeTrace(k, io.Discard).Close()
				}
				k.Start(prog, 0)
				k.Start(prog, 0)
				k.Run()
			}
			b.ReportMetric(float64(steps)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Minstr/s")
		})
	}
}

// BenchmarkFailedFork measures a fork bomb once memory is full: every
// process forks forever and each fork fails. A failing fork must cost the
// host about what any syscall does (finding 14: it used to build a page
// table, copy frames and tear it all down, some 5-10 µs each).
func BenchmarkFailedFork(b *testing.B) {
	k := forkBomb(b)
	before := k.Stats.Syscalls
	b.ResetTimer()
	k.Advance(3 * uint64(b.N)) // one fork per three instructions
	b.StopTimer()
	forks := k.Stats.Syscalls - before
	if live := len(k.Processes()); forks == 0 || live < 2 {
		b.Fatalf("%d forks, %d processes: the bomb did not run", forks, live)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(forks), "ns/fork")
}

// yieldLoop creates r1 more threads (none when started with 0), then every
// thread yields forever: three instructions per yield, and with more than
// one thread every yield is a switch.
const yieldLoop = `
main:   mov  r9, r1
create: beq  r9, 0, y
        mov  r0, SYS_THREAD_CREATE
        mov  r1, y
        mov  r2, 0
        syscall
        dec  r9
        jmp  create
y:      mov  r0, SYS_YIELD
        syscall
        jmp  y
`

// benchYield boots procs processes of threads threads each, lets them all
// start, then measures the host time per yield (a switch, with more than one
// thread) over b.N yields. A flat ns/switch from 1 to 1000 threads and to 256
// processes is the ready queue's O(1) dequeue showing.
func benchYield(b *testing.B, procs, threads int) {
	prog := assemble(b, "yield.s", yieldLoop)
	cfg := kernel.DefaultConfig()
	cfg.MaxProcs, cfg.MaxThreads = max(procs, 1), max(threads, 1)
	cfg.StackSize = 4 << 10
	cfg.MemSize = 16 << 20
	k, err := kernel.New(cfg, kernel.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for range procs {
		if _, err := k.Start(prog, uint32(threads-1)); err != nil {
			b.Fatal(err)
		}
	}
	k.Advance(uint64(1000 * procs * threads)) // every thread created and yielding
	switches := func() uint64 { return k.Stats.ThreadSwitches + k.Stats.ProcessSwitches }
	yields, sw := k.Stats.Syscalls, switches()
	b.ReportAllocs()
	b.ResetTimer()
	k.Advance(3 * uint64(b.N))
	b.StopTimer()
	if k.Done() {
		b.Fatalf("the machine stopped: %v", k.Outcome())
	}
	yields, sw = k.Stats.Syscalls-yields, switches()-sw
	if procs*threads > 1 && sw != yields {
		b.Fatalf("%d yields made %d switches", yields, sw)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(yields), "ns/yield")
}

// BenchmarkThreadSwitch: threads of one process yield to each other.
func BenchmarkThreadSwitch(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("threads=%d", n), func(b *testing.B) { benchYield(b, 1, n) })
	}
}

// BenchmarkProcessSwitch: single-threaded processes yield to each other;
// every yield switches address spaces and flushes the TLB.
func BenchmarkProcessSwitch(b *testing.B) {
	for _, n := range []int{2, 4, 16, 64, 256} {
		b.Run(fmt.Sprintf("procs=%d", n), func(b *testing.B) { benchYield(b, n, 1) })
	}
}

// BenchmarkTimer is one thread spinning alone: every quantum the timer
// preempts it and the scheduler dispatches it again, so the host time per
// quantum beyond the quantum's own instructions is the timer boundary's cost.
func BenchmarkTimer(b *testing.B) {
	prog := assemble(b, "spin.s", "main: add r1, 1\n jmp main\n")
	for _, q := range []uint64{1, 10, 100} {
		b.Run(fmt.Sprintf("quantum=%d", q), func(b *testing.B) {
			cfg := kernel.DefaultConfig()
			cfg.Quantum = q
			k, _ := kernel.New(cfg, kernel.Options{})
			if _, err := k.Start(prog, 0); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			k.Advance(q * uint64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/quantum")
		})
	}
}
