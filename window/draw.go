//go:build gui

package window

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"vcpu/window/model"
)

// painter draws frames with few GPU calls: every filled box of the frame
// in one DrawTriangles (vertex colours over one white pixel), the memory
// map with one WritePixels, the timeline from an image of which only the
// new columns are uploaded, and the text in one pass (text/v2 draws from
// its glyph cache, and Ebiten merges consecutive draws from one atlas).
type painter struct {
	white   *ebiten.Image
	vs      []ebiten.Vertex
	is      []uint16
	full    []batch // batches filled up to the 16-bit index limit
	mapImg  *ebiten.Image
	tlImg   *ebiten.Image
	tlSrc   *image.RGBA // the model's image last uploaded
	tlDirty image.Rectangle
	tlFull  bool
	scratch []byte
	textOp  text.DrawOptions
	imageOp ebiten.DrawImageOptions
	triOp   ebiten.DrawTrianglesOptions
}

func newPainter() *painter {
	w := ebiten.NewImage(3, 3)
	w.Fill(color.White)
	return &painter{white: w.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)}
}

// take notes what a newly built frame changed in the timeline image: the
// window may build more than one frame between two draws.
func (p *painter) take(f *model.Frame) {
	if f.TimelineImage == nil {
		return
	}
	if f.TimelineImage != p.tlSrc || f.TimelineFull {
		p.tlSrc, p.tlFull = f.TimelineImage, true
		return
	}
	p.tlDirty = p.tlDirty.Union(f.TimelineDirty)
}

// Draw paints f on dst with the face its text was measured with.
func (p *painter) Draw(dst *ebiten.Image, f *model.Frame, fc *face) {
	dst.Fill(model.Background)
	p.vs, p.is = p.vs[:0], p.is[:0]
	ps := f.Panels()
	if f.Tooltip != nil {
		ps = ps[:len(ps)-1]
	}
	for _, pn := range ps {
		p.panelBoxes(pn)
	}
	p.flush(dst)
	p.drawMap(dst, f)
	p.drawTimeline(dst, f)
	for _, pn := range ps {
		p.panelText(dst, pn, fc)
	}
	if t := f.Tooltip; t != nil {
		p.panelBoxes(t)
		p.flush(dst)
		p.panelText(dst, t, fc)
	}
}

func (p *painter) panelBoxes(pn *model.Panel) {
	r := pn.Rect
	p.rect(r, pn.Fill)
	if pn.Title != "" || pn.Edge != model.PanelEdge {
		w := 1
		if pn.Edge != model.PanelEdge {
			w = 3
		}
		p.rect(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), pn.Edge)
		p.rect(image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), pn.Edge)
		p.rect(image.Rect(r.Min.X, r.Min.Y+w, r.Min.X+w, r.Max.Y-w), pn.Edge)
		p.rect(image.Rect(r.Max.X-w, r.Min.Y+w, r.Max.X, r.Max.Y-w), pn.Edge)
	}
	if pn.Title != "" {
		y := pn.Inner().Min.Y - 3
		p.rect(image.Rect(r.Min.X+1, y, r.Max.X-1, y+1), model.PanelEdge)
	}
	for _, b := range pn.Boxes {
		p.rect(b.R, b.Color)
	}
}

// rect adds a filled rectangle to the batch.
func (p *painter) rect(r image.Rectangle, c color.RGBA) {
	if r.Empty() {
		return
	}
	if len(p.vs)+4 > 0xffff {
		p.full = append(p.full, batch{p.vs, p.is})
		p.vs, p.is = nil, nil
	}
	n := uint16(len(p.vs))
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	x0, y0, x1, y1 := float32(r.Min.X), float32(r.Min.Y), float32(r.Max.X), float32(r.Max.Y)
	for _, v := range [4][2]float32{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		p.vs = append(p.vs, ebiten.Vertex{DstX: v[0], DstY: v[1], SrcX: 1, SrcY: 1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca})
	}
	p.is = append(p.is, n, n+1, n+2, n+1, n+3, n+2)
}

type batch struct {
	vs []ebiten.Vertex
	is []uint16
}

// flush draws the boxes batched so far.
func (p *painter) flush(dst *ebiten.Image) {
	for _, b := range p.full {
		dst.DrawTriangles(b.vs, b.is, p.white, &p.triOp)
	}
	p.full = p.full[:0]
	if len(p.is) > 0 {
		dst.DrawTriangles(p.vs, p.is, p.white, &p.triOp)
	}
	p.vs, p.is = p.vs[:0], p.is[:0]
}

// drawMap uploads the memory map's pixels (one WritePixels) and draws them.
func (p *painter) drawMap(dst *ebiten.Image, f *model.Frame) {
	m := f.MemoryMap
	if m == nil || m.Rect.Empty() {
		return
	}
	if p.mapImg == nil || p.mapImg.Bounds().Size() != m.Rect.Size() {
		if p.mapImg != nil {
			p.mapImg.Deallocate()
		}
		p.mapImg = ebiten.NewImage(m.Rect.Dx(), m.Rect.Dy())
	}
	p.mapImg.WritePixels(m.Pix)
	p.imageOp.GeoM.Reset()
	p.imageOp.GeoM.Translate(float64(m.Rect.Min.X), float64(m.Rect.Min.Y))
	dst.DrawImage(p.mapImg, &p.imageOp)
}

// drawTimeline uploads what changed of the timeline's image (the new
// columns, or all of it when the view changed) and draws it.
func (p *painter) drawTimeline(dst *ebiten.Image, f *model.Frame) {
	src := f.TimelineImage
	if src == nil || src.Rect.Empty() {
		return
	}
	r := src.Rect
	if p.tlImg == nil || p.tlImg.Bounds().Size() != r.Size() {
		if p.tlImg != nil {
			p.tlImg.Deallocate()
		}
		p.tlImg = ebiten.NewImage(r.Dx(), r.Dy())
		p.tlFull = true
	}
	switch {
	case p.tlFull:
		p.tlImg.WritePixels(src.Pix)
	case !p.tlDirty.Empty():
		d := p.tlDirty.Intersect(r)
		if !d.Empty() {
			need := d.Dx() * d.Dy() * 4
			if cap(p.scratch) < need {
				p.scratch = make([]byte, need)
			}
			buf := p.scratch[:need]
			for y := d.Min.Y; y < d.Max.Y; y++ {
				i := src.PixOffset(d.Min.X, y)
				copy(buf[(y-d.Min.Y)*d.Dx()*4:], src.Pix[i:i+d.Dx()*4])
			}
			local := d.Sub(r.Min)
			p.tlImg.SubImage(local).(*ebiten.Image).WritePixels(buf)
		}
	}
	p.tlFull, p.tlDirty, p.tlSrc = false, image.Rectangle{}, src
	p.imageOp.GeoM.Reset()
	p.imageOp.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
	dst.DrawImage(p.tlImg, &p.imageOp)
}

// panelText draws a panel's title and labels.
func (p *painter) panelText(dst *ebiten.Image, pn *model.Panel, fc *face) {
	if pn.Title != "" {
		p.text(dst, pn.Rect.Min.X+pn.Inner().Min.X-pn.Rect.Min.X, pn.TitleY(), pn.Title, model.Accent, fc)
	}
	for _, l := range pn.Texts {
		p.text(dst, l.X, l.Y, l.S, l.Color, fc)
	}
}

func (p *painter) text(dst *ebiten.Image, x, y int, s string, c color.RGBA, fc *face) {
	op := &p.textOp
	op.GeoM.Reset()
	op.GeoM.Translate(float64(x), float64(y)+fc.offset)
	op.ColorScale.Reset()
	op.ColorScale.ScaleWithColor(c)
	text.Draw(dst, s, fc.draw, op)
}
