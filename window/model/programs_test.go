package model_test

import (
	"fmt"
	"image"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	root "vcpu"
	"vcpu/asm"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window/model"
)

// program assembles programs/NAME as the window does, with the built-in
// library, and gives the listing its sources.
func program(t testing.TB, cfg kernel.Config, names ...string) *model.Session {
	t.Helper()
	var progs []*vimage.Program
	for _, name := range names {
		path := "programs/" + name
		src, err := root.Programs.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := asm.Assemble(path, src, asm.Options{ReadFile: root.Programs.ReadFile, Library: root.Library})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		progs = append(progs, p)
	}
	s, err := model.NewSession(cfg, progs, strings.Join(names, ", "), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSources(func(file string) []string {
		b, err := root.Programs.ReadFile(file)
		if err != nil {
			b, err = fs.ReadFile(root.Library, filepath.Base(file))
		}
		if err != nil {
			return nil
		}
		return strings.Split(string(b), "\n")
	})
	return s
}

// Every program in programs/, run as a student would at 1280x800 and at
// 1024x700, speeding up every ten frames, keeps the layout's promises in
// every frame looked at and at the end: nothing spills out of its panel
// or covers other text (forkbomb.s's tiny stack once drew "sp t1" over
// "stack t1"), and what is shortened keeps its whole text.
func TestEveryProgramFits(t *testing.T) {
	entries, err := fs.ReadDir(root.Programs, "programs")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []image.Point{{1280, 800}, {1024, 700}} {
		m := goMono(t, model.FontSize(size, 1, 1))
		for _, e := range entries {
			s := program(t, kernel.DefaultConfig(), e.Name())
			s.SetView(size, m)
			s.Faster() // 100 a frame
			for i := 0; i < 120; i++ {
				if i > 0 && i%10 == 0 {
					s.Faster()
				}
				done := s.Done()
				f := s.Tick(0)
				if f.Snap.Outcome == kernel.Unfinished && f.Snap.Running == nil {
					t.Errorf("%s %v frame %d: the CPU is between threads at clock %d, ready %v", e.Name(), size, i, f.Snap.Clock, f.Snap.Ready)
				}
				if i%3 == 0 || done {
					for _, b := range checkLayout(f, m) {
						t.Errorf("%s %v frame %d: %s", e.Name(), size, i, b)
					}
				}
				if done {
					break
				}
			}
		}
	}
}

// shownText is everything drawn in a panel as drawn (shortened texts as
// shortened): what a student reads without hovering.
func shownText(p *model.Panel) string {
	var b strings.Builder
	for _, l := range p.Texts {
		b.WriteString(l.S + "\n")
	}
	return b.String()
}

// What a blocked thread waits for, above all who holds the lock, reads
// without hovering at 1280x800 and at 1024x700: race_mutex.s at frame 300
// once showed "waits for lock 0x00002004 (mutex) held by t…", and
// philosophers.s's deadlock, the cycle of holders, was cut off for all
// five philosophers.
func TestWaitReasonsStayReadable(t *testing.T) {
	for _, size := range []image.Point{{1280, 800}, {1024, 700}} {
		m := goMono(t, model.FontSize(size, 1, 1))
		s := program(t, kernel.DefaultConfig(), "race_mutex.s")
		s.SetView(size, m)
		var f *model.Frame
		held := 0
		for i := 0; i < 300; i++ {
			f = s.Tick(0)
			for _, th := range f.Threads {
				if strings.Contains(th.Waits, "held by tid") {
					held++
					if want := th.Waits[strings.Index(th.Waits, "held by tid"):]; !strings.Contains(shownText(&f.Procs), want) {
						t.Fatalf("race_mutex.s %v frame %d: %q is not readable in\n%s", size, i, want, shownText(&f.Procs))
					}
				}
			}
		}
		if held == 0 {
			t.Errorf("race_mutex.s %v: no thread ever waited for a held lock", size)
		}

		s = program(t, kernel.DefaultConfig(), "philosophers.s")
		s.SetView(size, m)
		for i := 0; i < 200 && !s.Done(); i++ {
			s.Tick(0)
		}
		f = s.Tick(0)
		if f.Snap.Outcome != kernel.Deadlock {
			t.Fatalf("philosophers.s: %v, want a deadlock", f.Snap.Outcome)
		}
		shown := shownText(&f.Procs)
		for tid := 2; tid <= 6; tid++ {
			holder := tid + 1
			if tid == 6 {
				holder = 2
			}
			want := fmt.Sprintf("fork%d held by tid %d", (tid-1)%5, holder)
			if !strings.Contains(shown, want) {
				t.Errorf("philosophers.s %v: %q is not readable in\n%s", size, want, shown)
			}
		}
		for _, b := range checkLayout(f, m) {
			t.Errorf("philosophers.s %v: %s", size, b)
		}
	}
}

// A process's row keeps how it ended however long its name: the name is
// what gives way.
func TestProcessRowKeepsItsStateBesideALongName(t *testing.T) {
	name := "an_extraordinarily_long_program_name_that_a_student_might_type_v2_final.s"
	src := "main: mov r0, SYS_THREAD_CREATE\n mov r1, worker\n syscall\n spin: jmp spin\nworker: mov r1, 0\n div r0, r0, r1\n ret\n"
	s := newSession(t, kernel.DefaultConfig(), [2]string{name, src})
	m := goMono(t, 13)
	s.SetView(image.Pt(1280, 800), m)
	for i := 0; i < 50 && !s.Done(); i++ {
		s.Tick(0)
	}
	f := s.Tick(0)
	shown := shownText(&f.Procs)
	if !strings.Contains(shown, "killed: arithmetic fault") || !strings.Contains(shown, "pid 1 an_e") {
		t.Errorf("the process row lost its state or its name's start:\n%s", shown)
	}
	// The titles keep the thread, the line, what the panel follows.
	if !strings.HasSuffix(f.CPU.Title, ") tid 2") || !strings.Contains(f.Source.Title, ") around tid 2's pc") {
		t.Errorf("titles: CPU %q, source %q", f.CPU.Title, f.Source.Title)
	}
	if f.CPU.TitleFull != "Last registers of pid 1 ("+name[:len(name)-2]+") tid 2" {
		t.Errorf("the CPU title's whole text: %q", f.CPU.TitleFull)
	}
	if !strings.Contains(shownText(&f.CPU), "…:6  in worker+") {
		t.Errorf("the fault's place lost its line number:\n%s", shownText(&f.CPU))
	}
	for _, b := range checkLayout(f, m) {
		t.Error(b)
	}
}

// Many threads that exited and wait to be joined take one row, so that
// the other processes stay on the panel (forkbomb.s joins 31).
func TestExitedThreadsShareARow(t *testing.T) {
	s := program(t, kernel.DefaultConfig(), "forkbomb.s")
	m := goMono(t, 13)
	s.SetView(image.Pt(1280, 800), m)
	for s.Speed() < 100 {
		s.Faster()
	}
	seen := false
	for i := 0; i < 200 && !s.Done(); i++ {
		f := s.Tick(0)
		shown := shownText(&f.Procs)
		if strings.Contains(shown, " exited: tid ") {
			seen = true
			if strings.Count(shown, "exited\n") > 3 {
				t.Fatalf("frame %d: exited threads still one row each:\n%s", i, shown)
			}
		}
	}
	if !seen {
		t.Error("no row ever summed up the exited threads")
	}
}

// The header keeps the switch counts, process against thread, at every
// size, while the run goes on and after it ended (the demo's end once
// read "2 …"), and says no stale speed after the end.
func TestHeaderKeepsTheSwitchCounts(t *testing.T) {
	for _, size := range []image.Point{{1024, 700}, {1280, 800}, {2560, 1440}} {
		m := goMono(t, model.FontSize(size, 1, 1))
		// The demo is titled as vcpu-gui titles it.
		p, err := root.DemoProgram()
		if err != nil {
			t.Fatal(err)
		}
		s, err := model.NewSession(kernel.DefaultConfig(), []*vimage.Program{p}, "the built-in demo (programs/demo.s)", nil)
		if err != nil {
			t.Fatal(err)
		}
		s.SetView(size, m)
		for i := 0; i < 500; i++ {
			done := s.Done()
			f := s.Tick(time.Duration(i) * 16 * time.Millisecond)
			if i%50 == 0 || done {
				sum := f.Snap.Summary
				procs := fmt.Sprintf("%d process", sum.ProcessSwitches)
				threads := fmt.Sprintf(", %d thread switch", sum.ThreadSwitches)
				shown := shownText(&f.Header)
				if !strings.Contains(shown, procs) || !strings.Contains(shown, threads) {
					t.Errorf("%v frame %d: header %q lacks %q or %q", size, i, shown, procs, threads)
				}
				if done && strings.Contains(shown, "/s") {
					t.Errorf("%v after the end: header %q shows a speed", size, shown)
				}
			}
			if done {
				break
			}
		}
	}
}

// A thread that returned from main has the kernel's return gate as its pc:
// the source and CPU panels say so, rather than "no source" over the
// program's last instructions (every program that returns from main).
func TestReturnedThreadIsExplained(t *testing.T) {
	s := program(t, kernel.DefaultConfig(), "condvar.s")
	m := goMono(t, 13)
	s.SetView(image.Pt(1280, 800), m)
	for s.Speed() < 1000 {
		s.Faster()
	}
	for i := 0; i < 100 && !s.Done(); i++ {
		s.Tick(0)
	}
	f := s.Tick(0)
	src := f.Source.Title + "\n" + shownText(&f.Source)
	if !strings.Contains(src, "tid 1 has ended") || !strings.Contains(src, "returned from main, status 0") ||
		!strings.Contains(src, "return gate") || strings.Contains(src, "no source") {
		t.Errorf("source panel after main returned:\n%s", src)
	}
	if f.Inst.Where != "the kernel's return gate" || !hasText(&f.CPU, "returned from main") {
		t.Errorf("CPU panel: instruction %+v", f.Inst)
	}
	for _, b := range checkLayout(f, m) {
		t.Error(b)
	}
}

// The memory legend names every owner when they fit without their
// program's name: pipeline.s's three processes were "pid 1 pipeline: 6
// +2 more" on a line with room for all three.
func TestMemoryLegendShowsEveryOwner(t *testing.T) {
	s := program(t, kernel.DefaultConfig(), "pipeline.s")
	m := goMono(t, 13)
	s.SetView(image.Pt(1280, 800), m)
	s.Faster()
	var f *model.Frame
	for i := 0; i < 30; i++ {
		f = s.Tick(0)
	}
	shown := shownText(&f.Memory)
	for _, want := range []string{"pid 1: ", "pid 2: ", "pid 3: "} {
		if !strings.Contains(shown, want) || strings.Contains(shown, "more") {
			t.Errorf("memory legend lacks %q or leaves owners out:\n%s", want, shown)
		}
	}
}

// Many threads on one line: one marker and how many more, whole (two
// markers and "+48" did not fit the gutter, and the count read "+…").
func TestManyMarkersOnALineAreCounted(t *testing.T) {
	src := "main: mov r5, 0\nloop: mov r0, SYS_THREAD_CREATE\n mov r1, worker\n syscall\n inc r5\n blt r5, 30, loop\nspin: jmp spin\nworker: jmp worker\n"
	s := newSession(t, kernel.DefaultConfig(), [2]string{"many.s", src})
	m := goMono(t, 13)
	s.SetView(image.Pt(1280, 800), m)
	s.SetSources(func(string) []string { return strings.Split(src, "\n") })
	for s.Speed() < 1000 {
		s.Faster()
	}
	s.Select(model.Selection{PID: 1, TID: 5})
	var f *model.Frame
	for i := 0; i < 20; i++ {
		f = s.Tick(0)
	}
	count := ""
	for _, l := range f.Listing.Lines {
		if len(l.TIDs) > 2 {
			count = fmt.Sprintf("+%d", len(l.TIDs)-1)
		}
	}
	if count == "" || !strings.Contains("\n"+shownText(&f.Source), "\n"+count+"\n") {
		t.Errorf("no line shows its count of threads %q whole:\n%s", count, shownText(&f.Source))
	}
}

// At a quantum's end the window shows the next thread on the CPU, never
// the CPU "between threads" with the only thread ready: work_procs.s at
// 10 a frame reaches clock 1500, a boundary of its 100-instruction
// quanta, at frame 150.
func TestNoFrameBetweenThreads(t *testing.T) {
	s := program(t, kernel.DefaultConfig(), "work_procs.s")
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	var f *model.Frame
	for i := 0; i < 150; i++ {
		f = s.Tick(0)
	}
	if f.Snap.Clock != 1500 || !strings.HasSuffix(f.CPU.Title, "tid 1 is running") || len(f.Ready) != 0 {
		t.Errorf("clock %d: CPU panel %q, ready queue %v", f.Snap.Clock, f.CPU.Title, f.Ready)
	}
}

// A thread's fault kills its siblings: crash.s's main thread, killed by
// tid 3's division by zero, read "exited" on its lane.
func TestSiblingsOfAFaultAreKilled(t *testing.T) {
	s := program(t, kernel.DefaultConfig(), "crash.s")
	s.SetView(image.Pt(1280, 800), goMono(t, 13))
	for i := 0; i < 100 && !s.Done(); i++ {
		s.Tick(0)
	}
	f := s.Tick(0)
	want := map[int]string{1: "killed", 3: "fault", 2: "fault"}
	for _, l := range f.Lanes {
		got := ""
		for _, x := range f.Timeline.Texts {
			if x.Y >= l.Y && x.Y < l.Y+l.H && x.S != l.Label && x.X < f.Timeline.Rect.Min.X+200 {
				got = x.S
			}
		}
		if got != want[l.TID] {
			t.Errorf("lane of tid %d says %q, want %q", l.TID, got, want[l.TID])
		}
	}
}
