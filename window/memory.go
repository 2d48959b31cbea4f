//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// mapImage holds the memory map on the GPU; it is replaced only when the
// map's size changes.
var mapImage *ebiten.Image

// drawMemory paints the memory map with one WritePixels and one DrawImage,
// however many frames the machine has, then the legend.
func drawMemory(dst *ebiten.Image, f *model.Frame) {
	drawPanel(dst, &f.Memory)
	m := f.MemoryMap
	if m == nil || m.Rect.Empty() {
		return
	}
	if mapImage == nil || mapImage.Bounds().Size() != m.Rect.Size() {
		if mapImage != nil {
			mapImage.Deallocate()
		}
		mapImage = ebiten.NewImage(m.Rect.Dx(), m.Rect.Dy())
	}
	mapImage.WritePixels(m.Pix)
	var op ebiten.DrawImageOptions
	op.GeoM.Translate(float64(m.Rect.Min.X), float64(m.Rect.Min.Y))
	dst.DrawImage(mapImage, &op)
}
