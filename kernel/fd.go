package kernel

import (
	"errors"
	"fmt"
	"io"

	"vcpu/abi"
	"vcpu/cpu"
)

// FileKind is what an open file is.
type FileKind uint8

const (
	FileConsole  FileKind = iota // the host's stdin, stdout or stderr
	FilePipe                     // one end of a pipe
	FileRegular                  // a file of the in-memory file system
	FileSocket                   // one end of a loopback connection
	FileListener                 // a listening port
)

func (k FileKind) String() string {
	return [...]string{"console", "pipe", "file", "socket", "listener"}[k]
}

// File is an open file: what a descriptor points to. fork and spawn share
// Files between descriptor tables, as Unix shares open file descriptions;
// the object behind it is released when the last reference closes.
type File struct {
	Kind     FileKind
	Readable bool
	Writable bool
	Offset   int // for regular files
	refs     int
	ops      fileOps
}

// fileOps is what the object behind a File does. read moves up to
// t.ioLen() bytes into the caller's memory at t.ioBuf(), write as many out
// of it; the range has been checked against the caller's segments. The
// request lives in the thread, not in arguments, because a blocked request
// is completed later by another thread. An object with nothing to
// give or no room blocks the caller itself and returns errBlocked: whoever
// later gives it data or room completes the call and wakes it, as UNLOCK
// hands a mutex over, so a woken thread never runs only to wait again.
type fileOps interface {
	read(k *Kernel, t *Thread, f *File) (uint32, error)
	write(k *Kernel, t *Thread, f *File) (uint32, error)
	close(k *Kernel, f *File) // the last reference is gone
	describe() string
}

func (f *File) dup() *File {
	f.refs++
	return f
}

// Describe names the object, e.g. "pipe 3 (read end)".
func (f *File) Describe() string { return f.ops.describe() }

// console is a host stream.
type console struct {
	r    io.Reader
	w    io.Writer
	name string
}

func (c *console) read(k *Kernel, t *Thread, _ *File) (uint32, error) {
	interrupted := false
	n, err := k.readInto(t, func(b []byte) int {
		if c.r == nil {
			return 0
		}
		got, err := c.r.Read(b)
		switch {
		case errors.Is(err, ErrInterrupted):
			interrupted = true
		case err != nil && got == 0 && !errors.Is(err, io.EOF):
			k.printf("vcpu: reading %s: %v\n", c.name, err)
		}
		return got
	})
	if interrupted && n == 0 {
		return 0, k.interruptRead(t) // stopped.go
	}
	return n, err
}

// write passes the guest's bytes to the host. A host writer that fails
// says which errno the guest gets by returning an abi.Errno (EPIPE: its
// reader went away); any other failure is EIO.
func (c *console) write(k *Kernel, t *Thread, _ *File) (uint32, error) {
	return k.writeFrom(t, func(b []byte) (int, error) {
		got, err := c.w.Write(b)
		if err != nil {
			var errno abi.Errno
			if !errors.As(err, &errno) {
				errno = abi.EIO
			}
			return got, errno
		}
		return got, nil
	})
}

func (c *console) close(*Kernel, *File) {}
func (c *console) describe() string     { return c.name }

// stdio gives a new process its descriptors: a copy of its parent's table
// (SPAWN inherits), or the host's three streams.
func (k *Kernel) stdio(p *Process, parent *Process) {
	if parent != nil {
		p.Files = make([]*File, len(parent.Files))
		for i, f := range parent.Files {
			if f != nil {
				p.Files[i] = f.dup()
			}
		}
		return
	}
	if k.console == nil {
		k.console = []*File{
			{Kind: FileConsole, Readable: true, ops: &console{r: k.opts.Stdin, name: "stdin"}},
			{Kind: FileConsole, Writable: true, ops: &console{w: k.opts.Stdout, name: "stdout"}},
			{Kind: FileConsole, Writable: true, ops: &console{w: k.opts.Stderr, name: "stderr"}},
		}
	}
	p.Files = []*File{k.console[0].dup(), k.console[1].dup(), k.console[2].dup()}
}

// file returns the open file behind descriptor fd of p.
func (p *Process) file(fd uint32) (*File, error) {
	if fd >= uint32(len(p.Files)) || p.Files[fd] == nil {
		return nil, abi.EBADF
	}
	return p.Files[fd], nil
}

// install puts f in p's lowest free descriptor.
func (k *Kernel) install(p *Process, f *File) (uint32, error) {
	for i, x := range p.Files {
		if x == nil {
			p.Files[i] = f
			return uint32(i), nil
		}
	}
	if len(p.Files) >= k.cfg.MaxFDs {
		return 0, abi.EMFILE
	}
	p.Files = append(p.Files, f)
	return uint32(len(p.Files) - 1), nil
}

func (k *Kernel) closeFD(p *Process, fd uint32) error {
	f, err := p.file(fd)
	if err != nil {
		return err
	}
	p.Files[fd] = nil
	k.unref(f)
	return nil
}

func (k *Kernel) unref(f *File) {
	f.refs--
	if f.refs == 0 {
		f.ops.close(k, f)
	}
}

// closeAll closes every descriptor of an ended process.
func (k *Kernel) closeAll(p *Process) {
	for fd, f := range p.Files {
		if f != nil {
			p.Files[fd] = nil
			k.unref(f)
		}
	}
}

// ioChunk bounds how much the kernel copies at once, so a huge length costs
// the host no more than this much memory.
const ioChunk = 64 << 10

func sysWrite(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		return 0, err
	}
	if !f.Writable {
		return 0, k.fail(abi.EBADF, "the descriptor is not open for writing")
	}
	if a[2] > 0 && t.Proc.AS.Check(a[1], a[2], cpu.Read) != nil {
		return 0, k.efault(t, a[1], a[2], cpu.Read)
	}
	return f.ops.write(k, t, f)
}

func sysRead(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		return 0, err
	}
	if !f.Readable {
		return 0, k.fail(abi.EBADF, "the descriptor is not open for reading")
	}
	if a[2] > 0 && t.Proc.AS.Check(a[1], a[2], cpu.Write) != nil {
		return 0, k.efault(t, a[1], a[2], cpu.Write)
	}
	return f.ops.read(k, t, f)
}

// readInto serves a READ from a source that never blocks: one chunk of at
// most ioChunk bytes, copied into the caller's buffer.
func (k *Kernel) readInto(t *Thread, src func([]byte) int) (uint32, error) {
	b := k.bounce(min(t.ioLen(), ioChunk))
	got := src(b)
	if err := t.Proc.AS.CopyOut(k.mem, t.ioBuf(), b[:got]); err != nil {
		return 0, abi.EFAULT
	}
	k.moved(t, uint32(got), "")
	return uint32(got), nil
}

// writeFrom serves a WRITE to a sink that never blocks, chunk by chunk: the
// bytes written, or the sink's error if none were.
func (k *Kernel) writeFrom(t *Thread, sink func([]byte) (int, error)) (uint32, error) {
	buf, n := t.ioBuf(), t.ioLen()
	var done uint32
	for done < n {
		b := k.bounce(min(n-done, ioChunk))
		if err := t.Proc.AS.CopyIn(k.mem, buf+done, b); err != nil {
			return 0, abi.EFAULT
		}
		got, err := sink(b)
		done += uint32(got)
		if err != nil || got < len(b) {
			if done == 0 {
				return 0, err
			}
			break
		}
	}
	k.moved(t, done, "")
	return done, nil
}

// bounce is the kernel's one buffer for copying console and file I/O in
// and out of guest memory, n <= ioChunk bytes of it: reused, so that a
// guest writing gigabytes to the host makes no garbage. Sources and sinks
// copy what they keep.
func (k *Kernel) bounce(n uint32) []byte {
	if k.bounceBuf == nil {
		k.bounceBuf = make([]byte, ioChunk)
	}
	return k.bounceBuf[:n]
}

// moved reports bytes a thread's READ or WRITE moved, for the trace and the
// window.
func (k *Kernel) moved(t *Thread, n uint32, what string) {
	if n == 0 || !k.listening() {
		return
	}
	if what == "" {
		if f, err := t.Proc.file(t.sysargs[0]); err == nil {
			what = f.Describe()
		}
	}
	k.emit(Event{Kind: EvIO, PID: t.Proc.PID, TID: t.TID, Bytes: n, Text: what})
}

func sysClose(k *Kernel, t *Thread, a args) (uint32, error) {
	return 0, k.closeFD(t.Proc, a[0])
}

// printf writes one of vcpu's own lines (Options.Log).
func (k *Kernel) printf(format string, args ...any) {
	fmt.Fprintf(k.opts.Log, format, args...)
}
