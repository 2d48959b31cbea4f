package model

import (
	"image"
	"image/color"
)

// The window's size in pixels, and the debug font's cell: every position
// in a Frame is computed for them.
const (
	Width      = 1280
	Height     = 800
	CharW      = 6
	LineH      = 16
	FlashTicks = 60 // frames a TLB flush stays on screen: about 1 s at 60 frames a second
)

// Frame is everything the window draws in one frame, laid out in pixels.
// The window paints it and decides nothing.
type Frame struct {
	Header, Memory, CPU, Procs, TLB, Timeline, Help Panel

	MemoryMap *image.RGBA // one pixel cell per physical frame, placed at MemoryMap.Rect
	MapCell   int         // a cell's side in pixels (the last pixel of a cell of 4 or more is a gap)
	MapCols   int         // cells per row
	MapPIDs   []int       // the owner of each cell's frame (0: free); a huge memory shows only the frames that fit
	Legend    []LegendItem

	Regs   []RegRow
	Inst   Inst
	Output []string // the last lines the guests wrote

	Threads []ThreadRow
	Ready   []int

	TLBRows []TLBRow
	Flash   int // frames left of the flush flash (0: none showing)

	Lanes []Lane
	Bars  []Bar
	Ticks []Tick

	Keys []Key
}

// Panel is one box of the window: a title, a rectangle, and what is drawn
// inside it, already positioned.
type Panel struct {
	Title string
	Rect  image.Rectangle
	Edge  color.RGBA // border colour (red while the TLB flash lasts)
	Boxes []Box
	Texts []Label
}

// Box is a filled rectangle.
type Box struct {
	R     image.Rectangle
	Color color.RGBA
}

// Label is a string drawn with its top-left corner at X, Y.
type Label struct {
	X, Y  int
	S     string
	Color color.RGBA
}

func (p *Panel) text(x, y int, s string, c color.RGBA) {
	p.Texts = append(p.Texts, Label{X: x, Y: y, S: s, Color: c})
}

func (p *Panel) box(r image.Rectangle, c color.RGBA) {
	p.Boxes = append(p.Boxes, Box{R: r, Color: c})
}

// inner is where a panel's content starts: below its title.
func (p *Panel) inner() (x, y int) { return p.Rect.Min.X + 8, p.Rect.Min.Y + LineH + 6 }

// fits reports how many lines of text fit from y to the panel's bottom.
func (p *Panel) linesFrom(y int) int { return (p.Rect.Max.Y - 4 - y) / LineH }

// Layout is where each panel sits in the 1280x800 window.
var Layout = struct {
	Header, Memory, CPU, Procs, TLB, Timeline, Help image.Rectangle
}{
	Header:   image.Rect(0, 0, Width, 22),
	Memory:   image.Rect(8, 26, 424, 236),
	CPU:      image.Rect(8, 240, 424, 494),
	Procs:    image.Rect(432, 26, 848, 494),
	TLB:      image.Rect(856, 26, 1272, 494),
	Timeline: image.Rect(8, 498, 1272, 774),
	Help:     image.Rect(0, 778, Width, Height),
}

// Panels lists the frame's panels in drawing order.
func (f *Frame) Panels() []*Panel {
	return []*Panel{&f.Header, &f.Memory, &f.CPU, &f.Procs, &f.TLB, &f.Timeline, &f.Help}
}

// LegendItem names a colour of the memory map.
type LegendItem struct {
	Color color.RGBA
	Label string
}

// RegRow is one register as shown: changed since the last frame or not.
type RegRow struct {
	Name, Value string
	Changed     bool
}

// Inst is the instruction at the running thread's pc.
type Inst struct {
	PC    uint32
	Text  string // disassembly, or why there is none
	Where string // file:line, or ""
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
	Y        int // top of the lane, in pixels
	Color    color.RGBA
}

// Bar is a stretch of time a thread held the CPU, in ticks and in pixels.
type Bar struct {
	PID, TID   int
	From, To   uint64
	R          image.Rectangle
	Color      color.RGBA
	StillGoing bool
}

// Tick marks a switch on the timeline: a process switch (red, wide, with
// the TLB flush when there was one) or a thread switch (thin, grey).
type Tick struct {
	Clock   uint64
	Process bool
	Flush   bool
	R       image.Rectangle
	Color   color.RGBA
}

// Key is one keyboard control, as the help line lists it.
type Key struct{ Keys, Does string }
