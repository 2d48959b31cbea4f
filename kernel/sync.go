package kernel

import (
	"fmt"

	"vcpu/abi"
	"vcpu/cpu"
)

// Kernel synchronisation objects are named by a guest address, per process:
// the same address in two processes names two different objects, as it names
// two different words of memory.

type mutex struct {
	owner   *Thread
	waiters waitQueue
}

// maxSemaphores bounds the semaphores of one process: unlike a free mutex, a
// semaphore holds a value, so each one initialised must be kept.
const maxSemaphores = 4096

// tooManySems is SEM_INIT's reason past maxSemaphores, made once: a failing
// call formats nothing when nobody traces.
var tooManySems = fmt.Sprintf("the process has as many semaphores as it may (%d)", maxSemaphores)

type semaphore struct {
	value   int32
	waiters waitQueue
}

type condvar struct {
	waiters waitQueue
	mutexOf map[*Thread]uint32 // the mutex each waiter must get back
}

// checkWord makes sure addr names a word of the caller's memory, so that a
// lock cannot be named by a wild pointer.
func (k *Kernel) checkWord(t *Thread, addr uint32) error {
	if t.Proc.AS.Check(addr, 4, cpu.Read) != nil {
		return k.fail(abi.EFAULT, "the address is not a word of the caller's memory")
	}
	return nil
}

func (p *Process) mutex(addr uint32) *mutex {
	m := p.locks[addr]
	if m == nil {
		if p.locks == nil {
			p.locks = map[uint32]*mutex{}
		}
		m = &mutex{}
		p.locks[addr] = m
	}
	return m
}

func sysLock(k *Kernel, t *Thread, a args) (uint32, error) {
	if err := k.checkWord(t, a[0]); err != nil {
		return 0, err
	}
	m := t.Proc.mutex(a[0])
	switch m.owner {
	case nil:
		m.owner = t
		return 0, nil
	case t:
		return 0, k.fail(abi.EDEADLK, "the caller holds this lock already")
	}
	k.block(t, &m.waiters, Wait{Kind: WaitLock, Addr: a[0]})
	return 0, errBlocked
}

func sysUnlock(k *Kernel, t *Thread, a args) (uint32, error) {
	if err := k.checkWord(t, a[0]); err != nil {
		return 0, err
	}
	m := t.Proc.locks[a[0]]
	switch {
	case m == nil:
		return 0, k.fail(abi.EPERM, "the lock is not held")
	case m.owner != t:
		return 0, k.fail(abi.EPERM, "another thread holds the lock")
	}
	k.release(t.Proc, a[0], t)
	return 0, nil
}

// release hands a mutex to its first waiter, FIFO, or frees it. A free
// mutex with no waiters is no different from one never used, so it is
// forgotten: the table holds only mutexes in use, however many addresses a
// guest locks.
func (k *Kernel) release(p *Process, addr uint32, by *Thread) {
	m := p.locks[addr]
	m.owner = nil
	if m.waiters.len() > 0 {
		m.owner = m.waiters.threads[0]
		k.wake(m.owner, 0, by)
		return
	}
	delete(p.locks, addr)
}

func sysSemInit(k *Kernel, t *Thread, a args) (uint32, error) {
	if err := k.checkWord(t, a[0]); err != nil {
		return 0, err
	}
	if int32(a[1]) < 0 {
		return 0, k.fail(abi.EINVAL, "a semaphore's value cannot be negative")
	}
	if s := t.Proc.sems[a[0]]; s != nil && s.waiters.len() > 0 {
		return 0, k.fail(abi.EAGAIN, "threads wait on this semaphore: initialising it again would strand them")
	}
	if t.Proc.sems == nil {
		t.Proc.sems = map[uint32]*semaphore{}
	}
	if _, ok := t.Proc.sems[a[0]]; !ok && len(t.Proc.sems) >= maxSemaphores {
		return 0, k.fail(abi.ENOMEM, tooManySems)
	}
	t.Proc.sems[a[0]] = &semaphore{value: int32(a[1])}
	return 0, nil
}

func sysSemWait(k *Kernel, t *Thread, a args) (uint32, error) {
	s := t.Proc.sems[a[0]]
	if s == nil {
		return 0, k.fail(abi.EINVAL, "no semaphore was initialised at this address (SEM_INIT)")
	}
	if s.value > 0 {
		s.value--
		return 0, nil
	}
	k.block(t, &s.waiters, Wait{Kind: WaitSem, Addr: a[0]})
	return 0, errBlocked
}

func sysSemPost(k *Kernel, t *Thread, a args) (uint32, error) {
	s := t.Proc.sems[a[0]]
	if s == nil {
		return 0, k.fail(abi.EINVAL, "no semaphore was initialised at this address (SEM_INIT)")
	}
	if len(s.waiters.threads) > 0 { // the unit goes straight to the first waiter
		k.wake(s.waiters.threads[0], 0, t)
		return 0, nil
	}
	if s.value == 1<<31-1 {
		return 0, k.fail(abi.EINVAL, "the semaphore is at its largest value")
	}
	s.value++
	return 0, nil
}

func sysCondWait(k *Kernel, t *Thread, a args) (uint32, error) {
	if err := k.checkWord(t, a[0]); err != nil {
		return 0, err
	}
	m := t.Proc.locks[a[1]]
	if m == nil || m.owner != t {
		return 0, k.fail(abi.EPERM, "the caller does not hold the mutex")
	}
	c := t.Proc.conds[a[0]]
	if c == nil {
		c = &condvar{mutexOf: map[*Thread]uint32{}}
		if t.Proc.conds == nil {
			t.Proc.conds = map[uint32]*condvar{}
		}
		t.Proc.conds[a[0]] = c
	}
	c.mutexOf[t] = a[1]
	k.release(t.Proc, a[1], t)
	k.block(t, &c.waiters, Wait{Kind: WaitCond, Addr: a[0]})
	return 0, errBlocked
}

func sysCondSignal(k *Kernel, t *Thread, a args) (uint32, error) {
	return 0, k.signal(t, a[0], 1)
}

func sysCondBroadcast(k *Kernel, t *Thread, a args) (uint32, error) {
	return 0, k.signal(t, a[0], -1)
}

// signal moves up to n waiters (all if n < 0) of a condition variable back
// to their mutex: each returns from COND_WAIT only once it holds it again.
func (k *Kernel) signal(t *Thread, addr uint32, n int) error {
	if err := k.checkWord(t, addr); err != nil {
		return err
	}
	c := t.Proc.conds[addr]
	if c == nil {
		return nil // no waiter: a signal is not remembered
	}
	for ; n != 0 && c.waiters.len() > 0; n-- {
		w := c.waiters.threads[0]
		maddr := c.mutexOf[w]
		delete(c.mutexOf, w)
		m := t.Proc.mutex(maddr)
		if m.owner == nil {
			m.owner = w
			k.wake(w, 0, t)
			continue
		}
		c.waiters.pop()
		w.Wait = Wait{Kind: WaitLock, Addr: maddr}
		m.waiters.push(w)
		if k.listening() {
			k.emit(Event{Kind: EvBlock, PID: w.Proc.PID, TID: w.TID, Text: k.describeWait(w)})
		}
	}
	if c.waiters.len() == 0 {
		delete(t.Proc.conds, addr) // as with mutexes: only conditions with waiters are kept
	}
	return nil
}
