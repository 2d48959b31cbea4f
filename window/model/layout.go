package model

import (
	"image"
	"math"

	"vcpu/cpu"
)

// Geometry is where each panel sits in a window of a given size, for a
// given line height. Arrange computes it; the panels' contents re-flow
// inside it, so the window is never scaled as a bitmap.
type Geometry struct {
	Size      image.Point
	LineH     int // the font's line height: every margin is a fraction of it
	Pad, Gap  int // inside a panel's border; between panels
	Header    image.Rectangle
	Memory    image.Rectangle // physical memory
	CPU       image.Rectangle // registers and the instruction at pc
	Output    image.Rectangle // guest output
	Spaces    image.Rectangle // address spaces, one column per process
	Source    image.Rectangle // the selected thread's source listing
	Procs     image.Rectangle // processes, threads, ready queue
	TLB       image.Rectangle
	Timeline  image.Rectangle
	Help      image.Rectangle // the help line: one button per key
	Narrowest int             // the narrowest panel's width, for tests
	HelpRows  int             // the buttons take one row, or two in a narrow window
}

// MinSize is the smallest window the layout is made for; below it the
// panels still do not overlap, but text is shortened a lot.
var MinSize = image.Pt(1024, 700)

// Zooms are the zoom factors Ctrl+plus and Ctrl+minus step through;
// Ctrl+0 goes back to 1.
var Zooms = []float64{0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2}

// ZoomDefault is the index of 1 in Zooms.
const ZoomDefault = 3

// FontSize is the font's size in pixels for a window of size (in device
// pixels, scale device pixels per logical pixel) at zoom: 13 px at
// 1280x800, growing more slowly than the window, so that a big window
// shows more and bigger text at once.
func FontSize(size image.Point, scale, zoom float64) float64 {
	s := math.Min(float64(size.X)/scale/1280, float64(size.Y)/scale/800)
	if s > 1 {
		s = 1 + (s-1)*0.5
	} else {
		s = math.Max(s, 0.85)
	}
	// A line must leave room for about 30 lines in the window's height:
	// past that, zooming in stops growing the text.
	return math.Round(math.Min(13*s*scale*zoom, float64(size.Y)/41)*2) / 2
}

// Arrange places the panels in a window of size, for text measured by m:
// a header line, three columns (memory, CPU and output; address spaces
// and source; processes and TLB), the timeline across the bottom, and
// the buttons under it.
func Arrange(size image.Point, m Metrics) Geometry {
	lh := max(m.LineHeight(), 8)
	g := Geometry{Size: size, LineH: lh, Pad: max(4, lh/3), Gap: max(3, lh/4)}
	W, H := size.X, size.Y
	g.Header = image.Rect(0, 0, W, lh+2*g.Pad)
	g.HelpRows = 1
	if helpWidth(m, g) > W {
		g.HelpRows = 2
	}
	g.Help = image.Rect(0, H-g.HelpRows*(lh+g.Pad+2)-g.Pad, W, H)
	body := image.Rect(g.Gap, g.Header.Max.Y+g.Gap, W-g.Gap, g.Help.Min.Y-g.Gap)
	tlH := max(9*lh, body.Dy()*27/100)
	g.Timeline = image.Rect(body.Min.X, body.Max.Y-tlH, body.Max.X, body.Max.Y)
	top := image.Rect(body.Min.X, body.Min.Y, body.Max.X, g.Timeline.Min.Y-g.Gap)
	w1 := top.Dx() * 29 / 100
	w2 := top.Dx() * 39 / 100
	c1 := image.Rect(top.Min.X, top.Min.Y, top.Min.X+w1, top.Max.Y)
	c2 := image.Rect(c1.Max.X+g.Gap, top.Min.Y, c1.Max.X+g.Gap+w2, top.Max.Y)
	c3 := image.Rect(c2.Max.X+g.Gap, top.Min.Y, top.Max.X, top.Max.Y)
	// Left: memory, then the CPU (title, registers, instruction), then output.
	regCols := RegColumns(w1-2*g.Pad, m)
	regRows := (cpu.NumRegs + 1 + regCols - 1) / regCols // the registers and the pc
	cpuH := lh*(regRows+4) + 2*g.Pad + g.Pad/2
	// The memory map keeps its title, a note, three lines of cells and its
	// legend; the output three lines; the CPU panel gives up its last lines
	// first when the column is short.
	memMin, outMin := 7*lh+2*g.Pad, 3*lh+2*g.Pad
	cpuH = max(min(cpuH, c1.Dy()-2*g.Gap-memMin-outMin), 4*lh)
	memH := max(memMin, (c1.Dy()-cpuH)*55/100)
	memH = max(min(memH, c1.Dy()-cpuH-2*g.Gap-outMin), 5*lh)
	g.Memory = image.Rect(c1.Min.X, c1.Min.Y, c1.Max.X, c1.Min.Y+memH)
	g.CPU = image.Rect(c1.Min.X, g.Memory.Max.Y+g.Gap, c1.Max.X, g.Memory.Max.Y+g.Gap+cpuH)
	g.Output = image.Rect(c1.Min.X, g.CPU.Max.Y+g.Gap, c1.Max.X, c1.Max.Y)
	spH := c2.Dy() * 60 / 100
	g.Spaces = image.Rect(c2.Min.X, c2.Min.Y, c2.Max.X, c2.Min.Y+spH)
	g.Source = image.Rect(c2.Min.X, g.Spaces.Max.Y+g.Gap, c2.Max.X, c2.Max.Y)
	prH := c3.Dy() * 46 / 100
	g.Procs = image.Rect(c3.Min.X, c3.Min.Y, c3.Max.X, c3.Min.Y+prH)
	g.TLB = image.Rect(c3.Min.X, g.Procs.Max.Y+g.Gap, c3.Max.X, c3.Max.Y)
	g.Narrowest = min(c1.Dx(), c2.Dx(), c3.Dx())
	return g
}

// RegColumns is how many columns of registers fit in w pixels.
func RegColumns(w int, m Metrics) int { return max(1, min(4, w/m.Width(regCell))) }
