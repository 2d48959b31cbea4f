package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"vcpu/kernel"
)

// interrupts turns the first SIGINT or SIGTERM into a request to stop that
// the run loop passes to the kernel between slices, so the run ends as at a
// step limit: it says where every thread was and writes every report. Only
// the run loop touches the machine; the signal only closes a channel. A
// second signal ends vcpu at once, as the signal would by default.
type interrupts struct {
	c    chan os.Signal
	done chan struct{} // closed at the first signal
	quit chan struct{} // closed when the run no longer listens
	sig  os.Signal     // set before done is closed
}

func catchInterrupts() *interrupts {
	it := &interrupts{c: make(chan os.Signal, 1), done: make(chan struct{}), quit: make(chan struct{})}
	signal.Notify(it.c, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-it.c:
			it.sig = s
			signal.Stop(it.c) // the next one takes its default action
			close(it.done)
		case <-it.quit:
		}
	}()
	return it
}

// requested says whether a signal came, and which.
func (it *interrupts) requested() (string, bool) {
	select {
	case <-it.done:
		if it.sig == syscall.SIGTERM {
			return "SIGTERM", true
		}
		return "SIGINT", true
	default:
		return "", false
	}
}

// release stops listening for signals.
func (it *interrupts) release() {
	signal.Stop(it.c)
	close(it.quit)
}

// hostInput is the guests' descriptor 0 on the host's stdin. Before each
// read it writes out the pending output, so a prompt shows before the
// machine waits for the answer; and it reads on a goroutine of its own, so
// that a signal ends a run that waits for input that never comes. The
// goroutine touches only the host reader and its buffer.
type hostInput struct {
	r       io.Reader
	before  func()        // writes out pending output
	intr    chan struct{} // closed by a signal
	stop    func()        // tells the kernel, before the READ returns
	res     chan readResult
	pending bool   // a read is in flight
	left    []byte // read but not yet taken
}

type readResult struct {
	b   []byte
	err error
}

func (h *hostInput) Read(p []byte) (int, error) {
	h.before()
	if len(h.left) > 0 {
		n := copy(p, h.left)
		h.left = h.left[n:]
		return n, nil
	}
	if !h.pending {
		h.pending = true
		go func(b []byte) {
			n, err := h.r.Read(b)
			h.res <- readResult{b[:n], err}
		}(make([]byte, len(p)))
	}
	select {
	case r := <-h.res:
		h.pending = false
		n := copy(p, r.b)
		h.left = r.b[n:]
		return n, r.err
	case <-h.intr:
		h.stop()
		return 0, kernel.ErrInterrupted
	}
}
