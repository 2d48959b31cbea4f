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
