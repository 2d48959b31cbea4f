//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawHelp paints the bottom line: every key the window answers to.
func drawHelp(dst *ebiten.Image, f *model.Frame) {
	fillRect(dst, f.Help.Rect, model.PanelFill)
	drawContent(dst, &f.Help)
}
