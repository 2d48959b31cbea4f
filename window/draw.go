//go:build gui

package window

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"vcpu/window/model"
)

// painter draws frames with few GPU calls and few pixels. The screen
// keeps what was drawn last frame (the window turns Ebiten's clearing
// off); for each panel the painter compares the boxes and labels of the
// new frame with those it painted last, and paints again only the
// rectangles where something changed (a panel whose frame or title
// changed, or where most changed, is painted whole). Every box of a frame
// goes into one DrawTriangles (vertex colours over one white pixel), all
// text into one more from the glyph atlas; a changed rectangle clips the
// quads it touches. The memory map is one WritePixels; of the timeline's
// image only the new columns are uploaded and drawn. Under a software
// renderer every painted pixel costs CPU time, so this is what keeps the
// window's frame rate at that of an empty window.
type painter struct {
	white   *ebiten.Image
	boxes   quads // drawn from white
	glyphs  quads // drawn from the face's atlas
	mapImg  *ebiten.Image
	tlImg   *ebiten.Image
	tlSrc   *image.RGBA // the model's image last uploaded
	tlDirty image.Rectangle
	tlFull  bool
	scratch []byte
	imageOp ebiten.DrawImageOptions
	triOp   ebiten.DrawTrianglesOptions

	// What the screen shows from the last Draw.
	size      image.Point
	face      *face
	forceFull bool
	panels    []panelState
	mapHash   uint64
	tipHash   uint64
	tipRect   image.Rectangle
	tlTouched image.Rectangle // the timeline pixels painted this frame
}

// panelState is what a panel showed when last painted.
type panelState struct {
	head  uint64 // its rectangle, colours and title
	items []item
}

// item is a box or a label of a panel, with the pixels it may touch.
type item struct {
	r     image.Rectangle
	hash  uint64
	label bool
	box   model.Box
	text  model.Label
}

// quads gathers quads for DrawTriangles calls of one source image.
type quads struct {
	vs   []ebiten.Vertex
	is   []uint16
	full []batch // batches filled up to the 16-bit index limit
}

type batch struct {
	vs []ebiten.Vertex
	is []uint16
}

// add appends one quad (corners top-left, top-right, bottom-left,
// bottom-right), starting a new batch when the indices would overflow.
func (q *quads) add(v [4]ebiten.Vertex) {
	if len(q.vs)+4 > 0xffff {
		q.full = append(q.full, batch{q.vs, q.is})
		q.vs, q.is = nil, nil
	}
	n := uint16(len(q.vs))
	q.vs = append(q.vs, v[:]...)
	q.is = append(q.is, n, n+1, n+2, n+1, n+3, n+2)
}

// draw draws the quads gathered so far from src, and empties q.
func (q *quads) draw(dst, src *ebiten.Image, op *ebiten.DrawTrianglesOptions) {
	for _, b := range q.full {
		dst.DrawTriangles(b.vs, b.is, src, op)
	}
	q.full = q.full[:0]
	if len(q.is) > 0 {
		dst.DrawTriangles(q.vs, q.is, src, op)
	}
	q.vs, q.is = q.vs[:0], q.is[:0]
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

// invalidate makes the next Draw paint everything.
func (p *painter) invalidate() { p.forceFull = true }

// Draw paints f on dst with the face its text was measured with.
func (p *painter) Draw(dst *ebiten.Image, f *model.Frame, fc *face) {
	named := f.Named()
	if f.Tooltip != nil {
		named = named[:len(named)-1]
	}
	full := p.size != dst.Bounds().Size() || p.face != fc || p.forceFull || len(p.panels) != len(named)
	p.size, p.face, p.forceFull = dst.Bounds().Size(), fc, false
	if full {
		p.panels = make([]panelState, len(named))
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
	var mapHash uint64
	var mapRect image.Rectangle
	if f.MemoryMap != nil {
		mapRect = f.MemoryMap.Rect
		mapHash = hashBytes(f.MemoryMap.Pix, uint64(mapRect.Min.X)<<32|uint64(mapRect.Min.Y))
	}
	var tlRect image.Rectangle
	if f.TimelineImage != nil {
		tlRect = f.TimelineImage.Rect
	}
	whole := make([]bool, len(named))
	drawMap, drawTL, painted := false, false, image.Rectangle{}
	for i, np := range named {
		pn, st := np.Panel, &p.panels[i]
		head := hashHead(pn)
		items := p.items(pn, fc)
		w := full || head != st.head || tipMoved && pn.Rect.Overlaps(p.tipRect) || np.Name == "memory" && mapHash != p.mapHash
		var dirty []image.Rectangle
		if !w {
			dirty = diff(st.items, items)
			area := 0
			for _, d := range dirty {
				area += d.Dx() * d.Dy()
				w = w || np.Name == "memory" && d.Overlaps(mapRect)
				drawTL = drawTL || d.Overlaps(tlRect)
			}
			w = w || area > pn.Rect.Dx()*pn.Rect.Dy()/2
		}
		st.head, st.items = head, items
		switch {
		case w:
			whole[i] = true
			painted = painted.Union(pn.Rect)
			p.panelBoxes(pn)
			for _, it := range items {
				p.paintItem(it, pn.Rect, fc)
			}
			drawMap = drawMap || np.Name == "memory"
			drawTL = drawTL || np.Name == "timeline"
		case len(dirty) > 0:
			clip := pn.Rect.Inset(edgeWidth(pn))
			for _, d := range merge(dirty) {
				d = d.Intersect(clip)
				if d.Empty() {
					continue
				}
				painted = painted.Union(d)
				p.rect(d, pn.Fill)
				for _, it := range items {
					if it.r.Overlaps(d) {
						p.paintItem(it, d, fc)
					}
				}
			}
		}
	}
	p.mapHash = mapHash
	p.flush(dst)
	if drawMap {
		p.drawMap(dst, f)
	}
	p.drawTimeline(dst, f, drawTL)
	p.flushText(dst, fc)
	p.tipHash, p.tipRect = tipHash, tipRect
	if t := f.Tooltip; t != nil && (tipMoved || painted.Overlaps(t.Rect) || p.tlTouched.Overlaps(t.Rect)) {
		p.panelBoxes(t)
		for _, it := range p.items(t, fc) {
			p.paintItem(it, t.Rect, fc)
		}
		p.flush(dst)
		p.flushText(dst, fc)
	}
}

// items lists what a panel draws besides its fill and border: its
// title, the line under it, its boxes and its labels, in drawing order.
func (p *painter) items(pn *model.Panel, fc *face) []item {
	var out []item
	add := func(it item) {
		h := mix(fnvOffset, uint64(len(out)))
		if it.label {
			l := it.text
			h = hashLabel(h, l)
			it.r = image.Rect(l.X-2, l.Y-1, l.X+fc.metrics.Width(l.S)+2, l.Y+fc.metrics.LineHeight()+1)
		} else {
			h = hashBox(mix(h, 1), it.box)
			it.r = it.box.R
		}
		it.hash = h
		out = append(out, it)
	}
	if pn.Title != "" {
		y := pn.Inner().Min.Y - 3
		add(item{box: model.Box{R: image.Rect(pn.Rect.Min.X+1, y, pn.Rect.Max.X-1, y+1), Color: model.PanelEdge}})
	}
	for _, b := range pn.Boxes {
		add(item{box: b})
	}
	if pn.Title != "" {
		add(item{label: true, text: model.Label{X: pn.Inner().Min.X, Y: pn.TitleY(), S: pn.Title, Color: model.Accent}})
	}
	for _, l := range pn.Texts {
		add(item{label: true, text: l})
	}
	return out
}

// diff is the pixels where two lists of items differ: those of the items
// only one of them has. Items are matched by their hash, which covers
// their place in the list, so a change of drawing order shows too.
func diff(old, new []item) []image.Rectangle {
	seen := make(map[uint64]int, len(old))
	for _, it := range old {
		seen[it.hash]++
	}
	var out []image.Rectangle
	for _, it := range new {
		if seen[it.hash] > 0 {
			seen[it.hash]--
			continue
		}
		out = append(out, it.r)
	}
	for _, it := range old {
		if seen[it.hash] > 0 {
			seen[it.hash]--
			out = append(out, it.r)
		}
	}
	return out
}

// merge joins rectangles that overlap or nearly touch, until none do:
// each is then painted once.
func merge(rs []image.Rectangle) []image.Rectangle {
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(rs) && !changed; i++ {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Inset(-2).Overlaps(rs[j]) {
					rs[i] = rs[i].Union(rs[j])
					rs = append(rs[:j], rs[j+1:]...)
					changed = true
					break
				}
			}
		}
	}
	return rs
}

// panelBoxes adds a panel's fill and border.
func (p *painter) panelBoxes(pn *model.Panel) {
	r := pn.Rect
	p.rect(r, pn.Fill)
	if pn.Title != "" || pn.Edge != model.PanelEdge {
		w := edgeWidth(pn)
		p.rect(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), pn.Edge)
		p.rect(image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), pn.Edge)
		p.rect(image.Rect(r.Min.X, r.Min.Y+w, r.Min.X+w, r.Max.Y-w), pn.Edge)
		p.rect(image.Rect(r.Max.X-w, r.Min.Y+w, r.Max.X, r.Max.Y-w), pn.Edge)
	}
}

// edgeWidth is a panel's border in pixels: 3 when it is not the plain
// edge (the TLB panel's red during a flush banner), else 1.
func edgeWidth(pn *model.Panel) int {
	if pn.Edge != model.PanelEdge {
		return 3
	}
	return 1
}

// paintItem adds an item, clipped to clip.
func (p *painter) paintItem(it item, clip image.Rectangle, fc *face) {
	if it.label {
		p.text(it.text.X, it.text.Y, it.text.S, it.text.Color, fc, clip)
		return
	}
	p.rect(it.box.R.Intersect(clip), it.box.Color)
}

// rect adds a filled rectangle to the batch.
func (p *painter) rect(r image.Rectangle, c color.RGBA) {
	if r.Empty() {
		return
	}
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	x0, y0, x1, y1 := float32(r.Min.X), float32(r.Min.Y), float32(r.Max.X), float32(r.Max.Y)
	var q [4]ebiten.Vertex
	for i, v := range [4][2]float32{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		q[i] = ebiten.Vertex{DstX: v[0], DstY: v[1], SrcX: 1, SrcY: 1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca}
	}
	p.boxes.add(q)
}

// text adds s to the text batch: one quad per glyph from the atlas, at
// the pixel nearest its advance, with the colour in the vertices, clipped
// to clip.
func (p *painter) text(x, y int, s string, c color.RGBA, fc *face, clip image.Rectangle) {
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	pen := float64(x)
	for _, r := range s {
		g := fc.glyph(r)
		if r != ' ' {
			min := image.Pt(int(math.Round(pen))-2, y-1)
			q := image.Rectangle{Min: min, Max: min.Add(g.src.Size())}
			d := q.Intersect(clip)
			if !d.Empty() {
				s0 := g.src.Min.Add(d.Min.Sub(q.Min))
				w, h := float32(d.Dx()), float32(d.Dy())
				dx, dy, sx, sy := float32(d.Min.X), float32(d.Min.Y), float32(s0.X), float32(s0.Y)
				var vs [4]ebiten.Vertex
				for i, v := range [4][2]float32{{0, 0}, {w, 0}, {0, h}, {w, h}} {
					vs[i] = ebiten.Vertex{DstX: dx + v[0], DstY: dy + v[1], SrcX: sx + v[0], SrcY: sy + v[1], ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca}
				}
				p.glyphs.add(vs)
			}
		}
		pen += g.adv
	}
}

// flush draws the boxes batched so far.
func (p *painter) flush(dst *ebiten.Image) { p.boxes.draw(dst, p.white, &p.triOp) }

// flushText draws the text batched so far.
func (p *painter) flushText(dst *ebiten.Image, fc *face) { p.glyphs.draw(dst, fc.atlas, &p.triOp) }

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

// hashHead covers what makes a panel be painted whole when it changes.
func hashHead(pn *model.Panel) uint64 {
	return hashString(hashColor(hashColor(hashRect(fnvOffset, pn.Rect), pn.Fill), pn.Edge), pn.Title)
}

// hashPanel covers everything a panel draws.
func hashPanel(pn *model.Panel) uint64 {
	h := hashHead(pn)
	for _, b := range pn.Boxes {
		h = hashBox(h, b)
	}
	for _, t := range pn.Texts {
		h = hashLabel(h, t)
	}
	return h
}

func hashBox(h uint64, b model.Box) uint64 { return hashColor(hashRect(h, b.R), b.Color) }

func hashLabel(h uint64, l model.Label) uint64 {
	return hashString(hashColor(mix(h, uint64(uint32(l.X))<<32|uint64(uint32(l.Y))), l.Color), l.S)
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
