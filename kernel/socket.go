package kernel

import (
	"fmt"

	"vcpu/kernel/abi"
)

// Sockets are loopback byte streams between processes of one machine: a
// connection is two pipes, one each way. A listening port queues the
// connections CONNECT makes until ACCEPT takes them.

// maxBacklog bounds the connections waiting on one port.
const maxBacklog = 16

type listener struct {
	port    uint32
	backlog []*sockEnd // server ends of connections not yet accepted
	acceptq waitQueue
	closed  bool
}

func (l *listener) read(*Kernel, *File, []byte) (int, error)  { return 0, abi.EINVAL }
func (l *listener) write(*Kernel, *File, []byte) (int, error) { return 0, abi.EINVAL }

func (l *listener) close(k *Kernel, _ *File) {
	l.closed = true
	delete(k.ports, l.port)
	for _, s := range l.backlog { // refused after all: the clients see end of file and EPIPE
		s.close(k, nil)
	}
	l.backlog = nil
	k.wakeAll(&l.acceptq)
}

func (l *listener) describe() string { return fmt.Sprintf("listener on port %d", l.port) }

// sockEnd is one end of a connection.
type sockEnd struct {
	in, out *pipe
	id      int
}

func (s *sockEnd) read(k *Kernel, _ *File, buf []byte) (int, error)  { return s.in.read(k, buf) }
func (s *sockEnd) write(k *Kernel, _ *File, buf []byte) (int, error) { return s.out.write(k, buf) }
func (s *sockEnd) close(k *Kernel, _ *File) {
	s.in.closeRead(k)
	s.out.closeWrite(k)
}
func (s *sockEnd) describe() string { return fmt.Sprintf("socket %d", s.id) }

func validPort(p uint32) bool { return p >= 1 && p <= 65535 }

func sysListen(k *Kernel, t *Thread, a args) (uint32, error) {
	if !validPort(a[0]) {
		return 0, abi.EINVAL
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
		return 0, abi.EINVAL
	}
	l := k.ports[a[0]]
	if l == nil || len(l.backlog) >= maxBacklog {
		return 0, abi.ECONNREFUSED
	}
	if k.freeFDs(t.Proc) < 1 {
		return 0, abi.EMFILE
	}
	up, down := k.newPipe("socket"), k.newPipe("socket")
	client := &sockEnd{in: down, out: up, id: up.id}
	server := &sockEnd{in: up, out: down, id: down.id}
	fd, _ := k.install(t.Proc, &File{Kind: FileSocket, Readable: true, Writable: true, refs: 1, ops: client})
	l.backlog = append(l.backlog, server)
	k.wakeAll(&l.acceptq)
	return fd, nil
}

func sysAccept(k *Kernel, t *Thread, a args) (uint32, error) {
	f, err := t.Proc.file(a[0])
	if err != nil {
		return 0, err
	}
	l, ok := f.ops.(*listener)
	if !ok {
		return 0, abi.EINVAL
	}
	if len(l.backlog) == 0 {
		if l.closed {
			return 0, abi.EINVAL
		}
		k.block(t, &l.acceptq, Wait{Kind: WaitAccept, ID: int(l.port), What: fmt.Sprintf("a connection on port %d (accept)", l.port)}, true)
		return 0, errBlocked
	}
	if k.freeFDs(t.Proc) < 1 {
		return 0, abi.EMFILE
	}
	s := l.backlog[0]
	l.backlog = l.backlog[1:]
	return k.install(t.Proc, &File{Kind: FileSocket, Readable: true, Writable: true, refs: 1, ops: s})
}
