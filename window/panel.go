//go:build gui

package window

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"vcpu/window/model"
)

// Draw paints a frame: the background, then every panel.
func Draw(dst *ebiten.Image, f *model.Frame) {
	dst.Fill(model.Background)
	drawHeader(dst, f)
	drawMemory(dst, f)
	drawCPU(dst, f)
	drawProcs(dst, f)
	drawTLB(dst, f)
	drawTimeline(dst, f)
	drawHelp(dst, f)
}

func fillRect(dst *ebiten.Image, r image.Rectangle, c color.RGBA) {
	vector.DrawFilledRect(dst, float32(r.Min.X), float32(r.Min.Y), float32(r.Dx()), float32(r.Dy()), c, false)
}

// drawPanel paints what every panel has: its box, its title, and the boxes
// and labels the model placed in it.
func drawPanel(dst *ebiten.Image, p *model.Panel) {
	r := p.Rect
	if p.Title != "" {
		fillRect(dst, r, p.Edge)
		edge := 1
		if p.Edge != model.PanelEdge {
			edge = 3
		}
		fillRect(dst, r.Inset(edge), model.PanelFill)
		drawText(dst, r.Min.X+8, r.Min.Y+3, p.Title, model.Accent)
		fillRect(dst, image.Rect(r.Min.X+edge, r.Min.Y+model.LineH+3, r.Max.X-edge, r.Min.Y+model.LineH+4), model.PanelEdge)
	}
	drawContent(dst, p)
}

func drawContent(dst *ebiten.Image, p *model.Panel) {
	for _, b := range p.Boxes {
		fillRect(dst, b.R, b.Color)
	}
	for _, t := range p.Texts {
		drawText(dst, t.X, t.Y, t.S, t.Color)
	}
}
