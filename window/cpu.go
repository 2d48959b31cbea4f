//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawCPU paints the running thread's registers (changed ones highlighted
// by the model), the instruction at pc with its source line, and the
// guests' last output.
func drawCPU(dst *ebiten.Image, f *model.Frame) { drawPanel(dst, &f.CPU) }
