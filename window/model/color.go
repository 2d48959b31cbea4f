package model

import (
	"image/color"

	"vcpu/cpu"
	"vcpu/kernel"
)

// Fixed colours of the window: the dark background, text, and the marks
// that must stand out. Red is kept for TLB flushes and process switches:
// no process colour is near it.
var (
	Background  = color.RGBA{18, 20, 26, 255}
	PanelFill   = color.RGBA{28, 31, 40, 255}
	PanelEdge   = color.RGBA{62, 68, 84, 255}
	FreeFrame   = color.RGBA{44, 47, 56, 255}
	Text        = color.RGBA{225, 228, 235, 255}
	Dim         = color.RGBA{140, 146, 160, 255}
	Accent      = color.RGBA{255, 214, 90, 255}  // changed registers, headings
	FlushRed    = color.RGBA{235, 60, 60, 255}   // TLB flushes and the process switches that cause them
	ASIDSwitch  = color.RGBA{240, 240, 255, 255} // a process switch with --asid: no flush
	ThreadGrey  = color.RGBA{150, 155, 165, 255} // thread switches
	HitGreen    = color.RGBA{90, 210, 120, 255}
	MissOrange  = color.RGBA{255, 150, 60, 255}
	FaultMark   = color.RGBA{255, 60, 200, 255} // a fault or kill on the timeline
	SelectEdge  = color.RGBA{255, 255, 255, 255}
	TooltipFill = color.RGBA{48, 52, 66, 255}
	ButtonFill  = color.RGBA{44, 49, 62, 255}
	ButtonOn    = color.RGBA{84, 74, 36, 255}
	RowHilite   = color.RGBA{52, 58, 76, 255} // the current source line, the selected row
)

// Palette is the processes' colours: pid p gets Palette[(p-1)%8]. Eight
// hues far from each other, from FlushRed and from ThreadGrey; past eight
// processes the pid, written beside every use of the colour, tells them
// apart.
var Palette = [8]color.RGBA{
	{80, 150, 255, 255},  // blue
	{80, 205, 110, 255},  // green
	{245, 185, 50, 255},  // amber
	{185, 125, 255, 255}, // violet
	{50, 210, 215, 255},  // cyan
	{255, 160, 225, 255}, // pink
	{190, 225, 80, 255},  // lime
	{215, 150, 100, 255}, // tan
}

// StateColor is how a thread state is written: running stands out, ready
// waits in yellow, blocked and sleeping are cool, exited is dim.
func StateColor(state kernel.ThreadState) color.RGBA {
	switch state {
	case kernel.Running:
		return HitGreen
	case kernel.Ready:
		return Accent
	case kernel.Blocked:
		return MissOrange
	case kernel.Sleeping:
		return color.RGBA{110, 160, 255, 255}
	}
	return Dim
}

// ProcessColor is a process's own colour: its name, its timeline lane,
// its address space and its TLB rows.
func ProcessColor(pid int) color.RGBA {
	if pid <= 0 {
		return FreeFrame
	}
	return Palette[(pid-1)%len(Palette)]
}

// kindShade is how dark each segment kind is drawn, of the process's
// colour: code the darkest, the stack the lightest, so that one process's
// frames read as one colour and its kinds as shades of it.
var kindShade = [cpu.NumSegKinds]float64{
	cpu.SegCode:  0.45,
	cpu.SegData:  0.62,
	cpu.SegBSS:   0.76,
	cpu.SegHeap:  0.88,
	cpu.SegStack: 1.0,
}

// FrameColor is the colour of one physical frame in the memory map (and
// of a segment in an address space): free frames are dark, owned ones the
// owner's colour in the shade of the segment kind.
func FrameColor(pid int, kind cpu.SegKind) color.RGBA {
	if pid <= 0 {
		return FreeFrame
	}
	return shade(ProcessColor(pid), kindShade[min(kind, cpu.NumSegKinds-1)])
}

// shade mixes c toward the panel's fill: k = 1 is c, 0 the panel.
func shade(c color.RGBA, k float64) color.RGBA { return fadeTo(c, PanelFill, k) }
