//go:build gui

package window

import (
	"testing"
	"time"
)

// The top-speed share settles where the machine slows frames by no more
// than the controller allows, however slow the first frames were, and
// grows to its ceiling where the machine costs the window nothing. The
// frames are simulated: a frame takes base, plus, when the machine ran
// during it, cost per millisecond the machine ran beyond free (what the
// other core absorbs). The first frames build the glyph atlas: ten
// times slower.
func TestTopShareSettles(t *testing.T) {
	const base = 17 * time.Millisecond
	tests := []struct {
		name       string
		free, cost float64 // ms of the machine the frame absorbs; ms of frame per ms beyond
		minFrac    float64
		maxSlow    float64 // busy frames / idle frames, at the end
	}{
		{"the machine costs the window nothing", 100, 0, 0.49, 1.001},
		{"beyond 3 ms the machine slows the frame by half its time", 3, 0.5, 0.1, 1.06},
		{"every millisecond of the machine slows the frame", 0, 1, 0.01, 1.06},
	}
	for _, tt := range tests {
		c := topControl{frac: 0.3}
		now := time.Unix(0, 0)
		var shown time.Duration // the budget of the frame being drawn
		var busy, idle []time.Duration
		for i := 0; i < 400; i++ {
			b := c.budget(true)
			d := base
			if i < 6 {
				d *= 10
			}
			if beyond := float64(shown)/float64(time.Millisecond) - tt.free; beyond > 0 {
				d += time.Duration(beyond * tt.cost * float64(time.Millisecond))
			}
			now = now.Add(d)
			if i >= 300 {
				if shown > 0 {
					busy = append(busy, d)
				} else {
					idle = append(idle, d)
				}
			}
			c.drawn(now)
			shown = b
		}
		slow := float64(mean(busy)) / float64(mean(idle))
		if c.frac < tt.minFrac || slow > tt.maxSlow {
			t.Errorf("%s: share %.3f (want at least %.2f), busy frames %.3f of idle ones (want at most %.3f)",
				tt.name, c.frac, tt.minFrac, slow, tt.maxSlow)
		}
	}
}

func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(max(len(ds), 1))
}
