package model

import (
	"fmt"
	"image"
	"image/color"
	"sort"
	"strings"

	"vcpu/kernel"
)

// TimelineBuckets is the resolution of the timeline's memory: the run so
// far is cut into this many equal stretches of clock, and each thread's
// ticks in each are counted exactly. When the run outgrows them, pairs
// are merged and each bucket covers twice as long; so memory is bounded,
// nothing is forgotten, and any pixel column (at most one bucket wide or
// wider) says truly who ran how much of it.
const TimelineBuckets = 4096

// MaxLanes bounds the threads whose history the timeline keeps; past it
// the one that ran longest ago is forgotten (and counted).
const MaxLanes = 256

// Marks on a thread's lane in a bucket.
const (
	markBlock uint8 = 1 << iota
	markFault
	markKill
	markExit
)

// Switches in a bucket.
const (
	swThread uint8 = 1 << iota
	swProcess
	swFlush
)

type laneHist struct {
	pid, tid int
	ran      []uint32 // ticks run per bucket
	marks    []uint8
	lastRan  uint64
	seen     uint64 // order of appearance
	ended    string // "exited", "killed", "fault": why it stopped
}

// timeline is who ran when, from EvDispatch and EvDeschedule (a snapshot
// only knows who runs now), and where the CPU switched, from EvSwitch and
// EvFlush. It is a kernel listener: every event costs it constant time,
// except a stretch of running, which costs one step per bucket it spans.
type timeline struct {
	scale     uint64 // ticks per bucket
	lanes     map[int]*laneHist
	sw        []uint8
	open      *laneHist
	openFrom  uint64
	now       uint64
	order     uint64
	forgotten int

	img     *image.RGBA
	key     renderKey
	drawnAt uint64 // the clock when the image was last painted: from its column on, columns may be partial
}

type renderKey struct {
	plot       image.Rectangle
	from, span uint64
	scale      uint64
	lanes      string
	laneH      int
	crossings  bool
	focus      int
}

func (t *timeline) init() {
	if t.lanes == nil {
		t.scale = 1
		t.lanes = map[int]*laneHist{}
		t.sw = make([]uint8, TimelineBuckets)
	}
}

func (t *timeline) lane(pid, tid int) *laneHist {
	t.init()
	l := t.lanes[tid]
	if l == nil {
		if len(t.lanes) >= MaxLanes {
			t.forgetOne()
		}
		t.order++
		l = &laneHist{pid: pid, tid: tid, seen: t.order}
		t.lanes[tid] = l
	}
	return l
}

// forgetOne drops the lane that ran longest ago (never the open one).
func (t *timeline) forgetOne() {
	var old *laneHist
	for _, l := range t.lanes {
		if l != t.open && (old == nil || l.lastRan < old.lastRan || l.lastRan == old.lastRan && l.seen < old.seen) {
			old = l
		}
	}
	if old != nil {
		delete(t.lanes, old.tid)
		t.forgotten++
	}
}

// fit makes the buckets cover clock c, merging pairs as often as needed.
func (t *timeline) fit(c uint64) {
	t.init()
	for c >= t.scale*TimelineBuckets {
		merge8 := func(a []uint8) {
			for i := 0; i < TimelineBuckets/2; i++ {
				a[i] = a[2*i] | a[2*i+1]
			}
			clear(a[TimelineBuckets/2:])
		}
		merge8(t.sw)
		for _, l := range t.lanes {
			if l.ran == nil {
				continue
			}
			for i := 0; i < TimelineBuckets/2; i++ {
				l.ran[i] = l.ran[2*i] + l.ran[2*i+1]
			}
			clear(l.ran[TimelineBuckets/2:])
			merge8(l.marks)
		}
		t.scale *= 2
	}
	t.now = max(t.now, c)
}

// run adds [a, b) to l's ticks.
func (t *timeline) run(l *laneHist, a, b uint64) {
	if b <= a {
		return
	}
	t.fit(b - 1)
	l.buckets()
	for a < b {
		i := a / t.scale
		end := min(b, (i+1)*t.scale)
		l.ran[i] += uint32(end - a)
		a = end
	}
	l.lastRan = b
}

// buckets gives l its history the first time it runs or is marked: a
// thread that never does costs no buckets.
func (l *laneHist) buckets() {
	if l.ran == nil {
		l.ran = make([]uint32, TimelineBuckets)
		l.marks = make([]uint8, TimelineBuckets)
	}
}

func (t *timeline) mark(l *laneHist, c uint64, m uint8) {
	t.fit(c)
	l.buckets()
	l.marks[c/t.scale] |= m
}

func (t *timeline) closeOpen(c uint64) {
	if t.open != nil {
		t.run(t.open, t.openFrom, c)
		t.open = nil
	}
}

// event takes one kernel event.
func (t *timeline) event(e *kernel.Event) {
	t.init()
	switch e.Kind {
	case kernel.EvProcStart, kernel.EvThreadStart:
		t.lane(e.PID, e.TID)
		t.fit(e.Clock)
	case kernel.EvDispatch:
		t.closeOpen(e.Clock)
		t.open, t.openFrom = t.lane(e.PID, e.TID), e.Clock
		t.fit(e.Clock)
	case kernel.EvDeschedule:
		if t.open != nil && t.open.tid == e.TID {
			t.closeOpen(e.Clock)
		}
	case kernel.EvSwitch:
		if e.FromTID != 0 {
			t.fit(e.Clock)
			if e.Process {
				t.sw[e.Clock/t.scale] |= swProcess
			} else {
				t.sw[e.Clock/t.scale] |= swThread
			}
		}
	case kernel.EvFlush:
		t.fit(e.Clock)
		t.sw[e.Clock/t.scale] |= swFlush
	case kernel.EvBlock:
		t.mark(t.lane(e.PID, e.TID), e.Clock, markBlock)
	case kernel.EvFault:
		l := t.lane(e.PID, e.TID)
		t.mark(l, e.Clock, markFault)
		l.ended = "fault"
	case kernel.EvThreadExit:
		l := t.lane(e.PID, e.TID)
		t.mark(l, e.Clock, markExit)
		if l.ended == "" {
			l.ended = "exited"
		}
	case kernel.EvProcExit:
		// A fault in one thread kills the others: they did not exit
		// (crash.s's main thread read "exited" beside its sibling's
		// fault). A thread that exited before keeps "exited".
		killed := strings.HasPrefix(e.Text, "killed")
		for _, l := range t.lanes {
			killed = killed || l.pid == e.PID && l.ended == "fault"
		}
		m := markExit
		if killed {
			m = markKill
		}
		if _, ok := t.lanes[e.TID]; !ok {
			t.lane(e.PID, e.TID) // a main thread that never ran: its end still shows
		}
		for _, l := range t.lanes {
			if l.pid != e.PID || l.ended != "" {
				continue
			}
			l.ended = "exited"
			if killed {
				l.ended = "killed"
			}
			t.mark(l, e.Clock, m)
		}
	}
}

// NiceSpan is the clock span the timeline shows for a run at clock now:
// the first of 10, 20, 50, 100, 200, 500, ... ticks that holds it. A run
// of twenty instructions fills the width as a run of millions does.
func NiceSpan(now uint64) uint64 {
	span := uint64(10)
	for i := 0; span < now; i++ {
		if i%3 == 1 {
			span = span / 2 * 5
		} else {
			span *= 2
		}
	}
	return span
}

// Column is what the timeline knows of one pixel column: the clock it
// covers and each thread's ticks in it.
type Column struct {
	From, To uint64
	Ran      map[int]uint64 // tid -> ticks
	Switches uint8          // swThread | swProcess | swFlush
}

// column sums buckets over [from, to). A bucket partly inside counts
// whole: a column is never narrower than a bucket's width in pixels (the
// zoom stops there), so the error is at most one bucket at each edge.
func (t *timeline) column(from, to uint64) Column {
	c := Column{From: from, To: to, Ran: map[int]uint64{}}
	if to <= from || t.lanes == nil {
		return c
	}
	b0, b1 := t.buckets(from, to)
	for _, l := range t.lanes {
		if l.ran == nil {
			continue
		}
		var n uint64
		for i := b0; i < b1; i++ {
			n += uint64(l.ran[i])
		}
		if n > 0 {
			c.Ran[l.tid] = n
		}
	}
	c.Switches = t.switches(b0, b1)
	return c
}

// buckets is the range of buckets that clock [from, to) touches.
func (t *timeline) buckets(from, to uint64) (b0, b1 uint64) {
	return from / t.scale, min((to+t.scale-1)/t.scale, TimelineBuckets)
}

// switches is what switched in buckets [b0, b1).
func (t *timeline) switches(b0, b1 uint64) uint8 {
	var sw uint8
	for i := b0; i < b1; i++ {
		sw |= t.sw[i]
	}
	return sw
}

// Columns are the timeline's pixel columns for a plot w pixels wide
// showing [from, from+span): for tests and for the tooltip.
func (m *Model) Columns(from, span uint64, w int) []Column {
	m.timeline.flush()
	out := make([]Column, w)
	for x := range w {
		a, b := colRange(x, from, span, uint64(w))
		out[x] = m.timeline.column(a, min(b, m.timeline.now))
	}
	return out
}

// flush accounts the stretch still running up to now.
func (t *timeline) flush() {
	if t.open != nil && t.now > t.openFrom {
		t.run(t.open, t.openFrom, t.now)
		t.openFrom = t.now
	}
}

// build lays the history out over the timeline panel: a switches strip,
// one lane per thread (as many as fit: the running and the selected ones
// always), the clock axis and a key. The plot is a pixel image; only the
// columns the clock reached since the last frame are redrawn, unless
// the view changed.
func (t *timeline) build(f *Frame, in *Input) {
	t.init()
	s := in.Snap
	p := &f.Timeline
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	t.fit(s.Clock)
	t.now = s.Clock
	t.flush()
	labelW := in.Metrics.Width("pid 00 t000 killed ")
	stripH := max(6, lh*2/3)
	plot := image.Rect(inner.Min.X+labelW, inner.Min.Y, inner.Max.X, inner.Max.Y-2*lh-2)
	if plot.Dx() < 8 || plot.Dy() < stripH+4 {
		return
	}
	// The view: the whole run, or its last 1/2^zoom, never finer than
	// about a bucket a pixel.
	span := NiceSpan(t.now + 1) // the tick now running is in view
	view, from := span, uint64(0)
	for z := 0; z < in.TimeZoom && view/2 >= t.scale*uint64(plot.Dx())/2 && view >= 20; z++ {
		view /= 2
	}
	if view < span {
		step := max(view/4, 1)
		if t.now > view*3/4 {
			from = (t.now - view*3/4) / step * step
		}
	}
	// Lanes: the threads that fit, the running and the focused first.
	live := map[int]bool{}
	for _, pv := range s.Processes {
		for _, th := range pv.Threads {
			if th.State != kernel.Exited {
				live[th.TID] = true
			}
		}
	}
	running := 0
	if s.Running != nil {
		running = s.Running.TID
	}
	all := make([]*laneHist, 0, len(t.lanes))
	for _, l := range t.lanes {
		if l.lastRan >= from || live[l.tid] || l.tid == f.Focus.TID {
			all = append(all, l)
		}
	}
	lanesTop := plot.Min.Y + max(stripH, lh) + 2
	laneH := lh
	maxLanes := max(1, (plot.Max.Y-lanesTop)/laneH)
	shown := all
	hidden := 0
	if len(all) > maxLanes {
		sort.Slice(all, func(i, j int) bool {
			pi, pj := lanePriority(all[i], running, f.Focus.TID), lanePriority(all[j], running, f.Focus.TID)
			if pi != pj {
				return pi > pj
			}
			if all[i].lastRan != all[j].lastRan {
				return all[i].lastRan > all[j].lastRan
			}
			return all[i].tid > all[j].tid
		})
		rows := make([]row, len(all))
		for i, l := range all {
			rows[i] = row{sel: Selection{PID: l.pid, TID: l.tid}, must: i < 2 && lanePriority(l, running, f.Focus.TID) > 0}
		}
		keep, _ := scrollRows(rows, maxLanes, in.Scroll["lanes"])
		shown = shown[:0:0]
		for _, r := range keep {
			shown = append(shown, t.lanes[r.sel.TID])
		}
		hidden = len(all) - len(shown)
	} else if len(all) > 0 {
		laneH = min(2*lh, (plot.Max.Y-lanesTop)/len(all))
	}
	sort.Slice(shown, func(i, j int) bool {
		if shown[i].pid != shown[j].pid {
			return shown[i].pid < shown[j].pid
		}
		return shown[i].tid < shown[j].tid
	})
	var ids strings.Builder
	for i, l := range shown {
		fmt.Fprintf(&ids, "%d,", l.tid)
		ly := lanesTop + i*laneH
		c := ProcessColor(l.pid)
		label := fmt.Sprintf("pid %d t%d", l.pid, l.tid)
		f.Lanes = append(f.Lanes, Lane{PID: l.pid, TID: l.tid, Label: label, Y: ly, H: laneH, Color: c})
		if l.tid == f.Focus.TID {
			p.box(image.Rect(inner.Min.X, ly, plot.Min.X-2, ly+laneH), RowHilite)
		}
		ty := ly + (laneH-lh)/2
		x := p.textW(inner.Min.X, ty, labelW-in.Metrics.Width(" "), label, c)
		if l.ended != "" {
			ec := Dim
			if l.ended != "exited" {
				ec = FaultMark
			}
			p.textW(x+in.Metrics.Width(" "), ty, plot.Min.X-x-in.Metrics.Width("  "), l.ended, ec)
		}
		p.hit(Hit{R: image.Rect(inner.Min.X, ly, plot.Min.X, ly+laneH), Select: Selection{PID: l.pid, TID: l.tid}, Scroll: "lanes",
			Tip: []string{label + ": click to select it", fmt.Sprintf("last ran at clock %d", l.lastRan)}})
	}
	p.text(inner.Min.X, plot.Min.Y+(stripH-lh)/2, "switches", Dim)
	if hidden > 0 {
		note := fmt.Sprintf("+%d threads", hidden)
		if t.forgotten > 0 {
			note += fmt.Sprintf(" (%d forgotten)", t.forgotten)
		}
		p.textW(inner.Min.X, plot.Max.Y-lh, labelW, note, Dim)
		f.Notices = append(f.Notices, "timeline: "+note+" not shown")
	}
	// Process switches are drawn across the lanes unless they are so
	// dense that they would hide them. Only the switches strip is read:
	// this runs over every column every frame.
	procCols := 0
	for x := 0; x < plot.Dx(); x++ {
		a, b := colRange(x, from, view, uint64(plot.Dx()))
		if b > t.now {
			break
		}
		if t.switches(t.buckets(a, b))&swProcess != 0 {
			procCols++
		}
	}
	key := renderKey{plot: plot, from: from, span: view, scale: t.scale, lanes: ids.String(), laneH: laneH,
		crossings: procCols*6 < plot.Dx(), focus: f.Focus.TID}
	full := key != t.key || t.img == nil || t.drawnAt > t.now
	if full {
		t.key = key
		if t.img == nil || t.img.Rect != plot {
			t.img = image.NewRGBA(plot)
		}
	}
	// Columns from the one that held the clock at the last paint (it and
	// the tick's other columns were partial) to the one that holds it now.
	first, nowCol := 0, plot.Dx()
	if !full {
		first = int(min(uint64(plot.Dx()), (max(t.drawnAt, from)-from)*uint64(plot.Dx())/view))
		nowCol = lastCol(t.now, from, view, plot.Dx())
	}
	for x := first; x < nowCol; x++ {
		t.paintColumn(x, from, view, shown, lanesTop, laneH, stripH, key.crossings)
	}
	f.TimelineImage, f.TimelineFull = t.img, full
	f.TimelineDirty = image.Rect(plot.Min.X+first, plot.Min.Y, plot.Min.X+max(first, nowCol), plot.Max.Y)
	t.drawnAt = t.now
	lanesBy := shown
	p.hit(Hit{R: plot, Scroll: "timezoom", TipAt: func(pt image.Point) ([]string, []int) {
		a, b := colRange(pt.X-plot.Min.X, from, view, uint64(plot.Dx()))
		if a >= t.now {
			return []string{fmt.Sprintf("clock %d: not yet", a)}, nil
		}
		return columnTip(t.column(a, min(b, t.now)), lanesBy), nil
	}})
	// The axis and the key.
	ay := plot.Max.Y + 1
	for i := 0; i <= 4; i++ {
		c := from + view*uint64(i)/4
		x := plot.Min.X + int(uint64(plot.Dx()-1)*uint64(i)/4)
		p.box(image.Rect(x, plot.Max.Y-3, x+1, plot.Max.Y+2), Dim)
		s := count(float64(c))
		if i == 0 {
			s = "clock " + s
		}
		w := in.Metrics.Width(s)
		lx := max(min(x-w/2, inner.Max.X-w), plot.Min.X)
		p.text(lx, ay, s, Dim)
	}
	per := float64(view) / float64(plot.Dx())
	scale := fmt.Sprintf("%s ticks/px", count(per))
	if per < 1 {
		scale = fmt.Sprintf("%.1f px/tick", 1/per)
	}
	if in.TimeZoom > 0 && view < span {
		scale += " (zoomed: wheel)"
	}
	p.textW(inner.Min.X, ay, labelW-4, scale, Dim)
	ky := inner.Max.Y - lh
	kx := inner.Min.X
	sw := lh / 2
	for _, k := range []struct {
		c     color.RGBA
		label string
	}{
		{FlushRed, "process switch, TLB flushed"},
		{ASIDSwitch, "process switch, no flush (--asid)"},
		{ThreadGrey, "thread switch, TLB kept"},
		{FaultMark, "fault or kill"},
		{Text, "bar height: share of the column the thread ran"},
	} {
		w := sw + 3 + in.Metrics.Width(k.label)
		if kx+w > inner.Max.X {
			break
		}
		p.box(image.Rect(kx, ky+(lh-sw)/2, kx+sw, ky+(lh+sw)/2), k.c)
		p.text(kx+sw+3, ky, k.label, Dim)
		kx += w + in.Metrics.Width("   ")
	}
}

// lastCol is one past the last column that shows a tick up to now (the
// tick now running included: a fault in it is marked).
func lastCol(now, from, view uint64, w int) int {
	return int(min(uint64(w), ((now+1-from)*uint64(w)+view-1)/view))
}

// colRange is the clock [a, b) that pixel column x of w shows of
// [from, from+view): at least one tick, so that when a tick is wider than
// a pixel every column of it shows it.
func colRange(x int, from, view, w uint64) (a, b uint64) {
	a, b = from+uint64(x)*view/w, from+uint64(x+1)*view/w
	return a, max(b, a+1)
}

func lanePriority(l *laneHist, running, focus int) int {
	switch l.tid {
	case focus:
		return 2
	case running:
		return 1
	}
	return 0
}

// paintColumn draws pixel column x of the plot.
func (t *timeline) paintColumn(x int, from, view uint64, lanes []*laneHist, lanesTop, laneH, stripH int, crossings bool) {
	img := t.img
	r := img.Rect
	W := uint64(r.Dx())
	a, b := colRange(x, from, view, W)
	px := r.Min.X + x
	set := func(y0, y1 int, c color.RGBA) {
		for y := max(y0, r.Min.Y); y < min(y1, r.Max.Y); y++ {
			img.SetRGBA(px, y, c)
		}
	}
	set(r.Min.Y, r.Max.Y, Background)
	if a > t.now {
		return
	}
	b = max(min(b, t.now), a)
	col := t.column(a, b)
	ticks := b - a
	if ticks == 0 {
		ticks = 1
	}
	// The strip.
	switch {
	case col.Switches&swFlush != 0:
		set(r.Min.Y, r.Min.Y+stripH, FlushRed)
	case col.Switches&swProcess != 0:
		set(r.Min.Y, r.Min.Y+stripH, ASIDSwitch)
	case col.Switches&swThread != 0:
		set(r.Min.Y+stripH/4, r.Min.Y+stripH*3/4, ThreadGrey)
	}
	// A switch is drawn across the lanes in the first column of its tick
	// only: when a tick is many pixels wide, it is a line, not a block.
	first := x == 0 || a != from+uint64(x-1)*view/W
	cross := crossings && first && col.Switches&swProcess != 0
	m0, m1 := t.buckets(a, max(b, a+1))
	for i, l := range lanes {
		ly := lanesTop + i*laneH
		bottom := ly + laneH - 1
		if cross {
			c := FlushRed
			if col.Switches&swFlush == 0 {
				c = ASIDSwitch
			}
			set(ly, bottom, fadeTo(c, Background, 0.45))
		}
		set(bottom, bottom+1, PanelFill)
		if n := col.Ran[l.tid]; n > 0 {
			h := int(float64(laneH-3) * float64(min(n, ticks)) / float64(ticks))
			set(bottom-max(h, 1), bottom, ProcessColor(l.pid))
		}
		if l.marks == nil {
			continue
		}
		var m uint8
		for i := m0; i < m1; i++ {
			m |= l.marks[i]
		}
		switch {
		case m&(markFault|markKill) != 0:
			set(ly, bottom, FaultMark)
		case m&markExit != 0:
			set(ly, ly+laneH/2, Text)
		case m&markBlock != 0:
			set(ly, ly+2, MissOrange)
		}
	}
}

// columnTip says what happened in one column.
func columnTip(c Column, lanes []*laneHist) []string {
	out := []string{fmt.Sprintf("clock %d to %d (%d ticks)", c.From, c.To, c.To-c.From)}
	type share struct {
		tid, pid int
		n        uint64
	}
	var sh []share
	var total uint64
	for tid, n := range c.Ran {
		pid := 0
		for _, l := range lanes {
			if l.tid == tid {
				pid = l.pid
			}
		}
		sh = append(sh, share{tid, pid, n})
		total += n
	}
	sort.Slice(sh, func(i, j int) bool { return sh[i].n > sh[j].n || sh[i].n == sh[j].n && sh[i].tid < sh[j].tid })
	for i, s := range sh {
		if i == 6 {
			out = append(out, fmt.Sprintf("and %d more threads", len(sh)-i))
			break
		}
		who := fmt.Sprintf("tid %d", s.tid)
		if s.pid != 0 {
			who = fmt.Sprintf("pid %d tid %d", s.pid, s.tid)
		}
		out = append(out, fmt.Sprintf("%s ran %d ticks (%.0f%%)", who, s.n, 100*float64(s.n)/float64(max(c.To-c.From, 1))))
	}
	if idle := int64(c.To-c.From) - int64(total); idle > 0 && len(sh) > 0 {
		out = append(out, fmt.Sprintf("nobody ran %d ticks (the clock jumped)", idle))
	}
	if c.Switches&swFlush != 0 {
		out = append(out, "a process switch flushed the TLB here")
	} else if c.Switches&swProcess != 0 {
		out = append(out, "a process switch here (no flush: --asid)")
	}
	if c.Switches&swThread != 0 {
		out = append(out, "a thread switch here (TLB kept)")
	}
	return out
}
