package kernel_test

import (
	"io"
	"testing"

	"vcpu/asm"
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
	prog, err := asm.Assemble("bench.s", []byte(src), asm.Options{})
	if err != nil {
		b.Fatal(err)
	}
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
	prog, err := asm.Assemble("bomb.s", []byte("main: mov r0, SYS_FORK\nsyscall\njmp main\n"), asm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	k, _ := kernel.New(kernel.DefaultConfig(), kernel.Options{})
	k.Start(prog, 0)
	k.Advance(1_000_000) // the bomb fills memory long before this
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
