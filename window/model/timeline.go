package model

import (
	"fmt"
	"image"
	"sort"

	"vcpu/kernel"
)

// maxHistory bounds the timeline's memory: a run that switches forever
// keeps only its latest stretches and switches.
const maxHistory = 8192

// timeline is who ran when, rebuilt from EvDispatch and EvDeschedule (a
// snapshot only knows who runs now), and where the CPU switched, from
// EvSwitch and EvFlush.
type timeline struct {
	runs    []Bar    // From/To/PID/TID only; pixels are computed per frame
	marks   []Tick   // Clock/Process/Flush only
	threads [][2]int // (pid, tid) of every thread seen, in order of appearance
	seen    map[int]bool
}

func (t *timeline) thread(pid, tid int) {
	if t.seen == nil {
		t.seen = map[int]bool{}
	}
	if tid > 0 && !t.seen[tid] {
		t.seen[tid] = true
		t.threads = append(t.threads, [2]int{pid, tid})
	}
	// A program that creates threads forever must not grow the window:
	// forget the oldest half. A thread still alive is seen again in the
	// next snapshot and comes back.
	if len(t.threads) > maxHistory {
		for _, th := range t.threads[:maxHistory/2] {
			delete(t.seen, th[1])
		}
		t.threads = append(t.threads[:0], t.threads[maxHistory/2:]...)
	}
}

// closeOpen ends the stretch still running, if any, at clock.
func (t *timeline) closeOpen(clock uint64, tid int) {
	if n := len(t.runs); n > 0 && t.runs[n-1].StillGoing && (tid == 0 || t.runs[n-1].TID == tid) {
		t.runs[n-1].To, t.runs[n-1].StillGoing = clock, false
	}
}

func (t *timeline) event(e *kernel.Event) {
	switch e.Kind {
	case kernel.EvProcStart, kernel.EvThreadStart:
		t.thread(e.PID, e.TID)
	case kernel.EvDispatch:
		t.thread(e.PID, e.TID)
		t.closeOpen(e.Clock, 0)
		t.runs = append(t.runs, Bar{PID: e.PID, TID: e.TID, From: e.Clock, To: e.Clock, StillGoing: true})
	case kernel.EvDeschedule:
		t.closeOpen(e.Clock, e.TID)
	case kernel.EvSwitch:
		if e.FromTID != 0 {
			t.marks = append(t.marks, Tick{Clock: e.Clock, Process: e.Process})
		}
	case kernel.EvFlush:
		if n := len(t.marks); n > 0 && t.marks[n-1].Clock == e.Clock && t.marks[n-1].Process {
			t.marks[n-1].Flush = true
		} else {
			t.marks = append(t.marks, Tick{Clock: e.Clock, Process: true, Flush: true})
		}
	}
	if len(t.runs) > maxHistory {
		t.runs = append(t.runs[:0], t.runs[len(t.runs)-maxHistory/2:]...)
	}
	if len(t.marks) > maxHistory {
		t.marks = append(t.marks[:0], t.marks[len(t.marks)-maxHistory/2:]...)
	}
}

// Span is the stretch of clock the timeline shows at clock now: the first
// of 1000, 2000, 5000, 10000, ... ticks that holds the whole run, up to
// a million; past that the view scrolls.
func Span(now uint64) (from, span uint64) {
	span = 1000
	for i := 0; now > span && span < 1_000_000; i++ {
		if i%3 == 1 {
			span = span / 2 * 5
		} else {
			span *= 2
		}
	}
	if now > span {
		from = now - span
	}
	return from, span
}

// labelW is the width of the lane labels left of the plot.
const labelW = 120

// build lays the history out over the timeline panel.
func (t *timeline) build(f *Frame, s *kernel.Snapshot) {
	p := &f.Timeline
	for _, pv := range s.Processes {
		for _, th := range pv.Threads {
			t.thread(pv.PID, th.TID)
		}
	}
	now := s.Clock
	t.closeOpenAtNow(now)
	from, span := Span(now)
	x0, y := p.inner()
	plot := image.Rect(x0+labelW, y, p.Rect.Max.X-12, p.Rect.Max.Y-2*LineH-8)
	xAt := func(c uint64) int {
		if c < from {
			c = from
		}
		return plot.Min.X + int((c-from)*uint64(plot.Dx())/span)
	}
	// The switches strip, then one lane per thread.
	strip := image.Rect(plot.Min.X, plot.Min.Y, plot.Max.X, plot.Min.Y+10)
	p.text(x0, strip.Min.Y-4, "switches", Dim)
	p.box(strip, PanelEdge)
	lanesTop := strip.Max.Y + 6
	lanes := t.visibleLanes(s, from)
	laneH := min(28, max(LineH, (plot.Max.Y-lanesTop)/max(len(lanes), 1)))
	maxLanes := (plot.Max.Y - lanesTop) / laneH
	if len(lanes) > maxLanes {
		lanes = lanes[len(lanes)-maxLanes:]
	}
	laneY := map[int]int{}
	for i, l := range lanes {
		ly := lanesTop + i*laneH
		c := ProcessColor(l[0])
		f.Lanes = append(f.Lanes, Lane{PID: l[0], TID: l[1], Y: ly, Color: c, Label: fmt.Sprintf("pid %d tid %d", l[0], l[1])})
		laneY[l[1]] = ly
		p.text(x0, ly+(laneH-LineH)/2, fmt.Sprintf("pid %d tid %d", l[0], l[1]), c)
		p.box(image.Rect(plot.Min.X, ly+laneH-1, plot.Max.X, ly+laneH), Background)
	}
	lanesBottom := lanesTop + len(lanes)*laneH
	// Process switches are 3 px wide, 1 px when they crowd each other, and
	// kept to the strip when they would hide the lanes.
	crowd := 0
	for _, m := range t.marks {
		if m.Process && m.Clock >= from {
			crowd++
		}
	}
	wide := crowd == 0 || plot.Dx()/crowd >= 16
	if crowd > 0 && plot.Dx()/crowd < 6 {
		lanesBottom = strip.Max.Y + 2
	}
	for _, m := range t.marks {
		if m.Clock < from {
			continue
		}
		x := xAt(m.Clock)
		if m.Process {
			m.Color = FlushRed
			m.R = image.Rect(x-1, strip.Min.Y-2, x+2, max(lanesBottom, strip.Max.Y+2))
			if !wide {
				m.R = image.Rect(x, strip.Min.Y-2, x+1, max(lanesBottom, strip.Max.Y+2))
			}
		} else {
			m.Color = ThreadGrey
			m.R = image.Rect(x, strip.Min.Y+2, x+1, strip.Max.Y-2)
		}
		f.Ticks = append(f.Ticks, m)
	}
	// Process switches run across every lane, under the bars (a switch
	// falls between two bars, so it shows as a red line between them), and
	// on top of the thin grey thread switches in the strip.
	for _, m := range f.Ticks {
		if m.Process {
			p.box(m.R, m.Color)
		}
	}
	for _, r := range t.runs {
		ly, ok := laneY[r.TID]
		if !ok || r.To < from {
			continue
		}
		x1, x2 := xAt(r.From), xAt(r.To)
		r.R = image.Rect(x1, ly+2, max(x2, x1+1), ly+laneH-3)
		r.Color = ProcessColor(r.PID)
		f.Bars = append(f.Bars, r)
		p.box(r.R, r.Color)
	}
	for _, m := range f.Ticks {
		if !m.Process {
			p.box(m.R, m.Color)
		}
	}
	for _, m := range f.Ticks {
		if m.Process {
			p.box(image.Rect(m.R.Min.X, m.R.Min.Y, m.R.Max.X, strip.Max.Y+2), m.Color)
		}
	}
	// The axis and the key.
	ay := plot.Max.Y + 2
	for i := 0; i <= 4; i++ {
		c := from + span*uint64(i)/4
		x := xAt(c)
		p.box(image.Rect(x, plot.Max.Y-2, x+1, plot.Max.Y+2), Dim)
		s := fmt.Sprint(c)
		if i == 0 {
			s = "clock " + s
		}
		lx := x - CharW*len(s)/2
		lx = max(min(lx, p.Rect.Max.X-8-CharW*len(s)), plot.Min.X)
		p.text(lx, ay, s, Dim)
	}
	ky := p.Rect.Max.Y - LineH - 4
	kx := x0
	for _, k := range []struct {
		c     Box
		label string
	}{
		{Box{image.Rect(0, 0, 3, 12), FlushRed}, "process switch (new address space; TLB flushed unless --asid)"},
		{Box{image.Rect(0, 2, 1, 10), ThreadGrey}, "thread switch (same address space, TLB kept)"},
		{Box{image.Rect(0, 3, 16, 11), Text}, "a thread on the CPU, in its process's colour"},
	} {
		p.box(k.c.R.Add(image.Pt(kx, ky+1)), k.c.Color)
		p.text(kx+k.c.R.Dx()+4, ky, k.label, Dim)
		kx += k.c.R.Dx() + 4 + CharW*(len(k.label)+3)
	}
}

// closeOpenAtNow extends the stretch still running to the present.
func (t *timeline) closeOpenAtNow(now uint64) {
	if n := len(t.runs); n > 0 && t.runs[n-1].StillGoing {
		t.runs[n-1].To = now
	}
}

// visibleLanes are the threads that ran in view or are still alive, by pid
// then tid.
func (t *timeline) visibleLanes(s *kernel.Snapshot, from uint64) [][2]int {
	show := map[int]bool{}
	for _, pv := range s.Processes {
		if pv.State == kernel.ProcLive {
			for _, th := range pv.Threads {
				if th.State != kernel.Exited {
					show[th.TID] = true
				}
			}
		}
	}
	for _, r := range t.runs {
		if r.To >= from {
			show[r.TID] = true
		}
	}
	var out [][2]int
	for _, th := range t.threads {
		if show[th[1]] {
			out = append(out, th)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
