//go:build gui

package window

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

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
	tvs     []ebiten.Vertex // the text batch
	tis     []uint16
	tfull   []batch
	imageOp ebiten.DrawImageOptions

	// What the screen shows from the last Draw.
	size      image.Point
	face      *face
	forceFull bool
	hashes    []uint64 // of each panel as last painted
	tipHash   uint64
	tipRect   image.Rectangle
	tlTouched image.Rectangle // the timeline pixels painted this frame
	triOp     ebiten.DrawTrianglesOptions
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

// Draw paints f on dst with the face its text was measured with. The
// screen keeps what was drawn last frame (the window turns Ebiten's
// clearing off), so only panels whose content changed are painted again:
// a panel is a fill, its boxes and its text, and a hash of them tells
// whether it changed. The timeline's plot is updated by its new columns
// alone. Every pixel painted is a pixel the GPU (on Xvfb, the CPU) fills.
func (p *painter) Draw(dst *ebiten.Image, f *model.Frame, fc *face) {
	named := f.Named()
	if f.Tooltip != nil {
		named = named[:len(named)-1]
	}
	full := p.size != dst.Bounds().Size() || p.face != fc || p.forceFull || len(p.hashes) != len(named)
	p.size, p.face, p.forceFull = dst.Bounds().Size(), fc, false
	if full {
		p.hashes = make([]uint64, len(named))
		p.rect(dst.Bounds(), model.Background)
	}
	var tipHash uint64
	var tipRect image.Rectangle
	if f.Tooltip != nil {
		tipHash, tipRect = hashPanel(f.Tooltip), f.Tooltip.Rect
	}
	tipMoved := tipHash != p.tipHash || tipRect != p.tipRect
	if tipMoved && !p.tipRect.Empty() {
		p.rect(p.tipRect, model.Background) // the gaps under the old tooltip
	}
	redraw := make([]bool, len(named))
	mapHash := uint64(0)
	if f.MemoryMap != nil {
		mapHash = hashBytes(f.MemoryMap.Pix, uint64(f.MemoryMap.Rect.Min.X)<<32|uint64(f.MemoryMap.Rect.Min.Y))
	}
	any := false
	for i, np := range named {
		h := hashPanel(np.Panel)
		if np.Name == "memory" {
			h ^= mapHash
		}
		if full || h != p.hashes[i] || tipMoved && np.Panel.Rect.Overlaps(p.tipRect) {
			redraw[i], any = true, true
			p.hashes[i] = h
			p.panelBoxes(np.Panel)
		}
	}
	p.flush(dst)
	for i, np := range named {
		switch {
		case np.Name == "memory" && redraw[i]:
			p.drawMap(dst, f)
		case np.Name == "timeline":
			if redraw[i] {
				p.tlFull = true
			}
			p.drawTimeline(dst, f, redraw[i])
		}
	}
	for i, np := range named {
		if redraw[i] {
			p.panelText(np.Panel, fc)
		}
	}
	p.flushText(dst, fc)
	p.tipHash, p.tipRect = tipHash, tipRect
	if t := f.Tooltip; t != nil && (tipMoved || any && p.overlapsRedrawn(t.Rect, named, redraw) || p.tlTouched.Overlaps(t.Rect)) {
		p.panelBoxes(t)
		p.flush(dst)
		p.panelText(t, fc)
		p.flushText(dst, fc)
	}
}

func (p *painter) overlapsRedrawn(r image.Rectangle, named []model.NamedPanel, redraw []bool) bool {
	for i, np := range named {
		if redraw[i] && np.Panel.Rect.Overlaps(r) {
			return true
		}
	}
	return false
}

// invalidate makes the next Draw paint everything.
func (p *painter) invalidate() { p.forceFull = true }

// FNV-1a over what a panel draws.
const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func mix(h, v uint64) uint64 { return (h ^ v) * fnvPrime }

func hashRect(h uint64, r image.Rectangle) uint64 {
	return mix(mix(h, uint64(uint32(r.Min.X))<<32|uint64(uint32(r.Min.Y))), uint64(uint32(r.Max.X))<<32|uint64(uint32(r.Max.Y)))
}

func hashColor(h uint64, c color.RGBA) uint64 {
	return mix(h, uint64(c.R)<<24|uint64(c.G)<<16|uint64(c.B)<<8|uint64(c.A))
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix(h, uint64(len(s)))
}

func hashBytes(b []byte, seed uint64) uint64 {
	h := mix(fnvOffset, seed)
	for i := 0; i+8 <= len(b); i += 8 {
		v := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		h = mix(h, v)
	}
	return h
}

func hashPanel(pn *model.Panel) uint64 {
	h := hashRect(fnvOffset, pn.Rect)
	h = hashString(hashColor(hashColor(h, pn.Fill), pn.Edge), pn.Title)
	for _, b := range pn.Boxes {
		h = hashColor(hashRect(h, b.R), b.Color)
	}
	for _, t := range pn.Texts {
		h = hashString(hashColor(mix(h, uint64(uint32(t.X))<<32|uint64(uint32(t.Y))), t.Color), t.S)
	}
	return h
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
// columns, or all of it when the view changed) and draws it: all of it
// when the panel was repainted, else only the changed columns.
func (p *painter) drawTimeline(dst *ebiten.Image, f *model.Frame, whole bool) {
	p.tlTouched = image.Rectangle{}
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
	d := p.tlDirty.Intersect(r)
	switch {
	case p.tlFull:
		p.tlImg.WritePixels(src.Pix)
		whole = true
	case !d.Empty():
		need := d.Dx() * d.Dy() * 4
		if cap(p.scratch) < need {
			p.scratch = make([]byte, need)
		}
		buf := p.scratch[:need]
		for y := d.Min.Y; y < d.Max.Y; y++ {
			i := src.PixOffset(d.Min.X, y)
			copy(buf[(y-d.Min.Y)*d.Dx()*4:], src.Pix[i:i+d.Dx()*4])
		}
		p.tlImg.SubImage(d.Sub(r.Min)).(*ebiten.Image).WritePixels(buf)
	}
	p.tlFull, p.tlDirty, p.tlSrc = false, image.Rectangle{}, src
	draw := r
	if !whole {
		draw = d
	}
	if draw.Empty() {
		return
	}
	p.tlTouched = draw
	p.imageOp.GeoM.Reset()
	p.imageOp.GeoM.Translate(float64(draw.Min.X), float64(draw.Min.Y))
	dst.DrawImage(p.tlImg.SubImage(draw.Sub(r.Min)).(*ebiten.Image), &p.imageOp)
}

// panelText adds a panel's title and labels to the text batch.
func (p *painter) panelText(pn *model.Panel, fc *face) {
	if pn.Title != "" {
		p.text(pn.Inner().Min.X, pn.TitleY(), pn.Title, model.Accent, fc)
	}
	for _, l := range pn.Texts {
		p.text(l.X, l.Y, l.S, l.Color, fc)
	}
}

// text adds s to the text batch: one quad per glyph from the atlas, at
// the pixel nearest its advance, with the colour in the vertices.
func (p *painter) text(x, y int, s string, c color.RGBA, fc *face) {
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	pen := float64(x)
	for _, r := range s {
		g := fc.glyph(r)
		if r != ' ' {
			if len(p.tvs)+4 > 0xffff {
				p.tfull = append(p.tfull, batch{p.tvs, p.tis})
				p.tvs, p.tis = nil, nil
			}
			n := uint16(len(p.tvs))
			x0 := float32(math.Round(pen) - 2)
			y0 := float32(y - 1)
			w, h := float32(g.src.Dx()), float32(g.src.Dy())
			sx, sy := float32(g.src.Min.X), float32(g.src.Min.Y)
			for _, v := range [4][4]float32{{0, 0, 0, 0}, {w, 0, w, 0}, {0, h, 0, h}, {w, h, w, h}} {
				p.tvs = append(p.tvs, ebiten.Vertex{DstX: x0 + v[0], DstY: y0 + v[1], SrcX: sx + v[2], SrcY: sy + v[3], ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca})
			}
			p.tis = append(p.tis, n, n+1, n+2, n+1, n+3, n+2)
		}
		pen += g.adv
	}
}

// flushText draws the text batched so far.
func (p *painter) flushText(dst *ebiten.Image, fc *face) {
	for _, b := range p.tfull {
		dst.DrawTriangles(b.vs, b.is, fc.atlas, &p.triOp)
	}
	p.tfull = p.tfull[:0]
	if len(p.tis) > 0 {
		dst.DrawTriangles(p.tvs, p.tis, fc.atlas, &p.triOp)
	}
	p.tvs, p.tis = p.tvs[:0], p.tis[:0]
}
