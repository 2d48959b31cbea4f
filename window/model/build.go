package model

import (
	"fmt"
	"image"

	"vcpu/cpu"
	vimage "vcpu/image"
	"vcpu/kernel"
)

// Input is what one frame is built from.
type Input struct {
	Snap    *kernel.Snapshot
	Events  []kernel.Event // drained since the last frame, oldest first
	Title   string         // what runs: "demo", or the program names
	Speed   uint64         // instructions a frame
	Paused  bool
	Dropped uint64   // events the bounded log lost
	Output  []string // the last lines the guests wrote
}

// Model is the window's memory between frames: what changed since the
// last frame (registers, TLB slots), how long the flush flash still shows,
// and the timeline's history, which no single snapshot holds.
type Model struct {
	prevRegs  cpu.Context
	havePrev  bool
	prevTLB   []kernel.TLBEntryView
	flash     int
	flushArg  uint64
	lastPID   int // the thread dispatched last, whose registers the CPU holds
	lastTID   int
	timeline  timeline
	codeCache map[*vimage.Program]*cpu.Code
}

// New makes a model with no history.
func New() *Model { return &Model{codeCache: map[*vimage.Program]*cpu.Code{}} }

// Build makes the frame to draw from in, and remembers what the next frame
// compares against.
func (m *Model) Build(in Input) *Frame {
	f := &Frame{}
	for _, p := range []struct {
		p     *Panel
		r     image.Rectangle
		title string
	}{
		{&f.Header, Layout.Header, ""},
		{&f.Memory, Layout.Memory, "Physical memory: one cell per 4 KiB frame"},
		{&f.CPU, Layout.CPU, "CPU"},
		{&f.Procs, Layout.Procs, "Processes, their segments and threads"},
		{&f.TLB, Layout.TLB, "TLB: virtual page -> physical frame"},
		{&f.Timeline, Layout.Timeline, "Timeline: who ran when"},
		{&f.Help, Layout.Help, ""},
	} {
		*p.p = Panel{Title: p.title, Rect: p.r, Edge: PanelEdge}
	}
	m.events(in.Events)
	m.header(f, in)
	m.memory(f, in.Snap)
	m.cpu(f, in)
	m.procs(f, in.Snap)
	m.tlb(f, in.Snap)
	m.timeline.build(f, in.Snap)
	help(f, in)
	if m.flash > 0 {
		m.flash--
	}
	m.prevRegs, m.havePrev = in.Snap.Regs, true
	m.prevTLB = append(m.prevTLB[:0], in.Snap.TLB...)
	return f
}

// events folds the drained events into the model's history.
func (m *Model) events(evs []kernel.Event) {
	for i := range evs {
		e := &evs[i]
		switch e.Kind {
		case kernel.EvFlush:
			m.flash = FlashTicks
			m.flushArg = e.Arg
		case kernel.EvDispatch:
			m.lastPID, m.lastTID = e.PID, e.TID
		}
		m.timeline.event(e)
	}
}

func (m *Model) header(f *Frame, in Input) {
	s := in.Snap
	state := "RUNNING"
	col := HitGreen
	switch {
	case s.Outcome != kernel.Unfinished:
		state = fmt.Sprintf("ENDED: %s, exit status %d", s.Outcome, s.Summary.ExitStatus)
		col = Accent
	case in.Paused:
		state = "PAUSED (. or -> steps one instruction)"
		col = Accent
	}
	h := &f.Header
	h.text(8, 3, "vcpu: "+in.Title, Accent)
	line := fmt.Sprintf("clock %d   instructions %d   speed %d instr/frame   process switches %d   thread switches %d",
		s.Clock, s.Steps, in.Speed, s.Summary.ProcessSwitches, s.Summary.ThreadSwitches)
	if in.Dropped > 0 {
		line += fmt.Sprintf("   (%d events dropped)", in.Dropped)
	}
	h.text(8+CharW*(len(in.Title)+9), 3, line, Dim)
	h.text(Width-8-CharW*len(state), 3, state, col)
}
