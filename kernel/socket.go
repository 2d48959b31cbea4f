package kernel

import (
	"fmt"

	"vcpu/abi"
)

// Sockets are loopback byte streams between processes of one machine: a
// connection is two pipes, one each way. A listening port queues the
// connections CONNECT makes until ACCEPT takes them.

// maxBacklog bounds the connections waiting on one port.
const maxBacklog = 16

// backlogFull is CONNECT's reason at maxBacklog, made once.
var backlogFull = fmt.Sprintf("the port's backlog is full: %d connections wait for ACCEPT", maxBacklog)

type listener struct {
	port    uint32
	backlog []*sockEnd // server ends of connections not yet accepted
	acceptq waitQueue
}

func (l *listener) read(k *Kernel, _ *Thread, _ *File) (uint32, error) {
	return 0, k.fail(abi.EINVAL, "a listening socket carries no data: ACCEPT a connection")
}
func (l *listener) write(k *Kernel, _ *Thread, _ *File) (uint32, error) {
	return 0, k.fail(abi.EINVAL, "a listening socket carries no data: ACCEPT a connection")
}

func (l *listener) close(k *Kernel, _ *File) {
	delete(k.ports, l.port)
	for _, s := range l.backlog { // refused after all: the clients see end of file and EPIPE
		s.close(k, nil)
	}
	l.backlog = nil
	for l.acceptq.len() > 0 { // the port is gone: nothing will arrive
		k.wake(l.acceptq.threads[0], abi.EINVAL.Ret(), k.cur)
	}
}

// hand gives waiting connections to waiting acceptors, FIFO.
func (l *listener) hand(k *Kernel) {
	for l.acceptq.len() > 0 && len(l.backlog) > 0 {
		a := l.acceptq.threads[0]
		fd, err := k.accept(a.Proc, l)
		k.wake(a, result(fd, err), k.cur)
	}
}

func (l *listener) describe() string { return fmt.Sprintf("listener on port %d", l.port) }

// sockEnd is one end of a connection.
type sockEnd struct {
	in, out *pipe
	id      int
}

func (s *sockEnd) read(k *Kernel, t *Thread, _ *File) (uint32, error) {
	return s.in.read(k, t)
}
func (s *sockEnd) write(k *Kernel, t *Thread, _ *File) (uint32, error) {
	return s.out.write(k, t)
}
func (s *sockEnd) close(k *Kernel, _ *File) {
	s.in.closeRead(k)
	s.out.closeWrite(k)
}
func (s *sockEnd) describe() string { return fmt.Sprintf("socket %d", s.id) }

func validPort(p uint32) bool { return p >= 1 && p <= 65535 }

func sysListen(k *Kernel, t *Thread, a args) (uint32, error) {
	if !validPort(a[0]) {
		return 0, k.fail(abi.EINVAL, "ports are 1 to 65535")
	}
	if _, busy := k.ports[a[0]]; busy {
		return 0, abi.EADDRINUSE
	}
	l := &listener{port: a[0]}
	fd, err := k.install(t.Proc, &File{Kind: FileListener, refs: 1, ops: l})
	if err != nil {
		return 0, err
	}
	k.ports[a[0]] = l
	return fd, nil
}

func sysConnect(k *Kernel, t *Thread, a args) (uint32, error) {
	if !validPort(a[0]) {
		return 0, k.fail(abi.EINVAL, "ports are 1 to 65535")
	}
	l := k.ports[a[0]]
	switch {
	case l == nil:
		return 0, k.fail(abi.ECONNREFUSED, "nobody listens on that port")
	case len(l.backlog) >= maxBacklog:
		return 0, k.fail(abi.ECONNREFUSED, backlogFull)
	}
	if k.freeFDs(t.Proc) < 1 {
		return 0, abi.EMFILE
	}
	up, down := k.newPipe("socket"), k.newPipe("socket")
	client := &sockEnd{in: down, out: up, id: up.id}
	server := &sockEnd{in: up, out: down, id: down.id}
	fd, _ := k.install(t.Proc, &File{Kind: FileSocket, Readable: true, Writable: true, refs: 1, ops: client})
	l.backlog = append(l.backlog, server)
	l.hand(k)
	return fd, nil
}

func sysAccept(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		return 0, err
	}
	l, ok := f.ops.(*listener)
	if !ok {
		return 0, k.fail(abi.EINVAL, "the descriptor is not a listening socket (LISTEN)")
	}
	if len(l.backlog) == 0 {
		k.block(t, &l.acceptq, Wait{Kind: WaitAccept, ID: int(l.port), What: fmt.Sprintf("a connection on port %d (accept)", l.port)})
		return 0, errBlocked
	}
	return k.accept(t.Proc, l)
}

// accept takes the first waiting connection into a descriptor of p. With no
// descriptor free the connection stays queued for the next ACCEPT.
func (k *Kernel) accept(p *Process, l *listener) (uint32, error) {
	if k.freeFDs(p) < 1 {
		return 0, abi.EMFILE
	}
	s := l.backlog[0]
	l.backlog = l.backlog[1:]
	return k.install(p, &File{Kind: FileSocket, Readable: true, Writable: true, refs: 1, ops: s})
}
