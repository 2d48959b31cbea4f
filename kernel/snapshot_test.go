package kernel_test

import (
	"testing"

	"vcpu/cpu"
	"vcpu/kernel"
)

// A snapshot shows the machine as it was, and stays as it was while the
// machine runs on.
func TestSnapshot(t *testing.T) {
	src := `
        .data
lk:     .word 0
        .text
main:   mov  r0, SYS_LOCK
        mov  r1, lk
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, waiter
        syscall
        mov  r9, 99
spin:   jmp  spin
waiter: mov  r0, SYS_LOCK
        mov  r1, lk
        syscall
        ret
`
	m := boot(t, cfgWith(func(c *kernel.Config) { c.Quantum = 10 }), src, "main: jmp main\n")
	m.Advance(25) // tid 1 runs 10, tid 2 (pid 2) 10, tid 3 blocks on the lock, tid 1 again
	s := m.Snapshot()
	if s.Running == nil || s.Running.TID != 1 || s.Regs.R[9] != 99 {
		t.Fatalf("running %+v, r9 %d: want tid 1 with r9 = 99", s.Running, s.Regs.R[9])
	}
	if len(s.Ready) != 1 || s.Ready[0] != 2 {
		t.Errorf("ready queue %v, want [2]", s.Ready)
	}
	p1 := s.Processes[0]
	if got := p1.Threads[1]; got.State != kernel.Blocked || got.Waits == "" {
		t.Errorf("tid 3: %+v, want blocked on the lock", got)
	}
	kinds := map[cpu.SegKind]int{}
	for _, seg := range p1.Segments {
		kinds[seg.Kind]++
	}
	if kinds[cpu.SegCode] != 1 || kinds[cpu.SegStack] != 2 || kinds[cpu.SegHeap] != 1 {
		t.Errorf("segments by kind %v: want one code, one heap, two stacks", kinds)
	}
	owned := 0
	for _, f := range s.Frames {
		if f.PID == 1 {
			owned++
		}
	}
	if owned != s.Summary.Processes[0].Frames {
		t.Errorf("%d frames owned by pid 1, summary says %d", owned, s.Summary.Processes[0].Frames)
	}
	ranks := 0
	for _, e := range s.TLB {
		if e.Valid != (e.LRURank >= 0) {
			t.Errorf("slot %+v: rank and validity disagree", e)
		}
		if e.Valid {
			ranks++
		}
	}
	if ranks == 0 || p1.Files[1] != "stdout" {
		t.Errorf("%d valid TLB entries, fd 1 %q", ranks, p1.Files[1])
	}
	clock := s.Clock
	m.Advance(100)
	if s.Clock != clock || s.Running.TID != 1 || len(s.Ready) != 1 {
		t.Error("the snapshot changed when the machine ran on")
	}
}
