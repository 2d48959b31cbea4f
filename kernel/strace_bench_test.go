package kernel_test

import (
	"io"
	"testing"

	"vcpu/kernel"
)

// BenchmarkSyscalls runs a loop that makes a WRITE every five
// instructions, without --strace and with it writing to io.Discard: off,
// --strace must cost nothing (one nil check per call); on, it costs the
// formatting of a line per call.
func BenchmarkSyscalls(b *testing.B) {
	src := `
        .data
msg:    .ascii "x\n"
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, 2
        syscall
        jmp  main
`
	prog := assemble(b, "bench.s", src)
	const steps = 1_000_000
	for _, mode := range []string{"off", "strace"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				cfg := kernel.DefaultConfig()
				cfg.MaxSteps = steps
				opts := kernel.Options{Stdout: io.Discard}
				if mode == "strace" {
					opts.Strace = io.Discard
				}
				k, _ := kernel.New(cfg, opts)
				k.Start(prog, 0)
				k.Run()
			}
			b.ReportMetric(float64(steps)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Minstr/s")
		})
	}
}
