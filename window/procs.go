//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// drawProcs paints each process's segments and threads, and the ready queue.
func drawProcs(dst *ebiten.Image, f *model.Frame) { drawPanel(dst, &f.Procs) }
