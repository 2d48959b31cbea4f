package kernel

import (
	"vcpu/cpu"
	"vcpu/image"
)

// Snapshot is a copy of everything a viewer shows of the machine at one
// instant. It shares nothing with the kernel, so the window can draw it
// while the machine runs on, and never reaches into the machine's guts.
type Snapshot struct {
	Clock, Steps uint64
	Outcome      Outcome
	Running      *ThreadView // the thread on the CPU, if any
	Regs         cpu.Context // the CPU's registers (the running thread's, or the last one's)
	Processes    []ProcessView
	Ready        []int // tids in the order they will run
	Frames       []FrameOwner
	TLB          []TLBEntryView
	TLBStats     cpu.TLBStats
	Summary      Summary
}

// ProcessView is one process as the window shows it.
type ProcessView struct {
	PID, Parent int
	Name        string
	Program     *image.Program // what it runs: shared, never modified, for disassembly and source lines
	State       ProcState
	Status      int
	Segments    []cpu.Segment // its address space; for an ended process, as it was when it ended
	Threads     []ThreadView
	Files       []string // descriptor i: what it is open on ("" if closed)
	ExitReason  string   // how it ended (Process.ExitReason); "" while it lives
	Ended       *Ending  // what is kept of it after its end; nil while it lives
}

// Ending is what is kept of a process after its end, when its memory is
// freed, so that a viewer can still show what it was and where it stopped
// (why it ended is Process.ExitReason). The kernel keeps
// it for as long as it keeps the process (a bounded number of ended ones).
type Ending struct {
	TID   int    // the thread that ended it (the faulting one, the caller of EXIT), else the main thread
	Fault string // for a fault: what was attempted, where, and the pc
	// FaultKind and KilledBy say what ended it for a reader that must not
	// parse Process.ExitReason: the fault (cpu.NoFault if none) and the
	// pid whose KILL did (0 if none).
	FaultKind cpu.FaultKind
	KilledBy  int
	Where     string        // for a fault: file:line of the faulting instruction, when known
	Segments  []cpu.Segment // its address space when it ended
	// Others counts the threads besides TID that had not ended: they end
	// with their process (a return from main takes running threads along).
	Others int
}

// ThreadView is one thread as the window shows it.
type ThreadView struct {
	TID, PID int
	State    ThreadState
	Waits    string      // what a blocked or sleeping thread waits for
	Regs     cpu.Context // its registers, pc included: the CPU's while it runs, else as saved (an exited thread's last ones)
}

// TLBEntryView is one TLB slot with its place in the LRU order (0: next to
// be evicted), or -1 when the slot is empty.
type TLBEntryView struct {
	cpu.TLBEntry
	LRURank int
}

// Snapshot copies the machine's state.
func (k *Kernel) Snapshot() *Snapshot {
	s := &Snapshot{
		Clock: k.clock, Steps: k.steps, Outcome: k.outcome,
		Regs:     k.cpu.Context(),
		Frames:   append([]FrameOwner(nil), k.frames.owners...),
		TLBStats: k.tlb.TLBStats,
		Summary:  k.Summarize(),
	}
	for _, t := range k.ready.Ready() {
		s.Ready = append(s.Ready, t.TID)
	}
	rank := map[int]int{}
	for r, slot := range k.tlb.LRUOrder() {
		rank[slot] = r
	}
	for i, e := range k.tlb.Entries {
		v := TLBEntryView{TLBEntry: e, LRURank: -1}
		if r, ok := rank[i]; ok {
			v.LRURank = r
		}
		s.TLB = append(s.TLB, v)
	}
	for _, p := range k.procs {
		pv := ProcessView{PID: p.PID, Parent: p.parentPID(), Name: p.Name, Program: p.Program, State: p.State, Status: p.Status, ExitReason: p.ExitReason}
		if p.AS != nil {
			for _, seg := range p.AS.Segments {
				pv.Segments = append(pv.Segments, *seg)
			}
		}
		if p.Ended != nil {
			e := *p.Ended
			pv.Ended = &e
			pv.Segments = p.Ended.Segments // never modified once set
		}
		for _, f := range p.Files {
			name := ""
			if f != nil {
				name = f.Describe()
			}
			pv.Files = append(pv.Files, name)
		}
		for _, t := range p.Threads {
			tv := ThreadView{TID: t.TID, PID: p.PID, State: t.State, Regs: t.Context}
			switch t.State {
			case Blocked:
				tv.Waits = k.describeWait(t)
			case Sleeping:
				tv.Waits = "the clock"
			case Running:
				tv.Regs = k.cpu.Context()
				cur := tv
				s.Running = &cur
			}
			pv.Threads = append(pv.Threads, tv)
		}
		s.Processes = append(s.Processes, pv)
	}
	return s
}

// AdvanceToSwitch is Advance that also stops as soon as the CPU is handed
// to another thread, before that thread runs an instruction: the window's
// "step to the next context switch". It reports whether it stopped there.
func (k *Kernel) AdvanceToSwitch(budget uint64) (ran uint64, switched bool) {
	k.stopAtSwitch, k.switched = true, false
	ran = k.Advance(budget)
	switched = k.switched
	k.stopAtSwitch, k.switched = false, false
	return ran, switched
}
