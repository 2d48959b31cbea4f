package kernel_test

import (
	"reflect"
	"strings"
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

// Every thread's registers are in the snapshot: the running one's live,
// the others' as saved, and each frame says which page it backs.
func TestSnapshotThreadRegistersAndPages(t *testing.T) {
	src := `
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        mov  r2, 7
        syscall
        mov  r9, 11
spin:   jmp  spin
worker: mov  r9, 22
wspin:  jmp  wspin
`
	m := boot(t, cfgWith(func(c *kernel.Config) { c.Quantum = 20 }), src)
	m.Advance(30) // tid 1 runs 20 (r9 = 11), tid 2 runs 10 (r9 = 22), still on the CPU
	s := m.Snapshot()
	p := s.Processes[0]
	regs := map[int]cpu.Context{}
	for _, th := range p.Threads {
		regs[th.TID] = th.Regs
	}
	if regs[1].R[9] != 11 || regs[2].R[9] != 22 || regs[2].R[1] != 7 {
		t.Errorf("r9 of tid 1 = %d, of tid 2 = %d, r1 of tid 2 = %d; want 11, 22, 7", regs[1].R[9], regs[2].R[9], regs[2].R[1])
	}
	if s.Running == nil || s.Running.TID != 2 || s.Running.Regs != s.Regs {
		t.Errorf("running %+v: want tid 2 with the CPU's registers", s.Running)
	}
	sp := regs[2].R[cpu.SP]
	for _, seg := range p.Segments {
		if seg.Kind == cpu.SegStack && seg.Owner == 2 && !seg.Contains(sp, 4) {
			t.Errorf("tid 2's sp %#x is outside its stack %v", sp, seg.String())
		}
	}
	// Each owned frame names the page it backs, and that page lies in a
	// segment of the same kind.
	for f, o := range s.Frames {
		if o.PID != 1 {
			continue
		}
		found := false
		for _, seg := range p.Segments {
			if seg.Kind == o.Kind && o.VPN >= seg.Base/cpu.PageSize && o.VPN <= (seg.End()-1)/cpu.PageSize {
				found = true
			}
		}
		if !found {
			t.Errorf("frame %d backs page %#x (%s), which no %s segment holds", f, o.VPN, o.Kind, o.Kind)
		}
	}
}

// An ended process keeps, in the snapshot, the address space it had, its
// threads' last registers and why it ended: the window shows the end of a
// run, not an empty machine.
func TestSnapshotKeepsTheEnd(t *testing.T) {
	tests := []struct {
		name, src  string
		status     int
		why, fault string
		where      string
	}{
		{"exit", "main: mov r7, 5\n mov r0, SYS_EXIT\n mov r1, 3\n syscall\n", 3, "exit", "", ""},
		{"return", "main: mov r7, 5\n mov r0, 4\n ret\n", 4, "returned from main", "", ""},
		{"fault", "main: mov r7, 5\n mov r1, 0\n st r1, [r1]\n ret\n", 139, "segmentation fault (write of null page)", "(write of null page) at 0x00000000", "p1.s:3"},
	}
	for _, tt := range tests {
		m := boot(t, kernel.DefaultConfig(), tt.src)
		m.Run()
		s := m.Snapshot()
		if len(s.Processes) != 1 {
			t.Fatalf("%s: %d processes in the snapshot, want the ended one", tt.name, len(s.Processes))
		}
		p := s.Processes[0]
		e := p.Ended
		switch {
		case e == nil:
			t.Fatalf("%s: no ending", tt.name)
		case p.Status != tt.status || p.ExitReason != tt.why || e.TID != 1:
			t.Errorf("%s: status %d, %q, ending %+v; want status %d, why %q, tid 1", tt.name, p.Status, p.ExitReason, e, tt.status, tt.why)
		case !strings.Contains(e.Fault, tt.fault) || e.Where != tt.where:
			t.Errorf("%s: fault %q at %q, want %q at %q", tt.name, e.Fault, e.Where, tt.fault, tt.where)
		}
		kinds := map[cpu.SegKind]bool{}
		for _, seg := range p.Segments {
			kinds[seg.Kind] = true
		}
		if !kinds[cpu.SegCode] || !kinds[cpu.SegStack] {
			t.Errorf("%s: the ended process's segments %v lack code or stack", tt.name, p.Segments)
		}
		if p.Threads[0].Regs.R[7] != 5 {
			t.Errorf("%s: last r7 %d, want 5", tt.name, p.Threads[0].Regs.R[7])
		}
		for f, o := range s.Frames {
			if o.PID != 0 {
				t.Errorf("%s: frame %d still owned by pid %d after the end", tt.name, f, o.PID)
			}
		}
	}
}

// AdvanceToSwitch stops with the next thread on the CPU, before it runs,
// and ends there however large the budget.
func TestAdvanceToSwitch(t *testing.T) {
	src := `
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        syscall
spin:   jmp  spin
worker: jmp  worker
`
	m := boot(t, cfgWith(func(c *kernel.Config) { c.Quantum = 50 }), src, "main: jmp main\n")
	tests := []struct {
		clock uint64
		tid   int
	}{{50, 2}, {100, 3}, {150, 1}, {200, 2}}
	for _, tt := range tests {
		ran, switched := m.AdvanceToSwitch(1 << 20)
		s := m.Snapshot()
		if !switched || s.Clock != tt.clock || s.Running == nil || s.Running.TID != tt.tid {
			t.Fatalf("ran %d switched %v: clock %d running %+v; want a switch to tid %d at %d", ran, switched, s.Clock, s.Running, tt.tid, tt.clock)
		}
	}
	// A budget that ends first is no switch; plain Advance never stops early.
	if ran, switched := m.AdvanceToSwitch(10); ran != 10 || switched {
		t.Errorf("a budget of 10: ran %d, switched %v", ran, switched)
	}
	if ran := m.Advance(200); ran != 200 {
		t.Errorf("Advance(200) ran %d after AdvanceToSwitch", ran)
	}
}

// Between two calls of Advance the CPU is never idle while the run goes
// on: dispatch takes no time, so a quantum that ends with the budget has
// already handed the CPU on (the window must never show the only thread
// "ready" with nobody running). Whatever the budgets, the run counts the
// same as one Run, and the step limit still stops it before a switch.
func TestAdvanceNeverReturnsIdle(t *testing.T) {
	sleeper := `
main:   mov  r5, 7
loop:   sub  r5, 1
        bne  r5, 0, loop
        mov  r0, SYS_SLEEP
        mov  r1, 13
        syscall
        jmp  main
`
	threads := `
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        syscall
        mov  r5, 40
loop:   sub  r5, 1
        bne  r5, 0, loop
        mov  r0, SYS_THREAD_JOIN
        mov  r1, 2
        syscall
        ret
worker: mov  r6, 33
wl:     sub  r6, 1
        bne  r6, 0, wl
        ret
`
	tests := []struct {
		name     string
		quantum  uint64
		maxSteps uint64
		srcs     []string
	}{
		{"one thread alone", 10, 400, []string{spin}},
		{"two processes", 10, 400, []string{spin, spin}},
		{"a sleeper and a spinner", 10, 400, []string{sleeper, spin}},
		{"a sleeper alone: the clock jumps", 5, 400, []string{sleeper}},
		{"threads that end", 10, 0, []string{threads}},
		{"threads that end, quantum 1", 1, 0, []string{threads}},
	}
	for _, tt := range tests {
		cfg := cfgWith(func(c *kernel.Config) { c.Quantum, c.MaxSteps = tt.quantum, tt.maxSteps })
		whole := boot(t, cfg, tt.srcs...)
		whole.Run()
		want := whole.Summarize()
		for _, budget := range []uint64{1, 3, tt.quantum, 2 * tt.quantum, 7} {
			m := boot(t, cfg, tt.srcs...)
			for calls := 0; !m.Done(); calls++ {
				if calls > 10000 {
					t.Fatalf("%s, budget %d: still running", tt.name, budget)
				}
				m.Advance(budget)
				if s := m.Snapshot(); s.Outcome == kernel.Unfinished && s.Running == nil {
					t.Fatalf("%s, budget %d: Advance returned at clock %d with nobody on the CPU, ready %v", tt.name, budget, s.Clock, s.Ready)
				}
			}
			if got := m.Summarize(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, budget %d: counted\n%+v\nbut one Run counts\n%+v", tt.name, budget, got, want)
			}
		}
	}
}

// At --max-steps on a quantum boundary the run stops before the switch
// the timer asked for, even when the budget ends there too.
func TestAdvanceStepLimitBeforeSwitch(t *testing.T) {
	cfg := cfgWith(func(c *kernel.Config) { c.Quantum, c.MaxSteps = 10, 30 })
	m := boot(t, cfg, spin, spin)
	for _, budget := range []uint64{10, 10, 10} {
		m.Advance(budget)
	}
	s := m.Snapshot()
	if s.Outcome != kernel.StepLimit || s.Steps != 30 || s.Summary.ProcessSwitches != 2 {
		t.Errorf("outcome %v after %d steps, %d process switches; want the step limit at 30 after 2 switches",
			s.Outcome, s.Steps, s.Summary.ProcessSwitches)
	}
}
