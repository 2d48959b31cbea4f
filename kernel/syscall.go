package kernel

import (
	"fmt"

	"vcpu/abi"
)

// args are a syscall's arguments, r1-r4.
type args [4]uint32

// sysFunc implements one syscall for thread t. It returns the value for r0,
// or an abi.Errno (returned negated; k.fail adds the reason --strace shows),
// errBlocked (t blocked; whoever wakes it sets r0), errGone (t no longer
// runs) or errInterrupted. Nothing else: whatever went wrong on the guest's
// side is an errno, and any other error is a bug in vcpu.
type sysFunc func(k *Kernel, t *Thread, a args) (uint32, error)

// syscalls is indexed by number, as xv6's syscall table is.
var syscalls = [abi.NumSyscalls]sysFunc{
	abi.SysExit:          sysExit,
	abi.SysWrite:         sysWrite,
	abi.SysRead:          sysRead,
	abi.SysSpawn:         sysSpawn,
	abi.SysFork:          sysFork,
	abi.SysWait:          sysWait,
	abi.SysKill:          sysKill,
	abi.SysGetpid:        sysGetpid,
	abi.SysGettid:        sysGettid,
	abi.SysThreadCreate:  sysThreadCreate,
	abi.SysThreadJoin:    sysThreadJoin,
	abi.SysThreadExit:    sysThreadExit,
	abi.SysYield:         sysYield,
	abi.SysSleep:         sysSleep,
	abi.SysTime:          sysTime,
	abi.SysSbrk:          sysSbrk,
	abi.SysPipe:          sysPipe,
	abi.SysOpen:          sysOpen,
	abi.SysClose:         sysClose,
	abi.SysListen:        sysListen,
	abi.SysAccept:        sysAccept,
	abi.SysConnect:       sysConnect,
	abi.SysLock:          sysLock,
	abi.SysUnlock:        sysUnlock,
	abi.SysSemInit:       sysSemInit,
	abi.SysSemWait:       sysSemWait,
	abi.SysSemPost:       sysSemPost,
	abi.SysCondWait:      sysCondWait,
	abi.SysCondSignal:    sysCondSignal,
	abi.SysCondBroadcast: sysCondBroadcast,
}

// syscall is the trap handler for a syscall instruction, which has already
// counted as one instruction.
func (k *Kernel) syscall(t *Thread) {
	k.Stats.Syscalls++
	t.sysno = abi.Sysno(k.cpu.Reg(0))
	t.sysargs = args{k.cpu.Reg(1), k.cpu.Reg(2), k.cpu.Reg(3), k.cpu.Reg(4)}
	k.invoke(t)
}

// invoke runs t's pending syscall and delivers its result: into the CPU's r0
// if t still runs, into its saved registers if it yielded. A call that
// blocks never comes back here: whoever wakes t completes it (complete).
func (k *Kernel) invoke(t *Thread) {
	// The arguments are read one word at a time: syscall has just stored
	// them so, and one 16-byte load of bytes still in the store buffer
	// would stall until they drain.
	num, a := t.sysno, args{t.sysargs[0], t.sysargs[1], t.sysargs[2], t.sysargs[3]}
	var f sysFunc
	if num < abi.NumSyscalls {
		f = syscalls[num]
	}
	v, err := abi.ENOSYS.Ret(), error(nil)
	noReturn := false
	if k.opts.Strace != nil {
		noReturn = k.straceNoReturn(t) // its line comes before the process's end
		k.straceBegin(t)
		defer k.straceEnd()
	}
	if f != nil {
		v, err = f(k, t, a)
	}
	switch errno, isErrno := errnoOf(err); {
	case err == nil:
	case isErrno:
		v = errno.Ret()
	case err == errBlocked:
		if k.opts.Strace != nil {
			k.straceBlocked(t)
		}
		k.emitSyscall(t, num, a, 0, true)
		return
	case err == errGone:
		if k.opts.Strace != nil && !noReturn {
			k.straceGone(t, "it does not return")
		}
		k.emitSyscall(t, num, a, 0, false)
		return
	case err == errInterrupted:
		if k.opts.Strace != nil {
			k.straceGone(t, "interrupted: the run stops")
		}
		return // not made: the run stops before t goes on
	default:
		k.assert(false, "syscall "+num.String()+" returned "+err.Error())
	}
	if k.cur == t {
		k.cpu.SetReg(0, v)
	} else {
		t.Context.R[0] = v
	}
	if k.opts.Strace != nil {
		k.straceDone(t, v, err)
	}
	k.emitSyscall(t, num, a, v, false)
}

// errnoOf is the errno a handler failed with: bare, as every handler
// returns it unless --strace wants the reason too (a *sysError). The bare
// case is a type assertion, not errors.As, which allocates: a failing
// syscall costs nothing on the heap.
func errnoOf(err error) (abi.Errno, bool) {
	switch e := err.(type) {
	case abi.Errno:
		return e, true
	case *sysError:
		return e.errno, true
	}
	return 0, false
}

func (k *Kernel) emitSyscall(t *Thread, num abi.Sysno, a args, v uint32, blocked bool) {
	if !k.listening() {
		return
	}
	k.emit(Event{Kind: EvSyscall, PID: t.Proc.PID, TID: t.TID, Text: num.String(), Args: a, Result: v, Blocked: blocked})
}

func sysExit(k *Kernel, t *Thread, a args) (uint32, error) {
	k.exitProcess(t.Proc, int(a[0]&0xFF), "exit")
	return 0, errGone
}

func sysGetpid(k *Kernel, t *Thread, a args) (uint32, error) { return uint32(t.Proc.PID), nil }
func sysGettid(k *Kernel, t *Thread, a args) (uint32, error) { return uint32(t.TID), nil }
func sysTime(k *Kernel, t *Thread, a args) (uint32, error)   { return uint32(k.clock), nil }

func sysYield(k *Kernel, t *Thread, a args) (uint32, error) {
	k.yield(t)
	return 0, nil
}

func sysSleep(k *Kernel, t *Thread, a args) (uint32, error) {
	if int32(a[0]) <= 0 {
		return 0, nil
	}
	k.sleep(t, k.clock+uint64(a[0]))
	return 0, errBlocked
}

func sysSbrk(k *Kernel, t *Thread, a args) (uint32, error) {
	return k.sbrk(t.Proc, int32(a[0]))
}

func sysThreadCreate(k *Kernel, t *Thread, a args) (uint32, error) {
	p := t.Proc
	// A thread that ended but was never joined still holds its value, as
	// an unjoined pthread does: it counts against the limit, so a guest
	// cannot grow the thread table without bound.
	if p.unjoined() >= k.cfg.MaxThreads {
		return 0, k.fail(abi.EAGAIN, "the process has as many threads, running or not yet joined, as --threads allows")
	}
	nt := k.allocThread(p)
	if err := k.newStack(nt); err != nil {
		p.Threads = p.Threads[:len(p.Threads)-1]
		k.nextTID-- // it never existed: keep tids dense for the guest
		return 0, err
	}
	nt.Context.PC = a[0]
	nt.Context.R[1] = a[1]
	k.emit(Event{Kind: EvThreadStart, PID: p.PID, TID: nt.TID, Entry: a[0]})
	k.makeReady(nt)
	return uint32(nt.TID), nil
}

func sysThreadJoin(k *Kernel, t *Thread, a args) (uint32, error) {
	target := t.Proc.thread(int(a[0]))
	switch {
	case target == nil:
		return 0, abi.ESRCH
	case target == t:
		return 0, k.fail(abi.EDEADLK, "a thread cannot join itself")
	case target.Joined || target.joiners.len() > 0:
		return 0, k.fail(abi.EINVAL, "the thread was joined already, or another thread joins it")
	case target.State == Exited:
		k.collect(target)
		return target.Value, nil
	}
	k.block(t, &target.joiners, Wait{Kind: WaitJoin, ID: target.TID})
	return 0, errBlocked
}

func sysThreadExit(k *Kernel, t *Thread, a args) (uint32, error) {
	k.exitThread(t, a[0])
	return 0, errGone
}

// keepJoined is how many joined threads a process keeps for the statistics.
const keepJoined = 64

// collect marks an exited thread's value taken, and drops the oldest joined
// records beyond keepJoined.
func (k *Kernel) collect(t *Thread) {
	t.Joined = true
	p := t.Proc
	joined := 0
	for _, x := range p.Threads {
		if x.Joined {
			joined++
		}
	}
	for i, x := range p.Threads {
		if joined <= keepJoined {
			break
		}
		if x.Joined && i > 0 {
			p.Threads = append(p.Threads[:i:i], p.Threads[i+1:]...)
			p.droppedThreads++
			break
		}
	}
}

// exitThread ends one thread; the last one ends its process with status 0.
func (k *Kernel) exitThread(t *Thread, value uint32) {
	p := t.Proc
	if p.liveThreads() == 1 {
		k.exitProcess(p, 0, "last thread exited")
		return
	}
	if t == k.cur {
		k.deschedule(t)
	}
	t.State = Exited
	t.Value = value
	k.freeStack(t)
	k.emit(Event{Kind: EvThreadExit, PID: p.PID, TID: t.TID, Value: value})
	if t.joiners.len() > 0 {
		k.wake(t.joiners.threads[0], value, t)
		k.collect(t)
	}
}

func sysKill(k *Kernel, t *Thread, a args) (uint32, error) {
	pid := int(int32(a[0]))
	victim := k.process(pid)
	if victim == nil || !victim.Live() {
		return 0, abi.ESRCH
	}
	k.printf("vcpu: %s killed by pid %d\n", victim, t.Proc.PID)
	k.exitProcess(victim, 137, fmt.Sprintf("killed by pid %d", t.Proc.PID))
	victim.Ended.KilledBy = t.Proc.PID
	if victim == t.Proc {
		return 0, errGone
	}
	return 0, nil
}
