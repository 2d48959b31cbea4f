// Package abi is the contract between guest programs and the kernel: system
// call numbers, error codes, open flags and the fixed points of the virtual
// address layout. The assembler predefines these names for every program, and
// the kernel implements them; neither needs the other to know them. It sits
// just above package cpu, whose page size it uses, and below everything else.
package abi

import (
	"fmt"

	"vcpu/cpu"
)

// Sysno is a system call number, passed in r0.
type Sysno uint32

const (
	SysExit Sysno = iota + 1
	SysWrite
	SysRead
	SysSpawn
	SysFork
	SysWait
	SysKill
	SysGetpid
	SysGettid
	SysThreadCreate
	SysThreadJoin
	SysThreadExit
	SysYield
	SysSleep
	SysTime
	SysSbrk
	SysPipe
	SysOpen
	SysClose
	SysListen
	SysAccept
	SysConnect
	SysLock
	SysUnlock
	SysSemInit
	SysSemWait
	SysSemPost
	SysCondWait
	SysCondSignal
	SysCondBroadcast
	NumSyscalls // one past the last number
)

var sysNames = [NumSyscalls]string{
	SysExit: "EXIT", SysWrite: "WRITE", SysRead: "READ", SysSpawn: "SPAWN",
	SysFork: "FORK", SysWait: "WAIT", SysKill: "KILL", SysGetpid: "GETPID",
	SysGettid: "GETTID", SysThreadCreate: "THREAD_CREATE", SysThreadJoin: "THREAD_JOIN",
	SysThreadExit: "THREAD_EXIT", SysYield: "YIELD", SysSleep: "SLEEP", SysTime: "TIME",
	SysSbrk: "SBRK", SysPipe: "PIPE", SysOpen: "OPEN", SysClose: "CLOSE",
	SysListen: "LISTEN", SysAccept: "ACCEPT", SysConnect: "CONNECT", SysLock: "LOCK",
	SysUnlock: "UNLOCK", SysSemInit: "SEM_INIT", SysSemWait: "SEM_WAIT", SysSemPost: "SEM_POST",
	SysCondWait: "COND_WAIT", SysCondSignal: "COND_SIGNAL", SysCondBroadcast: "COND_BROADCAST",
}

// String is the syscall's name as in SYS_<NAME>, without the prefix.
func (s Sysno) String() string {
	if s < NumSyscalls && sysNames[s] != "" {
		return sysNames[s]
	}
	return fmt.Sprintf("syscall%d", uint32(s))
}

// Errno is an error code. Syscalls return it negated in r0, with the values
// Linux gives these names.
type Errno int32

const (
	EPERM        Errno = 1
	ENOENT       Errno = 2
	ESRCH        Errno = 3
	EIO          Errno = 5 // the host could not take a write to its stdout or stderr
	ENOEXEC      Errno = 8 // SPAWN: not a program it may read, or one that does not load
	EBADF        Errno = 9
	ECHILD       Errno = 10
	EAGAIN       Errno = 11
	ENOMEM       Errno = 12
	EFAULT       Errno = 14
	EINVAL       Errno = 22
	EMFILE       Errno = 24
	ENOSPC       Errno = 28
	EPIPE        Errno = 32
	EDEADLK      Errno = 35
	ENOSYS       Errno = 38
	EADDRINUSE   Errno = 98
	ECONNREFUSED Errno = 111
)

// errNames names every error code, indexed by it: the one list of them,
// which Errnos and String read.
var errNames = [...]string{
	EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EIO: "EIO", ENOEXEC: "ENOEXEC", EBADF: "EBADF", ECHILD: "ECHILD",
	EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EFAULT: "EFAULT", EINVAL: "EINVAL", EMFILE: "EMFILE",
	ENOSPC: "ENOSPC", EPIPE: "EPIPE", EDEADLK: "EDEADLK", ENOSYS: "ENOSYS",
	EADDRINUSE: "EADDRINUSE", ECONNREFUSED: "ECONNREFUSED",
}

// Errnos lists every error code, in numeric order.
var Errnos = func() []Errno {
	var l []Errno
	for e, name := range errNames {
		if name != "" {
			l = append(l, Errno(e))
		}
	}
	return l
}()

func (e Errno) String() string {
	if e > 0 && int(e) < len(errNames) && errNames[e] != "" {
		return errNames[e]
	}
	return fmt.Sprintf("errno%d", int32(e))
}

func (e Errno) Error() string { return e.String() }

// Ret is the value a syscall failing with e leaves in r0.
func (e Errno) Ret() uint32 { return uint32(-int32(e)) }

// ErrnoOf reads r0 after a syscall, the inverse of Ret: -1 to -4095 say
// the call failed with that errno, as on Linux; any other value is its
// result.
func ErrnoOf(r0 uint32) (Errno, bool) {
	if r := int32(r0); r < 0 && r > -4096 {
		return Errno(-r), true
	}
	return 0, false
}

// Open flags.
const (
	ORead   = 0 // read from an existing file
	OWrite  = 1 // create or truncate, then write
	OAppend = 2 // create if missing, write at the end
)

// Standard descriptors every process starts with.
const (
	Stdin  = 0
	Stdout = 1
	Stderr = 2
)

// Fixed points of every address space (docs/MEMORY.md draws the whole map).
const (
	// PageSize is the MMU's page size; cpu owns it.
	PageSize = cpu.PageSize
	// TextBase is where the code segment starts. Everything below it,
	// address 0 included, is never mapped, so null pointers fault.
	TextBase = 0x0000_1000
	// ImageTop bounds a program's segments: text, data and bss end at or
	// below it, so that above them the heap can grow and every stack slot
	// fits, whatever the stack size.
	ImageTop = 0x4000_0000
	// StackTop is the top of the highest thread stack; stacks are laid out
	// downward from here, one slot per live thread.
	StackTop = 0x8000_0000
	// ReturnGate is the return address the kernel puts on a new thread's
	// stack. Returning to it ends the thread (the process, for a main
	// thread) with r0; it is never mapped, so it cannot be reached any
	// other way without a fault.
	ReturnGate = 0xFFFF_F000
)

// PageAlign rounds n up to a multiple of PageSize.
func PageAlign(n uint32) uint32 { return (n + PageSize - 1) &^ (PageSize - 1) }

// Constants is every name the assembler predefines for guest programs:
// SYS_<NAME>, E<NAME> (negative), STDIN/STDOUT/STDERR and O_* flags.
func Constants() map[string]int64 {
	m := map[string]int64{
		"STDIN": Stdin, "STDOUT": Stdout, "STDERR": Stderr,
		"O_READ": ORead, "O_WRITE": OWrite, "O_APPEND": OAppend,
	}
	for s := SysExit; s < NumSyscalls; s++ {
		m["SYS_"+s.String()] = int64(s)
	}
	for _, e := range Errnos {
		m[e.String()] = -int64(e)
	}
	return m
}
