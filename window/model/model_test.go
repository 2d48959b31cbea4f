package model_test

import (
	"image"
	"image/color"
	"strings"
	"testing"

	root "vcpu"
	"vcpu/cpu"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window/model"
)

// demo is a session on the built-in demo, as the window starts it.
func demo(t *testing.T, cfg kernel.Config) *model.Session {
	t.Helper()
	p, err := root.DemoProgram()
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.NewSession(cfg, []*vimage.Program{p}, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// snap is a small idle machine's snapshot: 16 free frames, 4 empty TLB slots.
func snap(clock uint64) *kernel.Snapshot {
	s := &kernel.Snapshot{Clock: clock, Steps: clock, Frames: make([]kernel.FrameOwner, 16)}
	for range 4 {
		s.TLB = append(s.TLB, kernel.TLBEntryView{LRURank: -1})
	}
	return s
}

func TestFrameColours(t *testing.T) {
	tests := []struct {
		name   string
		a, b   color.RGBA
		differ bool
	}{
		{"free frames are the free colour", model.FrameColor(0, cpu.SegCode), model.FreeFrame, false},
		{"a free stack frame is free too", model.FrameColor(0, cpu.SegStack), model.FreeFrame, false},
		{"owned is not free", model.FrameColor(1, cpu.SegCode), model.FreeFrame, true},
		{"pid 1 and pid 2 code", model.FrameColor(1, cpu.SegCode), model.FrameColor(2, cpu.SegCode), true},
		{"pid 1 and pid 2 stack", model.FrameColor(1, cpu.SegStack), model.FrameColor(2, cpu.SegStack), true},
		{"pid 1 code and data", model.FrameColor(1, cpu.SegCode), model.FrameColor(1, cpu.SegData), true},
		{"pid 1 heap and stack", model.FrameColor(1, cpu.SegHeap), model.FrameColor(1, cpu.SegStack), true},
		{"same owner and kind", model.FrameColor(3, cpu.SegBSS), model.FrameColor(3, cpu.SegBSS), false},
	}
	for _, tt := range tests {
		if got := tt.a != tt.b; got != tt.differ {
			t.Errorf("%s: %v vs %v: differ = %v, want %v", tt.name, tt.a, tt.b, got, tt.differ)
		}
	}
	// Every pair of the first eight processes is told apart clearly, and
	// within one process the kinds get lighter from code to stack.
	for a := 1; a <= 8; a++ {
		for b := a + 1; b <= 8; b++ {
			if d := dist(model.ProcessColor(a), model.ProcessColor(b)); d < 60 {
				t.Errorf("pid %d and pid %d colours are only %d apart", a, b, d)
			}
		}
		for k := cpu.SegCode; k < cpu.SegStack; k++ {
			if lum(model.FrameColor(a, k)) >= lum(model.FrameColor(a, k+1)) {
				t.Errorf("pid %d: %s is not darker than %s", a, k, k+1)
			}
		}
	}
}

func dist(a, b color.RGBA) int {
	abs := func(x int) int { return max(x, -x) }
	return abs(int(a.R)-int(b.R)) + abs(int(a.G)-int(b.G)) + abs(int(a.B)-int(b.B))
}

func lum(c color.RGBA) int { return 299*int(c.R) + 587*int(c.G) + 114*int(c.B) }

func TestMemoryMapCells(t *testing.T) {
	s := snap(0)
	s.Frames[0] = kernel.FrameOwner{PID: 1, Kind: cpu.SegCode}
	s.Frames[1] = kernel.FrameOwner{PID: 1, Kind: cpu.SegStack, TID: 1}
	s.Frames[5] = kernel.FrameOwner{PID: 2, Kind: cpu.SegData}
	f := model.New().Build(model.Input{Snap: s})
	if len(f.MapPIDs) != 16 {
		t.Fatalf("%d cells, want one per frame (16)", len(f.MapPIDs))
	}
	for i, o := range s.Frames {
		x := f.MemoryMap.Rect.Min.X + (i%f.MapCols)*f.MapCell
		y := f.MemoryMap.Rect.Min.Y + (i/f.MapCols)*f.MapCell
		if got, want := f.MemoryMap.RGBAAt(x, y), model.FrameColor(o.PID, o.Kind); got != want {
			t.Errorf("frame %d (pid %d %s): cell colour %v, want %v", i, o.PID, o.Kind, got, want)
		}
		if f.MapPIDs[i] != o.PID {
			t.Errorf("frame %d: owner %d, want %d", i, f.MapPIDs[i], o.PID)
		}
	}
	if !f.MemoryMap.Rect.In(f.Memory.Rect) {
		t.Errorf("map %v is outside the memory panel %v", f.MemoryMap.Rect, f.Memory.Rect)
	}
	legend := map[string]bool{}
	for _, l := range f.Legend {
		legend[l.Label] = true
	}
	for _, want := range []string{"code", "stack", "pid 1 : 2", "pid 2 : 1"} {
		if !legend[want] {
			t.Errorf("legend lacks %q: %v", want, f.Legend)
		}
	}
}

func TestMapGeometryFits(t *testing.T) {
	area := image.Rect(0, 0, 400, 136)
	for _, n := range []int{16, 256, 1024, 4096, 16384, 262144} {
		cols, cell := model.MapGeometry(n, area)
		rows := (n + cols - 1) / cols
		if n > area.Dx()*area.Dy()/2 { // more frames than fit: one pixel each, clipped
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

func TestFlushFlashLasts(t *testing.T) {
	m := model.New()
	flush := []kernel.Event{{Kind: kernel.EvFlush, Clock: 5, PID: 2, TID: 2, Arg: 3}}
	for i := 0; i < model.FlashTicks+5; i++ {
		var evs []kernel.Event
		if i == 0 {
			evs = flush
		}
		f := m.Build(model.Input{Snap: snap(uint64(i)), Events: evs})
		showing := i < model.FlashTicks
		if (f.Flash > 0) != showing {
			t.Fatalf("frame %d after the flush: flash %d, want showing = %v", i, f.Flash, showing)
		}
		if red := f.TLB.Edge == model.FlushRed; red != showing {
			t.Errorf("frame %d: TLB border red = %v, want %v", i, red, showing)
		}
		if showing && !hasText(&f.TLB, "TLB FLUSHED") {
			t.Errorf("frame %d: no flush banner", i)
		}
	}
	// A second flush restarts the flash.
	f := m.Build(model.Input{Snap: snap(100), Events: flush})
	if f.Flash != model.FlashTicks {
		t.Errorf("after a second flush: flash %d, want %d", f.Flash, model.FlashTicks)
	}
}

func hasText(p *model.Panel, s string) bool {
	for _, l := range p.Texts {
		if strings.Contains(l.S, s) {
			return true
		}
	}
	return false
}

func TestTimelineFromEvents(t *testing.T) {
	evs := []kernel.Event{
		{Kind: kernel.EvProcStart, PID: 1, TID: 1},
		{Kind: kernel.EvSwitch, PID: 1, TID: 1}, // the first dispatch: no switch to mark
		{Kind: kernel.EvDispatch, PID: 1, TID: 1, Clock: 0},
		{Kind: kernel.EvProcStart, PID: 2, TID: 2, Clock: 40},
		{Kind: kernel.EvDeschedule, PID: 1, TID: 1, Clock: 100},
		{Kind: kernel.EvSwitch, PID: 2, TID: 2, FromPID: 1, FromTID: 1, Process: true, Clock: 100},
		{Kind: kernel.EvFlush, PID: 2, TID: 2, Clock: 100, Arg: 4},
		{Kind: kernel.EvDispatch, PID: 2, TID: 2, Clock: 100},
		{Kind: kernel.EvThreadStart, PID: 2, TID: 3, Clock: 120},
		{Kind: kernel.EvDeschedule, PID: 2, TID: 2, Clock: 250},
		{Kind: kernel.EvSwitch, PID: 2, TID: 3, FromPID: 2, FromTID: 2, Clock: 250},
		{Kind: kernel.EvDispatch, PID: 2, TID: 3, Clock: 250},
	}
	f := model.New().Build(model.Input{Snap: snap(300), Events: evs})
	type run struct {
		tid      int
		from, to uint64
		going    bool
	}
	want := []run{{1, 0, 100, false}, {2, 100, 250, false}, {3, 250, 300, true}}
	if len(f.Bars) != len(want) {
		t.Fatalf("bars %+v, want %v", f.Bars, want)
	}
	lane := map[int]model.Lane{}
	for _, l := range f.Lanes {
		lane[l.TID] = l
	}
	for i, w := range want {
		b := f.Bars[i]
		if got := (run{b.TID, b.From, b.To, b.StillGoing}); got != w {
			t.Errorf("bar %d: %v, want %v", i, got, w)
		}
		l, ok := lane[w.tid]
		if !ok {
			t.Fatalf("no lane for tid %d", w.tid)
		}
		if b.R.Min.Y < l.Y || b.Color != model.ProcessColor(b.PID) || l.Color != b.Color {
			t.Errorf("bar %d at %v colour %v: not in tid %d's lane (y %d) in its process's colour", i, b.R, b.Color, w.tid, l.Y)
		}
		if i > 0 && b.R.Min.X < f.Bars[i-1].R.Max.X-1 {
			t.Errorf("bar %d starts at x %d, before bar %d ends at %d", i, b.R.Min.X, i-1, f.Bars[i-1].R.Max.X)
		}
	}
	if len(f.Ticks) != 2 {
		t.Fatalf("ticks %+v, want one process switch and one thread switch", f.Ticks)
	}
	proc, thr := f.Ticks[0], f.Ticks[1]
	switch {
	case !proc.Process || !proc.Flush || proc.Clock != 100 || proc.Color != model.FlushRed:
		t.Errorf("process switch tick %+v, want a red flush at 100", proc)
	case thr.Process || thr.Flush || thr.Clock != 250 || thr.Color != model.ThreadGrey:
		t.Errorf("thread switch tick %+v, want a grey tick at 250", thr)
	case proc.R.Dx() <= thr.R.Dx() || proc.R.Dy() <= thr.R.Dy():
		t.Errorf("process switch %v is not drawn bigger than a thread switch %v", proc.R, thr.R)
	}
	last := f.Lanes[len(f.Lanes)-1]
	if proc.R.Max.Y < last.Y+model.LineH-2 {
		t.Errorf("the process switch tick %v does not cross the last lane (y %d)", proc.R, last.Y)
	}
}

func TestSpan(t *testing.T) {
	tests := []struct{ now, from, span uint64 }{
		{0, 0, 1000}, {1000, 0, 1000}, {1001, 0, 2000}, {3181, 0, 5000},
		{9000, 0, 10000}, {15000, 0, 20000}, {40000, 0, 50000}, {5_000_000, 4_000_000, 1_000_000},
	}
	for _, tt := range tests {
		if from, span := model.Span(tt.now); from != tt.from || span != tt.span {
			t.Errorf("Span(%d) = %d, %d; want %d, %d", tt.now, from, span, tt.from, tt.span)
		}
	}
}

func TestRegistersMarkChanges(t *testing.T) {
	m := model.New()
	a := snap(1)
	a.Regs.R[3], a.Regs.PC = 7, 0x1000
	f := m.Build(model.Input{Snap: a})
	for _, r := range f.Regs {
		if r.Changed {
			t.Errorf("first frame: %s marked changed", r.Name)
		}
	}
	b := snap(2)
	b.Regs.R[3], b.Regs.R[15], b.Regs.PC = 8, 0x7ffffff0, 0x1000
	f = m.Build(model.Input{Snap: b})
	if len(f.Regs) != cpu.NumRegs+1 {
		t.Fatalf("%d register rows, want r0-r15 and pc", len(f.Regs))
	}
	for _, r := range f.Regs {
		want := r.Name == "r3" || r.Name == "sp"
		if r.Changed != want {
			t.Errorf("%s (%s): changed = %v, want %v", r.Name, r.Value, r.Changed, want)
		}
	}
}

func TestTLBRowsMarkNewAndUsed(t *testing.T) {
	m := model.New()
	// A real TLB, so that the entries carry real LRU clocks.
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
	// Slot 0 is hit (twice), slot 1 is not, slot 2 is filled after a miss.
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

func TestHelpListsEveryKey(t *testing.T) {
	f := model.New().Build(model.Input{Snap: snap(0), Speed: 100})
	var line strings.Builder
	for _, l := range f.Help.Texts {
		line.WriteString(l.S + " ")
	}
	for _, want := range []string{"space", "pause/resume", ". or ->", "step one instruction", "+ / -", "speed", "r ", "restart", "q or Esc", "quit", "100 instructions per frame"} {
		if !strings.Contains(line.String(), want) {
			t.Errorf("help line %q lacks %q", line.String(), want)
		}
	}
}

func TestLayoutFitsWithoutOverlap(t *testing.T) {
	screen := image.Rect(0, 0, model.Width, model.Height)
	// Frames of a real run at several moments: the fork, the threads, the end.
	s := demo(t, kernel.DefaultConfig())
	var frames []*model.Frame
	for i := 0; i < 400; i++ {
		f := s.Tick()
		if i%50 == 0 || s.Done() {
			frames = append(frames, f)
		}
		if s.Done() {
			break
		}
	}
	for n, f := range frames {
		ps := f.Panels()
		for i, p := range ps {
			if !p.Rect.In(screen) {
				t.Fatalf("panel %q %v is off the %v screen", p.Title, p.Rect, screen)
			}
			for _, q := range ps[i+1:] {
				if p.Rect.Overlaps(q.Rect) {
					t.Errorf("panels %q %v and %q %v overlap", p.Title, p.Rect, q.Title, q.Rect)
				}
			}
			for _, l := range p.Texts {
				r := image.Rect(l.X, l.Y, l.X+model.CharW*len(l.S), l.Y+model.LineH)
				if !r.In(p.Rect) {
					t.Errorf("frame %d: text %q at %v spills out of panel %q %v", n, l.S, r, p.Title, p.Rect)
				}
			}
			for _, b := range p.Boxes {
				if !b.R.In(p.Rect) {
					t.Errorf("frame %d: box %v spills out of panel %q %v", n, b.R, p.Title, p.Rect)
				}
			}
		}
	}
}

func TestSessionControls(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	steps := func(f *model.Frame) string {
		for _, l := range f.Header.Texts {
			if strings.Contains(l.S, "instructions") {
				return l.S
			}
		}
		return ""
	}
	f := s.Tick()
	if s.Speed() != 10 || !strings.Contains(steps(f), "instructions 10 ") {
		t.Fatalf("first frame at speed %d: %q, want 10 instructions run", s.Speed(), steps(f))
	}
	s.TogglePause()
	if f = s.Tick(); !strings.Contains(steps(f), "instructions 10 ") || !hasText(&f.Header, "PAUSED") {
		t.Errorf("paused frame: %q, want still 10 instructions and PAUSED", steps(f))
	}
	s.Step()
	if f = s.Tick(); !strings.Contains(steps(f), "instructions 11 ") {
		t.Errorf("after one step: %q, want 11 instructions", steps(f))
	}
	if f = s.Tick(); !strings.Contains(steps(f), "instructions 11 ") {
		t.Errorf("a step runs once: %q, want still 11", steps(f))
	}
	for range 10 {
		s.Faster()
	}
	if s.Speed() != model.Speeds[len(model.Speeds)-1] {
		t.Errorf("speed tops out at %d, want %d", s.Speed(), model.Speeds[len(model.Speeds)-1])
	}
	for range 10 {
		s.Slower()
	}
	if s.Speed() != 1 {
		t.Errorf("speed bottoms out at %d, want 1", s.Speed())
	}
	s.TogglePause()
	for range 100 {
		s.Faster()
	}
	for i := 0; !s.Done() && i < 100; i++ {
		f = s.Tick()
	}
	if !s.Done() || !hasText(&f.Header, "ENDED: all exited, exit status 0") {
		t.Fatalf("the demo did not end: done %v", s.Done())
	}
	if !hasText(&f.CPU, "after 2 threads: counter = 200") {
		t.Errorf("the guest's last output line is not shown: %v", f.Output)
	}
	for range 10 {
		s.Slower()
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if f = s.Tick(); s.Done() || !strings.Contains(steps(f), "instructions 1 ") || len(f.Bars) != 1 {
		t.Errorf("after restart: %q, done %v, %d bars; want a fresh run 1 instruction in", steps(f), s.Done(), len(f.Bars))
	}
}

func TestDemoShowsProcessesAndThreads(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.Faster() // 100 a frame: a frame often ends at a preemption, between threads
	owners, threads, sawInst := map[int]bool{}, map[int]bool{}, false
	for !s.Done() {
		f := s.Tick()
		if !s.Done() && hasText(&f.CPU, "between threads") && f.Inst.Where == "" {
			t.Errorf("between threads, the last thread's instruction is not shown: %+v", f.Inst)
		}
		for _, pid := range f.MapPIDs {
			if pid > 0 {
				owners[pid] = true
			}
		}
		for _, b := range f.Bars {
			threads[b.TID] = true
		}
		if strings.HasPrefix(f.Inst.Where, "demo.s:") && f.Inst.Text != "" {
			sawInst = true
		}
	}
	if len(owners) != 2 {
		t.Errorf("the memory map showed frames of pids %v, want the parent and the forked child", owners)
	}
	if len(threads) != 4 {
		t.Errorf("the timeline showed tids %v, want the main thread, the child and two workers", threads)
	}
	if !sawInst {
		t.Error("the current instruction was never shown with its source line")
	}
}

func TestCrowdedSwitchesKeepLanesReadable(t *testing.T) {
	tests := []struct {
		name     string
		switches int
		width    int  // of each process switch tick, in pixels
		across   bool // the ticks cross the lanes
	}{
		{"a few switches", 10, 3, true},
		{"many", 100, 1, true},
		{"so many they would hide the lanes", 400, 1, false},
	}
	for _, tt := range tests {
		var evs []kernel.Event
		for i := 0; i < tt.switches; i++ {
			c := uint64(i * 1000 / tt.switches)
			pid := 1 + i%2
			evs = append(evs,
				kernel.Event{Kind: kernel.EvSwitch, PID: pid, TID: pid, FromPID: 3 - pid, FromTID: 3 - pid, Process: true, Clock: c},
				kernel.Event{Kind: kernel.EvDispatch, PID: pid, TID: pid, Clock: c})
		}
		f := model.New().Build(model.Input{Snap: snap(1000), Events: evs})
		if len(f.Ticks) != tt.switches || len(f.Lanes) != 2 {
			t.Fatalf("%s: %d ticks, %d lanes; want %d and 2", tt.name, len(f.Ticks), len(f.Lanes), tt.switches)
		}
		tick := f.Ticks[len(f.Ticks)/2]
		crosses := tick.R.Max.Y >= f.Lanes[1].Y+model.LineH/2
		if tick.R.Dx() != tt.width || crosses != tt.across {
			t.Errorf("%s: tick %v is %d px wide, crosses the lanes = %v; want %d, %v", tt.name, tick.R, tick.R.Dx(), crosses, tt.width, tt.across)
		}
	}
}

func TestEveryKeyOnTheHelpLineWorks(t *testing.T) {
	s := demo(t, kernel.DefaultConfig())
	s.Tick()
	type state struct {
		paused bool
		speed  uint64
		header string
	}
	now := func() state {
		f := s.Frame()
		h := ""
		for _, l := range f.Header.Texts {
			h += l.S
		}
		return state{s.Paused(), s.Speed(), h}
	}
	tests := []struct {
		key   string
		quit  bool
		check func(before, after state) bool
	}{
		{"space", false, func(b, a state) bool { return a.paused && !b.paused }},
		{".", false, func(b, a state) bool { return strings.Contains(a.header, "instructions 11 ") }},
		{"->", false, func(b, a state) bool { return strings.Contains(a.header, "instructions 12 ") }},
		{"+", false, func(b, a state) bool { return a.speed == 100 }},
		{"-", false, func(b, a state) bool { return a.speed == 10 }},
		{"r", false, func(b, a state) bool { return strings.Contains(a.header, "instructions 0 ") }},
		{"q", true, nil},
		{"Esc", true, nil},
		{"x", false, func(b, a state) bool { return a == b }},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		before := now()
		quit, err := s.Press(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		s.Tick()
		if quit != tt.quit || (tt.check != nil && !tt.check(before, now())) {
			t.Errorf("key %q: quit %v, state %+v -> %+v", tt.key, quit, before, now())
		}
		seen[tt.key] = true
	}
	// Every key the help line names is one of those tested above.
	for _, k := range model.Keys {
		for _, name := range strings.FieldsFunc(k.Keys, func(r rune) bool { return r == ' ' || r == '/' }) {
			if name != "or" && !seen[name] {
				t.Errorf("the help line names key %q, which this test does not press", name)
			}
		}
	}
}

// A run that creates threads without end keeps the timeline's memory
// bounded, and the live threads keep their lanes.
func TestTimelineForgetsOldThreads(t *testing.T) {
	m := model.New()
	s := snap(0)
	var events []kernel.Event
	for tid := 1; tid <= 20000; tid++ {
		events = append(events,
			kernel.Event{Kind: kernel.EvThreadStart, PID: 1, TID: tid, Clock: uint64(tid)},
			kernel.Event{Kind: kernel.EvDispatch, PID: 1, TID: tid, Clock: uint64(tid)},
			kernel.Event{Kind: kernel.EvDeschedule, PID: 1, TID: tid, Clock: uint64(tid)})
	}
	s.Clock = 20000
	f := m.Build(model.Input{Snap: s, Events: events})
	if n := m.ThreadsRemembered(); n > 8192 {
		t.Errorf("%d threads remembered, want at most 8192", n)
	}
	if len(f.Lanes) == 0 || f.Lanes[len(f.Lanes)-1].TID != 20000 {
		t.Errorf("the newest thread has no lane: %d lanes", len(f.Lanes))
	}
}
