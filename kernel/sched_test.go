package kernel_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"vcpu/asm"
	"vcpu/kernel"
)

const spin = "main: jmp main\n"

// Every scenario pins the exact interleaving docs/KERNEL.md orders: preemption
// after exactly --quantum instructions counted from dispatch, new and woken
// threads at the tail, the creator keeps running, a yield or a block gives
// the next thread a fresh quantum, and a syscall is one instruction.
func TestScheduleScenarios(t *testing.T) {
	tests := []struct {
		name     string
		cfg      kernel.Config
		srcs     []string
		schedule string
		switches string
	}{
		{
			name:     "two processes share the CPU in quanta",
			cfg:      cfgWith(func(c *kernel.Config) { c.Quantum = 5; c.MaxSteps = 20 }),
			srcs:     []string{spin, spin},
			schedule: "1@0-5 2@5-10 1@10-15 2@15-20",
			switches: "PF PF PF",
		},
		{
			name:     "with ASIDs a process switch flushes nothing",
			cfg:      cfgWith(func(c *kernel.Config) { c.Quantum = 5; c.MaxSteps = 20; c.ASID = true }),
			srcs:     []string{spin, spin},
			schedule: "1@0-5 2@5-10 1@10-15 2@15-20",
			switches: "P P P",
		},
		{
			name: "the creator keeps running; the new thread waits at the tail",
			cfg:  cfgWith(func(c *kernel.Config) { c.Quantum = 10; c.MaxSteps = 40 }),
			srcs: []string{`
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, main2
        mov  r2, 0
        syscall
main2:  jmp  main2
`},
			schedule: "1@0-10 2@10-20 1@20-30 2@30-40",
			switches: "T T T",
		},
		{
			name: "a yield ends the quantum at once and the next thread starts a fresh one",
			cfg:  cfgWith(func(c *kernel.Config) { c.Quantum = 10; c.MaxSteps = 26 }),
			srcs: []string{`
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, other
        mov  r2, 0
        syscall
        mov  r0, SYS_YIELD
        syscall
loop:   jmp  loop
other:  jmp  other
`},
			schedule: "1@0-6 2@6-16 1@16-26",
			switches: "T T",
		},
		{
			name: "a syscall that ends the quantum completes before the preemption",
			cfg:  cfgWith(func(c *kernel.Config) { c.Quantum = 4; c.MaxSteps = 12 }),
			srcs: []string{`
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, other
        mov  r2, 0
        syscall
loop:   jmp  loop
other:  jmp  other
`},
			schedule: "1@0-4 2@4-8 1@8-12",
			switches: "T T",
		},
		{
			name: "a thread and a process: only the process switch flushes",
			cfg:  cfgWith(func(c *kernel.Config) { c.Quantum = 10; c.MaxSteps = 44 }),
			srcs: []string{`
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, main2
        mov  r2, 0
        syscall
main2:  jmp  main2
`, spin},
			// ready queue after tid 1 creates tid 3: [tid 2 (pid 2), tid 3]
			schedule: "1@0-10 2@10-20 3@20-30 1@30-40 2@40-44",
			switches: "PF PF T PF",
		},
		{
			name: "sleepers wake in time order and the clock jumps when all sleep",
			cfg:  kernel.DefaultConfig(),
			srcs: []string{`
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, nap
        mov  r2, 50
        syscall
        mov  r0, SYS_SLEEP
        mov  r1, 1000
        syscall
        mov  r0, 0
        ret
nap:    mov  r0, SYS_SLEEP
        syscall
        mov  r0, 0
        ret
`},
			// tid 1 sleeps at tick 7 until 1007; tid 2 sleeps at 9 until 59;
			// the clock jumps to 59, then to 1007.
			schedule: "1@0-7 2@7-9 2@59-61 1@1007-1009",
			switches: "T T",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := boot(t, tc.cfg, tc.srcs...)
			m.Run()
			if got := m.schedule(); got != tc.schedule {
				t.Errorf("schedule\n got  %s\n want %s", got, tc.schedule)
			}
			got := strings.Join(m.switches, "")
			want := strings.ReplaceAll(tc.switches, " ", "")
			if got != want {
				t.Errorf("switches %q, want %q", got, want)
			}
		})
	}
}

// A run that ends exactly on the step limit has not been cut short.
func TestStepLimitExactlyAtTheEnd(t *testing.T) {
	src := "main: mov r0, 5\n ret\n" // two instructions
	for _, tc := range []struct {
		limit   uint64
		outcome kernel.Outcome
		status  int
	}{{1, kernel.StepLimit, 124}, {2, kernel.AllExited, 5}, {3, kernel.AllExited, 5}} {
		m := boot(t, cfgWith(func(c *kernel.Config) { c.MaxSteps = tc.limit }), src)
		if got := m.Run(); got != tc.outcome || m.ExitStatus() != tc.status {
			t.Errorf("--max-steps %d: %s with status %d, want %s with %d", tc.limit, got, m.ExitStatus(), tc.outcome, tc.status)
		}
	}
}

// TestRoundRobinQueue drives the ring buffer through growth, wrap-around
// and removals at every position against a plain slice, the obvious FIFO.
func TestRoundRobinQueue(t *testing.T) {
	threads := make([]*kernel.Thread, 40)
	for i := range threads {
		threads[i] = &kernel.Thread{TID: i + 1}
	}
	q := kernel.NewRoundRobin()
	var want []*kernel.Thread
	check := func(step string) {
		t.Helper()
		got := q.Ready()
		if len(got) != len(want) {
			t.Fatalf("%s: %d ready, want %d", step, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: position %d is tid %d, want tid %d", step, i, got[i].TID, want[i].TID)
			}
		}
	}
	next := 0
	for round := range 60 {
		for range round%7 + 1 { // enqueue a few
			th := threads[next%len(threads)]
			next++
			if slices.Contains(want, th) {
				continue
			}
			q.Enqueue(th)
			want = append(want, th)
		}
		check(fmt.Sprintf("round %d after enqueue", round))
		if round%3 == 0 && len(want) > 0 { // remove one from the middle, the head or the tail
			victim := want[(round/3)%len(want)]
			q.Remove(victim)
			want = slices.DeleteFunc(want, func(x *kernel.Thread) bool { return x == victim })
			check(fmt.Sprintf("round %d after removing tid %d", round, victim.TID))
		}
		for range round % 5 { // dequeue a few
			got := q.Dequeue()
			if len(want) == 0 {
				if got != nil {
					t.Fatalf("round %d: dequeued tid %d from an empty queue", round, got.TID)
				}
				continue
			}
			if got != want[0] {
				t.Fatalf("round %d: dequeued tid %d, want tid %d", round, got.TID, want[0].TID)
			}
			want = want[1:]
		}
		check(fmt.Sprintf("round %d after dequeue", round))
	}
	q.Remove(&kernel.Thread{TID: 99}) // not queued: nothing happens
	check("after removing a thread not queued")
}

// TestTimerSkipInvisible: when the timer fires on a thread that is alone
// and nobody listens, the kernel skips the preemption and dispatch that
// would undo each other. A machine with a listener always takes the full
// path; after every Advance, of every size, both must look the same.
func TestTimerSkipInvisible(t *testing.T) {
	tests := []struct {
		name, src string
		quantum   uint64
		maxSteps  uint64
	}{
		{"alone, stopped by the step limit on a quantum boundary", spin, 10, 500},
		{"alone, stopped by the step limit inside a quantum", spin, 10, 505},
		{"sleeping now and then", `
main:   mov  r5, 40
loop:   add  r6, 1
        sub  r5, 1
        bne  r5, 0, loop
        mov  r0, SYS_SLEEP
        mov  r1, 25
        syscall
        jmp  main
`, 7, 2000},
		{"a second thread arrives", `
main:   mov  r5, 300
loop:   sub  r5, 1
        bne  r5, 0, loop
        mov  r0, SYS_THREAD_CREATE
        mov  r1, other
        mov  r2, 0
        syscall
other:  add  r6, 1
        jmp  other
`, 10, 3000},
		{"the last instruction of a quantum ends the run", `
main:   add  r1, 1
        add  r1, 1
        add  r1, 1
        mov  r0, SYS_EXIT
        syscall
`, 5, 0},
	}
	for _, tt := range tests {
		prog, err := asm.Assemble("p.s", []byte(tt.src), asm.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, budget := range []uint64{1, 3, 10, 37, 1 << 20} {
			boot := func(listen bool) *kernel.Kernel {
				cfg := kernel.DefaultConfig()
				cfg.Quantum, cfg.MaxSteps = tt.quantum, tt.maxSteps
				k, err := kernel.New(cfg, kernel.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if listen {
					k.Listen(func(*kernel.Event) {})
				}
				if _, err := k.Start(prog, 0); err != nil {
					t.Fatal(err)
				}
				return k
			}
			quiet, heard := boot(false), boot(true)
			for step := 0; !quiet.Done() || !heard.Done(); step++ {
				if step > 5000 {
					t.Fatalf("%s, budget %d: still running", tt.name, budget)
				}
				nq, nh := quiet.Advance(budget), heard.Advance(budget)
				if nq != nh || !reflect.DeepEqual(quiet.Snapshot(), heard.Snapshot()) {
					t.Fatalf("%s, budget %d, Advance %d: ran %d and %d; snapshots\n%+v\n%+v",
						tt.name, budget, step, nq, nh, quiet.Snapshot(), heard.Snapshot())
				}
			}
			if err := quiet.Check(); err != nil {
				t.Errorf("%s, budget %d: %v", tt.name, budget, err)
			}
		}
	}
}
