package kernel

import (
	"errors"
	"fmt"

	"vcpu/cpu"
)

// This file is where a run stopped: the host's request to stop it
// (SIGINT, SIGTERM) and the report, at the step limit or on that request,
// of every live thread and where in its source it was.

// ErrInterrupted is what a host reader (Options.Stdin) returns when the
// host wants the run to stop while the machine waits for input: the READ
// does not complete, and the run ends as Interrupt ends it.
var ErrInterrupted = errors.New("interrupted")

// errInterrupted is what a syscall returns when it was cut short by
// ErrInterrupted: the caller keeps running, its r0 untouched, until
// Advance sees the request at once.
var errInterrupted = errors.New("syscall interrupted")

// Interrupt asks the run to stop before the next instruction, with why
// ("SIGINT") in the report; the run ends as Interrupted and writes the
// report of where every live thread was. It must be called from the
// goroutine that runs the machine (between Advance calls, or from a host
// reader it calls), never concurrently with it: a signal handler sets a
// flag, and the run loop calls Interrupt.
func (k *Kernel) Interrupt(why string) {
	if why == "" {
		why = "interrupted"
	}
	k.interrupt = why
}

// interruptRead ends a READ from the host that the host cut short: the
// call has not happened (its pc is set back to the syscall, so the report
// points at it and a resumed run would make it again) and the run stops
// before the next instruction.
func (k *Kernel) interruptRead(t *Thread) error {
	if k.interrupt == "" {
		k.interrupt = "interrupted"
	}
	if t == k.cur {
		ctx := k.cpu.Context()
		ctx.PC -= syscallSize
		k.cpu.SetContext(ctx)
		k.hostWait = t
	}
	return errInterrupted
}

// maxStopLines bounds the threads the stop report lists: a thread bomb
// stopped by Ctrl-C must not print two thousand lines.
const maxStopLines = 20

// reportStopped says why the run stopped before its end and where each
// live thread was.
func (k *Kernel) reportStopped() {
	switch k.outcome {
	case StepLimit:
		k.printf("vcpu: step limit: stopped after %d instructions (--max-steps %d)", k.steps, k.cfg.MaxSteps)
	case Interrupted:
		k.printf("vcpu: interrupted (%s) after %d instructions", k.interrupt, k.steps)
	}
	lines := k.liveThreads()
	if len(lines) == 0 {
		k.printf("; no thread was live\n")
		return
	}
	k.printf("; live threads:\n")
	for i, line := range lines {
		if i == maxStopLines {
			k.printf("  ... and %d more (--stats-json lists every thread)\n", len(lines)-i)
			break
		}
		k.printf("  %s\n", line)
	}
}

// liveThreads describes every thread that has not exited, in pid and tid
// order: its state, its pc and the source line and label there; for a
// blocked or sleeping thread, the syscall it waits in and for what.
func (k *Kernel) liveThreads() []string {
	var lines []string
	for _, p := range k.procs {
		if !p.Live() {
			continue
		}
		for _, t := range p.Threads {
			if t.State == Exited {
				continue
			}
			lines = append(lines, k.describeThread(t))
		}
	}
	return lines
}

// syscallSize is the length of the syscall instruction: a thread waiting
// in a syscall has its pc just past it.
var syscallSize = uint32(cpu.Size(cpu.SYSCALL, 0))

func (k *Kernel) describeThread(t *Thread) string {
	pc := t.Context.PC
	if t == k.cur {
		pc = k.cpu.PC()
	}
	s := fmt.Sprintf("%s tid %d %s", t.Proc, t.TID, t.State)
	switch {
	case t.State == Blocked || t.State == Sleeping:
		pc -= syscallSize // where the call was made
		s += " in " + t.sysno.String()
	case t == k.hostWait:
		s += " in " + t.sysno.String() + " (waiting for input from the host)"
	}
	s += fmt.Sprintf(" at pc 0x%08x", pc)
	if place := pcPlace(t.Proc.Program, pc); place != "" {
		s += " " + place
	}
	switch t.State {
	case Blocked:
		s += ": waits for " + k.describeWait(t)
	case Sleeping:
		s += fmt.Sprintf(": until tick %d (now %d)", t.wakeAt, k.clock)
	}
	return s
}
