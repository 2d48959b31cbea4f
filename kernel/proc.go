package kernel

import (
	"fmt"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/internal/termsafe"
)

// ThreadState is where a thread is in its life.
type ThreadState uint8

const (
	Ready    ThreadState = iota // in the ready queue
	Running                     // on the CPU
	Blocked                     // waiting on a wait queue (see Thread.Wait)
	Sleeping                    // waiting for the clock
	Exited                      // ended; its value waits for a join
)

func (s ThreadState) String() string {
	return [...]string{"ready", "running", "blocked", "sleeping", "exited"}[s]
}

// Thread is a flow of execution inside a process: its own registers and
// stack; everything else it shares with its siblings.
type Thread struct {
	TID     int
	Proc    *Process
	State   ThreadState
	Context cpu.Context // saved registers while not running
	Stack   *cpu.Segment
	Value   uint32 // exit value, for THREAD_JOIN
	Joined  bool   // a join has collected Value

	// Wait says what a blocked thread waits for: the deadlock report and
	// the window read it. queue is the wait queue it sits in.
	Wait  Wait
	queue *waitQueue
	// The syscall in progress: a blocked READ or WRITE is completed from
	// here by whoever gives it data or room.
	sysno   abi.Sysno
	sysargs args
	ioDone  uint32 // bytes a WRITE to a pipe or socket has moved so far

	joiners   waitQueue // the thread blocked joining this one (at most one)
	wakeAt    uint64    // clock tick a sleeping thread wakes at
	blockedAt uint64    // clock tick its syscall blocked at, for --strace
	stackSlot int

	Stats ThreadStats
}

// ThreadStats are per-thread counters (docs/STATS.md).
type ThreadStats struct {
	Instructions uint64
	TLBMisses    uint64
	SwitchesIn   uint64 // times it got the CPU from another thread
	SwitchesOut  uint64 // times it left the CPU
	// ProcessSwitchesIn counts the switches in that came from another
	// process: each paid for an address-space switch.
	ProcessSwitchesIn uint64
}

func (t *Thread) String() string { return fmt.Sprintf("tid %d", t.TID) }

// ProcState is where a process is in its life.
type ProcState uint8

const (
	ProcLive   ProcState = iota
	ProcZombie           // ended, status not yet collected by WAIT
	ProcReaped           // ended and waited for
)

func (s ProcState) String() string { return [...]string{"live", "zombie", "reaped"}[s] }

// Process is a program being executed: the unit that owns memory,
// descriptors and children. Its threads share everything but registers and
// stacks.
type Process struct {
	PID     int
	Name    string
	Program *image.Program
	AS      *cpu.AddressSpace
	State   ProcState
	Status  int // exit status, once ended
	// ExitReason says how it ended: "returned from main", "exit", a
	// fault ("segmentation fault (read of null page)"), "killed by pid 2".
	ExitReason string
	Parent     *Process
	Threads    []*Thread // every thread ever created, in tid order
	Files      []*File   // descriptor table; nil entries are free
	Ended      *Ending   // how it ended (nil while live): kept for viewers after its memory is freed

	children   []*Process
	childWait  waitQueue // threads of this process blocked in WAIT
	locks      map[uint32]*mutex
	sems       map[uint32]*semaphore
	conds      map[uint32]*condvar
	stackSlots []bool // which stack slots hold a live thread's stack
	img        *loaded

	droppedThreads int // joined threads dropped from Threads (keepJoined)

	Stats ProcStats
}

// ProcStats are per-process counters (docs/STATS.md).
type ProcStats struct {
	Instructions uint64
	TLBMisses    uint64
	PeakFrames   int // the most frames it held; those it holds now are AS.PT.Mapped()
}

// String is "pid 2 (hello)": the name is a file name a guest may have
// chosen (SPAWN), so control characters in it are shown escaped.
func (p *Process) String() string {
	return fmt.Sprintf("pid %d (%s)", p.PID, termsafe.String(p.Name))
}

// Live reports whether the process has not ended.
func (p *Process) Live() bool { return p.State == ProcLive }

// liveThreads counts threads that have not exited.
func (p *Process) liveThreads() int {
	n := 0
	for _, t := range p.Threads {
		if t.State != Exited {
			n++
		}
	}
	return n
}

// ioBuf and ioLen are the buffer and length of the thread's READ or WRITE
// in progress (its r2 and r3).
func (t *Thread) ioBuf() uint32 { return t.sysargs[1] }
func (t *Thread) ioLen() uint32 { return t.sysargs[2] }

// unjoined counts threads whose value nobody has collected: the live ones
// and the exited ones not yet joined.
func (p *Process) unjoined() int {
	n := 0
	for _, t := range p.Threads {
		if !t.Joined {
			n++
		}
	}
	return n
}

// thread finds a thread of p by tid.
func (p *Process) thread(tid int) *Thread {
	for _, t := range p.Threads {
		if t.TID == tid {
			return t
		}
	}
	return nil
}

// Main is the process's main thread: the first one.
func (p *Process) Main() *Thread { return p.Threads[0] }
