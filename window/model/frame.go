package model

import (
	"image"
	"image/color"

	"vcpu/kernel"
)

// Frame is everything the window draws in one frame, laid out in pixels
// for the window's size and font. The window paints it and decides
// nothing.
type Frame struct {
	Geo Geometry

	Header, Memory, CPU, Output, Spaces, Source, Procs, TLB, Timeline, Help Panel
	Tooltip                                                                 *Panel // what the mouse points at, drawn last; nil: nothing

	MemoryMap *image.RGBA // one cell per physical frame, placed at MemoryMap.Rect
	Map       MapInfo

	// TimelineImage is the timeline's plot, placed at its Rect. Only
	// TimelineDirty changed since the last frame unless TimelineFull.
	TimelineImage *image.RGBA
	TimelineDirty image.Rectangle
	TimelineFull  bool

	Regs    []RegRow
	RegsOf  Selection // whose registers they are
	Inst    Inst
	Lines   []OutLine // the guest output shown
	Threads []ThreadRow
	Ready   []int
	TLBRows []TLBRow
	Banner  *Banner
	Columns []SpaceColumn
	Listing Listing
	Lanes   []Lane
	Buttons []Button // the help line: one button per key

	Selected Selection // what the user picked (zero: following the running thread)
	Focus    Selection // what the panels show: the selection, else the running (or last) thread
	Hover    *Hit      // what the mouse is over
	Notices  []string  // everything left out for lack of room, as shown
	Ended    string    // what ended the run ("" while it goes on)
	Snap     *kernel.Snapshot
}

// Clock is the machine's clock in the frame.
func (f *Frame) Clock() uint64 { return f.Snap.Clock }

// Panels lists the frame's panels in drawing order.
func (f *Frame) Panels() []*Panel {
	ps := []*Panel{&f.Header, &f.Memory, &f.CPU, &f.Output, &f.Spaces, &f.Source, &f.Procs, &f.TLB, &f.Timeline, &f.Help}
	if f.Tooltip != nil {
		ps = append(ps, f.Tooltip)
	}
	return ps
}

// NamedPanel is a panel with a name that does not change with its title.
type NamedPanel struct {
	Name  string
	Panel *Panel
}

// Named lists the panels by stable names: header, memory, cpu, output,
// spaces, source, procs, tlb, timeline, help (and tooltip).
func (f *Frame) Named() []NamedPanel {
	names := []string{"header", "memory", "cpu", "output", "spaces", "source", "procs", "tlb", "timeline", "help", "tooltip"}
	var out []NamedPanel
	for i, p := range f.Panels() {
		out = append(out, NamedPanel{names[i], p})
	}
	return out
}

// Panel is one box of the window: a title, a rectangle, and what is drawn
// inside it, already positioned and fitted.
type Panel struct {
	Title string
	// TitleFull is the whole title when Title was shortened to fit
	// (hovering over the title shows it).
	TitleFull string
	Rect      image.Rectangle
	Edge      color.RGBA // border colour (red while the TLB flush banner shows)
	Fill      color.RGBA
	Boxes     []Box
	Texts     []Label
	Hits      []Hit // regions the mouse can point at or click, last on top

	m   Metrics
	pad int
}

// Box is a filled rectangle.
type Box struct {
	R     image.Rectangle
	Color color.RGBA
}

// Label is one line of text with the top-left corner of its line box at
// X, Y. Full is the whole text when S had to be shortened (S then ends
// with Ellipsis); hovering over it shows Full.
type Label struct {
	X, Y  int
	S     string
	Color color.RGBA
	Full  string
}

// Rect is the label's box for metrics m.
func (l Label) Rect(m Metrics) image.Rectangle {
	return image.Rect(l.X, l.Y, l.X+m.Width(l.S), l.Y+m.LineHeight())
}

// Selection names a process (TID 0) or a thread; the zero value means
// "follow the running thread".
type Selection struct{ PID, TID int }

// Hit is a region of the window the mouse can point at: hovering shows
// Tip (or TipAt's lines, computed for the point) and highlights Frames in
// the memory map; a click selects Select, or presses Key for a button.
// Scroll names what the wheel scrolls there.
type Hit struct {
	R      image.Rectangle
	Tip    []string
	TipAt  func(p image.Point) (tip []string, frames []int)
	Select Selection
	Key    string
	Frames []int
	Scroll string
}

// Button is a clickable key of the help line.
type Button struct {
	R     image.Rectangle
	Key   string // as Session.Press takes it
	Label string
	On    bool // the state it toggles is on (paused, top speed)
}

// MapInfo says how the memory map's cells are laid out.
type MapInfo struct {
	Cols, Cell int
	PIDs       []int // the owner of each shown cell's frame (0: free)
	Shown      int   // cells shown (a huge memory shows only the first)
	Remembered bool  // the run ended: the map shows memory as it was before the end
}

func newPanel(title string, r image.Rectangle, m Metrics, pad int) Panel {
	return Panel{Title: title, Rect: r, Edge: PanelEdge, Fill: PanelFill, m: m, pad: pad}
}

// Inner is the panel's content area: inside the border, below the title.
func (p *Panel) Inner() image.Rectangle {
	top := p.Rect.Min.Y + p.pad
	if p.Title != "" {
		top += p.m.LineHeight() + p.pad/2
	}
	return image.Rect(p.Rect.Min.X+p.pad, top, p.Rect.Max.X-p.pad, p.Rect.Max.Y-p.pad/2)
}

// TitleY is where the title's line box starts.
func (p *Panel) TitleY() int { return p.Rect.Min.Y + p.pad/2 }

// text places s at x, y, shortened to end before the panel's inner right
// edge, and returns where the next text on the line may start.
func (p *Panel) text(x, y int, s string, c color.RGBA) int {
	return p.textW(x, y, p.Rect.Max.X-p.pad-x, s, c)
}

// textW places s at x, y in at most w pixels; a shortened text gets a
// hit that shows it whole.
func (p *Panel) textW(x, y, w int, s string, c color.RGBA) int {
	fit, cut := Fit(p.m, s, max(w, 0))
	l := Label{X: x, Y: y, S: fit, Color: c}
	if cut {
		l.Full = s
		p.Hits = append(p.Hits, Hit{R: image.Rect(x, y, x+max(w, 1), y+p.m.LineHeight()), Tip: []string{s}})
	}
	if fit != "" {
		p.Texts = append(p.Texts, l)
	}
	return x + p.m.Width(fit)
}

// titleName sets the title to prefix+name+suffix, shortening the name
// first when it does not fit (FitName); the whole stays for hover.
func (p *Panel) titleName(prefix, name, suffix string) {
	whole := prefix + name + suffix
	t, cut := FitName(p.m, prefix, name, suffix, p.Rect.Dx()-2*p.pad)
	p.Title, p.TitleFull = t, ""
	if cut {
		p.TitleFull = whole
	}
}

// textAs places shown, a shortened form of full made to fit w pixels
// (FitName), at x, y; full shows on hover when they differ.
func (p *Panel) textAs(x, y, w int, shown, full string, c color.RGBA) int {
	if shown == full {
		return p.textW(x, y, w, shown, c)
	}
	fit, _ := Fit(p.m, shown, max(w, 0))
	p.Hits = append(p.Hits, Hit{R: image.Rect(x, y, x+max(w, 1), y+p.m.LineHeight()), Tip: []string{full}})
	if fit != "" {
		p.Texts = append(p.Texts, Label{X: x, Y: y, S: fit, Color: c, Full: full})
	}
	return x + p.m.Width(fit)
}

// textRight places s so that it ends at x.
func (p *Panel) textRight(x, y int, s string, c color.RGBA) {
	w := p.m.Width(s)
	p.Texts = append(p.Texts, Label{X: x - w, Y: y, S: s, Color: c})
}

func (p *Panel) box(r image.Rectangle, c color.RGBA) {
	r = r.Intersect(p.Rect)
	if !r.Empty() {
		p.Boxes = append(p.Boxes, Box{R: r, Color: c})
	}
}

// outline draws r's border, w pixels wide, inside r.
func (p *Panel) outline(r image.Rectangle, w int, c color.RGBA) {
	p.box(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), c)
	p.box(image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), c)
	p.box(image.Rect(r.Min.X, r.Min.Y+w, r.Min.X+w, r.Max.Y-w), c)
	p.box(image.Rect(r.Max.X-w, r.Min.Y+w, r.Max.X, r.Max.Y-w), c)
}

func (p *Panel) hit(h Hit) { p.Hits = append(p.Hits, h) }

// hitUnder adds h beneath every hit the panel has so far: an area (a
// scroll region, a title) that the hits over it take precedence over.
func (p *Panel) hitUnder(h Hit) { p.Hits = append([]Hit{h}, p.Hits...) }

// HitAt is the topmost hit under pt: the tooltip first, then panels from
// the last drawn, and within a panel the last added.
func (f *Frame) HitAt(pt image.Point) (Hit, bool) {
	ps := f.Panels()
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if !pt.In(p.Rect) {
			continue
		}
		for j := len(p.Hits) - 1; j >= 0; j-- {
			if pt.In(p.Hits[j].R) {
				return p.Hits[j], true
			}
		}
		return Hit{R: p.Rect}, true // the panel's background
	}
	return Hit{}, false
}

// RegRow is one register as shown: changed since the last frame or not.
type RegRow struct {
	Name, Value string
	Changed     bool
}

// Inst is the instruction at the shown thread's pc.
type Inst struct {
	PC    uint32
	Text  string // disassembly, or why there is none
	Where string // file:line and label, or ""
}

// OutLine is one line a guest wrote, tagged with the writer (pid 0: vcpu itself).
type OutLine struct {
	PID  int
	Text string
}

// ThreadRow is one thread's state, and what it waits for.
type ThreadRow struct {
	PID, TID int
	State    string
	Waits    string
}

// TLBRow is one TLB slot. Owner is the pid owning the frame it maps.
// New: it was filled since the last frame (after a miss). Used: it was hit
// since the last frame (it moved up the LRU order).
type TLBRow struct {
	Slot      int
	Valid     bool
	ASID, VPN uint32
	Frame     uint32
	LRURank   int
	Owner     int
	New, Used bool
}

// Lane is one thread's row of the timeline.
type Lane struct {
	PID, TID int
	Label    string
	Y, H     int // in pixels, on screen
	Color    color.RGBA
}
