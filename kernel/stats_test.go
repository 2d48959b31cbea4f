package kernel_test

import (
	"testing"

	"vcpu/kernel"
)

const yielder = `
        .equ K, 5
main:   mov  r5, 0
loop:   mov  r0, SYS_YIELD
        syscall
        inc  r5
        blt  r5, K, loop
        mov  r0, 0
        ret
`

// Counters on programs small enough to count by hand.
func TestCountersByHand(t *testing.T) {
	tests := []struct {
		name                      string
		asid                      bool
		srcs                      []string
		procSwitches, thrSwitches uint64
		flushes                   uint64
	}{
		{
			// main creates T; each yields K=5 times, handing the CPU to the
			// other every time (2K switches); then main joins T, which is
			// still ready (switch to T), and T's end wakes main (switch back).
			name: "two threads yielding K times",
			srcs: []string{`
        .equ K, 5
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, body
        syscall
        mov  r6, r0
        call body
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, 0
        ret
body:   mov  r5, 0
loop:   mov  r0, SYS_YIELD
        syscall
        inc  r5
        blt  r5, K, loop
        ret
`},
			thrSwitches: 2*5 + 2,
		},
		{
			// pid 1 and pid 2 alternate on every yield (2K switches); pid 1
			// ends first and the CPU goes back to pid 2 once more.
			name:         "two processes yielding K times",
			srcs:         []string{yielder, yielder},
			procSwitches: 2*5 + 1, flushes: 2*5 + 1,
		},
		{
			name: "the same with ASIDs: no flush", asid: true,
			srcs:         []string{yielder, yielder},
			procSwitches: 2*5 + 1, flushes: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := boot(t, cfgWith(func(c *kernel.Config) { c.ASID = tc.asid }), tc.srcs...)
			m.Run()
			s := m.Summarize()
			if s.ProcessSwitches != tc.procSwitches || s.ThreadSwitches != tc.thrSwitches || s.TLBFlushes != tc.flushes {
				t.Errorf("process switches %d, thread switches %d, flushes %d; want %d, %d, %d",
					s.ProcessSwitches, s.ThreadSwitches, s.TLBFlushes, tc.procSwitches, tc.thrSwitches, tc.flushes)
			}
			if err := m.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// The cycle total is the cost model applied to the counters, and the
// per-thread figures add up to the machine's.
func TestCyclesAddUp(t *testing.T) {
	m := boot(t, kernel.DefaultConfig(), yielder, yielder)
	m.Run()
	s := m.Summarize()
	c := m.Config().Costs
	want := s.Instructions*c.Instruction + s.TLBMisses*c.TLBMiss +
		(s.ProcessSwitches+s.ThreadSwitches)*c.ContextSwitch + s.ProcessSwitches*c.AddressSwitch
	if s.Cycles != want {
		t.Errorf("cycles %d, want %d", s.Cycles, want)
	}
	var instr, misses, cycles uint64
	for _, p := range s.Processes {
		instr += p.Instructions
		misses += p.TLBMisses
		cycles += p.Cycles
	}
	if instr != s.Instructions || misses != s.TLBMisses {
		t.Errorf("processes add up to %d instructions and %d misses; machine has %d and %d", instr, misses, s.Instructions, s.TLBMisses)
	}
	if cycles != s.Cycles {
		t.Errorf("process cycles add up to %d, machine has %d", cycles, s.Cycles)
	}
	if s.Outcome != "all exited" {
		t.Errorf("outcome %q, want all exited", s.Outcome)
	}
}
