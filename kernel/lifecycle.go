package kernel

import "vcpu/abi"

// This file is the life of processes: fork, spawn, wait and exit.

func sysFork(k *Kernel, t *Thread, a args) (uint32, error) {
	parent := t.Proc
	if k.live >= k.cfg.MaxProcs {
		return 0, abi.EAGAIN
	}
	// Out of frames, fail before building anything: a fork bomb's failing
	// forks then cost the host a few comparisons, not a page table built,
	// filled and torn down again.
	if forkFrames(parent, t) > k.frames.free {
		return 0, abi.ENOMEM
	}
	child := k.allocProcess(parent.img, parent)
	ct := k.allocThread(child)
	if err := k.copyAddressSpace(parent, child, t); err != nil {
		k.discard(child)
		return 0, err
	}
	ct.Context = k.cpu.Context()
	ct.Context.R[0] = 0 // fork returns 0 in the child
	k.stdio(child, parent)
	k.emit(Event{Kind: EvProcStart, PID: child.PID, TID: ct.TID, Text: child.Name, Parent: parent.PID})
	k.makeReady(ct)
	return uint32(child.PID), nil
}

func sysWait(k *Kernel, t *Thread, a args) (uint32, error) {
	p := t.Proc
	pid := int(int32(a[0]))
	var found bool
	for _, c := range p.children {
		if pid != -1 && c.PID != pid {
			continue
		}
		found = true
		if c.State == ProcZombie {
			return uint32(k.reap(c)), nil
		}
	}
	if !found {
		return 0, abi.ECHILD
	}
	k.block(t, &p.childWait, Wait{Kind: WaitChild, ID: pid})
	return 0, errBlocked
}

// reap collects a zombie's status: its pid is gone for good.
func (k *Kernel) reap(c *Process) int {
	k.setReaped(c)
	if c.Parent != nil {
		c.Parent.children = removeProc(c.Parent.children, c)
	}
	return c.Status
}

func removeProc(ps []*Process, p *Process) []*Process {
	for i, x := range ps {
		if x == p {
			return append(ps[:i:i], ps[i+1:]...)
		}
	}
	return ps
}

// exitProcess ends p and every thread in it, returns its memory and
// descriptors, and tells its parent.
func (k *Kernel) exitProcess(p *Process, status int, why string) {
	if !p.Live() {
		return
	}
	p.Ended = &Ending{TID: p.Main().TID}
	if k.cur != nil && k.cur.Proc == p {
		p.Ended.TID = k.cur.TID
	}
	for _, s := range p.AS.Segments {
		p.Ended.Segments = append(p.Ended.Segments, *s)
	}
	for _, t := range p.Threads {
		if t.State != Exited && t.TID != p.Ended.TID {
			p.Ended.Others++
		}
		if (t.State == Blocked || t.State == Sleeping) && k.opts.Strace != nil {
			k.straceGone(t, "its process ended while it waited")
		}
		switch t.State {
		case Running:
			k.deschedule(t)
		case Ready:
			k.ready.Remove(t)
		case Blocked:
			if t.queue != nil {
				t.queue.remove(t)
			}
		case Sleeping:
			k.removeSleeper(t)
		}
		t.State = Exited
		t.Stack = nil
	}
	p.Status, p.ExitReason = status, why
	p.State = ProcZombie
	if k.opts.Strace != nil {
		k.straceExit(p)
	}
	k.freeAddressSpace(p)
	k.closeAll(p)
	for _, c := range p.children { // orphans: nobody will wait for them
		c.Parent = nil
		if c.State == ProcZombie {
			k.setReaped(c)
		}
	}
	p.children = nil
	k.emit(Event{Kind: EvProcExit, PID: p.PID, TID: p.Main().TID, Status: status, Text: why})
	parent := p.Parent
	if parent == nil || !parent.Live() {
		k.setReaped(p)
		return
	}
	for _, w := range parent.childWait.threads {
		if w.Wait.ID == -1 || w.Wait.ID == p.PID {
			k.wake(w, uint32(k.reap(p)), nil)
			return
		}
	}
}
