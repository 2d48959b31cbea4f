//go:build gui

package window

import (
	"errors"
	"image"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"vcpu/window/model"
)

// Options are how the window runs besides the machine's configuration.
type Options struct {
	Size   image.Point // the window's size in logical pixels (zero: 1280x800)
	Frames int         // >0: draw this many frames, hand the last to Last, and exit
	// Last receives the last frame's pixels with Frames, and the frame
	// they show; Shot receives them for each press of F12. The caller
	// writes files; the window does not.
	Last, Shot func(img *image.RGBA, f *model.Frame) error
	// FPSReport, when set, runs alternating phases of an empty frame (one
	// Fill, as ../shared/bench/emptywin draws) and of the window, and
	// reports both frame rates to it at the end.
	FPSReport func(Report)
	// ReportFrames is the length of one phase (default 120 frames).
	ReportFrames int
}

// Report is what -fps-report measured in one run: the same window, the
// same size, the same GL, alternating between an empty frame and the
// window's.
type Report struct {
	Size           image.Point
	EmptyFPS       float64
	WindowFPS      float64
	InstrPerSecond float64 // machine instructions a second during the window's phases
	InstrPerFrame  float64
	Frames         int // frames measured in each kind of phase
}

// game is the Ebiten loop: Update reads input and ticks the session,
// Draw paints the last frame and nothing else.
type game struct {
	s     *model.Session
	opts  Options
	paint *painter
	frame *model.Frame
	face  *face
	size  image.Point // device pixels
	scale float64
	drawn int
	start time.Time
	done  bool
	err   error
	shots int
	rep   reporter
	top   topControl
}

// topControl sizes the machine's share of a frame at top speed. The
// machine runs on its own goroutine while the window draws; where drawing
// takes the CPU itself (Mesa's software renderer under Xvfb, other work
// on the same cores), every millisecond the machine runs can slow the
// frame rate. So two frames in sixteen the machine does not run, and the
// second of them measures the window's own frame time; the share grows
// while the frames with the machine are within 2% of that and shrinks
// when they fall more than 5% behind. (Tighter bounds made the share
// shrink on noise alone: on two shared cores a frame's time wanders by
// a few percent, and it shrinks faster than it grows.)
type topControl struct {
	frac       float64       // of the frame time the machine may run
	idle, busy time.Duration // frame times without and with the machine
	idleN      int           // samples in idle
	busyN      int           // samples in busy
	n          int
	last       time.Time
	// The budget set in one Update shows in the time from that frame's
	// Draw to the next one's: next is the kind of the frame being drawn,
	// cur of the interval that ends at the next Draw.
	next, cur frameKind
}

// topWarmUp is how many frames at top speed pass before frame times are
// measured: the first ones build the glyph atlas and compile shaders.
const topWarmUp = 8

type frameKind uint8

const (
	notTop frameKind = iota
	idleFrame
	busyFrame
)

// budget is the machine's time for the next frame.
func (c *topControl) budget(top bool) time.Duration {
	switch {
	case !top:
		c.next = notTop
		return 0
	case c.n%16 == 1 || c.idle == 0:
		c.next = idleFrame
	case c.n%16 == 0:
		// The frame before an idle one runs no machine either: drawing is
		// pipelined, and the machine's time would spill into the next.
		c.next = notTop
	default:
		c.next = busyFrame
	}
	c.n++
	if c.next != busyFrame {
		return 0
	}
	return time.Duration(float64(max(c.idle, c.busy)) * c.frac)
}

// drawn times the interval that ends with the frame now being drawn.
func (c *topControl) drawn(now time.Time) {
	if !c.last.IsZero() && c.cur != notTop && c.n > topWarmUp {
		d := now.Sub(c.last)
		// The first samples of each kind count for half, so that the
		// averages settle within a few of them; an idle frame comes once
		// in sixteen, and a start-up frame (the glyph atlas, shaders) can
		// be ten times a normal one. Later, one slow frame (a collection,
		// a restart) counts as at most twice the average.
		ema := func(v *time.Duration, n *int) {
			switch {
			case *n == 0:
				*v = d
			case *n < 3:
				*v = (*v + d) / 2
			default:
				*v = (*v*7 + min(d, 2**v)) / 8
			}
			*n++
		}
		if c.cur == idleFrame {
			ema(&c.idle, &c.idleN)
		} else {
			ema(&c.busy, &c.busyN)
		}
		if c.n%16 == 15 && c.idle > 0 && c.busy > 0 {
			switch r := float64(c.busy) / float64(c.idle); {
			case r > 1.05:
				c.frac = max(0.05, c.frac*0.85)
			case r < 1.02:
				c.frac = min(0.5, c.frac*1.1)
			}
		}
	}
	c.last, c.cur = now, c.next
}

// ErrCheck is what cmd/vcpu-gui returns when -check found wrong pixels.
var ErrCheck = errors.New("pixel check failed")

// Run opens the window on s and returns when the user quits, or after
// opts.Frames frames.
func Run(s *model.Session, opts Options) error {
	if opts.Size == (image.Point{}) {
		opts.Size = image.Pt(1280, 800)
	}
	g := &game{s: s, opts: opts, paint: newPainter(), start: time.Now(), top: topControl{frac: 0.3}}
	if opts.FPSReport != nil {
		g.rep.phase = max(opts.ReportFrames, 30)
	}
	ebiten.SetWindowSize(opts.Size.X, opts.Size.Y)
	ebiten.SetWindowTitle("vcpu: " + s.Title)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowSizeLimits(640, 480, -1, -1)
	// One Update per drawn frame: the speed is per frame, and a
	// screenshot after N frames shows the same machine state on any host.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	// The painter repaints only what changed: the screen must keep the
	// last frame.
	ebiten.SetScreenClearedEveryFrame(false)
	err := ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{InitUnfocused: opts.Frames > 0 || opts.FPSReport != nil, X11ClassName: "vcpu-gui"})
	if err == nil {
		err = g.err
	}
	return err
}

func (g *game) Layout(w, h int) (int, int) {
	g.scale = ebiten.Monitor().DeviceScaleFactor()
	if g.scale <= 0 {
		g.scale = 1
	}
	g.size = image.Pt(int(float64(w)*g.scale), int(float64(h)*g.scale))
	return g.size.X, g.size.Y
}

// repeats says whether a held key fires this frame: when pressed, then
// after about a third of a second, every third frame.
func repeats(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d == 1 || d >= 20 && d%3 == 0
}

func (g *game) input() (quit bool, err error) {
	s := g.s
	ctrl := ebiten.IsKeyPressed(ebiten.KeyControl) || ebiten.IsKeyPressed(ebiten.KeyMeta)
	var keys []string
	if ctrl {
		for _, k := range []struct {
			k    []ebiten.Key
			name string
		}{
			{[]ebiten.Key{ebiten.KeyEqual, ebiten.KeyNumpadAdd}, "Ctrl +"},
			{[]ebiten.Key{ebiten.KeyMinus, ebiten.KeyNumpadSubtract}, "Ctrl -"},
			{[]ebiten.Key{ebiten.Key0, ebiten.KeyNumpad0}, "Ctrl 0"},
		} {
			for _, key := range k.k {
				if inpututil.IsKeyJustPressed(key) {
					keys = append(keys, k.name)
				}
			}
		}
	} else {
		for _, c := range ebiten.AppendInputChars(nil) {
			switch c {
			case '.', 'n', 'N': // by key, below, so that holding them repeats
			default:
				keys = append(keys, string(c))
			}
		}
		if repeats(ebiten.KeyPeriod) || repeats(ebiten.KeyNumpadDecimal) || repeats(ebiten.KeyArrowRight) {
			keys = append(keys, ".")
		}
		if repeats(ebiten.KeyN) {
			keys = append(keys, "n")
		}
		if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
			keys = append(keys, "Esc")
		}
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyF12) && g.opts.Shot != nil {
		g.shots++ // taken in Draw, from the drawn screen
	}
	for _, k := range keys {
		if quit, err := s.Press(k); quit || err != nil {
			return quit, err
		}
	}
	if g.opts.Frames > 0 {
		// A screenshot run (-frames) shows the machine, not wherever the
		// X pointer happens to be: a window that opened under it showed a
		// tooltip in one screenshot and not in the next, depending on the
		// screen's size.
		return false, nil
	}
	cx, cy := ebiten.CursorPosition()
	pt := image.Pt(int(float64(cx)*g.scale), int(float64(cy)*g.scale))
	s.Mouse(pt, pt.In(image.Rectangle{Max: g.size}))
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		if quit, err := s.Click(pt); quit || err != nil {
			return quit, err
		}
	}
	if _, dy := ebiten.Wheel(); dy != 0 {
		step := 1
		if dy < 0 {
			step = -1
		}
		s.Wheel(pt, step, ctrl)
	}
	return false, nil
}

func (g *game) Update() error {
	if g.err != nil {
		return g.err
	}
	if g.done {
		return ebiten.Termination
	}
	if g.size == (image.Point{}) {
		return nil // no Layout yet
	}
	if g.rep.phase > 0 && g.rep.empty() {
		return nil // an empty phase: nothing runs, as in emptywin
	}
	quit, err := g.input()
	if err != nil {
		return err
	}
	if quit {
		return ebiten.Termination
	}
	size := model.FontSize(g.size, g.scale, model.Zooms[g.s.Zoom()])
	if g.face == nil || g.face.size != size {
		if g.face, err = faceOf(size); err != nil {
			return err
		}
	}
	g.s.SetView(g.size, g.face.metrics)
	g.s.SetBudget(g.top.budget(g.s.AtTop() && !g.s.Paused()))
	if g.rep.phase > 0 && g.s.Done() {
		// Measuring: a run that ended starts again, so that the machine
		// works in every phase.
		if err := g.s.Restart(); err != nil {
			return err
		}
	}
	g.frame = g.s.Tick(time.Since(g.start))
	g.paint.take(g.frame)
	return nil
}

func (g *game) Draw(screen *ebiten.Image) {
	now := time.Now()
	if g.rep.phase > 0 && g.rep.empty() {
		g.top.last = time.Time{} // an empty frame of -fps-report: not the window's
	} else {
		g.top.drawn(now)
	}
	if g.rep.phase > 0 {
		g.rep.tick(now, g.s)
		if g.rep.finished() {
			g.done = true
			g.opts.FPSReport(g.rep.result(g.size))
			return
		}
		// The empty phases draw exactly what emptywin draws: a cleared
		// screen and one Fill; the window's first frame after one paints
		// everything again.
		ebiten.SetScreenClearedEveryFrame(g.rep.empty())
		if g.rep.empty() {
			screen.Fill(model.Background)
			g.paint.invalidate()
			return
		}
	}
	if g.frame == nil || g.face == nil {
		screen.Fill(model.Background)
		return
	}
	g.paint.Draw(screen, g.frame, g.face)
	g.drawn++
	last := g.opts.Frames > 0 && g.drawn == g.opts.Frames && !g.done
	for _, take := range []struct {
		when bool
		f    func(*image.RGBA, *model.Frame) error
	}{{g.shots > 0, g.opts.Shot}, {last, g.opts.Last}} {
		if take.when && take.f != nil {
			img := image.NewRGBA(screen.Bounds())
			screen.ReadPixels(img.Pix)
			if err := take.f(img, g.frame); err != nil {
				g.err = err
			}
		}
	}
	g.shots = max(g.shots-1, 0)
	if last {
		g.done = true
	}
}
