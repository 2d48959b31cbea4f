//go:build gui

package window

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"vcpu/window/model"
)

// face is the Go Mono font at one size: the model's metrics for laying
// text out, and a glyph atlas for drawing it. text/v2 renders each glyph
// once, in white, into the atlas; a frame's text is then one
// DrawTriangles from the atlas with the colour in the vertices, however
// many glyphs it has.
type face struct {
	size    float64
	draw    *text.GoXFace
	metrics *model.FaceMetrics
	offset  float64 // from a line box's top to where text/v2 puts the glyph's top
	atlas   *ebiten.Image
	cellW   int
	cellH   int
	cols    int
	glyphs  map[rune]glyph
	next    int // the next free cell
}

// glyph is a rune's cell in the atlas.
type glyph struct {
	src image.Rectangle
	adv float64
}

// faces keeps the faces of the sizes used so far: a handful, one per zoom
// step and window size seen.
var faces = map[float64]*face{}

const atlasCols = 32

func faceOf(size float64) (*face, error) {
	if f, ok := faces[size]; ok {
		return f, nil
	}
	xf, err := model.GoMono(size)
	if err != nil {
		return nil, err
	}
	f := &face{size: size, draw: text.NewGoXFace(xf), metrics: model.NewFaceMetrics(xf), glyphs: map[rune]glyph{}}
	m := f.draw.Metrics()
	f.offset = math.Round((float64(f.metrics.LineHeight()) - (m.HAscent + m.HDescent + m.HLineGap)) / 2)
	f.cellW = int(math.Ceil(text.Advance("M", f.draw))) + 4
	f.cellH = f.metrics.LineHeight() + 2
	f.cols = atlasCols
	f.atlas = ebiten.NewImage(f.cols*f.cellW, 8*f.cellH)
	for r := rune(32); r < 127; r++ {
		f.glyph(r)
	}
	for _, r := range "→←…·√▶" {
		f.glyph(r)
	}
	if len(faces) > 16 {
		for _, old := range faces {
			old.atlas.Deallocate()
		}
		clear(faces)
	}
	faces[size] = f
	return f, nil
}

// glyph finds r's cell, drawing it into the atlas the first time.
func (f *face) glyph(r rune) glyph {
	if g, ok := f.glyphs[r]; ok {
		return g
	}
	rows := f.atlas.Bounds().Dy() / f.cellH
	if f.next >= f.cols*rows { // full: double the atlas
		bigger := ebiten.NewImage(f.atlas.Bounds().Dx(), 2*f.atlas.Bounds().Dy())
		bigger.DrawImage(f.atlas, nil)
		f.atlas.Deallocate()
		f.atlas = bigger
	}
	x, y := (f.next%f.cols)*f.cellW, (f.next/f.cols)*f.cellH
	f.next++
	var op text.DrawOptions
	op.GeoM.Translate(float64(x+2), float64(y+1)+f.offset)
	op.ColorScale.ScaleWithColor(color.White)
	text.Draw(f.atlas, string(r), f.draw, &op)
	g := glyph{src: image.Rect(x, y, x+f.cellW, y+f.cellH), adv: text.Advance(string(r), f.draw)}
	f.glyphs[r] = g
	return g
}
