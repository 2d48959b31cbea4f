package kernel

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"vcpu/cpu"
	"vcpu/kernel/abi"
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

// fileOps is what the object behind a File does. read and write move at
// most len(buf) bytes; when they cannot move any yet they return a
// *wouldBlock naming the wait queue, and the syscall is retried once the
// thread is woken and gets the CPU again.
type fileOps interface {
	read(k *Kernel, f *File, buf []byte) (int, error)
	write(k *Kernel, f *File, buf []byte) (int, error)
	close(k *Kernel, f *File) // the last reference is gone
	describe() string
}

// wouldBlock is a file operation's answer when its caller must wait.
type wouldBlock struct {
	q *waitQueue
	w Wait
}

func (*wouldBlock) Error() string { return "would block" }

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

func (c *console) read(k *Kernel, f *File, buf []byte) (int, error) {
	if c.r == nil {
		return 0, nil
	}
	n, err := c.r.Read(buf)
	if err != nil && n == 0 && !errors.Is(err, io.EOF) {
		k.printf("vcpu: reading %s: %v\n", c.name, err)
	}
	return n, nil
}

func (c *console) write(k *Kernel, f *File, buf []byte) (int, error) {
	n, err := c.w.Write(buf)
	if err != nil {
		return n, abi.EPIPE // the host closed it
	}
	return n, nil
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

// ioChunk bounds how much one READ or WRITE moves, so a huge length costs
// the host no more than this much memory.
const ioChunk = 64 << 10

func sysWrite(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		t.ioDone = 0
		return 0, err
	}
	if !f.Writable {
		return 0, abi.EBADF
	}
	if a[2] > 0 && t.Proc.AS.Check(a[1], a[2], cpu.Read) != nil {
		return 0, abi.EFAULT
	}
	// A write to a pipe or socket may go in parts as a reader makes room:
	// ioDone remembers how far it got while the thread was blocked.
	done := t.ioDone
	t.ioDone = 0
	for done < a[2] {
		buf := make([]byte, min(a[2]-done, ioChunk))
		if err := t.Proc.AS.CopyIn(k.mem, a[1]+done, buf); err != nil {
			return done, nil // the buffer shrank under a blocked write: report what went
		}
		n, err := k.transfer(t, f, buf, f.ops.write)
		if err == errBlocked {
			t.ioDone = done
			return 0, err
		}
		if err != nil {
			if done > 0 {
				return done, nil
			}
			return 0, err
		}
		done += n
	}
	return done, nil
}

func sysRead(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		return 0, err
	}
	if !f.Readable {
		return 0, abi.EBADF
	}
	n := min(a[2], ioChunk)
	if n > 0 && t.Proc.AS.Check(a[1], n, cpu.Write) != nil {
		return 0, abi.EFAULT
	}
	buf := make([]byte, n)
	got, err := k.transfer(t, f, buf, f.ops.read)
	if err != nil {
		return 0, err
	}
	if err := t.Proc.AS.CopyOut(k.mem, a[1], buf[:got]); err != nil {
		return 0, abi.EFAULT
	}
	return got, nil
}

// transfer runs one read or write and blocks the caller, to retry, when the
// object has no data or no room.
func (k *Kernel) transfer(t *Thread, f *File, buf []byte, op func(*Kernel, *File, []byte) (int, error)) (uint32, error) {
	n, err := op(k, f, buf)
	var wb *wouldBlock
	if errors.As(err, &wb) {
		k.block(t, wb.q, wb.w, true)
		return 0, errBlocked
	}
	if err != nil {
		return 0, err
	}
	if n > 0 {
		if k.listening() {
			k.emit(Event{Kind: EvIO, PID: t.Proc.PID, TID: t.TID, Arg: uint64(n), Text: f.Describe()})
		}
	}
	return uint32(n), nil
}

func sysClose(k *Kernel, t *Thread, a args) (uint32, error) {
	return 0, k.closeFD(t.Proc, a[0])
}

func (k *Kernel) printf(format string, args ...any) {
	fmt.Fprintf(k.opts.Stderr, format, args...)
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
