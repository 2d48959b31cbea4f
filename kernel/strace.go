package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/internal/termsafe"
)

// --strace: one line per system call on Options.Strace, as it happens.
//
//	[pid 1 tid 1] WRITE(1, "hello, world\n", 13) = 13
//	[pid 1 tid 1] CLOSE(7) = -9 EBADF (the descriptor is not open)
//	[pid 1 tid 2] LOCK(&m) blocks: waits for lock 0x00002000 (m) held by tid 3
//	[pid 1 tid 2] LOCK(&m) = 0 (after 214 ticks blocked)
//
// Arguments are shown by what they are: descriptors and counts as numbers,
// buffers and paths as quoted strings (control characters escaped, at most
// straceStringMax bytes), data addresses by their label (&counter+4), code
// addresses by theirs. A failure shows its errno and why: the handler's
// reason (sysError) when it gave one, else a reason for that call and
// errno from straceReasons. With Options.Strace nil none of this runs.

// sysError is a syscall failure with a reason for --strace. Handlers
// make one with fail or efault, which return the bare errno when nobody
// traces, so a failing call costs no allocation then. SPAWN's refusals
// (spawn.go) are sysErrors always, their reason being shown on stderr too,
// and go back to the guest through fail like any other.
type sysError struct {
	errno abi.Errno
	why   string
}

func (e *sysError) Error() string { return e.errno.String() + " (" + e.why + ")" }
func (e *sysError) Unwrap() error { return e.errno }

// fail is errno, with why for --strace.
func (k *Kernel) fail(errno abi.Errno, why string) error {
	if k.opts.Strace == nil {
		return errno
	}
	return &sysError{errno, why}
}

// efault is EFAULT for a buffer of n bytes at addr that t may not access
// as a, saying which part of the address space it runs into.
func (k *Kernel) efault(t *Thread, addr, n uint32, a cpu.Access) error {
	if k.opts.Strace == nil {
		return abi.EFAULT
	}
	return &sysError{abi.EFAULT, bufferReason(t.Proc, addr, n, a)}
}

// bufferReason says why n bytes at addr are out of reach.
func bufferReason(p *Process, addr, n uint32, a cpu.Access) string {
	if uint64(addr)+uint64(n) > 1<<32 {
		return "the buffer wraps around the end of the address space"
	}
	if s := segmentAt(p, addr); s != nil {
		name := s.Kind.String() + " segment"
		if s.Kind == cpu.SegStack {
			name = fmt.Sprintf("stack of tid %d", s.Owner)
		}
		if a == cpu.Write && s.Perm&cpu.PermW == 0 {
			return "the buffer is in the " + name + ", which is read-only"
		}
		return fmt.Sprintf("the buffer runs past the end of the %s: %d of its %d bytes fit", name, s.End()-addr, n)
	}
	if addr < cpu.PageSize {
		return "the buffer is in the null page: a pointer that was never set?"
	}
	return fmt.Sprintf("no segment holds address 0x%08x", addr)
}

// straceStringMax is how many bytes of a buffer or path a line shows.
const straceStringMax = 48

// argKind is how a syscall argument is shown.
type argKind uint8

const (
	aNum   argKind = iota // a signed number
	aOut                  // a buffer the call reads, of the next argument's length: its bytes
	aIn                   // a buffer the call fills, of the next argument's length: what it got
	aPath                 // a 0-terminated string
	aData                 // a data address: &label
	aCode                 // a code address: label
	aFlags                // OPEN's flags
)

// straceArgs is each syscall's arguments, from r1 on.
var straceArgs = [abi.NumSyscalls][]argKind{
	abi.SysExit: {aNum}, abi.SysWrite: {aNum, aOut, aNum}, abi.SysRead: {aNum, aIn, aNum},
	abi.SysSpawn: {aPath, aNum}, abi.SysFork: {}, abi.SysWait: {aNum}, abi.SysKill: {aNum},
	abi.SysGetpid: {}, abi.SysGettid: {}, abi.SysThreadCreate: {aCode, aNum}, abi.SysThreadJoin: {aNum},
	abi.SysThreadExit: {aNum}, abi.SysYield: {}, abi.SysSleep: {aNum}, abi.SysTime: {}, abi.SysSbrk: {aNum},
	abi.SysPipe: {aData}, abi.SysOpen: {aPath, aFlags}, abi.SysClose: {aNum}, abi.SysListen: {aNum},
	abi.SysAccept: {aNum}, abi.SysConnect: {aNum}, abi.SysLock: {aData}, abi.SysUnlock: {aData},
	abi.SysSemInit: {aData, aNum}, abi.SysSemWait: {aData}, abi.SysSemPost: {aData},
	abi.SysCondWait: {aData, aData}, abi.SysCondSignal: {aData}, abi.SysCondBroadcast: {aData},
}

// straceCall formats "NAME(args)" for t's syscall; result is what it
// returned (for a buffer it filled), ok whether it succeeded.
func (k *Kernel) straceCall(t *Thread, result uint32, ok bool) string {
	num, a := t.sysno, t.sysargs
	var kinds []argKind
	if num < abi.NumSyscalls {
		kinds = straceArgs[num]
	}
	var b strings.Builder
	b.WriteString(num.String())
	b.WriteByte('(')
	for i, kind := range kinds {
		if i > 0 {
			b.WriteString(", ")
		}
		v := a[i]
		switch kind {
		case aNum:
			fmt.Fprint(&b, int32(v))
		case aOut:
			b.WriteString(k.straceBuffer(t, v, a[i+1], true))
		case aIn:
			if ok && result > 0 {
				b.WriteString(k.straceBuffer(t, v, result, true))
			} else {
				b.WriteString(k.straceBuffer(t, v, a[i+1], false))
			}
		case aPath:
			if s, err := t.Proc.AS.ReadString(k.mem, v, maxPath); err == nil {
				b.WriteString(termsafe.Quote([]byte(s), straceStringMax))
			} else {
				fmt.Fprintf(&b, "0x%08x", v)
			}
		case aData:
			b.WriteString(dataArg(t.Proc, v))
		case aCode:
			if l := labelAt(t.Proc.Program, v, image.SecText); l != "" {
				b.WriteString(l)
			} else {
				fmt.Fprintf(&b, "0x%08x", v)
			}
		case aFlags:
			b.WriteString(openFlags(v))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// straceBuffer shows n bytes at addr as a string, or the address when
// show is false or they cannot be read.
func (k *Kernel) straceBuffer(t *Thread, addr, n uint32, show bool) string {
	if show && t.Proc.AS != nil && t.Proc.AS.Check(addr, n, cpu.Read) == nil {
		b := make([]byte, min(n, straceStringMax+1))
		if t.Proc.AS.CopyIn(k.mem, addr, b) == nil {
			return termsafe.Quote(b, straceStringMax)
		}
	}
	return dataArg(t.Proc, addr)
}

// dataArg shows a data address by its label, "&counter+4", or in hex.
func dataArg(p *Process, addr uint32) string {
	for _, sec := range []image.Section{image.SecData, image.SecBSS} {
		base, end := p.Program.DataBase, p.Program.DataBase+uint32(len(p.Program.Data))
		if sec == image.SecBSS {
			base, end = p.Program.BSSBase, p.Program.BSSBase+p.Program.BSSSize
		}
		if addr >= base && addr < end {
			if l := labelAt(p.Program, addr, sec); l != "" {
				return "&" + l
			}
		}
	}
	return fmt.Sprintf("0x%08x", addr)
}

func openFlags(v uint32) string {
	switch v {
	case abi.ORead:
		return "O_READ"
	case abi.OWrite:
		return "O_WRITE"
	case abi.OAppend:
		return "O_APPEND"
	}
	return fmt.Sprint(int32(v))
}

// straceResult formats " = result" for a completed call. A result in
// -4095..-1 is an errno, except where the call succeeded with a value the
// guest chose: a joined thread may well have ended with -35.
func straceResult(num abi.Sysno, v uint32, err error) string {
	if errno, ok := abi.ErrnoOf(v); ok && (err != nil || num != abi.SysThreadJoin) {
		r := int32(v)
		why := ""
		var se *sysError
		if errors.As(err, &se) {
			why = se.why
		} else {
			why = straceReason(num, errno)
		}
		if why != "" {
			return fmt.Sprintf(" = %d %s (%s)", r, errno, why)
		}
		return fmt.Sprintf(" = %d %s", r, errno)
	}
	if num == abi.SysSbrk {
		return fmt.Sprintf(" = 0x%08x", v)
	}
	return fmt.Sprintf(" = %d", int32(v))
}

// straceDone writes the line of a call that completed now; err is the
// handler's error, if it failed.
func (k *Kernel) straceDone(t *Thread, v uint32, err error) {
	line := k.straceCall(t, v, int32(v) >= 0) + straceResult(t.sysno, v, err)
	if t.sysno == abi.SysPipe && int32(v) >= 0 {
		var fds [8]byte
		if t.Proc.AS.CopyIn(k.mem, t.sysargs[0], fds[:]) == nil {
			line += fmt.Sprintf(" [%d, %d]", binary.LittleEndian.Uint32(fds[0:]), binary.LittleEndian.Uint32(fds[4:]))
		}
	}
	k.straceLine(t, line)
	if t.sysno == abi.SysFork && int32(v) > 0 {
		if c := k.process(int(v)); c != nil && len(c.Threads) > 0 {
			k.straceWrite(nil, fmt.Sprintf("[pid %d tid %d] FORK() = 0 (in the child)\n", c.PID, c.Threads[0].TID))
		}
	}
}

// straceBlocked writes the line of a call that blocked its caller.
func (k *Kernel) straceBlocked(t *Thread) {
	t.blockedAt = k.clock
	what := fmt.Sprintf("sleeps until tick %d", t.wakeAt)
	if t.State == Blocked {
		what = "waits for " + k.describeWait(t)
	}
	k.straceLine(t, k.straceCall(t, 0, false)+" blocks: "+what)
}

// straceWoken writes the line of a blocked call that completed with v.
func (k *Kernel) straceWoken(t *Thread, v uint32) {
	k.straceLine(t, k.straceCall(t, v, int32(v) >= 0)+straceResult(t.sysno, v, nil)+
		fmt.Sprintf(" (after %d ticks blocked)", k.clock-t.blockedAt))
}

// straceNoReturn writes, before the call runs, the line of a call that
// ends its caller (EXIT, THREAD_EXIT, KILL of its own process), so that it
// comes before the line of the process's end; it reports whether it did.
func (k *Kernel) straceNoReturn(t *Thread) bool {
	switch {
	case t.sysno == abi.SysExit, t.sysno == abi.SysThreadExit,
		t.sysno == abi.SysKill && int(int32(t.sysargs[0])) == t.Proc.PID:
		k.straceGone(t, "it does not return")
		return true
	}
	return false
}

// straceGone writes the line of a call that does not return: the caller
// ended (EXIT, THREAD_EXIT, a KILL of its own process) or was ended while
// it waited.
func (k *Kernel) straceGone(t *Thread, why string) {
	k.straceLine(t, k.straceCall(t, 0, false)+" = ? ("+why+")")
}

func (k *Kernel) straceLine(t *Thread, s string) {
	k.straceWrite(t, fmt.Sprintf("[pid %d tid %d] %s\n", t.Proc.PID, t.TID, s))
}

// straceExit notes a process's end, as strace's "+++ exited with 0 +++",
// and the threads it took along: main returning while its threads still
// run is a beginner's silent bug.
func (k *Kernel) straceExit(p *Process) {
	others := ""
	switch n := p.Ended.Others; n {
	case 0:
	case 1:
		others = "; 1 other thread had not ended and ends with it"
	default:
		others = fmt.Sprintf("; %d other threads had not ended and end with it", n)
	}
	k.straceWrite(nil, fmt.Sprintf("[pid %d] +++ %s ended: %s, status %d%s +++\n", p.PID, termsafe.String(p.Name), termsafe.String(p.ExitReason), p.Status, others))
}

// straceWrite writes a line, or holds it while another thread's call is
// in progress: what that call did to others (the LOCK its UNLOCK handed
// over, the process its KILL ended) is shown after the call itself.
func (k *Kernel) straceWrite(t *Thread, line string) {
	if k.straceIn != nil && t != k.straceIn {
		k.straceHeld = append(k.straceHeld, line)
		return
	}
	io.WriteString(k.opts.Strace, line)
}

// straceBegin marks t's call in progress; straceEnd, once its own line is
// out, writes the lines held meanwhile.
func (k *Kernel) straceBegin(t *Thread) { k.straceIn = t }

func (k *Kernel) straceEnd() {
	k.straceIn = nil
	for _, line := range k.straceHeld {
		io.WriteString(k.opts.Strace, line)
	}
	k.straceHeld = k.straceHeld[:0]
}

// straceReason is why a call failed with errno, for handlers that return
// a bare errno: what that errno means for that call. A failure whose
// handler gives its own reason (k.fail) has no entry here: it would never
// be read.
func straceReason(num abi.Sysno, errno abi.Errno) string {
	if why, ok := straceReasons[sysErrno{num, errno}]; ok {
		return why
	}
	return errnoReasons[errno]
}

type sysErrno struct {
	num   abi.Sysno
	errno abi.Errno
}

var straceReasons = map[sysErrno]string{
	{abi.SysWrite, abi.EPIPE}:         "nobody will read it: every read end is closed",
	{abi.SysWrite, abi.EIO}:           "the host could not take the output",
	{abi.SysWrite, abi.ENOSPC}:        "the file system is full (--fs-size)",
	{abi.SysOpen, abi.ENOENT}:         "no such file",
	{abi.SysOpen, abi.EINVAL}:         "a bad name or unknown flags",
	{abi.SysOpen, abi.EFAULT}:         "the path is not a 0-terminated string in the caller's memory",
	{abi.SysSpawn, abi.ENOENT}:        "no such program",
	{abi.SysSpawn, abi.EFAULT}:        "the path is not a 0-terminated string in the caller's memory",
	{abi.SysSpawn, abi.EAGAIN}:        "as many processes are alive as --procs allows",
	{abi.SysSpawn, abi.ENOMEM}:        "not enough free memory for the program (--mem)",
	{abi.SysFork, abi.EAGAIN}:         "as many processes are alive as --procs allows",
	{abi.SysFork, abi.ENOMEM}:         "not enough free memory for the copy (--mem)",
	{abi.SysThreadCreate, abi.ENOMEM}: "not enough free memory for its stack (--mem, --stack)",
	{abi.SysSbrk, abi.ENOMEM}:         "not enough free memory, or the heap would reach the stacks",
	{abi.SysSbrk, abi.EINVAL}:         "the heap cannot shrink below its start",
	{abi.SysWait, abi.ECHILD}:         "no such child to wait for",
	{abi.SysPipe, abi.EFAULT}:         "the two words for the descriptors are not writable memory",
	{abi.SysKill, abi.ESRCH}:          "no live process has that pid",
	{abi.SysThreadJoin, abi.ESRCH}:    "this process has no thread with that tid",
	{abi.SysListen, abi.EADDRINUSE}:   "that port has a listener already",
}

// errnoReasons are the fallbacks: what the errno means at all.
var errnoReasons = map[abi.Errno]string{
	abi.EBADF:  "the descriptor is not open",
	abi.ENOSYS: "no system call has that number",
	abi.EMFILE: "as many descriptors are open as --fds allows",
	abi.EFAULT: "an address argument is outside the caller's memory",
	abi.ENOMEM: "not enough free memory (--mem)",
	abi.EAGAIN: "a limit is reached",
}
