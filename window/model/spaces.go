package model

import (
	"fmt"
	"image"
	"math"
	"sort"

	"vcpu/cpu"
	"vcpu/kernel"
)

// SpaceRegion is one piece of an address-space drawing: a segment, or the
// unmapped gap below or between segments.
type SpaceRegion struct {
	Seg    cpu.Segment // the segment (zero for a gap)
	Gap    bool
	Lo, Hi uint64 // the addresses it covers, [Lo, Hi)
	R      image.Rectangle
}

// SpaceColumn is one process's address space as drawn.
type SpaceColumn struct {
	PID     int
	Label   string
	R       image.Rectangle // the whole column, header included
	Bar     image.Rectangle // where the regions are
	Regions []SpaceRegion
	SPs     []SPMark
	Ended   string // how it ended, "" while it lives
}

// SPMark is where a thread's sp points, in its stack's region.
type SPMark struct {
	TID     int
	SP      uint32
	Y       int
	Running bool
}

// SpaceScale says how the drawing is scaled, as the panel writes it.
const SpaceScale = "height: a line per segment + √size; gaps cut short"

// SpaceLayout lays segs out in the bar r, low addresses at the bottom, as
// a textbook draws an address space: code, data, bss, heap, then the
// stacks at the top. To keep a one-page segment visible next to a huge
// one it is not linear: each segment gets at least minH pixels and shares
// the rest by the square root of its size; a gap gets gapH pixels however
// large it is (a single guard page between two stacks, 2 pixels). When
// segments do not fit at minH, minH shrinks to what fits (at least 1).
func SpaceLayout(segs []cpu.Segment, r image.Rectangle, minH, gapH int) []SpaceRegion {
	segs = append([]cpu.Segment(nil), segs...)
	sort.Slice(segs, func(i, j int) bool { return segs[i].Base < segs[j].Base })
	var regs []SpaceRegion
	var lo uint64
	for _, s := range segs {
		base := uint64(s.Base)
		if base > lo {
			regs = append(regs, SpaceRegion{Gap: true, Lo: lo, Hi: base})
		}
		hi := base + uint64(max(s.Limit, 1))
		regs = append(regs, SpaceRegion{Seg: s, Lo: base, Hi: hi})
		lo = uint64(cpu.PageSize) * ((hi + cpu.PageSize - 1) / cpu.PageSize)
	}
	if len(regs) == 0 {
		return nil
	}
	// Heights: gaps fixed (a one-page guard gap thin), segments minH + share.
	heights := make([]float64, len(regs))
	nseg, fixed := 0, 0
	for i, g := range regs {
		if g.Gap {
			h := gapH
			if g.Hi-g.Lo <= cpu.PageSize {
				h = min(2, gapH)
			}
			heights[i] = float64(h)
			fixed += h
		} else {
			nseg++
		}
	}
	if fixed > r.Dy()/3 { // many gaps: shrink them all
		k := float64(r.Dy()/3) / float64(fixed)
		fixed = 0
		for i, g := range regs {
			if g.Gap {
				heights[i] = math.Max(1, math.Floor(heights[i]*k))
				fixed += int(heights[i])
			}
		}
	}
	avail := r.Dy() - fixed
	minH = max(1, min(minH, avail/max(nseg, 1)))
	extra := float64(avail - nseg*minH)
	var sum float64
	for _, g := range regs {
		if !g.Gap {
			sum += math.Sqrt(float64(g.Hi - g.Lo))
		}
	}
	for i, g := range regs {
		if !g.Gap {
			heights[i] = float64(minH) + extra*math.Sqrt(float64(g.Hi-g.Lo))/sum
		}
	}
	// Place from the bottom, rounding the running total so that the
	// regions tile r exactly.
	acc := 0.0
	for i := range regs {
		y1 := r.Max.Y - int(math.Round(acc))
		acc += heights[i]
		y0 := r.Max.Y - int(math.Round(acc))
		if i == len(regs)-1 {
			y0 = r.Min.Y
		}
		regs[i].R = image.Rect(r.Min.X, y0, r.Max.X, y1)
	}
	return regs
}

// spaces fills the address-space panel: one column per process, the
// threads' stacks inside their process's column, each with its sp.
func (m *Model) spaces(f *Frame, in *Input) {
	s := in.Snap
	p := &f.Spaces
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	p.textW(inner.Min.X, inner.Max.Y-lh, inner.Dx(), SpaceScale, Dim)
	area := image.Rect(inner.Min.X, inner.Min.Y, inner.Max.X, inner.Max.Y-lh-2)
	var procs []*kernel.ProcessView
	for i := range s.Processes {
		if len(s.Processes[i].Segments) > 0 {
			procs = append(procs, &s.Processes[i])
		}
	}
	if len(procs) == 0 {
		p.text(area.Min.X, area.Min.Y, "no process has memory now", Dim)
		return
	}
	minW := in.Metrics.Width("stack t00 ") + 4
	fitN := max(1, (area.Dx()+f.Geo.Gap)/(minW+f.Geo.Gap))
	shown := procs
	hidden := 0
	if len(procs) > fitN {
		running := 0
		if s.Running != nil {
			running = s.Running.PID
		}
		shown, hidden = pickColumns(procs, fitN-1, in.Scroll["spaces"], f.Focus.PID, running), len(procs)-(fitN-1)
	}
	n := len(shown)
	if hidden > 0 {
		n++ // the notice's column
	}
	colW := min((area.Dx()+f.Geo.Gap)/n-f.Geo.Gap, lh*10)
	x := area.Min.X
	for _, pv := range shown {
		col := image.Rect(x, area.Min.Y, x+colW, area.Max.Y)
		m.spaceColumn(f, in, pv, col)
		x += colW + f.Geo.Gap
	}
	if hidden > 0 {
		r := image.Rect(x, area.Min.Y, area.Max.X, area.Max.Y)
		note := fmt.Sprintf("+%d processes", hidden)
		p.textW(r.Min.X, r.Min.Y+lh, r.Dx(), note, Dim)
		p.textW(r.Min.X, r.Min.Y+2*lh, r.Dx(), "wheel scrolls", Dim)
		f.Notices = append(f.Notices, "address spaces: "+note)
	}
	p.hitUnder(Hit{R: area, Scroll: "spaces"})
}

// pickColumns chooses n of procs from offset, keeping the focused
// process and the running one, in pid order.
func pickColumns(procs []*kernel.ProcessView, n, offset, focus, running int) []*kernel.ProcessView {
	rows := make([]row, len(procs))
	for i, pv := range procs {
		rows[i] = row{sel: Selection{PID: pv.PID}, must: pv.PID == focus || pv.PID == running}
	}
	keep, _ := scrollRows(rows, n+1, offset) // +1: scrollRows keeps a line for its notice
	var out []*kernel.ProcessView
	for _, r := range keep {
		for _, pv := range procs {
			if pv.PID == r.sel.PID {
				out = append(out, pv)
			}
		}
	}
	return out
}

func (m *Model) spaceColumn(f *Frame, in *Input, pv *kernel.ProcessView, col image.Rectangle) {
	p := &f.Spaces
	lh := in.Metrics.LineHeight()
	c := ProcessColor(pv.PID)
	sc := SpaceColumn{PID: pv.PID, Label: fmt.Sprintf("pid %d %s", pv.PID, pv.Name), R: col}
	focused := f.Focus.PID == pv.PID
	if focused && f.Selected.PID == pv.PID {
		p.box(col, RowHilite)
	}
	p.textW(col.Min.X, col.Min.Y, col.Dx(), sc.Label, c)
	state := "live"
	stateC := Dim
	if pv.Ended != nil {
		sc.Ended = endedHow(pv)
		state, stateC = sc.Ended, Dim
		if pv.Ended.Fault != "" || pv.Status >= 128 {
			stateC = FaultMark
		}
	} else if pv.State == kernel.ProcZombie {
		state = "zombie"
	}
	p.textW(col.Min.X, col.Min.Y+lh, col.Dx(), state, stateC)
	sc.Bar = image.Rect(col.Min.X, col.Min.Y+2*lh+2, col.Max.X, col.Max.Y)
	p.hit(Hit{R: image.Rect(col.Min.X, col.Min.Y, col.Max.X, sc.Bar.Min.Y), Select: Selection{PID: pv.PID},
		Tip: append([]string{sc.Label, state}, endTip(pv)...)})
	sc.Regions = SpaceLayout(pv.Segments, sc.Bar, lh+2, max(4, lh/2))
	threads := map[int]kernel.ThreadView{}
	for _, t := range pv.Threads {
		threads[t.TID] = t
	}
	for _, r := range sc.Regions {
		if r.Gap {
			mid := (r.R.Min.Y + r.R.Max.Y) / 2
			if r.R.Dy() >= 3 {
				for x := r.R.Min.X; x < r.R.Max.X; x += 6 {
					p.box(image.Rect(x, mid, min(x+3, r.R.Max.X), mid+1), Dim)
				}
			}
			p.hit(Hit{R: r.R, Tip: []string{fmt.Sprintf("unmapped: 0x%08x-0x%08x (%s)", r.Lo, r.Hi-1, size(r.Hi-r.Lo)), "an access here is a segmentation fault"}})
			continue
		}
		seg := r.Seg
		fill := FrameColor(pv.PID, seg.Kind)
		if pv.Ended != nil {
			fill = shade(fill, 0.45)
		}
		box := image.Rect(r.R.Min.X, r.R.Min.Y+1, r.R.Max.X, r.R.Max.Y) // a 1 px seam between segments
		if box.Dy() < 2 {
			box = r.R
		}
		p.box(box, fill)
		name := seg.Kind.String()
		sel := Selection{PID: pv.PID}
		if seg.Kind == cpu.SegStack {
			name = fmt.Sprintf("stack t%d", seg.Owner)
			sel.TID = seg.Owner
			if f.Focus.TID == seg.Owner && focused {
				p.outline(box, 1, SelectEdge)
			}
		}
		label := fmt.Sprintf("%s %s", name, size(uint64(seg.Limit)))
		labelY := box.Min.Y + (box.Dy()-lh)/2
		labelW := box.Dx() - 6
		// A stack's sp: a line across it, and its name at the right when
		// the stack is a line high or more. When it shares the line with
		// the stack's own label the two are fitted side by side, the
		// label giving up its size first: a heap of 900K leaves the stack
		// one line, where "sp t1" once covered "stack t1".
		if seg.Kind == cpu.SegStack {
			if t, ok := threads[seg.Owner]; ok && t.State != kernel.Exited {
				sp := t.Regs.R[cpu.SP]
				if seg.Contains(sp, 1) || sp == seg.End() {
					frac := float64(sp-seg.Base) / float64(max(seg.Limit, 1))
					y := box.Max.Y - 1 - int(frac*float64(box.Dy()-1))
					mark := SPMark{TID: t.TID, SP: sp, Y: y, Running: t.State == kernel.Running}
					sc.SPs = append(sc.SPs, mark)
					mc := Text
					if mark.Running {
						mc = HitGreen
					}
					p.box(image.Rect(box.Min.X, y-1, box.Max.X, y+1), mc)
					if box.Dy() >= lh {
						ly := max(box.Min.Y, min(y-lh/2, box.Max.Y-lh))
						spl := fmt.Sprintf("sp t%d", t.TID)
						if ly < labelY+lh && labelY < ly+lh { // on the label's line
							label, spl = sideBySide(in.Metrics, labelW, label, name, spl)
							if spl != "" {
								labelW -= in.Metrics.Width(" "+spl) + 2
							}
						} else if in.Metrics.Width(spl) > box.Dx()-4 {
							spl = ""
						}
						if spl != "" {
							p.textRight(box.Max.X-2, ly, spl, Background)
						}
					}
				}
			}
		}
		if box.Dy() >= lh {
			p.textW(box.Min.X+3, labelY, labelW, label, Background)
		}
		// The segment's own hover goes over its label's: it says more.
		pid, segc := pv.PID, seg
		frames := in.Snap.Frames
		p.hit(Hit{R: box, Select: sel, TipAt: func(image.Point) ([]string, []int) { return segmentTip(pid, segc, frames) }})
	}
	// Where each thread of this process is in the code: a tick at its pc.
	for _, r := range sc.Regions {
		if r.Gap || r.Seg.Kind != cpu.SegCode {
			continue
		}
		for _, t := range pv.Threads {
			if t.State == kernel.Exited || !r.Seg.Contains(t.Regs.PC, 1) {
				continue
			}
			frac := float64(t.Regs.PC-r.Seg.Base) / float64(max(r.Seg.Limit, 1))
			y := r.R.Max.Y - 1 - int(frac*float64(r.R.Dy()-2))
			mc := Text
			if t.State == kernel.Running {
				mc = HitGreen
			}
			p.box(image.Rect(r.R.Max.X-lh/2, y-1, r.R.Max.X, y+1), mc)
		}
	}
	f.Columns = append(f.Columns, sc)
}

// sideBySide chooses a stack's label and its sp label to share one line
// of w pixels: the whole label, then the name without the size, then "sp"
// without the tid (the line across the stack says whose sp it is); the
// sp label goes ("") when not even "sp" fits beside a shortened name.
func sideBySide(m Metrics, w int, label, name, spl string) (string, string) {
	gap := m.Width(" ") + 2
	for _, c := range [][2]string{{label, spl}, {name, spl}, {name, "sp"}} {
		if m.Width(c[0])+gap+m.Width(c[1]) <= w {
			return c[0], c[1]
		}
	}
	if w-gap-m.Width("sp") >= m.Width("st"+Ellipsis) {
		return name, "sp"
	}
	return label, ""
}

// segmentTip describes a segment and which frame backs each of its pages.
func segmentTip(pid int, seg cpu.Segment, frames []kernel.FrameOwner) ([]string, []int) {
	name := seg.Kind.String()
	if seg.Kind == cpu.SegStack {
		name = fmt.Sprintf("stack of tid %d", seg.Owner)
	}
	tip := []string{fmt.Sprintf("pid %d %s: 0x%08x-0x%08x %s, %s", pid, name, seg.Base, uint64(seg.End())-1, seg.Perm, size(uint64(seg.Limit)))}
	lo, hi := seg.Base/cpu.PageSize, uint32((uint64(seg.Base)+uint64(seg.Limit)+cpu.PageSize-1)/cpu.PageSize)
	var fr []int
	var lines []string
	for i, o := range frames {
		if o.PID == pid && o.VPN >= lo && o.VPN < hi {
			fr = append(fr, i)
			lines = append(lines, fmt.Sprintf("page 0x%05x → frame %d", o.VPN, i))
		}
	}
	if len(fr) == 0 {
		tip = append(tip, "no page mapped now")
	} else {
		tip = append(tip, fmt.Sprintf("%d pages, in these frames (lit in the memory map):", len(fr)))
		tip = append(tip, lines...)
	}
	return tip, fr
}

func endTip(pv *kernel.ProcessView) []string {
	e := pv.Ended
	if e == nil {
		return []string{"click to select it"}
	}
	out := []string{fmt.Sprintf("ended: %s, exit status %d", pv.ExitReason, pv.Status)}
	if e.Fault != "" {
		out = append(out, fmt.Sprintf("tid %d: %s", e.TID, e.Fault))
	}
	if e.Where != "" {
		out = append(out, "at "+e.Where)
	}
	return out
}

// size writes a byte count short: 16B, 4K, 1M.
func size(n uint64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dM", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dK", n>>10)
	case n >= 1<<20:
		return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1fK", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}
