package model

import (
	"image/color"
	"math"

	"vcpu/cpu"
)

// Fixed colours of the window: the dark background, text, and the marks
// that must stand out (flushes and process switches are red on purpose).
var (
	Background = color.RGBA{18, 20, 26, 255}
	PanelFill  = color.RGBA{28, 31, 40, 255}
	PanelEdge  = color.RGBA{62, 68, 84, 255}
	FreeFrame  = color.RGBA{44, 47, 56, 255}
	Text       = color.RGBA{225, 228, 235, 255}
	Dim        = color.RGBA{130, 136, 150, 255}
	Accent     = color.RGBA{255, 214, 90, 255}  // changed registers, headings
	FlushRed   = color.RGBA{235, 60, 60, 255}   // TLB flushes and process switches
	ThreadGrey = color.RGBA{150, 155, 165, 255} // thread switches
	HitGreen   = color.RGBA{90, 210, 120, 255}
	MissOrange = color.RGBA{255, 150, 60, 255}
)

// StateColor is how a thread state is written: running stands out, ready
// waits in yellow, blocked and sleeping are cool, exited is dim.
func StateColor(state string) color.RGBA {
	switch state {
	case "running":
		return HitGreen
	case "ready":
		return Accent
	case "blocked":
		return MissOrange
	case "sleeping":
		return color.RGBA{110, 160, 255, 255}
	}
	return Dim
}

// hue is the hue in degrees of a process: pids step by the golden angle,
// so that neighbouring pids get clearly different colours.
func hue(pid int) float64 {
	return math.Mod(float64(pid-1)*137.508+200, 360)
}

// ProcessColor is a process's own colour: its hue at full strength, the
// colour of its name, its timeline lane and its TLB rows.
func ProcessColor(pid int) color.RGBA {
	if pid <= 0 {
		return FreeFrame
	}
	return hsv(hue(pid), 0.70, 0.95)
}

// kindShade is the (saturation, value) of each segment kind: code is the
// darkest, the stack the lightest, so that one process's frames read as
// one colour and its kinds as shades of it.
var kindShade = [cpu.NumSegKinds][2]float64{
	cpu.SegCode:  {0.85, 0.50},
	cpu.SegData:  {0.75, 0.68},
	cpu.SegBSS:   {0.65, 0.80},
	cpu.SegHeap:  {0.50, 0.90},
	cpu.SegStack: {0.28, 1.00},
}

// FrameColor is the colour of one physical frame in the memory map: free
// frames are dark, owned ones are the owner's hue in the shade of the
// segment kind.
func FrameColor(pid int, kind cpu.SegKind) color.RGBA {
	if pid <= 0 {
		return FreeFrame
	}
	sv := kindShade[min(kind, cpu.NumSegKinds-1)]
	return hsv(hue(pid), sv[0], sv[1])
}

func hsv(h, s, v float64) color.RGBA {
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	to := func(f float64) uint8 { return uint8(math.Round((f + m) * 255)) }
	return color.RGBA{to(r), to(g), to(b), 255}
}
