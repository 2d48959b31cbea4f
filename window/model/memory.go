package model

import (
	"fmt"
	"image"
	"image/color"
	"sort"

	"vcpu/cpu"
	"vcpu/kernel"
)

// mapArea is the largest area the memory map's cells may cover, below the
// panel's title and above its legend.
func mapArea(p *Panel) image.Rectangle {
	x, y := p.inner()
	return image.Rect(x, y, p.Rect.Max.X-8, y+136)
}

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

// memory paints one cell per frame into the map's pixel buffer: the window
// uploads it with a single WritePixels.
func (m *Model) memory(f *Frame, s *kernel.Snapshot) {
	p := &f.Memory
	area := mapArea(p)
	n := len(s.Frames)
	cols, cell := MapGeometry(n, area)
	shown := min(n, cols*(area.Dy()/cell))
	rows := (shown + cols - 1) / cols
	img := image.NewRGBA(image.Rect(area.Min.X, area.Min.Y, area.Min.X+cols*cell, area.Min.Y+rows*cell))
	gap := 0
	if cell >= 4 {
		gap = 1
	}
	used := map[int]int{}
	for i, o := range s.Frames {
		if o.PID > 0 {
			used[o.PID]++
		}
		if i >= shown {
			continue
		}
		c := FrameColor(o.PID, o.Kind)
		f.MapPIDs = append(f.MapPIDs, o.PID)
		x0, y0 := img.Rect.Min.X+(i%cols)*cell, img.Rect.Min.Y+(i/cols)*cell
		for y := y0; y < y0+cell-gap; y++ {
			for x := x0; x < x0+cell-gap; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	f.MemoryMap, f.MapCell, f.MapCols = img, cell, cols
	free := n
	for _, c := range used {
		free -= c
	}
	y := img.Rect.Max.Y + 6
	x0 := area.Min.X
	note := fmt.Sprintf("%d frames, %d free (dark)", n, free)
	if shown < n {
		note += fmt.Sprintf(", the first %d shown", shown)
	}
	p.text(x0, y, note, Dim)
	y += LineH + 2
	// The shades, in the first owner's hue (grey with none).
	pids := make([]int, 0, len(used))
	for pid := range used {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	shadePID := 0
	if len(pids) > 0 {
		shadePID = pids[0]
	}
	x := x0
	p.text(x, y, "shade:", Dim)
	x += 7 * CharW
	for k := cpu.SegCode; k < cpu.NumSegKinds; k++ {
		c := FrameColor(shadePID, k)
		if shadePID == 0 {
			v := uint8(60 + 40*int(k))
			c = color.RGBA{v, v, v, 255}
		}
		p.box(image.Rect(x, y+3, x+10, y+13), c)
		p.text(x+13, y, k.String(), Text)
		f.Legend = append(f.Legend, LegendItem{Color: c, Label: k.String()})
		x += 13 + CharW*(len(k.String())+2)
	}
	y += LineH + 2
	names := map[int]string{}
	for _, pv := range s.Processes {
		names[pv.PID] = pv.Name
	}
	x = x0
	for _, pid := range pids {
		label := fmt.Sprintf("pid %d %s: %d", pid, names[pid], used[pid])
		w := 13 + CharW*(len(label)+2)
		if x+w > p.Rect.Max.X-8 {
			x = x0
			y += LineH
		}
		if y+LineH > p.Rect.Max.Y-2 {
			break
		}
		c := ProcessColor(pid)
		p.box(image.Rect(x, y+3, x+10, y+13), c)
		p.text(x+13, y, label, c)
		f.Legend = append(f.Legend, LegendItem{Color: c, Label: label})
		x += w
	}
}
