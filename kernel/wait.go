package kernel

import (
	"fmt"

	"vcpu/image"
	"vcpu/internal/termsafe"
)

// WaitKind is what a blocked thread waits for.
type WaitKind uint8

const (
	WaitNone   WaitKind = iota
	WaitLock            // a mutex another thread holds
	WaitSem             // a semaphore at 0
	WaitCond            // a condition variable's signal
	WaitJoin            // another thread's end
	WaitChild           // a child process's end
	WaitRead            // data in a pipe or socket
	WaitWrite           // room in a pipe or socket
	WaitAccept          // a connection on a listening port
)

// Wait describes a blocked thread's wait: the deadlock report and the
// window print it.
type Wait struct {
	Kind WaitKind
	Addr uint32 // lock, semaphore or condition variable address
	ID   int    // joined tid, awaited pid (-1: any), descriptor, port
	What string // the object in words, for pipes and sockets ("pipe 3")
}

// waitQueue is a FIFO of blocked threads: every wait queue in the kernel
// wakes in the order threads arrived.
type waitQueue struct {
	threads []*Thread
}

func (q *waitQueue) push(t *Thread) {
	q.threads = append(q.threads, t)
	t.queue = q
}

func (q *waitQueue) pop() *Thread {
	if len(q.threads) == 0 {
		return nil
	}
	t := q.threads[0]
	q.threads = q.threads[1:]
	t.queue = nil
	return t
}

func (q *waitQueue) remove(t *Thread) {
	for i, x := range q.threads {
		if x == t {
			q.threads = append(q.threads[:i:i], q.threads[i+1:]...)
			t.queue = nil
			return
		}
	}
}

func (q *waitQueue) len() int { return len(q.threads) }

// block takes the running thread off the CPU onto q, waiting for w. Whoever
// wakes it has completed its syscall and gives the result.
func (k *Kernel) block(t *Thread, q *waitQueue, w Wait) {
	k.assert(t == k.cur, "only the running thread blocks")
	t.State = Blocked
	t.Wait = w
	q.push(t)
	if k.listening() {
		k.emit(Event{Kind: EvBlock, PID: t.Proc.PID, TID: t.TID, Text: k.describeWait(t)})
	}
	k.deschedule(t)
}

// wake makes a blocked thread ready, its syscall done with r0 = result.
func (k *Kernel) wake(t *Thread, result uint32, by *Thread) {
	k.assert(t.State == Blocked, "waking a thread that is not blocked")
	if t.queue != nil {
		t.queue.remove(t)
	}
	byTID := 0
	if by != nil {
		byTID = by.TID
	}
	k.complete(t, result, byTID)
}

// complete ends the call t waited in, blocked or asleep, with r0 = result
// and makes t ready: the one place a call that blocked completes, so its
// --strace line and its EvWake (By: the tid whose call woke it, 0 for the
// clock) cannot be forgotten by one way of waking.
func (k *Kernel) complete(t *Thread, result uint32, by int) {
	t.Context.R[0] = result
	t.Wait = Wait{}
	if k.opts.Strace != nil {
		k.straceWoken(t, result)
	}
	k.emit(Event{Kind: EvWake, PID: t.Proc.PID, TID: t.TID, By: by})
	k.makeReady(t)
}

// describeWait says in words what a blocked thread waits for.
func (k *Kernel) describeWait(t *Thread) string {
	w := t.Wait
	p := t.Proc
	switch w.Kind {
	case WaitLock:
		s := fmt.Sprintf("lock %s", k.addrName(p, w.Addr))
		if m := p.locks[w.Addr]; m != nil && m.owner != nil {
			s += fmt.Sprintf(" held by tid %d", m.owner.TID)
			if m.owner.State == Exited {
				s += " (exited)"
			}
		}
		return s
	case WaitSem:
		return fmt.Sprintf("semaphore %s (value 0)", k.addrName(p, w.Addr))
	case WaitCond:
		return fmt.Sprintf("condition variable %s", k.addrName(p, w.Addr))
	case WaitJoin:
		return fmt.Sprintf("join of tid %d", w.ID)
	case WaitChild:
		if w.ID < 0 {
			return "any child to exit"
		}
		return fmt.Sprintf("child pid %d to exit", w.ID)
	case WaitRead, WaitWrite, WaitAccept:
		return w.What
	}
	return "nothing"
}

// addrName prints a guest address with the data label it falls on, if any:
// the label --strace names it by too (image.Program.LabelAt).
func (k *Kernel) addrName(p *Process, addr uint32) string {
	for _, sec := range []image.Section{image.SecData, image.SecBSS} {
		if name, off := p.Program.LabelAt(addr, sec); name != "" && off == 0 {
			return fmt.Sprintf("0x%08x (%s)", addr, termsafe.String(name)) // a .vbin's names can be anything
		}
	}
	return fmt.Sprintf("0x%08x", addr)
}
