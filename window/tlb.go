//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawTLB paints the TLB slots; while a flush's flash lasts the model gives
// the panel a red border and banner, which drawPanel shows thicker.
func drawTLB(dst *ebiten.Image, f *model.Frame) { drawPanel(dst, &f.TLB) }
