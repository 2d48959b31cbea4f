//go:build gui

package window

import (
	"image"
	"time"

	"vcpu/window/model"
)

// reporter alternates phases for -fps-report: a warm-up of the window,
// then empty and window phases six times each, each phase frames
// long. In each phase it times the frames between its second and its
// last, so that the switch between phases costs neither kind.
type reporter struct {
	phase   int // frames a phase (0: not reporting)
	n       int // frames drawn so far
	t0      time.Time
	steps0  uint64
	emptyT  time.Duration
	windowT time.Duration
	emptyN  int
	windowN int
	steps   uint64
}

const phases = 13 // warm-up, then empty and window six times each

// empty says whether the frame about to be drawn is an empty one.
func (r *reporter) empty() bool { i := r.n / r.phase; return i%2 == 1 && i < phases }

func (r *reporter) finished() bool { return r.n/r.phase >= phases }

// tick is called as each frame is drawn.
func (r *reporter) tick(now time.Time, s *model.Session) {
	i, k := r.n/r.phase, r.n%r.phase
	if i >= 1 && i < phases {
		switch k {
		case 1:
			r.t0, r.steps0 = now, s.Ran()
		case r.phase - 1:
			d := now.Sub(r.t0)
			if i%2 == 1 {
				r.emptyT += d
				r.emptyN += r.phase - 2
			} else {
				r.windowT += d
				r.windowN += r.phase - 2
				r.steps += s.Ran() - r.steps0
			}
		}
	}
	r.n++
}

func (r *reporter) result(size image.Point) Report {
	rep := Report{Size: size, Frames: r.emptyN}
	if r.emptyT > 0 {
		rep.EmptyFPS = float64(r.emptyN) / r.emptyT.Seconds()
	}
	if r.windowT > 0 {
		rep.WindowFPS = float64(r.windowN) / r.windowT.Seconds()
		rep.InstrPerSecond = float64(r.steps) / r.windowT.Seconds()
		rep.InstrPerFrame = float64(r.steps) / float64(r.windowN)
	}
	return rep
}
