package kernel

import (
	"fmt"

	"vcpu/kernel/abi"
)

// pipe is a bounded ring buffer between a write end and a read end. Readers
// block while it is empty, writers while it is full; a read returns 0 once
// every write end is closed, and a write with no read end left is EPIPE.
// Sockets are two pipes, one each way.
type pipe struct {
	id      int
	kind    string // "pipe" or "socket", for the words the deadlock report uses
	buf     []byte
	start   int
	n       int
	readers int // open read ends (Files, not descriptors: dup'ed descriptors share one)
	writers int
	readq   waitQueue
	writeq  waitQueue
}

func (k *Kernel) newPipe(kind string) *pipe {
	k.nextPipe++
	return &pipe{id: k.nextPipe, kind: kind, buf: make([]byte, k.cfg.PipeSize), readers: 1, writers: 1}
}

// Buffered is how many bytes wait in the pipe.
func (p *pipe) Buffered() int { return p.n }

func (p *pipe) read(k *Kernel, buf []byte) (int, error) {
	if len(buf) == 0 {
		return 0, nil
	}
	if p.n == 0 {
		if p.writers == 0 {
			return 0, nil // end of file
		}
		return 0, &wouldBlock{&p.readq, Wait{Kind: WaitRead, ID: p.id, What: fmt.Sprintf("%s %d to have data (it is empty)", p.kind, p.id)}}
	}
	m := 0
	for m < len(buf) && p.n > 0 {
		c := copy(buf[m:], p.buf[p.start:min(len(p.buf), p.start+p.n)])
		p.start = (p.start + c) % len(p.buf)
		p.n -= c
		m += c
	}
	k.wakeAll(&p.writeq)
	return m, nil
}

func (p *pipe) write(k *Kernel, buf []byte) (int, error) {
	if p.readers == 0 {
		return 0, abi.EPIPE
	}
	if len(buf) == 0 {
		return 0, nil
	}
	if p.n == len(p.buf) {
		return 0, &wouldBlock{&p.writeq, Wait{Kind: WaitWrite, ID: p.id, What: fmt.Sprintf("room in %s %d (it is full)", p.kind, p.id)}}
	}
	m := 0
	for m < len(buf) && p.n < len(p.buf) {
		end := (p.start + p.n) % len(p.buf)
		c := copy(p.buf[end:min(len(p.buf), end+len(p.buf)-p.n)], buf[m:])
		p.n += c
		m += c
	}
	k.wakeAll(&p.readq)
	return m, nil
}

func (p *pipe) closeRead(k *Kernel) {
	p.readers--
	if p.readers == 0 {
		k.wakeAll(&p.writeq) // they find EPIPE
	}
}

func (p *pipe) closeWrite(k *Kernel) {
	p.writers--
	if p.writers == 0 {
		k.wakeAll(&p.readq) // they find end of file
	}
}

// wakeAll readies every thread on q, in order, to retry its syscall.
func (k *Kernel) wakeAll(q *waitQueue) {
	for q.len() > 0 {
		k.wake(q.threads[0], 0, k.cur)
	}
}

// pipeEnd is a File's view of one end of a pipe.
type pipeEnd struct {
	p       *pipe
	isWrite bool
}

func (e *pipeEnd) read(k *Kernel, _ *File, buf []byte) (int, error)  { return e.p.read(k, buf) }
func (e *pipeEnd) write(k *Kernel, _ *File, buf []byte) (int, error) { return e.p.write(k, buf) }

func (e *pipeEnd) close(k *Kernel, _ *File) {
	if e.isWrite {
		e.p.closeWrite(k)
	} else {
		e.p.closeRead(k)
	}
}

func (e *pipeEnd) describe() string {
	if e.isWrite {
		return fmt.Sprintf("pipe %d (write end)", e.p.id)
	}
	return fmt.Sprintf("pipe %d (read end)", e.p.id)
}

func sysPipe(k *Kernel, t *Thread, a args) (uint32, error) {
	p := t.Proc
	var fds [8]byte
	if err := p.AS.CopyOut(k.mem, a[0], fds[:]); err != nil { // probe: the words must be writable
		return 0, abi.EFAULT
	}
	if k.freeFDs(p) < 2 {
		return 0, abi.EMFILE
	}
	pp := k.newPipe("pipe")
	rfd, _ := k.install(p, &File{Kind: FilePipe, Readable: true, refs: 1, ops: &pipeEnd{p: pp}})
	wfd, _ := k.install(p, &File{Kind: FilePipe, Writable: true, refs: 1, ops: &pipeEnd{p: pp, isWrite: true}})
	putWord(fds[0:], rfd)
	putWord(fds[4:], wfd)
	if err := p.AS.CopyOut(k.mem, a[0], fds[:]); err != nil {
		return 0, abi.EFAULT
	}
	return 0, nil
}

// freeFDs counts how many more descriptors p may open.
func (k *Kernel) freeFDs(p *Process) int {
	n := k.cfg.MaxFDs - len(p.Files)
	for _, f := range p.Files {
		if f == nil {
			n++
		}
	}
	return n
}
