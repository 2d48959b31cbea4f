//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawHeader paints the top line: what runs, the counters, and whether the
// run is going, paused or over.
func drawHeader(dst *ebiten.Image, f *model.Frame) {
	fillRect(dst, f.Header.Rect, model.PanelFill)
	drawContent(dst, &f.Header)
}
