package model_test

import (
	"fmt"
	"image"
	"image/color"
	"runtime"
	"strings"
	"testing"

	"vcpu/asm"
	"vcpu/cpu"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window/model"
)

func dist(a, b color.RGBA) int {
	abs := func(x int) int { return max(x, -x) }
	return abs(int(a.R)-int(b.R)) + abs(int(a.G)-int(b.G)) + abs(int(a.B)-int(b.B))
}

func lum(c color.RGBA) int { return 299*int(c.R) + 587*int(c.G) + 114*int(c.B) }

// Eight process colours, each far from the others and from the marks of
// switches; within one process the kinds get lighter from code to stack.
func TestColours(t *testing.T) {
	marks := map[string]color.RGBA{"flush red": model.FlushRed, "asid violet": model.ASIDSwitch, "thread grey": model.ThreadGrey, "fault": model.FaultMark, "free": model.FreeFrame}
	for a := 1; a <= 8; a++ {
		for b := a + 1; b <= 8; b++ {
			if d := dist(model.ProcessColor(a), model.ProcessColor(b)); d < 90 {
				t.Errorf("pid %d and pid %d colours are only %d apart", a, b, d)
			}
		}
		for name, c := range marks {
			if d := dist(model.ProcessColor(a), c); d < 90 {
				t.Errorf("pid %d's colour is only %d from %s", a, d, name)
			}
		}
		for k := cpu.SegCode; k < cpu.SegStack; k++ {
			if lum(model.FrameColor(a, k)) >= lum(model.FrameColor(a, k+1)) {
				t.Errorf("pid %d: %s is not darker than %s", a, k, k+1)
			}
		}
	}
	if model.ProcessColor(9) != model.ProcessColor(1) || model.FrameColor(0, cpu.SegCode) != model.FreeFrame {
		t.Error("the palette does not repeat after eight, or free frames are coloured")
	}
}

func TestMapGeometryFits(t *testing.T) {
	area := image.Rect(0, 0, 400, 136)
	for _, n := range []int{16, 256, 1024, 4096, 16384, 262144} {
		cols, cell := model.MapGeometry(n, area)
		rows := (n + cols - 1) / cols
		if n > area.Dx()*area.Dy()/2 {
			if cell != 1 || cols > area.Dx() {
				t.Errorf("%d frames: %d cols of %d px, want 1 px cells within %d px", n, cols, cell, area.Dx())
			}
			continue
		}
		if cols*cell > area.Dx() || rows*cell > area.Dy() {
			t.Errorf("%d frames: %d cols of %d px need %dx%d, more than %v", n, cols, cell, cols*cell, rows*cell, area.Size())
		}
		if n <= 4096 && cell < 2 {
			t.Errorf("%d frames: cells of %d px are too small to see", n, cell)
		}
	}
}

func TestMemoryMapCellsAndLegend(t *testing.T) {
	s := snap(0)
	s.Frames[0] = kernel.FrameOwner{PID: 1, Kind: cpu.SegCode, VPN: 1}
	s.Frames[1] = kernel.FrameOwner{PID: 1, Kind: cpu.SegStack, TID: 1, VPN: 0x7ffff}
	s.Frames[5] = kernel.FrameOwner{PID: 2, Kind: cpu.SegData, VPN: 2}
	s.Processes = []kernel.ProcessView{{PID: 1, Name: "a"}, {PID: 2, Name: "b"}}
	f := model.New().Build(model.Input{Snap: s})
	if len(f.Map.PIDs) != 16 {
		t.Fatalf("%d cells, want one per frame (16)", len(f.Map.PIDs))
	}
	for i, o := range s.Frames {
		x := f.MemoryMap.Rect.Min.X + (i%f.Map.Cols)*f.Map.Cell
		y := f.MemoryMap.Rect.Min.Y + (i/f.Map.Cols)*f.Map.Cell
		if got, want := f.MemoryMap.RGBAAt(x+1, y+1), model.FrameColor(o.PID, o.Kind); got != want {
			t.Errorf("frame %d (pid %d %s): cell colour %v, want %v", i, o.PID, o.Kind, got, want)
		}
	}
	if !f.MemoryMap.Rect.In(f.Memory.Rect) {
		t.Errorf("map %v is outside the memory panel %v", f.MemoryMap.Rect, f.Memory.Rect)
	}
	for _, want := range []string{"code", "stack", "pid 1 a: 2", "pid 2 b: 1", "16 frames, 13 free"} {
		if !hasText(&f.Memory, want) {
			t.Errorf("memory panel lacks %q", want)
		}
	}
	// Hovering a cell names its owner, kind and page, and lights it.
	m := model.New()
	in := model.Input{Snap: s, MouseIn: true}
	in.Mouse = f.MemoryMap.Rect.Min.Add(image.Pt(f.Map.Cell+1, 1)) // frame 1
	f = m.Build(in)
	if f.Tooltip == nil || !hasText(f.Tooltip, "stack of tid 1") || !hasText(f.Tooltip, "0x7ffff") {
		t.Fatalf("hover over frame 1: tooltip %+v", f.Tooltip)
	}
	if c := f.MemoryMap.RGBAAt(f.MemoryMap.Rect.Min.X+f.Map.Cell+(f.Map.Cell-1)/2, f.MemoryMap.Rect.Min.Y+(f.Map.Cell-1)/2); c != model.FrameColor(1, cpu.SegStack) {
		t.Errorf("the hovered frame's cell is %v, want its colour undimmed", c)
	}
	if c := f.MemoryMap.RGBAAt(f.MemoryMap.Rect.Min.X+1, f.MemoryMap.Rect.Min.Y+1); c == model.FrameColor(1, cpu.SegCode) {
		t.Error("the other frames are not dimmed while one is pointed at")
	}
}

func TestRegistersMarkChanges(t *testing.T) {
	m := model.New()
	mk := func(r3, sp uint32) *kernel.Snapshot {
		s := snap(1)
		th := kernel.ThreadView{TID: 1, PID: 1, State: kernel.Running}
		th.Regs.R[3], th.Regs.R[15], th.Regs.PC = r3, sp, 0x1000
		s.Processes = []kernel.ProcessView{{PID: 1, Name: "p", Threads: []kernel.ThreadView{th}}}
		s.Running = &th
		return s
	}
	f := m.Build(model.Input{Snap: mk(7, 0)})
	for _, r := range f.Regs {
		if r.Changed {
			t.Errorf("first frame: %s marked changed", r.Name)
		}
	}
	f = m.Build(model.Input{Snap: mk(8, 0x7ffffff0)})
	if len(f.Regs) != cpu.NumRegs+1 || f.RegsOf != (model.Selection{PID: 1, TID: 1}) {
		t.Fatalf("%d register rows of %+v, want r0-r15 and pc of tid 1", len(f.Regs), f.RegsOf)
	}
	for _, r := range f.Regs {
		if want := r.Name == "r3" || r.Name == "sp"; r.Changed != want {
			t.Errorf("%s (%s): changed = %v, want %v", r.Name, r.Value, r.Changed, want)
		}
	}
}

func TestTLBRowsMarkNewAndUsed(t *testing.T) {
	m := model.New()
	tlb := cpu.NewTLB(4)
	view := func(s *kernel.Snapshot) {
		for i, e := range tlb.Entries {
			s.TLB[i] = kernel.TLBEntryView{TLBEntry: e, LRURank: -1}
		}
	}
	tlb.Insert(0, 1, 2)
	tlb.Insert(0, 2, 3)
	a := snap(1)
	a.Frames[3] = kernel.FrameOwner{PID: 2, Kind: cpu.SegData}
	view(a)
	m.Build(model.Input{Snap: a})
	tlb.Lookup(0, 1)
	tlb.Lookup(0, 1)
	tlb.Insert(0, 9, 4)
	b := snap(2)
	b.Frames[3] = a.Frames[3]
	view(b)
	f := m.Build(model.Input{Snap: b})
	tests := []struct {
		slot      int
		valid     bool
		new, used bool
		owner     int
	}{{0, true, false, true, 0}, {1, true, false, false, 2}, {2, true, true, false, 0}, {3, false, false, false, 0}}
	for _, tt := range tests {
		r := f.TLBRows[tt.slot]
		if r.Valid != tt.valid || r.New != tt.new || r.Used != tt.used || r.Owner != tt.owner {
			t.Errorf("slot %d: %+v, want valid %v new %v used %v owner %d", tt.slot, r, tt.valid, tt.new, tt.used, tt.owner)
		}
	}
}

func TestFlushBannerWording(t *testing.T) {
	tests := []struct {
		a, b int
		n    uint64
		want string
	}{
		{2, 3, 5, "pid 2 → pid 3: TLB flushed, 5 entries dropped"},
		{1, 2, 1, "pid 1 → pid 2: TLB flushed, 1 entry dropped"},
		{3, 1, 0, "pid 3 → pid 1: TLB flushed, nothing to drop"},
	}
	for _, tt := range tests {
		if got := model.FlushText(tt.a, tt.b, tt.n); got != tt.want {
			t.Errorf("FlushText(%d, %d, %d) = %q, want %q", tt.a, tt.b, tt.n, got, tt.want)
		}
	}
	// From real events: the switch names the pids, the flush the count.
	m := model.New()
	f := m.Build(model.Input{Snap: snap(10), Events: []kernel.Event{
		{Kind: kernel.EvSwitch, PID: 3, TID: 3, FromPID: 2, FromTID: 2, Process: true, Clock: 10},
		{Kind: kernel.EvFlush, PID: 3, TID: 3, Dropped: 5, Clock: 10},
	}})
	if f.Banner == nil || f.Banner.Text != tt0 || !hasText(&f.TLB, tt0) || f.TLB.Edge != model.FlushRed {
		t.Errorf("banner %+v, TLB edge %v; want %q in red", f.Banner, f.TLB.Edge, tt0)
	}
}

const tt0 = "pid 2 → pid 3: TLB flushed, 5 entries dropped"

// At high speed a flush comes every frame; the banner changes at most
// every BannerHold frames, counts the flushes it did not show, fades,
// and goes BannerFrames after the last one it showed.
func TestFlushBannerIsRateLimited(t *testing.T) {
	m := model.New()
	var texts []string
	changes, last := 0, ""
	for i := 0; i < 3*model.BannerHold; i++ {
		f := m.Build(model.Input{Snap: snap(uint64(i)), Events: []kernel.Event{
			{Kind: kernel.EvSwitch, PID: 1 + i%2, TID: 1 + i%2, FromPID: 2 - i%2, FromTID: 2 - i%2, Process: true, Clock: uint64(i)},
			{Kind: kernel.EvFlush, PID: 1 + i%2, TID: 1 + i%2, Dropped: i % 4, Clock: uint64(i)},
		}})
		if f.Banner == nil {
			t.Fatalf("frame %d: no banner while flushes go on", i)
		}
		if id := fmt.Sprintf("%s@%d", f.Banner.Text, i-f.Banner.Age); id != last {
			changes++
			last = id
			texts = append(texts, f.Banner.Text)
		}
		if f.Banner.Age > 0 && f.Banner.More != f.Banner.Age {
			t.Errorf("frame %d: banner %d frames old counts %d more flushes, want %d", i, f.Banner.Age, f.Banner.More, f.Banner.Age)
		}
	}
	if changes != 3 {
		t.Errorf("the banner changed %d times in %d frames of flushes, want 3: %q", changes, 3*model.BannerHold, texts)
	}
	// Without more flushes it fades, then goes.
	var fade []float64
	for i := 0; i < model.BannerFrames+2; i++ {
		f := m.Build(model.Input{Snap: snap(1000)})
		if f.Banner == nil {
			if i < model.BannerFrames-model.BannerHold-1 {
				t.Errorf("the banner went after %d quiet frames", i)
			}
			break
		}
		fade = append(fade, f.Banner.Fade)
	}
	if n := len(fade); n < 2 || fade[n-1] >= fade[0] || fade[n-1] < 0.29 {
		t.Errorf("the banner's fade %v does not go down to about 0.3", fade)
	}
}

// With --asid, a process switch flushes nothing and says so, in its own
// colour; TLB rows show their address-space tags.
func TestASIDSwitchIsNotAFlush(t *testing.T) {
	cfg := kernel.DefaultConfig()
	cfg.ASID = true
	s := demo(t, cfg)
	var f *model.Frame
	for i := 0; i < 10; i++ {
		f = s.Tick(0)
		if f.Banner != nil {
			break
		}
	}
	if f.Banner == nil || f.Banner.Flush || !strings.Contains(f.Banner.Text, "pid 1 → pid 2: no flush") || f.TLB.Edge == model.FlushRed {
		t.Fatalf("after the fork with --asid: banner %+v, edge %v", f.Banner, f.TLB.Edge)
	}
	tags := 0
	for _, r := range f.TLBRows {
		if r.Valid && r.ASID != 0 {
			tags++
		}
	}
	if tags == 0 || !hasText(&f.TLB, "entries tagged") && !hasText(&f.TLB, "tagged") {
		t.Errorf("TLB rows carry %d address-space tags", tags)
	}
}

// A switch that comes while a banner is held replaces it when the hold
// ends: the banner must not go on naming pid 1 → pid 2 beside a TLB that
// holds pid 1's entries again (crash.s: the child dies and the parent
// runs; pipeline.s at speed 100). Until then its second line counts it.
func TestFlushBannerShowsTheLatestSwitch(t *testing.T) {
	m := model.New()
	sw := func(from, to int, dropped uint64) []kernel.Event {
		return []kernel.Event{
			{Kind: kernel.EvSwitch, PID: to, TID: to, FromPID: from, FromTID: from, Process: true},
			{Kind: kernel.EvFlush, PID: to, TID: to, Dropped: int(dropped)},
		}
	}
	f := m.Build(model.Input{Snap: snap(1), Events: sw(1, 2, 1)})
	f = m.Build(model.Input{Snap: snap(2), Events: sw(2, 1, 0)})
	if f.Banner == nil || f.Banner.Text != "pid 1 → pid 2: TLB flushed, 1 entry dropped" || f.Banner.DetailLine() != "+1 more since, each one a cold start" {
		t.Fatalf("while held: banner %+v", f.Banner)
	}
	for i := 0; i < model.BannerHold; i++ {
		f = m.Build(model.Input{Snap: snap(uint64(3 + i))})
	}
	if f.Banner == nil || f.Banner.Text != "pid 2 → pid 1: TLB flushed, nothing to drop" || f.Banner.More != 0 || f.Banner.Age > 1 {
		t.Fatalf("after the hold: banner %+v, want the latest switch, fresh", f.Banner)
	}
	if !hasText(&f.TLB, "pid 2 → pid 1") || !hasText(&f.TLB, "new address space") {
		t.Errorf("TLB panel %q", allTexts(&f.TLB))
	}
}

// The --asid banner is near white while fresh: its text must be dark on
// it, and light once it has faded to the panel's colour.
func TestBannerTextContrasts(t *testing.T) {
	cfg := kernel.DefaultConfig()
	cfg.ASID = true
	for _, asid := range []bool{false, true} {
		cfg.ASID = asid
		s := demo(t, cfg)
		s.SetView(image.Pt(1280, 800), goMono(t, 13))
		seen := 0
		for i := 0; i < 400 && !s.Done(); i++ {
			f := s.Tick(0)
			if f.Banner == nil {
				continue
			}
			seen++
			var fill *model.Box
			for j := range f.TLB.Boxes {
				if b := &f.TLB.Boxes[j]; b.R.Dy() > f.Geo.LineH && b.R.Min.Y <= f.TLB.Texts[0].Y {
					fill = b
				}
			}
			if fill == nil {
				t.Fatalf("--asid=%v frame %d: no banner box", asid, i)
			}
			for _, l := range f.TLB.Texts {
				if l.Y >= fill.R.Max.Y || !strings.Contains(l.S, f.Banner.Text[:10]) {
					continue
				}
				if d := contrast(l.Color, fill.Color); d < 90 {
					t.Fatalf("--asid=%v frame %d (fade %.2f): text %v on %v, brightness apart %d", asid, i, f.Banner.Fade, l.Color, fill.Color, d)
				}
			}
		}
		if seen == 0 {
			t.Errorf("--asid=%v: no banner in the demo", asid)
		}
	}
}

func contrast(a, b color.RGBA) int {
	l := func(c color.RGBA) int { return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000 }
	d := l(a) - l(b)
	return max(d, -d)
}

func TestHelpButtonsAndHits(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	f := s.Tick(0)
	if len(f.Buttons) != len(model.Keys) {
		t.Fatalf("%d buttons for %d keys", len(f.Buttons), len(model.Keys))
	}
	for _, b := range f.Buttons {
		h, ok := f.HitAt(b.R.Min.Add(image.Pt(2, 2)))
		if !ok || h.Key != b.Key {
			t.Errorf("button %q at %v: hit %+v", b.Key, b.R, h)
		}
	}
	// Clicking the pause button pauses; clicking it again resumes.
	pause := f.Buttons[0]
	if _, err := s.Click(pause.R.Min.Add(image.Pt(3, 3))); err != nil || !s.Paused() {
		t.Fatalf("clicking %q did not pause", pause.Label)
	}
	if f = s.Tick(0); !f.Buttons[0].On || f.Buttons[0].Label != "space resume" {
		t.Errorf("the pause button while paused: %+v", f.Buttons[0])
	}
	// Clicking a thread's row selects it, and the panels follow it;
	// clicking the background follows the running thread again.
	for i := 0; i < 5; i++ {
		s.Step()
	}
	s.TogglePause()
	f = tick(s, 30)
	var row image.Rectangle
	for _, h := range f.Procs.Hits {
		if h.Select == (model.Selection{PID: 1, TID: 1}) {
			row = h.R
		}
	}
	if row.Empty() {
		t.Fatal("no row selects pid 1 tid 1")
	}
	s.Click(row.Min.Add(image.Pt(4, 4)))
	f = s.Tick(0)
	if f.Selected != (model.Selection{PID: 1, TID: 1}) || f.Focus.TID != 1 || f.Listing.TID != 1 || f.RegsOf.TID != 1 {
		t.Errorf("after clicking tid 1: selected %+v, focus %+v, listing of tid %d, registers of %+v", f.Selected, f.Focus, f.Listing.TID, f.RegsOf)
	}
	s.Click(image.Pt(1, f.Geo.Size.Y/2)) // the background between panels
	if f = s.Tick(0); f.Selected != (model.Selection{}) || f.Focus.TID != 2 {
		t.Errorf("after clicking the background: selected %+v, focus %+v (the child runs)", f.Selected, f.Focus)
	}
	// A shortened text shows whole on hover.
	s.TogglePause()
	s.SetView(image.Pt(1024, 700), goMono(t, 15))
	f = s.Tick(0)
	found := 0
	for _, np := range f.Named() {
		for _, l := range np.Panel.Texts {
			if l.Full == "" {
				continue
			}
			found++
			s.Mouse(image.Pt(l.X+2, l.Y+2), true)
			if g := s.Tick(0); g.Tooltip == nil || !hasText(g.Tooltip, l.Full[:min(20, len(l.Full))]) {
				t.Errorf("%s: hover over %q: tooltip %+v", np.Name, l.S, g.Tooltip)
			}
		}
	}
	if found == 0 {
		t.Error("at 1024x700 nothing was shortened: nothing to hover")
	}
}

func TestEveryKeyOnTheHelpLineWorks(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.Tick(0)
	type state struct {
		paused, top, seek bool
		speed             uint64
		zoom              int
		steps             uint64
		sel               model.Selection
	}
	now := func() state {
		return state{s.Paused(), s.AtTop(), strings.Contains(allText(s.Frame()), "next context switch"), s.Speed(), s.Zoom(), s.Instructions(), s.Selected()}
	}
	tests := []struct {
		key   string
		quit  bool
		check func(before, after state) bool
	}{
		{"space", false, func(b, a state) bool { return a.paused && !b.paused }},
		{".", false, func(b, a state) bool { return a.steps == b.steps+1 }},
		{"->", false, func(b, a state) bool { return a.steps == b.steps+1 }},
		{"n", false, func(b, a state) bool { return a.paused && a.steps > b.steps }},
		{"+", false, func(b, a state) bool { return a.speed == 100 }},
		{"-", false, func(b, a state) bool { return a.speed == 10 }},
		{"t", false, func(b, a state) bool { return a.top }},
		{"t", false, func(b, a state) bool { return !a.top && a.speed == model.Speeds[len(model.Speeds)-1] }},
		{"Ctrl +", false, func(b, a state) bool { return a.zoom == b.zoom+1 }},
		{"Ctrl -", false, func(b, a state) bool { return a.zoom == b.zoom-1 }},
		{"Ctrl 0", false, func(b, a state) bool { return a.zoom == model.ZoomDefault }},
		{"r", false, func(b, a state) bool { return a.steps == 0 }},
		{"Esc", false, func(b, a state) bool { return a.sel == model.Selection{} }},
		{"q", true, nil},
		{"x", false, func(b, a state) bool { return a == b }},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		if tt.key == "Esc" {
			s.Select(model.Selection{PID: 1, TID: 1})
		}
		before := now()
		quit, err := s.Press(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		s.Tick(0)
		if quit != tt.quit || (tt.check != nil && !tt.check(before, now())) {
			t.Errorf("key %q: quit %v, state %+v -> %+v", tt.key, quit, before, now())
		}
		seen[tt.key] = true
	}
	for _, k := range model.Keys {
		if !seen[k.Keys] {
			t.Errorf("the help line names key %q, which this test does not press", k.Keys)
		}
	}
}

func TestSessionControls(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.Tick(0)
	if s.Speed() != 10 || s.Instructions() != 10 {
		t.Fatalf("first frame at speed %d ran %d", s.Speed(), s.Instructions())
	}
	s.TogglePause()
	if s.Tick(0); s.Instructions() != 10 || !strings.Contains(allText(s.Frame()), "PAUSED") {
		t.Errorf("paused: %d instructions", s.Instructions())
	}
	s.Step()
	s.Tick(0)
	s.Tick(0)
	if s.Instructions() != 11 {
		t.Errorf("one step ran to %d", s.Instructions())
	}
	// Step to the next context switch: the next thread is on the CPU.
	before := s.Frame().Focus
	s.StepToSwitch()
	f := s.Tick(0)
	if f.Focus == before || !s.Paused() || f.Ended != "" {
		t.Errorf("after stepping to the switch: %+v, was %+v", f.Focus, before)
	}
	// Top speed runs the demo to its end in a few frames.
	s.TogglePause()
	s.SetTop(true)
	for i := 0; i < 200 && !s.Done(); i++ {
		s.Tick(0)
	}
	f = s.Tick(0)
	if !s.Done() || f.Ended == "" {
		t.Fatalf("top speed did not end the demo: %d instructions", s.Instructions())
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	s.SetTop(false)
	for s.Speed() > 1 {
		s.Slower()
	}
	if f = s.Tick(0); s.Done() || s.Instructions() != 1 {
		t.Errorf("after restart: %d instructions, done %v", s.Instructions(), s.Done())
	}
}

// The demo, frame by frame: two owners in memory, four threads on the
// timeline, the source shown with markers, output tagged by pid, and the
// end kept on screen.
func TestDemoShowsTheLesson(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	s.Faster()
	owners, lanes, marked := map[int]bool{}, map[int]bool{}, map[int]bool{}
	var f *model.Frame
	for !s.Done() {
		f = s.Tick(0)
		for _, pid := range f.Map.PIDs {
			if pid > 0 {
				owners[pid] = true
			}
		}
		for _, l := range f.Lanes {
			lanes[l.TID] = true
		}
		for _, l := range f.Listing.Lines {
			for _, tid := range l.TIDs {
				marked[tid] = true
			}
		}
	}
	f = s.Tick(0)
	if len(owners) != 2 || len(lanes) != 4 || len(marked) < 3 {
		t.Errorf("memory owners %v, timeline lanes %v, source markers %v", owners, lanes, marked)
	}
	out := map[string]int{}
	for _, l := range f.Lines {
		out[l.Text] = l.PID
	}
	if out["child process:   counter = 100"] != 2 || out["after 2 threads: counter = 200"] != 1 {
		t.Errorf("output not tagged with its writer: %v", out)
	}
	// The end stays: both address spaces, the last registers, the memory
	// and TLB as they were, and what ended the run.
	if len(f.Columns) != 2 || f.Columns[0].Ended == "" || !f.Map.Remembered || !strings.HasPrefix(f.Ended, "ENDED: pid 1 returned from main") {
		t.Errorf("at the end: %d columns (%+v), memory remembered %v, header %q", len(f.Columns), f.Columns, f.Map.Remembered, f.Ended)
	}
	if !hasText(&f.CPU, "Last registers") || !hasText(&f.TLB, "TLB as it was at clock") {
		t.Error("the CPU or TLB panel lost the last state")
	}
	// The TLB panel says what it shows after the end: no banner about a
	// switch long past, but the run's last flush, which is the child's
	// death handing the CPU back to the parent.
	if f.Banner != nil || !hasText(&f.TLB, "last flush: pid 2 → pid 1 at clock") {
		t.Errorf("after the end: banner %+v; TLB panel %q", f.Banner, allTexts(&f.TLB))
	}
}

// A crash keeps its full reason and file:line on screen after the end,
// and the timeline marks it.
func TestCrashAtTheEnd(t *testing.T) {
	src := "main: mov r0, SYS_THREAD_CREATE\n mov r1, worker\n syscall\n spin: jmp spin\nworker: mov r1, 0\n st r1, [r1]\n ret\n"
	s := newSession(t, kernel.DefaultConfig(), [2]string{"crashy.s", src})
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	for i := 0; i < 100 && !s.Done(); i++ {
		s.Tick(0)
	}
	f := s.Tick(0)
	if !strings.Contains(f.Ended, "killed: segmentation fault (write of null page) in tid 2") {
		t.Errorf("header: %q", f.Ended)
	}
	all := allText(f)
	if !strings.Contains(all, "fault") || len(f.Columns) != 1 || !strings.Contains(f.Columns[0].Ended, "segmentation fault") {
		t.Errorf("columns %+v", f.Columns)
	}
	// The ended process's row explains it in full on hover.
	var tip []string
	for _, h := range f.Procs.Hits {
		if h.Select == (model.Selection{PID: 1}) {
			tip = h.Tip
		}
	}
	if j := strings.Join(tip, "\n"); !strings.Contains(j, "(write of null page) at 0x00000000") || !strings.Contains(j, "crashy.s:6") {
		t.Errorf("the process's tooltip %q lacks the fault's reason or place", j)
	}
	faultLane := false
	for _, l := range f.Lanes {
		if l.TID == 2 && hasText(&f.Timeline, "fault") {
			faultLane = true
		}
	}
	if !faultLane {
		t.Error("the faulting thread's lane does not say fault")
	}
	img := f.TimelineImage
	marks := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.RGBAAt(x, y) == model.FaultMark {
				marks++
			}
		}
	}
	if marks == 0 {
		t.Error("no fault mark on the timeline")
	}
}

// 64 processes and 32 threads: lists, columns and lanes compact or
// scroll, the running thread is always shown, and what is left out is
// counted on screen.
func TestOverflowIsNoticed(t *testing.T) {
	forks := "main: mov r5, 0\nloop: mov r0, SYS_FORK\n syscall\n beq r0, 0, child\n inc r5\n blt r5, 63, loop\nspin: jmp spin\nchild: jmp child\n"
	threads := "main: mov r5, 0\nloop: mov r0, SYS_THREAD_CREATE\n mov r1, worker\n syscall\n inc r5\n blt r5, 31, loop\nspin: jmp spin\nworker: jmp worker\n"
	for _, tt := range []struct {
		name, src string
		procs     int
		threads   int
	}{{"64 processes", forks, 64, 64}, {"32 threads", threads, 1, 32}} {
		cfg := kernel.DefaultConfig()
		cfg.Quantum = 50
		cfg.MemSize = 4 << 20 // room for 64 processes
		s := newSession(t, cfg, [2]string{"many.s", tt.src})
		m := goMono(t, 13)
		s.SetView(image.Pt(1280, 800), m)
		for s.Speed() < 10000 {
			s.Faster()
		}
		var f *model.Frame
		for i := 0; i < 400; i++ {
			if f = s.Tick(0); len(f.Threads) == tt.threads {
				break
			}
		}
		if len(f.Threads) != tt.threads {
			t.Fatalf("%s: %d threads in the machine, want %d", tt.name, len(f.Threads), tt.threads)
		}
		for i := 0; i < 30; i++ { // at many moments, the running thread is shown everywhere
			f = s.Tick(0)
			run := f.Focus
			lane, col, row := false, false, false
			for _, l := range f.Lanes {
				lane = lane || l.TID == run.TID
			}
			for _, c := range f.Columns {
				col = col || c.PID == run.PID
			}
			for _, h := range f.Procs.Hits {
				row = row || h.Select == run
			}
			if !lane || !col || !row {
				t.Fatalf("%s: running %+v: lane %v, address-space column %v, process row %v", tt.name, run, lane, col, row)
			}
		}
		notices := strings.Join(f.Notices, "; ")
		if !strings.Contains(notices, "timeline: +") || !strings.Contains(notices, "more rows") {
			t.Errorf("%s: notices %q", tt.name, notices)
		}
		if tt.procs == 64 && !strings.Contains(notices, "address spaces: +") {
			t.Errorf("%s: no notice of the hidden address spaces: %q", tt.name, notices)
		}
		for _, b := range checkLayout(f, m) {
			t.Errorf("%s: %s", tt.name, b)
		}
		// Scrolling the process list shows other rows, the running one kept.
		over := f.Procs.Inner().Min.Add(image.Pt(5, 5))
		s.Wheel(over, -5, false)
		g := s.Tick(0)
		if rowsOf(g) == rowsOf(f) && tt.procs == 64 {
			t.Errorf("%s: scrolling the list changed nothing", tt.name)
		}
	}
}

func rowsOf(f *model.Frame) string {
	var b strings.Builder
	for _, h := range f.Procs.Hits {
		fmt.Fprintf(&b, "%v ", h.Select)
	}
	return b.String()
}

// Long names and many processes: everything still fits, shortened with
// an ellipsis, whole on hover.
func TestLongNamesFit(t *testing.T) {
	name := strings.Repeat("a_very_long_program_name_", 5) + ".s"
	src := "main: mov r5, 0\nloop: mov r0, SYS_FORK\n syscall\n beq r0, 0, child\n inc r5\n blt r5, 9, loop\nspin: jmp spin\nchild: mov r0, SYS_THREAD_CREATE\n mov r1, child\n syscall\n jmp child\n"
	for _, size := range []image.Point{{1024, 700}, {1280, 800}} {
		m := goMono(t, model.FontSize(size, 1, 1))
		s := newSession(t, kernel.DefaultConfig(), [2]string{name, src})
		s.SetView(size, m)
		for s.Speed() < 1000 {
			s.Faster()
		}
		for i := 0; i < 12; i++ {
			f := s.Tick(0)
			for _, b := range checkLayout(f, m) {
				t.Errorf("%v frame %d: %s", size, i, b)
			}
		}
		f := s.Frame()
		whole := false
		for _, p := range f.Panels() {
			for _, l := range p.Texts {
				whole = whole || strings.Contains(l.Full, name[:len(name)-2])
			}
		}
		if !whole {
			t.Errorf("%v: the long name is never kept whole for hover", size)
		}
	}
}

// The timeline over ten million instructions: each pixel column says
// truly how long each thread ran in it, whatever the scale.
func TestTimelineAggregatesTenMillionInstructions(t *testing.T) {
	src := "main: mov r0, SYS_THREAD_CREATE\n mov r1, worker\n syscall\n mov r0, SYS_THREAD_CREATE\n mov r1, sleeper\n syscall\nspin: jmp spin\n" +
		"worker: mov r5, 0\nw: inc r5\n blt r5, 100000000, w\n ret\n" +
		"sleeper: mov r0, SYS_SLEEP\n mov r1, 3000\n syscall\n mov r5, 0\nsl: inc r5\n blt r5, 50, sl\n jmp sleeper\n"
	cfg := kernel.DefaultConfig()
	cfg.Quantum = 997
	progs := []*vimage.Program{}
	for _, p := range [][2]string{{"busy.s", src}, {"other.s", "main: jmp main\n"}} {
		pr, err := asm.Assemble(p[0], []byte(p[1]), asm.Options{})
		if err != nil {
			t.Fatal(err)
		}
		progs = append(progs, pr)
	}
	// The truth, from the same events, kept whole.
	k, err := kernel.New(cfg, kernel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := model.New()
	k.Listen(m.Listen)
	type stretch struct {
		tid      int
		from, to uint64
	}
	var truth []stretch
	open := map[int]uint64{}
	k.Listen(func(e *kernel.Event) {
		switch e.Kind {
		case kernel.EvDispatch:
			open[e.TID] = e.Clock
		case kernel.EvDeschedule:
			truth = append(truth, stretch{e.TID, open[e.TID], e.Clock})
			delete(open, e.TID)
		}
	})
	for _, p := range progs {
		if _, err := k.Start(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	const run = 10_000_000
	k.Advance(run)
	s := k.Snapshot()
	for tid, from := range open {
		truth = append(truth, stretch{tid, from, s.Clock})
	}
	m.Build(model.Input{Snap: s})
	for _, w := range []int{1000, 1237} {
		span := model.NiceSpan(s.Clock)
		cols := m.Columns(0, span, w)
		bucket := max(uint64(1), s.Clock/model.TimelineBuckets*2) // a bucket's width, at most
		checked := 0
		for x, c := range cols {
			if c.From >= s.Clock {
				break
			}
			exact := map[int]uint64{}
			for _, st := range truth {
				a, b := max(st.from, c.From), min(st.to, c.To)
				if b > a {
					exact[st.tid] += b - a
				}
			}
			for tid, n := range exact {
				got := c.Ran[tid]
				if got+2*bucket < n || got > n+2*bucket {
					t.Fatalf("width %d column %d [%d, %d): tid %d ran %d ticks, the timeline says %d (bucket %d)", w, x, c.From, c.To, tid, n, got, bucket)
				}
			}
			for tid, n := range c.Ran {
				if exact[tid] == 0 && n > 2*bucket {
					t.Fatalf("width %d column %d: tid %d never ran there, the timeline says %d", w, x, tid, n)
				}
			}
			checked++
		}
		if checked < w/3 {
			t.Errorf("width %d: only %d columns checked", w, checked)
		}
	}
	// A tiny run fills the width: twenty instructions are not 3% of it.
	if span := model.NiceSpan(20); span != 20 {
		t.Errorf("NiceSpan(20) = %d", span)
	}
	for _, tt := range [][2]uint64{{0, 10}, {11, 20}, {21, 50}, {3181, 5000}, {9_999_999, 10_000_000}, {10_000_001, 20_000_000}} {
		if got := model.NiceSpan(tt[0]); got != tt[1] {
			t.Errorf("NiceSpan(%d) = %d, want %d", tt[0], got, tt[1])
		}
	}
}

// Issue 8, finding 5: a guest that writes without a newline grew the
// window's unfinished line without bound and rescanned it on every write.
func TestFinding5OutputWithoutNewlineIsBounded(t *testing.T) {
	tail := model.NewOutputTail(8)
	chunk := []byte(strings.Repeat("x", 1000))
	for i := 0; i < 100_000; i++ { // 100 MB, all one line
		tail.Write(chunk)
	}
	if tail.Partial() > 2*model.MaxLineBytes {
		t.Errorf("the unfinished line holds %d bytes, want at most %d", tail.Partial(), 2*model.MaxLineBytes)
	}
	lines := tail.Lines()
	if len(lines) != 1 || !strings.HasSuffix(lines[0].Text, fmt.Sprintf("(+%d bytes)", 100_000*1000-model.MaxLineBytes)) {
		t.Errorf("lines %d, last %.60q…", len(lines), lines[len(lines)-1].Text)
	}
	tail.Write([]byte("\nnext\n"))
	if lines = tail.Lines(); len(lines) != 2 || lines[1].Text != "next" {
		t.Errorf("after a newline: %+v", lines)
	}
	// Through a real guest in the window: the same bound.
	src := "main: mov r0, SYS_WRITE\n mov r1, STDOUT\n mov r2, buf\n mov r3, 4096\n syscall\n jmp main\n .data\nbuf: .space 4096\n"
	s := newSession(t, kernel.DefaultConfig(), [2]string{"spew.s", src})
	for s.Speed() < 100000 {
		s.Faster()
	}
	f := tick(s, 20)
	if n := len(f.Lines); n != 1 || len(f.Lines[0].Text) > model.MaxLineBytes+40 || f.Lines[0].PID != 1 {
		t.Errorf("%d lines, the unfinished one %d bytes long", n, len(f.Lines[0].Text))
	}
}

// Issue 8, finding 4 (the window's half): the window kept decoded code
// for every program it ever saw. It keeps none now: 2000 programs of
// 64 KiB each leave no trace in its memory.
func TestFinding4WindowKeepsNoCodePerProgram(t *testing.T) {
	m := model.New()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var base uint64
	for i := 0; i < 2000; i++ {
		text := make([]byte, 64<<10)
		for j := 0; j < len(text); j += 4 {
			text[j] = byte(cpu.INC) // inc r0, over and over
		}
		prog := &vimage.Program{Name: fmt.Sprintf("p%d", i), Text: text, TextBase: 0x1000, Entry: 0x1000}
		s := snap(uint64(i))
		th := kernel.ThreadView{TID: i + 1, PID: i + 1, State: kernel.Running}
		th.Regs.PC = 0x1000 + uint32(i%100)*4
		s.Processes = []kernel.ProcessView{{PID: i + 1, Name: prog.Name, Program: prog, Threads: []kernel.ThreadView{th}}}
		s.Running = &th
		f := m.Build(model.Input{Snap: s})
		if !strings.HasPrefix(f.Inst.Text, "inc") {
			t.Fatalf("program %d: instruction %q", i, f.Inst.Text)
		}
		if i == 100 {
			base = heap()
		}
	}
	if grown := int64(heap()) - int64(base); grown > 16<<20 {
		t.Errorf("the window's memory grew by %d MB over 1900 programs", grown>>20)
	}
}

// The timeline's image is painted column by column as the clock moves;
// it must be what painting it whole gives, at every scale.
func TestTimelineImageIncrementalIsExact(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	for i := 0; i < 330 && !s.Done(); i++ {
		f := s.Tick(0)
		if i%15 != 0 {
			continue
		}
		got := append([]byte(nil), f.TimelineImage.Pix...)
		s.TogglePause()
		s.RepaintTimeline()
		g := s.Tick(0)
		s.TogglePause()
		if !g.TimelineFull {
			t.Fatal("RepaintTimeline did not repaint")
		}
		diff := 0
		for j := range got {
			if got[j] != g.TimelineImage.Pix[j] {
				diff++
			}
		}
		if diff > 0 {
			t.Errorf("frame %d (clock %d): %d bytes of the timeline differ from a whole repaint", i, f.Clock(), diff)
		}
	}
}
