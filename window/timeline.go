//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawTimeline paints one lane per thread with the stretches it ran, the
// switches strip (grey thread switches, red process switches and flushes
// across every lane) and the clock axis.
func drawTimeline(dst *ebiten.Image, f *model.Frame) { drawPanel(dst, &f.Timeline) }
