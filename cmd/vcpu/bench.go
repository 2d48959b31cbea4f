package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"vcpu/asm"
	"vcpu/kernel"
)

// The bench workloads: the interpreter's two hot paths, and a switch-heavy
// run of four threads. Each loops forever; --steps bounds it.
var benchWorkloads = []struct {
	name    string
	quantum uint64 // 0: the default
	src     string
}{
	{"alu loop", 0, `
main:   add  r1, r1, 3
        xor  r2, r2, r1
        shl  r3, r2, 1
        sub  r4, r3, r1
        bne  r4, 7, main
        jmp  main
`},
	{"load/store loop", 0, `
        .bss
arr:    .space 8192
        .text
main:   mov  r5, arr
loop:   ld   r6, [r5]
        add  r6, 1
        st   r6, [r5]
        push r6
        pop  r7
        add  r5, 4
        bltu r5, arr + 8192, loop
        jmp  main
`},
	{"4 threads, quantum 10", 10, `
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
spin:   ld   r6, [sp]
        add  r6, 1
        jmp  spin
`},
	{"syscall loop (WRITE)", 0, `
        .data
msg:    .ascii "x\n"
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, 2
        syscall
        jmp  main
`},
}

// benchModes are what each workload runs with: nothing listening, a
// listener counting the kernel's events (what --trace and the window
// pay), and --strace writing to a discarding writer.
var benchModes = []string{"none", "events", "strace"}

func newBenchFlags() (*flag.FlagSet, *uint64) {
	fs := newFlagSet("bench")
	return fs, fs.Uint64("steps", 20_000_000, "instructions per workload")
}

// cmdBench measures how fast this host runs guest instructions, with and
// without a trace listener attached and with and without --strace, so that
// the cost of the event stream and of tracing syscalls can be seen. It
// reads the host clock, which nothing inside a machine does.
func cmdBench(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, steps := newBenchFlags()
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "bench", err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "bench", fmt.Errorf("bench takes no programs"))
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tmode\tinstructions\tseconds\tM instr/s\tTLB hit rate\t")
	for _, w := range benchWorkloads {
		prog, err := asm.Assemble(w.name+".s", []byte(w.src), asm.Options{})
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitLoad
		}
		for _, mode := range benchModes {
			cfg := kernel.DefaultConfig()
			cfg.MaxSteps = *steps
			if w.quantum > 0 {
				cfg.Quantum = w.quantum
			}
			opts := kernel.Options{Stdout: io.Discard, Stderr: io.Discard}
			if mode == "strace" {
				opts.Strace = io.Discard
			}
			k, err := kernel.New(cfg, opts)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return exitLoad
			}
			events := 0
			if mode == "events" {
				k.Listen(func(*kernel.Event) { events++ })
			}
			if _, err := k.Start(prog, 0); err != nil {
				fmt.Fprintln(stderr, err)
				return exitLoad
			}
			t0 := time.Now()
			k.Run()
			secs := time.Since(t0).Seconds()
			s := k.Summarize()
			name := mode
			if mode == "events" {
				name = fmt.Sprintf("%d events", events)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.1f\t%.2f%%\t\n", w.name, name, s.Instructions, secs,
				float64(s.Instructions)/secs/1e6, pct(s.TLBHits, s.TLBHits+s.TLBMisses))
		}
	}
	tw.Flush()
	return 0
}
