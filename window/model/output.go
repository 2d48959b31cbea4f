package model

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// OutputLines is how many complete lines of guest output the window keeps.
const OutputLines = 200

// MaxLineBytes bounds a kept line: a guest that writes without newlines
// cannot grow the window's memory; the rest of such a line is counted.
const MaxLineBytes = 400

// maxWriters bounds the unfinished lines kept at once, one per writing
// process.
const maxWriters = 64

// outputTail keeps the last lines the guests wrote, each tagged with the
// pid that wrote it, and passes every byte on to echo. Every write costs
// time in its own length only: an unfinished line is never rescanned.
type outputTail struct {
	echo    io.Writer
	max     int
	lines   []OutLine // a ring of the last max complete lines
	next    int
	full    bool
	partial map[int]*partialLine
	order   uint64
	current func() int // the pid writing now (0: none)
}

type partialLine struct {
	buf     []byte
	dropped int // bytes past MaxLineBytes
	order   uint64
}

func newOutputTail(echo io.Writer, n int) *outputTail {
	return &outputTail{echo: echo, max: n, lines: make([]OutLine, n), partial: map[int]*partialLine{}, current: func() int { return 0 }}
}

type tailWriter struct {
	t      *outputTail
	kernel bool
}

func (w tailWriter) Write(b []byte) (int, error) { return w.t.write(b, w.kernel) }

// writer is where the guests' output goes (kernel false: tagged with the
// pid writing it) or the kernel's own lines (tagged pid 0).
func (t *outputTail) writer(kernel bool) io.Writer { return tailWriter{t, kernel} }

func (t *outputTail) write(b []byte, kernel bool) (int, error) {
	n := len(b)
	t.echo.Write(b)
	pid := 0
	if !kernel {
		pid = t.current()
	}
	for len(b) > 0 {
		p := t.partial[pid]
		if p == nil {
			if len(t.partial) >= maxWriters {
				t.flushOldest()
			}
			p = &partialLine{}
			t.partial[pid] = p
		}
		t.order++
		p.order = t.order
		i := bytes.IndexByte(b, '\n')
		chunk := b
		if i >= 0 {
			chunk = b[:i]
		}
		room := MaxLineBytes - len(p.buf)
		if room > 0 {
			p.buf = append(p.buf, chunk[:min(room, len(chunk))]...)
		}
		p.dropped += max(0, len(chunk)-max(room, 0))
		if i < 0 {
			break
		}
		t.finish(pid, p)
		b = b[i+1:]
	}
	return n, nil
}

// finish makes p a complete line of pid's.
func (t *outputTail) finish(pid int, p *partialLine) {
	s := strings.TrimRight(string(p.buf), "\r")
	if p.dropped > 0 {
		s += fmt.Sprintf(" …(+%d bytes)", p.dropped)
	}
	if pid == 0 {
		s = strings.TrimPrefix(s, "vcpu: ") // the panel tags it [vcpu]
	}
	t.lines[t.next] = OutLine{PID: pid, Text: s}
	t.next = (t.next + 1) % t.max
	t.full = t.full || t.next == 0
	delete(t.partial, pid)
}

func (t *outputTail) flushOldest() {
	oldest, pid := ^uint64(0), 0
	for p, l := range t.partial {
		if l.order < oldest {
			oldest, pid = l.order, p
		}
	}
	t.finish(pid, t.partial[pid])
}

// Lines are the last complete lines, oldest first, then the lines being
// written, in the order they were last written to.
func (t *outputTail) Lines() []OutLine {
	var out []OutLine
	if t.full {
		out = append(out, t.lines[t.next:]...)
	}
	out = append(out, t.lines[:t.next]...)
	type pl struct {
		pid int
		l   *partialLine
	}
	var ps []pl
	for pid, l := range t.partial {
		if len(l.buf) > 0 || l.dropped > 0 {
			ps = append(ps, pl{pid, l})
		}
	}
	for i := 1; i < len(ps); i++ { // a few at most: insertion sort by order
		for j := i; j > 0 && ps[j].l.order < ps[j-1].l.order; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	for _, p := range ps {
		s := string(p.l.buf)
		if p.l.dropped > 0 {
			s += fmt.Sprintf(" …(+%d bytes)", p.l.dropped)
		}
		out = append(out, OutLine{PID: p.pid, Text: s})
	}
	return out
}

// output fills the guest output panel: the last lines, each tagged with
// the pid that wrote it, in that process's colour.
func (m *Model) output(f *Frame, in *Input) {
	p := &f.Output
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	f.Lines = in.Output
	n := max(0, inner.Dy()/lh)
	lines := in.Output
	skip := 0
	if len(lines) > n {
		skip = len(lines) - n
		lines = lines[skip:]
	}
	y := inner.Min.Y
	tagW := in.Metrics.Width("[pid 00] ")
	for _, l := range lines {
		tag, c := fmt.Sprintf("[pid %d]", l.PID), ProcessColor(l.PID)
		if l.PID == 0 {
			tag, c = "[vcpu]", FaultMark
		}
		p.textW(inner.Min.X, y, tagW, tag, c)
		p.textW(inner.Min.X+tagW, y, inner.Dx()-tagW, l.Text, c)
		y += lh
	}
	if skip > 0 {
		p.Title = fmt.Sprintf("Guest output (last %d of %d lines kept)", len(lines), len(in.Output))
	}
}
