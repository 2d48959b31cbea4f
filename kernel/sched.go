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
	Ready() []*Thread                   // the queue in order, for the window (valid until the queue changes)
}

// RoundRobin is one FIFO ready queue; every thread gets the same quantum.
// The queue is a ring buffer, so that taking the head is O(1) however many
// threads wait: a switch costs the same with 2 threads as with 1,000.
type RoundRobin struct {
	ring []*Thread // len is 0 or a power of two
	head int       // index of the first thread
	n    int       // threads queued
	view []*Thread // Ready's ordered copy, reused
}

// NewRoundRobin makes an empty round-robin ready queue.
func NewRoundRobin() *RoundRobin { return &RoundRobin{} }

// at is the i-th thread from the head.
func (r *RoundRobin) at(i int) *Thread { return r.ring[(r.head+i)&(len(r.ring)-1)] }

func (r *RoundRobin) Enqueue(t *Thread) {
	if r.n == len(r.ring) {
		r.grow()
	}
	r.ring[(r.head+r.n)&(len(r.ring)-1)] = t
	r.n++
}

// grow doubles the ring, unrolled to start at index 0. Once it has grown to
// the most threads ever ready at once, Enqueue never allocates again.
func (r *RoundRobin) grow() {
	ring := make([]*Thread, max(8, 2*len(r.ring)))
	for i := range r.n {
		ring[i] = r.at(i)
	}
	r.ring, r.head = ring, 0
}

func (r *RoundRobin) Dequeue() *Thread {
	if r.n == 0 {
		return nil
	}
	t := r.ring[r.head]
	r.ring[r.head] = nil // the ring keeps no exited thread alive
	r.head = (r.head + 1) & (len(r.ring) - 1)
	r.n--
	return t
}

// Remove takes t out wherever it is, keeping the others' order. It is
// O(n), but only a kill calls it.
func (r *RoundRobin) Remove(t *Thread) {
	for i := range r.n {
		if r.at(i) != t {
			continue
		}
		for ; i+1 < r.n; i++ {
			r.ring[(r.head+i)&(len(r.ring)-1)] = r.at(i + 1)
		}
		r.ring[(r.head+r.n-1)&(len(r.ring)-1)] = nil
		r.n--
		return
	}
}

func (r *RoundRobin) Quantum(_ *Thread, q uint64) uint64 { return q }

// Ready lists the queue in order. The slice is reused: it is valid until
// the queue next changes.
func (r *RoundRobin) Ready() []*Thread {
	r.view = r.view[:0]
	for i := range r.n {
		r.view = append(r.view, r.at(i))
	}
	return r.view
}

// ReadyQueue lists the ready threads in the order they will run, valid
// until the queue next changes.
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
	k.cpu.SaveContext(&t.Context)
	k.cur = nil
	k.note(EvDeschedule, t)
}

// preempt is the timer: the running thread goes to the tail.
func (k *Kernel) preempt(t *Thread) {
	k.note(EvPreempt, t)
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
	k.note(EvDispatch, t)
	k.left = k.ready.Quantum(t, k.quantum()) // seed.go
}

// switchTo loads t's registers, and its address space if it is another
// process's: a process switch, which flushes the TLB unless ASIDs tag it.
// Running the same thread again is no switch at all.
func (k *Kernel) switchTo(t *Thread) {
	prev := k.last
	k.cpu.LoadContext(&t.Context)
	k.last = t
	if prev == t {
		return
	}
	if prev != nil {
		prev.Stats.SwitchesOut++
		t.Stats.SwitchesIn++
	}
	process := k.cpu.AddressSpace() != t.Proc.AS
	if process {
		k.cpu.SetAddressSpace(t.Proc.AS)
	}
	switch {
	case !process:
		k.Stats.ThreadSwitches++
	case prev != nil: // the first thread of the run switches from nothing: nothing counted
		k.Stats.ProcessSwitches++
		t.Stats.ProcessSwitchesIn++
	}
	if k.listening() {
		e := Event{Kind: EvSwitch, PID: t.Proc.PID, TID: t.TID, Process: process && prev != nil}
		if prev != nil {
			e.FromPID, e.FromTID = prev.Proc.PID, prev.TID
		}
		k.publish(e)
	}
	if process && prev != nil && !k.cfg.ASID {
		dropped := k.tlb.Flush()
		k.emit(Event{Kind: EvFlush, PID: t.Proc.PID, TID: t.TID, Dropped: dropped})
	}
}

// note emits an event that says only which thread: the scheduler's, on
// every timer boundary. Unlike emit it builds no Event unless someone
// listens; emit's argument is built before its check.
func (k *Kernel) note(kind EventKind, t *Thread) {
	if k.listening() {
		k.publish(Event{Kind: kind, PID: t.Proc.PID, TID: t.TID})
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
		k.complete(t, 0, 0) // SLEEP returns 0
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
