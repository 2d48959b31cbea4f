// Package kernel is vcpu's operating system: processes with their own
// address spaces, threads with their own registers and stacks, a round-robin
// scheduler that switches between them, system calls, synchronisation and
// IPC. It drives the CPU through cpu.Run and never prints except to the
// writers it is given.
package kernel

import (
	"errors"
	"fmt"
	"io"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
)

// Options connects a kernel to the world outside the machine.
type Options struct {
	Stdin  io.Reader // guest descriptor 0 (nil: always at end of file)
	Stdout io.Writer // guest descriptor 1, and nothing else
	Stderr io.Writer // guest descriptor 2
	// Log takes vcpu's own lines: kill messages, the deadlock and stop
	// reports, spawn errors. Nil: Stderr. A host that orders its output
	// (cmd/vcpu) flushes before and after each.
	Log io.Writer
	// Strace, if set, gets one line per system call as it happens
	// (strace.go); nil costs nothing.
	Strace io.Writer
	// Load makes a program image from the bytes of a file SPAWN read
	// (the commands pass vcpu.Load: asm with the built-in library). The
	// kernel reads the file itself, under SPAWN's rules (spawn.go), and
	// never links an assembler. Nil: every SPAWN of a program file fails
	// with ENOEXEC.
	Load image.Loader
	// Policy orders the ready queue. Nil: round robin (docs/KERNEL.md).
	Policy Policy
}

// Outcome is how a run ended.
type Outcome uint8

const (
	Unfinished  Outcome = iota // not ended yet
	AllExited                  // every process ended
	Deadlock                   // every remaining thread is blocked and none sleeps
	StepLimit                  // Config.MaxSteps instructions ran
	Interrupted                // the host asked it to stop (Interrupt): SIGINT, SIGTERM
)

func (o Outcome) String() string {
	return [...]string{"running", "all exited", "deadlock", "step limit", "interrupted"}[o]
}

// Exit statuses of the tool for the outcomes that are not pid 1's own.
const (
	StatusDeadlock    = 3
	StatusStepLimit   = 124
	StatusInterrupted = 130 // 128 + SIGINT, as a shell reports a Ctrl-C
)

// Kernel is one machine: a CPU, its memory, and the processes on it.
type Kernel struct {
	cfg  Config
	opts Options

	cpu    *cpu.CPU
	mem    *cpu.Memory
	tlb    *cpu.TLB
	frames *frameTable

	procs    []*Process // processes alive, zombies, and the last keepReaped collected ones, in pid order
	live     int        // processes not yet collected: what --procs limits
	reaped   int        // collected processes still in procs
	dropped  int        // collected processes dropped from procs
	nextPID  int
	nextTID  int
	ready    Policy
	rr       *RoundRobin // ready, if it is the built-in round robin
	sleepers []*Thread   // sorted by wake time, then by when they slept
	cur      *Thread     // on the CPU, or nil
	last     *Thread     // the thread whose registers the CPU held last
	left     uint64      // instructions left in cur's quantum

	rng splitMix64 // draws the quantum lengths with Config.Seeded (seed.go)

	clock    uint64 // ticks: instructions, plus the jumps while all sleep
	steps    uint64 // instructions executed
	missMark uint64 // TLB misses already charged to a thread

	outcome   Outcome
	interrupt string  // why the host asked the run to stop (Interrupt), if it did
	hostWait  *Thread // the thread whose READ of host input the stop cut short
	listeners []Listener
	// stopAtSwitch makes Advance return as soon as another thread is put
	// on the CPU (AdvanceToSwitch); switched says it did.
	stopAtSwitch, switched bool
	event                  Event                      // the one event publish lends to listeners
	images                 map[*image.Program]*loaded // every program a process record runs
	spawns                 spawnCache
	console                []*File // the host's stdin, stdout, stderr, shared by every first-generation process
	bounceBuf              []byte  // see bounce
	fs                     *fileSystem
	ports                  map[uint32]*listener
	nextPipe               int

	straceIn   *Thread  // whose syscall is in progress, with --strace
	straceHeld []string // lines of other threads held until its line is out

	Stats Stats
}

// Stats are the machine-wide counters (docs/STATS.md). The TLB's own
// counters are in TLB().TLBStats.
type Stats struct {
	ProcessSwitches uint64
	ThreadSwitches  uint64
	Faults          uint64
	Syscalls        uint64
	ClockJumps      uint64
}

// New makes a machine with no processes yet.
func New(cfg Config, opts Options) (*Kernel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.Log == nil {
		opts.Log = opts.Stderr
	}
	if opts.Load == nil {
		opts.Load = noLoader
	}
	if opts.Policy == nil {
		opts.Policy = NewRoundRobin()
	}
	mem := cpu.NewMemory(cfg.MemSize)
	tlb := cpu.NewTLB(cfg.TLBSize)
	k := &Kernel{
		cfg: cfg, opts: opts, mem: mem, tlb: tlb,
		cpu:     cpu.New(mem, tlb),
		frames:  newFrameTable(mem),
		nextPID: 1, nextTID: 1,
		ready:  opts.Policy,
		images: map[*image.Program]*loaded{},
		ports:  map[uint32]*listener{},
	}
	k.rr, _ = opts.Policy.(*RoundRobin)
	k.fs = newFileSystem(cfg.FSSize, cfg.FSFiles)
	k.rng = splitMix64{state: cfg.Seed}
	k.cpu.Gate = abi.ReturnGate
	return k, nil
}

// Config is the configuration the machine runs with.
func (k *Kernel) Config() Config { return k.cfg }

// TLB is the machine's TLB.
func (k *Kernel) TLB() *cpu.TLB { return k.tlb }

// Memory is the machine's physical memory.
func (k *Kernel) Memory() *cpu.Memory { return k.mem }

// Clock is the tick count TIME returns.
func (k *Kernel) Clock() uint64 { return k.clock }

// Steps is the number of instructions executed.
func (k *Kernel) Steps() uint64 { return k.steps }

// Processes lists every process of the run, in pid order.
func (k *Kernel) Processes() []*Process { return k.procs }

// Current is the thread on the CPU, or nil.
func (k *Kernel) Current() *Thread { return k.cur }

// FrameOwners says who owns each physical frame.
func (k *Kernel) FrameOwners() []FrameOwner { return k.frames.owners }

// Outcome says whether and how the run ended.
func (k *Kernel) Outcome() Outcome { return k.outcome }

// Start creates a process running prog, its main thread's r1 = arg, at the
// tail of the ready queue: how `vcpu run` starts each program it is given.
// The folder of prog.Path becomes one SPAWN may read programs from.
func (k *Kernel) Start(prog *image.Program, arg uint32) (*Process, error) {
	if err := prog.Validate(); err != nil {
		return nil, fmt.Errorf("program image: %v", err)
	}
	k.addSpawnRoot(prog.Path)
	return k.newProcess(k.image(prog), arg, nil)
}

// newProcess starts a process on a validated image. Its errors are errnos.
func (k *Kernel) newProcess(img *loaded, arg uint32, parent *Process) (*Process, error) {
	if k.live >= k.cfg.MaxProcs {
		return nil, abi.EAGAIN
	}
	prog := img.prog
	if k.imageFrames(prog) > k.frames.free {
		return nil, abi.ENOMEM // fail before building anything, as fork does
	}
	p := k.allocProcess(img, parent)
	t := k.allocThread(p)
	if err := k.loadImage(p); err != nil {
		k.discard(p)
		return nil, err
	}
	if err := k.newStack(t); err != nil {
		k.discard(p)
		return nil, err
	}
	t.Context.PC = prog.Entry
	t.Context.R[1] = arg
	k.stdio(p, parent)
	k.emit(Event{Kind: EvProcStart, PID: p.PID, TID: t.TID, Text: p.Name, Parent: p.parentPID()})
	k.makeReady(t)
	return p, nil
}

func (p *Process) parentPID() int {
	if p.Parent == nil {
		return 0
	}
	return p.Parent.PID
}

func (k *Kernel) allocProcess(img *loaded, parent *Process) *Process {
	img.refs++
	p := &Process{
		PID: k.nextPID, Name: img.prog.Name, Program: img.prog, Parent: parent, img: img,
	}
	k.nextPID++
	k.live++
	k.procs = append(k.procs, p)
	if parent != nil {
		parent.children = append(parent.children, p)
	}
	return p
}

func (k *Kernel) allocThread(p *Process) *Thread {
	t := &Thread{TID: k.nextTID, Proc: p, State: Ready}
	k.nextTID++
	p.Threads = append(p.Threads, t)
	return t
}

// discard undoes a process whose creation failed half way (out of memory).
// Nothing saw it yet, so it leaves no trace: not even its pid is used up.
func (k *Kernel) discard(p *Process) {
	k.assert(p == k.procs[len(k.procs)-1], "discarding a process that is not the newest")
	if p.AS != nil {
		k.freeAddressSpace(p)
	}
	k.closeAll(p)
	if p.Parent != nil {
		p.Parent.children = removeProc(p.Parent.children, p)
	}
	k.procs = k.procs[:len(k.procs)-1]
	k.releaseImage(p)
	k.live--
	k.nextPID--
	k.nextTID -= len(p.Threads)
}

// process finds a process that is still in the table by pid.
func (k *Kernel) process(pid int) *Process {
	for _, p := range k.procs {
		if p.PID == pid {
			return p
		}
	}
	return nil
}

// keepReaped is how many ended-and-collected processes the table keeps for
// the statistics. Beyond it the oldest are dropped (Summary counts them), so
// a guest that forks and exits forever cannot grow the host's memory.
const keepReaped = 256

// setReaped marks p collected and trims the table of old records.
func (k *Kernel) setReaped(p *Process) {
	k.assert(p.State != ProcReaped, "reaping a process twice")
	p.State = ProcReaped
	k.live--
	k.reaped++
	if k.reaped <= keepReaped {
		return
	}
	for i, q := range k.procs {
		if q.State == ProcReaped && i > 0 { // pid 1 stays: its status is the run's
			k.procs = append(k.procs[:i:i], k.procs[i+1:]...)
			k.releaseImage(q)
			k.reaped--
			k.dropped++
			return
		}
	}
}

// Done reports whether the run has ended.
func (k *Kernel) Done() bool { return k.outcome != Unfinished }

// ExitStatus is the status the tool exits with: pid 1's, unless the run
// deadlocked or hit the step limit.
func (k *Kernel) ExitStatus() int {
	switch k.outcome {
	case Deadlock:
		return StatusDeadlock
	case StepLimit:
		return StatusStepLimit
	case Interrupted:
		return StatusInterrupted
	}
	if len(k.procs) == 0 {
		return 0
	}
	return k.procs[0].Status
}

// Dropped is how many ended processes were dropped from the table.
func (k *Kernel) Dropped() int { return k.dropped }

// Run runs the machine until it is done.
func (k *Kernel) Run() Outcome {
	for !k.Done() {
		k.Advance(1 << 24)
	}
	return k.outcome
}

// Advance runs at most budget instructions (fewer if the run ends) and
// returns how many ran: the window calls it once a frame with a budget of
// its choosing, or with 1 to single-step.
//
// Dispatch takes no time, so Advance never returns with the CPU idle
// while the run can go on: a quantum that ends with the budget hands the
// CPU to the next thread before Advance returns (a thread alone gets it
// back), and a run whose last thread ended is over. A viewer between two
// calls therefore never sees a "between threads" state that no clock
// tick ever showed. The step limit still stops the run before any further
// switch, and nothing is counted differently: the same dispatch would
// have been the next call's first act.
func (k *Kernel) Advance(budget uint64) uint64 {
	start := k.steps
	for !k.Done() {
		if k.interrupt != "" {
			k.end(Interrupted)
			break
		}
		// At the limit the run stops before any further switch, unless
		// nothing could run anyway: a run whose last process ends on the
		// last allowed instruction has ended, not been cut short.
		if k.cfg.MaxSteps > 0 && k.steps >= k.cfg.MaxSteps &&
			(k.cur != nil || len(k.ready.Ready()) > 0 || len(k.sleepers) > 0) {
			k.end(StepLimit)
			break
		}
		if k.cur == nil {
			// Idle: pick the next thread (or let the clock jump, or
			// end the run) and look again.
			prev := k.last
			k.dispatch()
			if k.stopAtSwitch && k.cur != nil && k.cur != prev && prev != nil {
				k.switched = true
				break
			}
			continue
		}
		if k.steps-start >= budget {
			break
		}
		n := min(k.left, budget-(k.steps-start))
		if k.cfg.MaxSteps > 0 {
			n = min(n, k.cfg.MaxSteps-k.steps)
		}
		if len(k.sleepers) > 0 && k.sleepers[0].wakeAt > k.clock {
			n = min(n, k.sleepers[0].wakeAt-k.clock)
		}
		t := k.cur
		why, ran := k.cpu.Run(n)
		k.account(t, ran)
		switch why {
		case cpu.StopSyscall:
			k.syscall(t)
		case cpu.StopFault:
			k.fault(t, k.cpu.Fault)
		case cpu.StopGate:
			k.gate(t)
		}
		k.wakeSleepers()
		if k.cur == t && k.left == 0 {
			if k.alone(start, budget) {
				k.left = k.ready.Quantum(t, k.quantum())
				continue
			}
			k.preempt(t)
		}
	}
	return k.steps - start
}

// alone reports whether the timer may skip preempting the running thread:
// with round robin, nobody else ready, nobody listening for the events, and
// this Advance going on, preempting it and dispatching it again at once
// would change nothing anyone can see. Only the new quantum is drawn, as a
// dispatch draws it; the thread keeps the CPU. This is most of the timer
// boundary's cost for a program with one thread.
func (k *Kernel) alone(start, budget uint64) bool {
	return k.rr != nil && k.rr.n == 0 && !k.listening() && k.steps-start < budget &&
		(k.cfg.MaxSteps == 0 || k.steps < k.cfg.MaxSteps)
}

// account charges ran instructions to t and to the clock.
func (k *Kernel) account(t *Thread, ran uint64) {
	k.steps += ran
	k.clock += ran
	k.left -= ran
	t.Stats.Instructions += ran
	t.Proc.Stats.Instructions += ran
	misses := k.tlb.Misses - k.missMark
	k.missMark = k.tlb.Misses
	t.Stats.TLBMisses += misses
	t.Proc.Stats.TLBMisses += misses
}

// end stops the run. Whatever the guests wrote has already gone to the
// writers: nothing is held back.
func (k *Kernel) end(o Outcome) {
	k.outcome = o
	if k.cur != nil {
		k.cur.Context = k.cpu.Context()
	}
	switch o {
	case Deadlock:
		k.reportDeadlock()
	case StepLimit, Interrupted:
		k.reportStopped()
	}
}

// gate handles a thread returning from its entry function.
func (k *Kernel) gate(t *Thread) {
	v := k.cpu.Reg(0)
	if t == t.Proc.Main() {
		k.exitProcess(t.Proc, int(v&0xFF), "returned from main")
		return
	}
	k.exitThread(t, v)
}

// fault kills the process of the faulting thread, alone.
func (k *Kernel) fault(t *Thread, f cpu.Fault) {
	k.Stats.Faults++
	p := t.Proc
	kill, hint := k.faultMessage(t, f) // explain.go
	if hint != "" {
		k.printf("%s\n  hint: %s\n", kill, hint)
	} else {
		k.printf("%s\n", kill)
	}
	if k.listening() {
		k.emit(Event{Kind: EvFault, PID: p.PID, TID: t.TID, Text: kill})
	}
	k.exitProcess(p, faultStatus(f.Kind), f.Error())
	if p.Ended != nil {
		p.Ended.TID = t.TID
		p.Ended.Fault = faultText(f)
		p.Ended.FaultKind = f.Kind
		p.Ended.Where, _ = sourceLine(p.Program, f.PC)
	}
}

// faultStatus is the exit status of a process a fault kills: 128 plus the
// signal Unix sends for it (SIGSEGV, SIGFPE, SIGILL).
func faultStatus(kind cpu.FaultKind) int {
	switch kind {
	case cpu.SegFault:
		return 139
	case cpu.ArithFault:
		return 136
	case cpu.IllegalFault:
		return 132
	}
	return 0
}

// assert checks a kernel invariant; a failure is a bug in vcpu, not in a
// guest, so it panics.
func (k *Kernel) assert(ok bool, what string) {
	if !ok {
		panic("kernel: invariant violated: " + what)
	}
}

// errBlocked is what a syscall returns when it has blocked its caller.
var errBlocked = errors.New("blocked")

// errGone is what a syscall returns when its caller no longer runs (it
// exited or was killed): there is no r0 to set.
var errGone = errors.New("caller gone")
