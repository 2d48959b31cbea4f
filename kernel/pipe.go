package kernel

import (
	"encoding/binary"
	"fmt"

	"vcpu/abi"
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
// A blocked READ or WRITE keeps its request in the thread (ioBuf, ioLen,
// and for a WRITE the bytes already moved in ioDone).
// Whoever changes the pipe completes what it can of the waiters' requests
// (pump), in FIFO order, and wakes each one whose call is done.

// read serves the running thread's READ.
func (p *pipe) read(k *Kernel, t *Thread) (uint32, error) {
	if t.ioLen() == 0 {
		return 0, nil
	}
	if p.n == 0 {
		if p.writers == 0 {
			return 0, nil // end of file
		}
		k.block(t, &p.readq, Wait{Kind: WaitRead, ID: p.id, What: fmt.Sprintf("data in %s %d (empty)", p.kind, p.id)})
		return 0, errBlocked
	}
	got, err := p.popTo(k, t)
	if err != nil {
		return 0, err
	}
	p.pump(k)
	return got, nil
}

// write serves the running thread's WRITE: everything goes, or it blocks
// until readers have made room for the rest.
func (p *pipe) write(k *Kernel, t *Thread) (uint32, error) {
	if p.readers == 0 {
		return 0, abi.EPIPE
	}
	t.ioDone = 0
	n := t.ioLen()
	for {
		if err := p.pushFrom(k, t); err != nil {
			return partial(t.ioDone, err), nil
		}
		before := p.n
		p.pump(k)
		if t.ioDone == n {
			return n, nil
		}
		if p.n == before { // full, and nobody took anything: wait for room
			k.block(t, &p.writeq, Wait{Kind: WaitWrite, ID: p.id, What: fmt.Sprintf("room in %s %d (full)", p.kind, p.id)})
			return 0, errBlocked
		}
	}
}

// popTo moves up to the reader's length from the ring into its memory.
func (p *pipe) popTo(k *Kernel, t *Thread) (uint32, error) {
	want := min(int(t.ioLen()), p.n, ioChunk)
	b := make([]byte, want)
	for m, at := 0, p.start; m < want; {
		c := copy(b[m:], p.buf[at:min(len(p.buf), at+want-m)])
		at = (at + c) % len(p.buf)
		m += c
	}
	if err := t.Proc.AS.CopyOut(k.mem, t.ioBuf(), b); err != nil {
		return 0, abi.EFAULT // nothing taken
	}
	p.start = (p.start + want) % len(p.buf)
	p.n -= want
	k.moved(t, uint32(want), "")
	return uint32(want), nil
}

// pushFrom moves as much of the writer's remaining bytes as fit into the ring.
func (p *pipe) pushFrom(k *Kernel, t *Thread) error {
	room := min(len(p.buf)-p.n, int(t.ioLen()-t.ioDone))
	if room == 0 {
		return nil
	}
	b := make([]byte, room)
	if err := t.Proc.AS.CopyIn(k.mem, t.ioBuf()+t.ioDone, b); err != nil {
		return abi.EFAULT
	}
	for m := 0; m < room; {
		end := (p.start + p.n) % len(p.buf)
		c := copy(p.buf[end:min(len(p.buf), end+room-m)], b[m:])
		p.n += c
		m += c
	}
	t.ioDone += uint32(room)
	k.moved(t, uint32(room), "")
	return nil
}

// pump completes waiting requests while the pipe can serve them: readers
// while it has data, writers while it has room.
func (p *pipe) pump(k *Kernel) {
	for progress := true; progress; {
		progress = false
		for p.readq.len() > 0 && p.n > 0 {
			r := p.readq.threads[0]
			got, err := p.popTo(k, r)
			k.wake(r, result(got, err), k.cur)
			progress = true
		}
		for p.writeq.len() > 0 && p.n < len(p.buf) {
			w := p.writeq.threads[0]
			progress = true
			if err := p.pushFrom(k, w); err != nil {
				k.wake(w, partial(w.ioDone, err), k.cur)
				continue
			}
			if w.ioDone < w.ioLen() {
				break // more to write: it stays first in line
			}
			k.wake(w, w.ioDone, k.cur)
		}
	}
}

// result is what r0 gets for a call that moved n bytes or failed with err.
func result(n uint32, err error) uint32 {
	if e, ok := err.(abi.Errno); ok {
		return e.Ret()
	}
	return n
}

// partial is a WRITE's result when it stops early: the bytes that went, or
// the error if none did.
func partial(done uint32, err error) uint32 {
	if done > 0 {
		return done
	}
	return result(0, err)
}

func (p *pipe) closeRead(k *Kernel) {
	p.readers--
	for p.readers == 0 && p.writeq.len() > 0 { // nobody will ever read: EPIPE
		w := p.writeq.threads[0]
		k.wake(w, partial(w.ioDone, abi.EPIPE), k.cur)
	}
}

func (p *pipe) closeWrite(k *Kernel) {
	p.writers--
	for p.writers == 0 && p.readq.len() > 0 { // nobody will ever write: end of file
		k.wake(p.readq.threads[0], 0, k.cur)
	}
}

// pipeEnd is a File's view of one end of a pipe.
type pipeEnd struct {
	p       *pipe
	isWrite bool
}

func (e *pipeEnd) read(k *Kernel, t *Thread, _ *File) (uint32, error) {
	return e.p.read(k, t)
}
func (e *pipeEnd) write(k *Kernel, t *Thread, _ *File) (uint32, error) {
	return e.p.write(k, t)
}

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
	binary.LittleEndian.PutUint32(fds[0:], rfd)
	binary.LittleEndian.PutUint32(fds[4:], wfd)
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
