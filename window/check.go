//go:build gui

package window

import (
	"fmt"
	"image"
	"image/color"

	"vcpu/window/model"
)

// Check compares a screenshot with the frame it shows: the background,
// each memory cell's centre (at least two owners' colours must be on
// screen, and every owner's), the panels' borders, text in the header,
// and the timeline's pixels. It returns what is wrong.
func Check(img *image.RGBA, f *model.Frame) []string {
	var bad []string
	near := func(a, b color.RGBA) bool {
		d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
		return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
	}
	h := img.Rect.Dy()
	if c := img.RGBAAt(1, h/2); !near(c, model.Background) {
		bad = append(bad, fmt.Sprintf("background at (1,%d) is %v, want %v", h/2, c, model.Background))
	}
	for _, np := range f.Named() {
		p := np.Panel
		if p.Title == "" || np.Name == "tooltip" {
			continue
		}
		if c := img.RGBAAt(p.Rect.Min.X, p.Rect.Max.Y-1); !near(c, p.Edge) {
			bad = append(bad, fmt.Sprintf("panel %s border is %v, want %v", np.Name, c, p.Edge))
		}
	}
	m := f.MemoryMap
	colours, pids, want := map[color.RGBA]bool{}, map[int]bool{}, map[int]bool{}
	wrong := 0
	cell := max(f.Map.Cell, 1)
	for i, pid := range f.Map.PIDs {
		x := m.Rect.Min.X + (i%f.Map.Cols)*cell + (cell-1)/2
		y := m.Rect.Min.Y + (i/f.Map.Cols)*cell + (cell-1)/2
		if f.Tooltip != nil && image.Pt(x, y).In(f.Tooltip.Rect) {
			continue
		}
		exp, got := m.RGBAAt(x, y), img.RGBAAt(x, y)
		if pid > 0 {
			want[pid] = true
		}
		if !near(got, exp) {
			wrong++
			continue
		}
		if pid > 0 {
			colours[exp], pids[pid] = true, true
		}
	}
	if wrong > 0 {
		bad = append(bad, fmt.Sprintf("%d memory cells differ from the model's colours", wrong))
	}
	if len(colours) < 2 {
		bad = append(bad, fmt.Sprintf("memory map shows %d owned colours, want at least 2", len(colours)))
	}
	if len(pids) < len(want) {
		bad = append(bad, fmt.Sprintf("memory map shows the colours of %d processes, the machine has %d owning frames", len(pids), len(want)))
	}
	if t := f.TimelineImage; t != nil {
		diff := 0
		for y := t.Rect.Min.Y; y < t.Rect.Max.Y; y += 3 {
			for x := t.Rect.Min.X; x < t.Rect.Max.X; x += 3 {
				if f.Tooltip != nil && image.Pt(x, y).In(f.Tooltip.Rect) {
					continue
				}
				if !near(img.RGBAAt(x, y), t.RGBAAt(x, y)) {
					diff++
				}
			}
		}
		if diff > 0 {
			bad = append(bad, fmt.Sprintf("%d sampled timeline pixels differ from the model's image", diff))
		}
	}
	lit := 0
	hr := f.Header.Rect
	for y := hr.Min.Y; y < hr.Max.Y; y++ {
		for x := hr.Min.X; x < hr.Max.X; x++ {
			if c := img.RGBAAt(x, y); !near(c, model.Background) {
				lit++
			}
		}
	}
	if lit < 200 {
		bad = append(bad, fmt.Sprintf("header has %d text pixels, want at least 200", lit))
	}
	return bad
}
