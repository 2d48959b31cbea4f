package model

import (
	"fmt"
	"image"
	"strings"

	"vcpu/cpu"
	"vcpu/kernel"
)

// Input is what one frame is built from.
type Input struct {
	Snap    *kernel.Snapshot
	Events  []kernel.Event // since the last frame, oldest first, for a model that does not Listen
	Title   string         // what runs: "demo", or the program names
	Speed   uint64         // instructions a frame (0 at Top)
	Top     bool           // Top speed: as many as fit in the frame's time
	Paused  bool
	Seeking bool      // running to the next context switch
	Output  []OutLine // the last lines the guests wrote

	PerSecond, PerFrame float64 // the speed as measured

	Size     image.Point // the window, in pixels (zero: 1280x800)
	Metrics  Metrics     // how text measures (nil: Mono 7x16)
	Mouse    image.Point
	MouseIn  bool
	Selected Selection
	Scroll   map[string]int // how far each list is scrolled, by Hit.Scroll name
	TimeZoom int            // the timeline shows the last 1/2^TimeZoom of the run
	Sources  func(file string) []string
}

// Model is the window's memory between frames: what changed since the
// last frame (registers, TLB slots), the flush banner, the timeline's
// history (which no snapshot holds) and the machine as it was before the
// run ended.
type Model struct {
	ASID bool // the machine tags TLB entries (--asid): for events taken by Listen

	prevRegs  cpu.Context
	prevOf    Selection
	havePrev  bool
	prevTLB   []kernel.TLBEntryView
	banner    bannerState
	frameNo   int
	lastPID   int // the thread dispatched last, whose registers the CPU holds
	lastTID   int
	timeline  timeline
	lastLive  *kernel.Snapshot    // the last snapshot in which some frame was owned
	mapFrames []kernel.FrameOwner // the frames the memory map shows
}

// New makes a model with no history.
func New() *Model { return &Model{} }

// Listen is a kernel.Listener: the model takes every event as it happens,
// in constant time each, so that nothing is dropped however fast the
// machine runs. asid says whether the machine tags the TLB (--asid).
func (m *Model) Listen(e *kernel.Event) { m.event(e, m.ASID) }

// Build makes the frame to draw from in, and remembers what the next frame
// compares against.
func (m *Model) Build(in Input) *Frame {
	if in.Size == (image.Point{}) {
		in.Size = image.Pt(1280, 800)
	}
	if in.Metrics == nil {
		in.Metrics = Mono{CharW: 7, LineH: 16}
	}
	s := in.Snap
	g := Arrange(in.Size, in.Metrics)
	f := &Frame{Geo: g, Selected: in.Selected, Snap: s}
	mk := func(title string, r image.Rectangle) Panel { return newPanel(title, r, in.Metrics, g.Pad) }
	f.Header = mk("", g.Header)
	f.Memory = mk("Physical memory: one cell per 4 KiB frame", g.Memory)
	f.CPU = mk("CPU", g.CPU)
	f.Output = mk("Guest output", g.Output)
	f.Spaces = mk("Address spaces (virtual, low addresses at the bottom)", g.Spaces)
	f.Source = mk("Source", g.Source)
	f.Procs = mk("Processes and threads", g.Procs)
	f.TLB = mk("TLB: virtual page -> physical frame", g.TLB)
	f.Timeline = mk("Timeline: who ran when", g.Timeline)
	f.Help = mk("", g.Help)
	f.Header.Fill, f.Help.Fill = Background, Background

	m.frameNo++
	for i := range in.Events {
		m.event(&in.Events[i], s.Summary.ASID)
	}
	if s.Outcome == kernel.Unfinished || m.lastLive == nil {
		for _, o := range s.Frames {
			if o.PID != 0 {
				m.lastLive = s
				break
			}
		}
	}
	m.resolveSelection(f, s)
	m.header(f, &in)
	m.cpu(f, &in)
	m.output(f, &in)
	m.procs(f, &in)
	m.tlb(f, &in)
	m.spaces(f, &in)
	m.source(f, &in)
	m.timeline.build(f, &in)
	m.memory(f, &in)
	help(f, &in)
	fitTitles(f, &in)
	m.hover(f, &in)
	m.memoryPixels(f) // last: it lights what the mouse is over
	m.prevTLB = append(m.prevTLB[:0], s.TLB...)
	return f
}

// event folds one event into the model's history: the flush banner, the
// thread on the CPU, the timeline.
func (m *Model) event(e *kernel.Event, asid bool) {
	switch e.Kind {
	case kernel.EvSwitch:
		m.banner.lastFrom = e.FromPID
		if asid && e.Process && e.FromTID != 0 {
			m.banner.asidSwitch(m.frameNo, e)
		}
	case kernel.EvFlush:
		m.banner.flush(m.frameNo, e)
	case kernel.EvDispatch:
		m.lastPID, m.lastTID = e.PID, e.TID
	}
	m.timeline.event(e)
}

// resolveSelection works out what the panels that follow the selection
// show: the selected thread (or process), else the running thread, else
// the one that ran last.
func (m *Model) resolveSelection(f *Frame, s *kernel.Snapshot) {
	if sel := f.Selected; sel != (Selection{}) {
		if findThread(s, sel) == nil && findProc(s, sel.PID) == nil {
			f.Selected = Selection{}
		}
	}
	switch {
	case f.Selected.TID != 0:
		f.Focus = f.Selected
	case f.Selected.PID != 0:
		f.Focus = Selection{PID: f.Selected.PID}
		if p := findProc(s, f.Selected.PID); p != nil {
			tid := 0
			for _, t := range p.Threads {
				if t.State == kernel.Running || (tid == 0 && t.State != kernel.Exited) {
					tid = t.TID
				}
			}
			if tid == 0 && len(p.Threads) > 0 {
				tid = p.Threads[0].TID
			}
			f.Focus.TID = tid
		}
	case s.Running != nil:
		f.Focus = Selection{PID: s.Running.PID, TID: s.Running.TID}
	case m.lastTID != 0:
		f.Focus = Selection{PID: m.lastPID, TID: m.lastTID}
	}
}

func findProc(s *kernel.Snapshot, pid int) *kernel.ProcessView {
	for i := range s.Processes {
		if s.Processes[i].PID == pid {
			return &s.Processes[i]
		}
	}
	return nil
}

func findThread(s *kernel.Snapshot, sel Selection) *kernel.ThreadView {
	if p := findProc(s, sel.PID); p != nil {
		for i := range p.Threads {
			if p.Threads[i].TID == sel.TID {
				return &p.Threads[i]
			}
		}
	}
	return nil
}

// endReason says what ended the run, for the header.
func endReason(s *kernel.Snapshot) string {
	switch s.Outcome {
	case kernel.Unfinished:
		return ""
	case kernel.Deadlock:
		n := 0
		for _, p := range s.Processes {
			for _, t := range p.Threads {
				if t.State == kernel.Blocked {
					n++
				}
			}
		}
		return fmt.Sprintf("ENDED: deadlock, %d threads blocked for good (exit status %d)", n, s.Summary.ExitStatus)
	case kernel.StepLimit:
		return fmt.Sprintf("ENDED: step limit after %d instructions (exit status %d)", s.Steps, s.Summary.ExitStatus)
	}
	if len(s.Processes) > 0 && s.Processes[0].Ended != nil {
		p := s.Processes[0]
		return fmt.Sprintf("ENDED: pid 1 %s", endedHow(&p))
	}
	return fmt.Sprintf("ENDED: all exited, exit status %d", s.Summary.ExitStatus)
}

// endedHow says in a few words how a process ended.
func endedHow(p *kernel.ProcessView) string {
	e := p.Ended
	if e == nil {
		return p.State.String()
	}
	switch {
	case e.Fault != "":
		return fmt.Sprintf("killed: %s in tid %d", p.ExitReason, e.TID)
	case strings.HasPrefix(p.ExitReason, "killed"):
		return p.ExitReason
	}
	return fmt.Sprintf("%s, status %d", p.ExitReason, p.Status)
}

func (m *Model) header(f *Frame, in *Input) {
	s := in.Snap
	h := &f.Header
	lh := in.Metrics.LineHeight()
	y := h.Rect.Min.Y + (h.Rect.Dy()-lh)/2
	state, col := "RUNNING", HitGreen
	switch {
	case s.Outcome != kernel.Unfinished:
		f.Ended = endReason(s)
		state, col = f.Ended, FlushRed
		if s.Summary.ExitStatus == 0 && s.Outcome == kernel.AllExited {
			col = Accent
		}
	case in.Seeking:
		state, col = "RUNNING to the next context switch", Accent
	case in.Paused:
		state, col = "PAUSED", Accent
	}
	x := h.Rect.Min.X + f.Geo.Gap + f.Geo.Pad
	stateW := min(in.Metrics.Width(state), h.Rect.Dx()*55/100)
	right := h.Rect.Max.X - f.Geo.Pad - stateW
	h.textW(right, y, stateW, state, col)
	x = h.textW(x, y, min(in.Metrics.Width("vcpu: "+in.Title), (right-x)/3), "vcpu: "+in.Title, Accent)
	x += in.Metrics.Width("   ")
	w := right - x - in.Metrics.Width("  ")
	lines := headerLines(s, in)
	line, _ := Fit(in.Metrics, lines[len(lines)-1], w)
	for _, l := range lines {
		if in.Metrics.Width(l) <= w {
			line = l
			break
		}
	}
	if line != lines[0] {
		full := lines[0]
		h.textAs(x, y, w, line, full, Dim)
		return
	}
	h.textW(x, y, w, line, Dim)
}

// headerLines are the header's figures, the whole first, then shorter
// and shorter: what gives way first is what says least. The switch
// counts, process against thread, are the lesson and stay to the last;
// the instructions go when they equal the clock (no sleeper made the
// clock jump), then the speed in words. After the end there is no speed
// to show: the last measured rate would be stale.
func headerLines(s *kernel.Snapshot, in *Input) []string {
	clock := fmt.Sprintf("clock %d", s.Clock)
	instr := fmt.Sprintf("clock %d  ·  %d instructions", s.Clock, s.Steps)
	if s.Steps == s.Clock {
		instr = clock
	}
	ps, ts := s.Summary.ProcessSwitches, s.Summary.ThreadSwitches
	sw := plural(int(ps), "process switch", "process switches") + ", " + plural(int(ts), "thread switch", "thread switches")
	swShort := fmt.Sprintf("%d process, %s", ps, plural(int(ts), "thread switch", "thread switches"))
	if s.Outcome != kernel.Unfinished {
		return []string{
			fmt.Sprintf("clock %d  ·  %d instructions  ·  %s", s.Clock, s.Steps, sw),
			instr + "  ·  " + sw,
			clock + "  ·  " + sw,
			clock + "  ·  " + swShort,
		}
	}
	speed, short := speedText(in)
	return []string{
		fmt.Sprintf("clock %d  ·  %d instructions  ·  %s  ·  %s", s.Clock, s.Steps, speed, sw),
		instr + "  ·  " + speed + "  ·  " + sw,
		instr + "  ·  " + short + "  ·  " + sw,
		clock + "  ·  " + short + "  ·  " + swShort,
		clock + "  ·  " + swShort,
	}
}

// speedText is the speed in instructions a frame and a second, in words
// and short.
func speedText(in *Input) (string, string) {
	per := fmt.Sprintf("%s/frame", count(float64(in.Speed)))
	if in.Top {
		per = "top speed"
		if in.PerFrame > 0 {
			per += fmt.Sprintf(", %s/frame", count(in.PerFrame))
		}
	}
	if in.PerSecond == 0 {
		return "speed " + per, per
	}
	return fmt.Sprintf("speed %s = %s instr/s", per, count(in.PerSecond)), fmt.Sprintf("%s, %s/s", per, count(in.PerSecond))
}

// count writes n short: 950, 12.5k, 3.2M.
func count(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1fG", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

// hover resolves what the mouse points at into a tooltip and highlights.
func (m *Model) hover(f *Frame, in *Input) {
	if !in.MouseIn {
		return
	}
	h, ok := f.HitAt(in.Mouse)
	if !ok {
		return
	}
	tip, frames := h.Tip, h.Frames
	if h.TipAt != nil {
		tip, frames = h.TipAt(in.Mouse)
	}
	h.Tip, h.Frames = tip, frames
	f.Hover = &h
	if len(tip) == 0 {
		return
	}
	if len(tip) > 12 {
		tip = append(tip[:11:11], fmt.Sprintf("… and %d more lines", len(tip)-11))
	}
	lh, pad := in.Metrics.LineHeight(), f.Geo.Pad
	w := 0
	for _, t := range tip {
		w = max(w, in.Metrics.Width(t))
	}
	w = min(w+2*pad, in.Size.X-2)
	hgt := len(tip)*lh + pad
	x, y := in.Mouse.X+lh, in.Mouse.Y+lh
	if x+w > in.Size.X {
		x = max(0, in.Mouse.X-w-4)
	}
	if y+hgt > in.Size.Y {
		y = max(0, in.Mouse.Y-hgt-4)
	}
	p := newPanel("", image.Rect(x, y, x+w, y+hgt), in.Metrics, pad)
	p.Fill, p.Edge = TooltipFill, Accent
	for i, t := range tip {
		c := Text
		if i == 0 {
			c = Accent
		}
		p.textW(x+pad, y+pad/2+i*lh, w-2*pad, t, c)
	}
	p.Hits = nil
	f.Tooltip = &p
}

// fitTitles shortens titles that do not fit their panel; the whole
// title shows on hover.
func fitTitles(f *Frame, in *Input) {
	for _, p := range f.Panels() {
		if p.Title == "" {
			continue
		}
		w := p.Rect.Dx() - 2*f.Geo.Pad
		fit, cut := Fit(in.Metrics, p.Title, w)
		if cut && p.TitleFull == "" {
			p.TitleFull = p.Title
		}
		if p.TitleFull != "" {
			y := p.TitleY()
			p.hitUnder(Hit{R: image.Rect(p.Rect.Min.X, y, p.Rect.Max.X, y+in.Metrics.LineHeight()), Tip: []string{p.TitleFull}})
			p.Title = fit
		}
	}
}
