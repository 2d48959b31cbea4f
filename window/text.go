//go:build gui

package window

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"

	"vcpu/window/model"
)

// glyphs is Ebiten's debug font (white, 6x16 per character) laid out once
// on an atlas, so that text can be drawn in any colour with ColorScale.
var glyphs struct {
	atlas *ebiten.Image
	sub   [256]*ebiten.Image
}

func glyph(r rune) *ebiten.Image {
	if glyphs.atlas == nil {
		glyphs.atlas = ebiten.NewImage(model.CharW*256, model.LineH)
		for c := 32; c < 256; c++ {
			// DebugPrintAt draws one pixel right of x.
			ebitenutil.DebugPrintAt(glyphs.atlas, string(rune(c)), c*model.CharW-1, 0)
		}
	}
	if r < 32 || r > 255 {
		r = '?'
	}
	if glyphs.sub[r] == nil {
		x := int(r) * model.CharW
		glyphs.sub[r] = glyphs.atlas.SubImage(image.Rect(x, 0, x+model.CharW, model.LineH)).(*ebiten.Image)
	}
	return glyphs.sub[r]
}

// drawText draws s in colour c with its top-left corner at x, y.
func drawText(dst *ebiten.Image, x, y int, s string, c color.RGBA) {
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	for _, r := range s {
		op.GeoM.Reset()
		op.GeoM.Translate(float64(x), float64(y))
		dst.DrawImage(glyph(r), &op)
		x += model.CharW
	}
}
