package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"vcpu/abi"
)

// hostOutput carries what the machine writes to the host's stdout and
// stderr: the guests' descriptors 1 and 2 and vcpu's own lines. It is one
// queue, so that the pieces reach the host in the order they were written
// whichever of the two streams each went to (with 2>&1 a kill message lands
// between the lines printed before and after the fault). The queue holds at
// most outputBuffer bytes, so a guest that floods stdout costs the host
// that much memory and no more.
//
// It is written out when full, after every slice of the run, before the
// machine reads host input (so a prompt shows before the input it asks for),
// before and after each of vcpu's own lines, at the end, and, when the
// stream is a terminal, at each newline.
//
// A failed host write (a full disk, a pipe whose reader went away) is
// reported once per stream on stderr; from then on the guests' writes to
// that stream fail with EPIPE (broken pipe) or EIO (anything else), and
// what was queued for it is dropped.
type hostOutput struct {
	streams [2]hostStream
	buf     []byte // queued bytes, in write order
	runs    []run  // buf split by stream
	last    byte   // the last byte written to either stream
	midLine bool   // the last write was a message that has not ended its line
	// shared: stdout and stderr reach one place (a terminal, or one file
	// or pipe as with 2>&1), where a line of vcpu's must not continue a
	// guest's unfinished one.
	shared bool
}

// hostStream is one host stream: stdout (0) or stderr (1).
type hostStream struct {
	name string
	w    io.Writer
	tty  bool  // flush at every newline
	err  error // the first write error: later writes fail at once
}

type run struct {
	stream int
	n      int
}

// outputBuffer bounds the queue: large enough that a guest's small writes
// cost no host write each, small enough not to matter.
const outputBuffer = 64 << 10

func newHostOutput(stdout, stderr io.Writer) *hostOutput {
	o := &hostOutput{streams: [2]hostStream{
		{name: "stdout", w: stdout, tty: isTerminal(stdout)},
		{name: "stderr", w: stderr, tty: isTerminal(stderr)},
	}}
	o.shared = o.streams[0].tty && o.streams[1].tty || sameFile(stdout, stderr)
	return o
}

// sameFile says whether two writers are one open file, pipe or socket.
func sameFile(a, b io.Writer) bool {
	fa, ok1 := a.(*os.File)
	fb, ok2 := b.(*os.File)
	if !ok1 || !ok2 {
		return false
	}
	sa, err1 := fa.Stat()
	sb, err2 := fb.Stat()
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// isTerminal guesses whether w is a terminal: a character device other
// than /dev/null (/dev/null is one too, and a flood written there must not
// be flushed line by line).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// write queues p for a stream, writing the queue out when it fills. It
// fails once the stream has failed, with the errno the guest should see.
func (o *hostOutput) write(stream int, p []byte) (int, error) {
	s := &o.streams[stream]
	if s.err != nil {
		return 0, guestErrno(s.err)
	}
	n := 0
	for len(p) > 0 {
		if len(o.buf) == outputBuffer {
			o.Flush()
			if s.err != nil {
				return n, guestErrno(s.err)
			}
		}
		c := min(len(p), outputBuffer-len(o.buf))
		if o.buf == nil {
			o.buf = make([]byte, 0, outputBuffer)
		}
		o.buf = append(o.buf, p[:c]...)
		if k := len(o.runs) - 1; k >= 0 && o.runs[k].stream == stream {
			o.runs[k].n += c
		} else {
			o.runs = append(o.runs, run{stream, c})
		}
		n += c
		p = p[c:]
	}
	if n > 0 {
		o.last, o.midLine = o.buf[len(o.buf)-1], false
	}
	if s.tty && o.last == '\n' {
		o.Flush()
	}
	return n, nil
}

// Flush writes the queue out in order. A stream that fails keeps its error
// and loses what was queued for it; the other stream goes on.
func (o *hostOutput) Flush() {
	var notes []string // failures, reported once the queue is out
	at := 0
	for _, r := range o.runs {
		s := &o.streams[r.stream]
		if s.err == nil {
			if _, err := s.w.Write(o.buf[at : at+r.n]); err != nil {
				s.err = err
				notes = append(notes, fmt.Sprintf("vcpu: writing %s: %v; output to it is lost and the guests' writes to it now fail with %s\n",
					s.name, hostReason(err), guestErrno(err)))
			}
		}
		at += r.n
	}
	o.buf, o.runs = o.buf[:0], o.runs[:0]
	for _, n := range notes {
		o.message(n)
	}
}

// message writes one of vcpu's own lines to stderr, after everything
// queued before it: it is never held back.
func (o *hostOutput) message(line string) {
	o.line(line)
	o.Flush()
}

// line queues one of vcpu's own lines for stderr. Where stdout and stderr
// meet (a terminal, or 2>&1) it starts a line of its own, even after a
// guest's prompt that did not end one.
func (o *hostOutput) line(s string) {
	if o.shared && o.last != '\n' && o.last != 0 && !o.midLine {
		s = "\n" + s
	}
	o.write(1, []byte(s))
	o.midLine = !strings.HasSuffix(s, "\n")
}

// guestErrno is what a guest's WRITE gets once the host stream failed:
// EPIPE when the reader went away, EIO for anything else (a full disk).
func guestErrno(err error) abi.Errno {
	if errors.Is(err, syscall.EPIPE) {
		return abi.EPIPE
	}
	return abi.EIO
}

// hostReason is a host write error in a few words, without the file name
// Go's os errors carry ("write /dev/stdout: broken pipe").
func hostReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Writers for kernel.Options.

// Stdout is the guests' descriptor 1.
func (o *hostOutput) Stdout() io.Writer { return streamWriter{o, 0} }

// Stderr is the guests' descriptor 2.
func (o *hostOutput) Stderr() io.Writer { return streamWriter{o, 1} }

// Log is vcpu's own lines: each reaches the host at once, after what was
// written before it.
func (o *hostOutput) Log() io.Writer { return logWriter{o} }

// Trace is --strace's lines: in order like vcpu's other lines, but queued
// with the guests' output rather than written out one by one.
func (o *hostOutput) Trace() io.Writer { return traceWriter{o} }

type traceWriter struct{ o *hostOutput }

func (w traceWriter) Write(p []byte) (int, error) {
	w.o.line(string(p))
	return len(p), nil
}

type streamWriter struct {
	o      *hostOutput
	stream int
}

func (w streamWriter) Write(p []byte) (int, error) { return w.o.write(w.stream, p) }

type logWriter struct{ o *hostOutput }

func (w logWriter) Write(p []byte) (int, error) {
	w.o.message(string(p))
	return len(p), nil
}
