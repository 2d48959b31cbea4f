package model

import (
	"image"
	"io"
	"time"

	root "vcpu"
	vimage "vcpu/image"
	"vcpu/kernel"
)

// Speeds are the instructions a frame that + and - step through. One step
// past the last is Top: as many as fit in the frame's time budget.
var Speeds = []uint64{1, 10, 100, 1000, 10_000, 100_000, 1_000_000}

// Top is the speed index past Speeds: the machine runs for the frame's
// time budget (SetBudget), on another core while the window draws.
var Top = len(Speeds)

// DefaultSpeed is the index in Speeds a session starts at: 10 instructions
// a frame runs the demo's fork and threads slowly enough to follow.
const DefaultSpeed = 1

// SwitchSeekLimit bounds how far "step to the next context switch" runs
// in one frame; it goes on the next frame if no switch came yet.
const SwitchSeekLimit = 2_000_000

// Session is one run in the window: the machine, its event log, and the
// controls the keys and the mouse drive. The window calls the control
// methods for the input of a frame, then Tick once; nothing else touches
// the machine. At Top speed the machine runs on its own goroutine between
// two Ticks; every method that touches it stops it first.
type Session struct {
	Title string

	cfg     kernel.Config
	progs   []*vimage.Program
	echo    io.Writer
	sources func(file string) []string
	k       *kernel.Kernel
	model   *Model
	out     *outputTail
	frame   *Frame

	speed    int
	paused   bool
	pending  uint64 // single steps asked for while paused
	seek     bool   // running to the next context switch
	selected Selection
	zoom     int
	scroll   map[string]int
	tlZoom   int
	mouse    image.Point
	mouseIn  bool
	size     image.Point
	metrics  Metrics

	steps  uint64        // instructions run, as of the last Tick
	total  uint64        // instructions run by every Tick, across restarts
	budget time.Duration // machine time a frame at Top speed
	rate   rateMeter
	bg     struct {
		running bool
		stop    chan struct{}
		ran     uint64
		jobs    chan job
		done    chan uint64
	}
}

// NewSession boots a machine with progs, each its own process, as `vcpu
// run` does. Guest output goes to echo as well as to the window.
func NewSession(cfg kernel.Config, progs []*vimage.Program, title string, echo io.Writer) (*Session, error) {
	if echo == nil {
		echo = io.Discard
	}
	s := &Session{Title: title, cfg: cfg, progs: progs, echo: echo, speed: DefaultSpeed,
		zoom: ZoomDefault, scroll: map[string]int{}, size: image.Pt(1280, 800),
		metrics: Mono{CharW: 7, LineH: 16}, budget: 8 * time.Millisecond}
	return s, s.Restart()
}

// SetSources gives the source listing the text of a program's files
// (nil: the listing shows the disassembly). It returns the file's lines,
// or nil when it cannot be read.
func (s *Session) SetSources(f func(file string) []string) { s.sources = f }

// SetView tells the session the window's size in pixels and how its text
// measures; the next frame is laid out for them.
func (s *Session) SetView(size image.Point, m Metrics) {
	s.size, s.metrics = size, m
}

// SetBudget is how long the machine may run in a frame at Top speed (0:
// not at all this frame).
func (s *Session) SetBudget(d time.Duration) { s.budget = max(d, 0) }

// Restart boots the machine again from the start, keeping speed, pause,
// zoom and the view.
func (s *Session) Restart() error {
	s.halt()
	s.out = newOutputTail(s.echo, OutputLines)
	k, err := kernel.New(s.cfg, kernel.Options{Stdout: s.out.writer(false), Stderr: s.out.writer(false), Log: s.out.writer(true), Load: root.Load})
	if err != nil {
		return err
	}
	s.out.current = func() int {
		if t := k.Current(); t != nil {
			return t.Proc.PID
		}
		return 0
	}
	s.model = New()
	s.model.ASID = s.cfg.ASID
	k.Listen(s.model.Listen)
	for _, p := range s.progs {
		if _, err := k.Start(p, 0); err != nil {
			return err
		}
	}
	s.k, s.pending, s.steps, s.seek, s.frame, s.selected = k, 0, 0, false, nil, Selection{}
	s.rate = rateMeter{}
	return nil
}

// TogglePause pauses or resumes the run.
func (s *Session) TogglePause() { s.halt(); s.paused, s.seek = !s.paused, false }

// Paused says whether the run is paused.
func (s *Session) Paused() bool { return s.paused }

// Step asks for one instruction at the next Tick; it pauses a running run.
func (s *Session) Step() {
	s.halt()
	s.seek = false
	if !s.paused {
		s.paused = true
		return
	}
	s.pending++
}

// StepToSwitch runs to the next context switch (over as many frames as it
// takes) and pauses there, the new thread on the CPU.
func (s *Session) StepToSwitch() { s.halt(); s.paused, s.seek, s.pending = true, true, 0 }

// Faster and Slower move along Speeds and Top.
func (s *Session) Faster() { s.halt(); s.speed = min(s.speed+1, Top) }
func (s *Session) Slower() { s.halt(); s.speed = max(s.speed-1, 0) }

// SetTop goes to Top speed, or back to the fastest fixed one.
func (s *Session) SetTop(on bool) {
	s.halt()
	if on {
		s.speed = Top
	} else if s.speed == Top {
		s.speed = Top - 1
	}
}

// Speed is the instructions a frame; 0 at Top speed, where it depends on
// the frame's time.
func (s *Session) Speed() uint64 {
	if s.speed == Top {
		return 0
	}
	return Speeds[s.speed]
}

// AtTop says whether the session runs at Top speed.
func (s *Session) AtTop() bool { return s.speed == Top }

// Done says whether the run has ended.
func (s *Session) Done() bool { s.halt(); return s.k.Done() }

// ExitStatus is the run's status, as `vcpu run` would exit with.
func (s *Session) ExitStatus() int { s.halt(); return s.k.ExitStatus() }

// Select shows a process or thread in the panels that follow the
// selection (address spaces, source, CPU); the zero Selection follows the
// running thread again.
func (s *Session) Select(sel Selection) { s.selected = sel }

// Selected is what the user picked (zero: follow the running thread).
func (s *Session) Selected() Selection { return s.selected }

// Zoom is the index in Zooms of the text size.
func (s *Session) Zoom() int { return s.zoom }

// ZoomBy steps the zoom by d (0: back to 1).
func (s *Session) ZoomBy(d int) {
	if d == 0 {
		s.zoom = ZoomDefault
		return
	}
	s.zoom = max(0, min(len(Zooms)-1, s.zoom+d))
}

// Mouse tells where the pointer is, for hover details; in false: outside.
func (s *Session) Mouse(p image.Point, in bool) { s.mouse, s.mouseIn = p, in }

// Click acts on a click at p in the last frame: a button presses its key,
// a process or thread is selected, the background follows the running
// thread again.
func (s *Session) Click(p image.Point) (quit bool, err error) {
	if s.frame == nil {
		return false, nil
	}
	h, _ := s.frame.HitAt(p)
	switch {
	case h.Key != "":
		return s.Press(h.Key)
	case h.Select != Selection{}:
		s.selected = h.Select
	case h.Tip == nil && h.TipAt == nil && h.Scroll == "":
		s.selected = Selection{}
	}
	return false, nil
}

// Wheel acts on the mouse wheel at p: with ctrl it zooms the text; over
// the timeline's plot it zooms time; over a list it scrolls it.
func (s *Session) Wheel(p image.Point, dy int, ctrl bool) {
	if dy == 0 {
		return
	}
	if ctrl {
		s.ZoomBy(dy)
		return
	}
	if s.frame == nil {
		return
	}
	h, _ := s.frame.HitAt(p)
	switch h.Scroll {
	case "":
	case "timezoom":
		s.tlZoom = max(0, min(s.tlZoom+dy, 12))
	default:
		s.scroll[h.Scroll] = max(0, s.scroll[h.Scroll]-dy)
	}
}

// halt stops the machine's goroutine (Top speed) and waits for it.
func (s *Session) halt() {
	if !s.bg.running {
		return
	}
	close(s.bg.stop)
	s.bg.ran = <-s.bg.done
	s.bg.running = false
}

// job is one frame's run at Top speed.
type job struct {
	k      *kernel.Kernel
	budget time.Duration
	stop   chan struct{}
}

// launch runs the machine on its own goroutine for at most the budget,
// while the window draws the frame just built. The goroutine lives as
// long as the session.
func (s *Session) launch() {
	if s.bg.jobs == nil {
		s.bg.jobs, s.bg.done = make(chan job), make(chan uint64)
		go machine(s.bg.jobs, s.bg.done)
	}
	s.bg.stop = make(chan struct{})
	s.bg.running = true
	s.bg.jobs <- job{s.k, s.budget, s.bg.stop}
}

func machine(jobs <-chan job, done chan<- uint64) {
	chunk := uint64(20_000)
	for j := range jobs {
		start := time.Now()
		var ran uint64
	run:
		for !j.k.Done() {
			t := time.Now()
			n := j.k.Advance(chunk)
			ran += n
			if el := time.Since(t); el < 300*time.Microsecond && n == chunk {
				chunk = min(chunk*2, 1<<22)
			} else if el > time.Millisecond && chunk > 1000 {
				chunk /= 2
			}
			if time.Since(start) >= j.budget {
				break
			}
			select {
			case <-j.stop:
				break run
			default:
			}
		}
		<-j.stop
		done <- ran
	}
}

// Tick runs the machine for one frame's budget (or the steps asked for
// while paused, or up to the next switch), takes a snapshot and builds
// the frame (the model took the events as they happened). now is the host's clock, used only to
// show the speed in instructions a second.
func (s *Session) Tick(now time.Duration) *Frame {
	s.halt()
	ran := s.bg.ran
	s.bg.ran = 0
	switch {
	case s.k.Done():
	case s.seek:
		n, switched := s.k.AdvanceToSwitch(SwitchSeekLimit)
		ran += n
		if switched || s.k.Done() {
			s.seek = false
		}
	case s.paused:
		ran += s.k.Advance(s.pending)
		s.pending = 0
	case s.speed < Top:
		ran += s.k.Advance(Speeds[s.speed])
	}
	s.rate.add(now, ran)
	s.total += ran
	snap := s.k.Snapshot()
	s.steps = snap.Steps
	s.frame = s.model.Build(Input{
		Snap:  snap,
		Title: s.Title, Speed: s.Speed(), Top: s.speed == Top, Paused: s.paused, Seeking: s.seek,
		PerSecond: s.rate.perSecond, PerFrame: s.rate.perFrame,
		Output: s.out.Lines(),
		Size:   s.size, Metrics: s.metrics,
		Mouse: s.mouse, MouseIn: s.mouseIn, Selected: s.selected,
		Scroll: s.scroll, TimeZoom: s.tlZoom, Sources: s.sources,
	})
	s.selected = s.frame.Selected // a selection whose thread is gone is dropped
	if s.speed == Top && !s.paused && !s.seek && !s.k.Done() && s.budget > 0 {
		s.launch()
	}
	return s.frame
}

// Instructions is how many instructions the machine had run at the last Tick.
func (s *Session) Instructions() uint64 { return s.steps }

// Ran is how many instructions every Tick of the session ran, restarts
// included.
func (s *Session) Ran() uint64 { return s.total }

// Frame is the last frame Tick built (nil before the first).
func (s *Session) Frame() *Frame { return s.frame }

// rateMeter measures instructions a second over about the last second.
type rateMeter struct {
	start     time.Duration
	n, frames uint64
	perSecond float64
	perFrame  float64
	begun     bool
}

func (r *rateMeter) add(now time.Duration, ran uint64) {
	if !r.begun {
		r.start, r.begun = now, true
	}
	r.n += ran
	r.frames++
	if el := now - r.start; el >= time.Second/2 {
		r.perSecond = float64(r.n) / el.Seconds()
		r.perFrame = float64(r.n) / float64(r.frames)
		r.start, r.n, r.frames = now, 0, 0
	}
}
