package model

import (
	"fmt"
	"image"
	"sort"

	"vcpu/cpu"
	"vcpu/kernel"
)

// MapGeometry chooses the cell size and the number of columns for n frames
// in an area: columns a power of two (frame numbers read by row), cells as
// large as fit.
func MapGeometry(n int, area image.Rectangle) (cols, cell int) {
	for c := 8; c <= max(area.Dx(), 8); c *= 2 {
		rows := (n + c - 1) / c
		if s := min(area.Dx()/c, area.Dy()/max(rows, 1)); s > cell {
			cols, cell = c, s
		}
	}
	if cell == 0 { // more frames than pixels: one pixel each, as many rows as fit
		cols, cell = 8, 1
		for cols*2 <= area.Dx() {
			cols *= 2
		}
	}
	return cols, cell
}

// memory lays out the memory map (one cell per frame), says what each
// cell is on hover, and writes the legend. After the end of a run, when
// every frame is free again, it shows memory as it was just before.
// memoryPixels paints the cells once the hover is known.
func (m *Model) memory(f *Frame, in *Input) {
	s := in.Snap
	p := &f.Memory
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	frames := s.Frames
	if s.Outcome != kernel.Unfinished && m.lastLive != nil && m.lastLive != s {
		frames = m.lastLive.Frames
		f.Map.Remembered = true
	}
	legendH := 2*lh + 4
	area := image.Rect(inner.Min.X, inner.Min.Y+lh+2, inner.Max.X, inner.Max.Y-legendH)
	n := len(frames)
	cols, cell := MapGeometry(n, area)
	shown := min(n, cols*max(area.Dy()/cell, 1))
	rows := (shown + cols - 1) / cols
	img := image.NewRGBA(image.Rect(area.Min.X, area.Min.Y, area.Min.X+cols*cell, area.Min.Y+rows*cell))
	f.MemoryMap = img
	f.Map.Cols, f.Map.Cell, f.Map.Shown = cols, cell, shown
	m.mapFrames = frames
	used := map[int]int{}
	for _, o := range frames {
		if o.PID > 0 {
			used[o.PID]++
		}
	}
	sel := f.Selected
	free := n
	for _, c := range used {
		free -= c
	}
	note := fmt.Sprintf("%d frames, %d free (dark)", n, free)
	if f.Map.Remembered {
		note = fmt.Sprintf("as at clock %d; all free now", m.lastLive.Clock)
	}
	if shown < n {
		note += fmt.Sprintf("; frames %d-%d not shown", shown, n-1)
		f.Notices = append(f.Notices, fmt.Sprintf("%d frames not shown", n-shown))
	}
	p.text(inner.Min.X, inner.Min.Y, note, Dim)
	names := map[int]string{}
	for _, pv := range s.Processes {
		names[pv.PID] = pv.Name
	}
	p.hit(Hit{R: img.Rect, Scroll: "", TipAt: func(pt image.Point) ([]string, []int) {
		i := (pt.Y-img.Rect.Min.Y)/cell*cols + (pt.X-img.Rect.Min.X)/cell
		if i < 0 || i >= shown || pt.X >= img.Rect.Min.X+cols*cell {
			return nil, nil
		}
		o := frames[i]
		head := fmt.Sprintf("frame %d (physical 0x%08x)", i, i*cpu.PageSize)
		if o.PID == 0 {
			return []string{head, "free"}, nil
		}
		kind := o.Kind.String()
		if o.Kind == cpu.SegStack {
			kind = fmt.Sprintf("stack of tid %d", o.TID)
		}
		return []string{head, fmt.Sprintf("pid %d (%s): %s", o.PID, names[o.PID], kind),
			fmt.Sprintf("backs its virtual page 0x%05x (0x%08x)", o.VPN, o.VPN*cpu.PageSize)}, []int{i}
	}})
	// Legend: the shades of the kinds, then one entry per owner.
	y := inner.Max.Y - legendH + 4
	x := inner.Min.X
	shadePID := 1
	if sel.PID != 0 {
		shadePID = sel.PID
	}
	sw := lh * 2 / 3
	for k := cpu.SegCode; k < cpu.NumSegKinds; k++ {
		p.box(image.Rect(x, y+(lh-sw)/2, x+sw, y+(lh+sw)/2), FrameColor(shadePID, k))
		x = p.text(x+sw+3, y, k.String(), Text) + in.Metrics.Width("  ")
	}
	y += lh
	pids := make([]int, 0, len(used))
	for pid := range used {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	x = inner.Min.X
	// With the program's name when every owner fits so, else without:
	// forked children share their parent's name, and "pid 1 pipeline: 6
	// +2 more" hid two owners that "pid 2: 6" shows.
	label := func(pid int) string { return fmt.Sprintf("pid %d %s: %d", pid, names[pid], used[pid]) }
	total := 0
	for _, pid := range pids {
		total += sw + 3 + in.Metrics.Width(label(pid)+"  ")
	}
	if total > inner.Dx() {
		label = func(pid int) string { return fmt.Sprintf("pid %d: %d", pid, used[pid]) }
	}
	for i, pid := range pids {
		label := label(pid)
		w := sw + 3 + in.Metrics.Width(label) + in.Metrics.Width("  ")
		more := fmt.Sprintf("+%d more", len(pids)-i)
		if x+w > inner.Max.X-in.Metrics.Width(more) && i < len(pids)-1 || x+w > inner.Max.X {
			p.text(x, y, more, Dim)
			f.Notices = append(f.Notices, "memory legend: "+more)
			break
		}
		c := ProcessColor(pid)
		p.box(image.Rect(x, y+(lh-sw)/2, x+sw, y+(lh+sw)/2), c)
		p.text(x+sw+3, y, label, c)
		p.hit(Hit{R: image.Rect(x, y, x+w, y+lh), Select: Selection{PID: pid}, Tip: []string{fmt.Sprintf("pid %d (%s) owns %d frames; click to select it", pid, names[pid], used[pid])}})
		x += w
	}
}

// memoryPixels paints one cell per frame into the map's pixel buffer (the
// window uploads it with a single WritePixels), lighting the frames of
// what is pointed at, else of what is selected, and dimming the others.
func (m *Model) memoryPixels(f *Frame) {
	img, frames := f.MemoryMap, m.mapFrames
	cols, cell, shown := f.Map.Cols, f.Map.Cell, f.Map.Shown
	gap := 0
	if cell >= 4 {
		gap = 1
	}
	hi := map[int]bool{}
	for _, fr := range f.Hover.framesOrNil() {
		hi[fr] = true
	}
	sel := f.Selected
	if len(hi) == 0 && sel.PID != 0 {
		for i, o := range frames {
			if o.PID == sel.PID && (sel.TID == 0 || o.Kind != cpu.SegStack || o.TID == sel.TID) {
				hi[i] = true
			}
		}
	}
	for i, o := range frames[:shown] {
		c := FrameColor(o.PID, o.Kind)
		if len(hi) > 0 && !hi[i] {
			c = shade(c, 0.45)
		}
		if f.Map.Remembered {
			c = shade(c, 0.7)
		}
		f.Map.PIDs = append(f.Map.PIDs, o.PID)
		x0, y0 := img.Rect.Min.X+(i%cols)*cell, img.Rect.Min.Y+(i/cols)*cell
		for y := y0; y < y0+cell-gap; y++ {
			for x := x0; x < x0+cell-gap; x++ {
				img.SetRGBA(x, y, c)
			}
		}
		if hi[i] && cell >= 5 {
			for x := x0; x < x0+cell-gap; x++ {
				img.SetRGBA(x, y0, SelectEdge)
				img.SetRGBA(x, y0+cell-gap-1, SelectEdge)
			}
			for y := y0; y < y0+cell-gap; y++ {
				img.SetRGBA(x0, y, SelectEdge)
				img.SetRGBA(x0+cell-gap-1, y, SelectEdge)
			}
		}
	}
}

func (h *Hit) framesOrNil() []int {
	if h == nil {
		return nil
	}
	return h.Frames
}
