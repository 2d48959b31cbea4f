//go:build gui

package window

import (
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"vcpu/window/model"
)

// face is the Go Mono font at one size: Ebiten's face for drawing
// (text/v2 keeps its glyphs in a cache on the GPU) and the model's
// metrics for laying text out, both from the same x/image face.
type face struct {
	size    float64
	draw    *text.GoXFace
	metrics *model.FaceMetrics
	offset  float64 // from a line box's top to where text/v2 puts the text's top
}

// faces keeps the faces of the sizes used so far: a handful, one per zoom
// step and window size seen.
var faces = map[float64]*face{}

func faceOf(size float64) (*face, error) {
	if f, ok := faces[size]; ok {
		return f, nil
	}
	xf, err := model.GoMono(size)
	if err != nil {
		return nil, err
	}
	f := &face{size: size, draw: text.NewGoXFace(xf), metrics: model.NewFaceMetrics(xf)}
	m := f.draw.Metrics()
	f.offset = (float64(f.metrics.LineHeight()) - (m.HAscent + m.HDescent + m.HLineGap)) / 2
	if len(faces) > 32 {
		clear(faces)
	}
	faces[size] = f
	return f, nil
}
