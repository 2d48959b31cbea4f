package model_test

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"vcpu/cpu"
	"vcpu/kernel"
	"vcpu/window/model"
)

func TestFitShortensWithAnEllipsis(t *testing.T) {
	m := model.Mono{CharW: 7, LineH: 16}
	tests := []struct {
		s    string
		w    int
		want string
		cut  bool
	}{
		{"hello", 35, "hello", false},
		{"hello", 34, "hel…", true},
		{"hello", 7, "…", true},
		{"hello", 6, "", true},
		{"", 0, "", false},
		{"héllo wörld", 42, "héllo…", true},
	}
	for _, tt := range tests {
		got, cut := model.Fit(m, tt.s, tt.w)
		if got != tt.want || cut != tt.cut || m.Width(got) > tt.w {
			t.Errorf("Fit(%q, %d) = %q, %v; want %q, %v", tt.s, tt.w, got, cut, tt.want, tt.cut)
		}
	}
	// With the real font, the shortened text fits and is the longest that does.
	real := goMono(t, 13)
	s := "ENDED: pid 1 killed by a segmentation fault in tid 3"
	for w := 10; w < real.Width(s); w += 17 {
		got, cut := model.Fit(real, s, w)
		if !cut || real.Width(got) > w {
			t.Fatalf("Fit(%d px) = %q (%d px)", w, got, real.Width(got))
		}
		longer := []rune(strings.TrimSuffix(got, model.Ellipsis))
		if n := len(longer); n < len([]rune(s)) {
			if try := string([]rune(s)[:n+1]) + model.Ellipsis; real.Width(try) <= w {
				t.Errorf("Fit(%d px) = %q, but %q fits too", w, got, try)
			}
		}
	}
}

// The panels tile the window at every size and zoom the window promises,
// none overlapping, none too small to use.
func TestArrangeReflows(t *testing.T) {
	for _, size := range []image.Point{{1024, 700}, {1280, 800}, {1920, 1080}, {2560, 1440}} {
		for _, zoom := range []int{0, model.ZoomDefault, len(model.Zooms) - 1} {
			fs := model.FontSize(size, 1, model.Zooms[zoom])
			m := goMono(t, fs)
			g := model.Arrange(size, m)
			rects := map[string]image.Rectangle{"header": g.Header, "memory": g.Memory, "cpu": g.CPU, "output": g.Output,
				"spaces": g.Spaces, "source": g.Source, "procs": g.Procs, "tlb": g.TLB, "timeline": g.Timeline, "help": g.Help}
			name := fmt.Sprintf("%v at zoom %.2f (font %.1f px)", size, model.Zooms[zoom], fs)
			for a, ra := range rects {
				if !ra.In(image.Rectangle{Max: size}) || ra.Dx() < 10*g.LineH || ra.Dy() < g.LineH {
					t.Errorf("%s: %s %v is off screen or too small", name, a, ra)
				}
				for b, rb := range rects {
					if a < b && ra.Overlaps(rb) {
						t.Errorf("%s: %s %v overlaps %s %v", name, a, ra, b, rb)
					}
				}
			}
			if zoom == model.ZoomDefault && g.Timeline.Dy() < 7*g.LineH {
				t.Errorf("%s: timeline %v has room for less than 7 lines", name, g.Timeline)
			}
		}
	}
	// A bigger window gets bigger text, but not in proportion: it shows more.
	if a, b := model.FontSize(image.Pt(1280, 800), 1, 1), model.FontSize(image.Pt(2560, 1440), 1, 1); b <= a || b >= 2*a {
		t.Errorf("font %v px at 1280x800, %v at 2560x1440", a, b)
	}
	// HiDPI: twice the device pixels, twice the font, the same layout.
	if a, b := model.FontSize(image.Pt(1280, 800), 1, 1), model.FontSize(image.Pt(2560, 1600), 2, 1); b != 2*a {
		t.Errorf("font %v px at 1x, %v at 2x", a, b)
	}
}

// The whole demo, at every size and zoom, fits: no text spills out of its
// panel or covers other text, and what is shortened keeps its whole text.
func TestDemoFitsAtEverySize(t *testing.T) {
	for _, size := range []image.Point{{1024, 700}, {1280, 800}, {2560, 1440}} {
		for _, zoom := range []int{0, model.ZoomDefault, len(model.Zooms) - 1} {
			m := goMono(t, model.FontSize(size, 1, model.Zooms[zoom]))
			s := demo(t, kernel.DefaultConfig())
			s.SetView(size, m)
			s.Faster()
			for i := 0; i < 60 && !s.Done(); i++ {
				f := s.Tick(0)
				if i%7 != 0 && !s.Done() {
					continue
				}
				for _, b := range checkLayout(f, m) {
					t.Errorf("%v zoom %.2f frame %d: %s", size, model.Zooms[zoom], i, b)
				}
			}
		}
	}
}

func TestSpaceLayout(t *testing.T) {
	page := uint32(cpu.PageSize)
	segs := []cpu.Segment{
		{Kind: cpu.SegStack, Base: 0x7fffc000, Limit: 16 << 10, Owner: 1},
		{Kind: cpu.SegCode, Base: 0x1000, Limit: 600},
		{Kind: cpu.SegData, Base: 0x2000, Limit: 4},
		{Kind: cpu.SegBSS, Base: 0x3000, Limit: 1 << 20},
		{Kind: cpu.SegHeap, Base: 0x103000, Limit: 0},
		{Kind: cpu.SegStack, Base: 0x7fffc000 - (16<<10 + page), Limit: 16 << 10, Owner: 2},
	}
	r := image.Rect(10, 20, 110, 420)
	regs := model.SpaceLayout(segs, r, 16, 8)
	var kinds []string
	y := r.Max.Y
	for _, g := range regs {
		if g.R.Max.Y != y || g.R.Min.X != r.Min.X || g.R.Max.X != r.Max.X {
			t.Fatalf("region %+v does not tile the bar from the bottom (expected to end at y %d)", g, y)
		}
		y = g.R.Min.Y
		if g.Gap {
			kinds = append(kinds, "gap")
			if g.R.Dy() > 8 {
				t.Errorf("gap %#x-%#x is %d px, want at most 8", g.Lo, g.Hi, g.R.Dy())
			}
			continue
		}
		kinds = append(kinds, g.Seg.Kind.String())
		if g.R.Dy() < 16 {
			t.Errorf("%s (%d bytes) is %d px, want at least 16", g.Seg.Kind, g.Seg.Limit, g.R.Dy())
		}
	}
	if y != r.Min.Y {
		t.Errorf("regions end at y %d, want the bar's top %d", y, r.Min.Y)
	}
	if got := strings.Join(kinds, " "); got != "gap code data bss heap gap stack gap stack" {
		t.Errorf("regions bottom to top: %s", got)
	}
	// The huge bss is taller than the 4-byte data, which still shows.
	h := map[cpu.SegKind]int{}
	for _, g := range regs {
		if !g.Gap {
			h[g.Seg.Kind] = max(h[g.Seg.Kind], g.R.Dy())
		}
	}
	if h[cpu.SegBSS] <= h[cpu.SegData] {
		t.Errorf("bss of 1 MiB is %d px, data of 4 bytes %d px", h[cpu.SegBSS], h[cpu.SegData])
	}
	// 32 stacks in a short bar: every one still gets a pixel row of its own.
	var many []cpu.Segment
	for i := range 32 {
		many = append(many, cpu.Segment{Kind: cpu.SegStack, Base: 0x7fffc000 - uint32(i)*(16<<10+page), Limit: 16 << 10, Owner: i + 1})
	}
	many = append(many, segs[1:5]...)
	regs = model.SpaceLayout(many, image.Rect(0, 0, 50, 120), 16, 8)
	n := 0
	for _, g := range regs {
		if !g.Gap {
			n++
			if g.R.Dy() < 1 {
				t.Errorf("stack of tid %d has no height", g.Seg.Owner)
			}
		}
	}
	if n != 36 {
		t.Errorf("%d segments drawn, want 36", n)
	}
}

// Threads of one process share one column, each stack marked with its
// thread and its sp inside it; two processes are two columns.
func TestAddressSpacesShowThreadsAndProcesses(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	var forked, threaded *model.Frame
	for i := 0; i < 400 && !s.Done(); i++ {
		f := s.Tick(0)
		if len(f.Columns) == 2 && forked == nil {
			forked = f
		}
		if len(f.Columns) >= 1 && len(f.Columns[0].SPs) == 3 && threaded == nil {
			threaded = f
		}
	}
	if forked == nil || threaded == nil {
		t.Fatalf("the demo never showed two processes side by side (%v) or three threads in one (%v)", forked != nil, threaded != nil)
	}
	a, b := forked.Columns[0], forked.Columns[1]
	if a.PID == b.PID || a.R.Overlaps(b.R) {
		t.Errorf("two processes: columns %+v and %+v", a.R, b.R)
	}
	c := threaded.Columns[0]
	stacks := map[int]image.Rectangle{}
	for _, r := range c.Regions {
		if !r.Gap && r.Seg.Kind == cpu.SegStack {
			stacks[r.Seg.Owner] = r.R
		}
	}
	for _, sp := range c.SPs {
		r, ok := stacks[sp.TID]
		if !ok || sp.Y < r.Min.Y || sp.Y >= r.Max.Y {
			t.Errorf("tid %d's sp mark at y %d is not inside its stack %v", sp.TID, sp.Y, r)
		}
	}
	if !hasText(&threaded.Spaces, "stack t") || !hasText(&threaded.Spaces, model.SpaceScale) {
		t.Error("stacks are not labelled with their threads, or the scale is not said")
	}
}
