package kernel

import "fmt"

// Policy chooses which ready thread runs next. The kernel tells it every
// thread that becomes ready and asks it for the next one whenever the CPU is
// free; round robin is the one vcpu uses, and FIFO, priority or MLFQ fit the
// same three methods.
type Policy interface {
	Enqueue(t *Thread)                  // t became ready: new, woken, preempted or yielding
	Dequeue() *Thread                   // the next thread to run, or nil
	Remove(t *Thread)                   // t is ready but its process is being killed
	Quantum(t *Thread, q uint64) uint64 // how long t may run, given the configured quantum
	Ready() []*Thread                   // the queue in order, for the window
}

// RoundRobin is one FIFO ready queue; every thread gets the same quantum.
type RoundRobin struct{ q []*Thread }

// NewRoundRobin makes an empty round-robin ready queue.
func NewRoundRobin() *RoundRobin { return &RoundRobin{} }

func (r *RoundRobin) Enqueue(t *Thread) { r.q = append(r.q, t) }

func (r *RoundRobin) Dequeue() *Thread {
	if len(r.q) == 0 {
		return nil
	}
	t := r.q[0]
	// Shift rather than reslice: the queue is short, and keeping its
	// array's front means Enqueue never allocates once it has grown.
	n := copy(r.q, r.q[1:])
	r.q[n] = nil
	r.q = r.q[:n]
	return t
}

func (r *RoundRobin) Remove(t *Thread) {
	for i, x := range r.q {
		if x == t {
			r.q = append(r.q[:i:i], r.q[i+1:]...)
			return
		}
	}
}

func (r *RoundRobin) Quantum(_ *Thread, q uint64) uint64 { return q }

func (r *RoundRobin) Ready() []*Thread { return r.q }

// ReadyQueue lists the ready threads in the order they will run.
func (k *Kernel) ReadyQueue() []*Thread { return k.ready.Ready() }

// makeReady puts t at the tail of the ready queue.
func (k *Kernel) makeReady(t *Thread) {
	t.State = Ready
	k.ready.Enqueue(t)
}

// deschedule takes the running thread off the CPU, saving its registers; it
// has already been put wherever it waits.
func (k *Kernel) deschedule(t *Thread) {
	k.assert(t == k.cur, "descheduling a thread that is not running")
	t.Context = k.cpu.Context()
	k.cur = nil
	k.emit(Event{Kind: EvDeschedule, PID: t.Proc.PID, TID: t.TID})
}

// preempt is the timer: the running thread goes to the tail.
func (k *Kernel) preempt(t *Thread) {
	k.emit(Event{Kind: EvPreempt, PID: t.Proc.PID, TID: t.TID})
	k.deschedule(t)
	k.makeReady(t)
}

// yield gives up the CPU at once: the thread goes to the tail.
func (k *Kernel) yield(t *Thread) {
	k.deschedule(t)
	k.makeReady(t)
}

// dispatch gives the CPU to the next ready thread. With nobody ready it lets
// the clock jump to the next sleeper's wake-up, or ends the run: with no
// thread left (all exited) or with every thread blocked (deadlock).
func (k *Kernel) dispatch() {
	t := k.ready.Dequeue()
	if t == nil {
		switch {
		case len(k.sleepers) > 0:
			k.Stats.ClockJumps++
			k.clock = max(k.clock, k.sleepers[0].wakeAt)
			k.wakeSleepers()
		case k.anyBlocked():
			k.end(Deadlock)
		default:
			k.end(AllExited)
		}
		return
	}
	k.assert(t.State == Ready, "dispatching a thread that is not ready")
	k.switchTo(t)
	k.cur = t
	t.State = Running
	k.emit(Event{Kind: EvDispatch, PID: t.Proc.PID, TID: t.TID})
	k.left = k.ready.Quantum(t, k.quantum()) // seed.go
}

// switchTo loads t's registers, and its address space if it is another
// process's: a process switch, which flushes the TLB unless ASIDs tag it.
// Running the same thread again is no switch at all.
func (k *Kernel) switchTo(t *Thread) {
	prev := k.last
	k.cpu.SetContext(t.Context)
	k.last = t
	if prev == t {
		return
	}
	e := Event{Kind: EvSwitch, PID: t.Proc.PID, TID: t.TID}
	if prev != nil {
		e.FromPID, e.FromTID = prev.Proc.PID, prev.TID
		prev.Stats.SwitchesOut++
		t.Stats.SwitchesIn++
	}
	if k.cpu.AddressSpace() == t.Proc.AS {
		k.Stats.ThreadSwitches++
		k.emit(e)
		return
	}
	k.cpu.SetAddressSpace(t.Proc.AS)
	if prev == nil {
		k.emit(e) // the first thread of the run: nothing to switch from, nothing counted
		return
	}
	k.Stats.ProcessSwitches++
	t.Stats.ProcessSwitchesIn++
	e.Process = true
	k.emit(e)
	if !k.cfg.ASID {
		dropped := k.tlb.Flush()
		k.emit(Event{Kind: EvFlush, PID: t.Proc.PID, TID: t.TID, Arg: uint64(dropped)})
	}
}

// sleep puts the running thread to sleep until the clock reaches wakeAt.
func (k *Kernel) sleep(t *Thread, wakeAt uint64) {
	t.State = Sleeping
	t.wakeAt = wakeAt
	i := len(k.sleepers)
	for i > 0 && k.sleepers[i-1].wakeAt > wakeAt {
		i--
	}
	k.sleepers = append(k.sleepers, nil)
	copy(k.sleepers[i+1:], k.sleepers[i:])
	k.sleepers[i] = t
	if k.listening() {
		k.emit(Event{Kind: EvBlock, PID: t.Proc.PID, TID: t.TID, Text: fmt.Sprintf("sleep until tick %d", wakeAt)})
	}
	if t == k.cur {
		k.deschedule(t)
	}
}

// wakeSleepers moves every sleeper whose time has come to the ready queue,
// earliest first.
func (k *Kernel) wakeSleepers() {
	for len(k.sleepers) > 0 && k.sleepers[0].wakeAt <= k.clock {
		t := k.sleepers[0]
		k.sleepers = k.sleepers[1:]
		t.Context.R[0] = 0
		if k.opts.Strace != nil {
			k.straceWoken(t, 0)
		}
		k.emit(Event{Kind: EvWake, PID: t.Proc.PID, TID: t.TID})
		k.makeReady(t)
	}
}

func (k *Kernel) removeSleeper(t *Thread) {
	for i, x := range k.sleepers {
		if x == t {
			k.sleepers = append(k.sleepers[:i:i], k.sleepers[i+1:]...)
			return
		}
	}
}

func (k *Kernel) anyBlocked() bool {
	for _, p := range k.procs {
		for _, t := range p.Threads {
			if t.State == Blocked {
				return true
			}
		}
	}
	return false
}
