package model

import (
	"fmt"
	"image"
	"image/color"

	"vcpu/kernel"
)

// tlb fills the TLB panel: one row per slot, coloured by the process that
// owns the frame it maps, marked new (filled after a miss) or used (hit)
// since the last frame; and, for FlashTicks frames after a flush, a red
// banner and border that cannot be missed.
func (m *Model) tlb(f *Frame, s *kernel.Snapshot) {
	p := &f.TLB
	x, y := p.inner()
	st := s.TLBStats
	f.Flash = m.flash
	if m.flash > 0 {
		f.Flash = m.flash
		p.Edge = FlushRed
		banner := image.Rect(p.Rect.Min.X+2, y-2, p.Rect.Max.X-2, y+2*LineH+2)
		p.box(banner, fade(FlushRed, m.flash))
		p.text(x, y, "TLB FLUSHED on a process switch", Text)
		what := fmt.Sprintf("%d entries", m.flushArg)
		if m.flushArg == 1 {
			what = "1 entry"
		}
		p.text(x, y+LineH, what+" thrown away: the new process starts cold", Text)
	} else {
		asid := "off: flushed on every process switch"
		if s.Summary.ASID {
			asid = "on: entries tagged, no flush"
		}
		p.text(x, y, "ASIDs "+asid, Dim)
		p.text(x, y+LineH, fmt.Sprintf("hits %d  misses %d  flushes %d", st.Hits, st.Misses, st.Flushes), Dim)
	}
	y += 2*LineH + 6
	p.text(x, y, "slot  asid  page       frame  owner  lru", Dim)
	y += LineH
	rows := p.linesFrom(y)
	n := len(s.TLB)
	for i, e := range s.TLB {
		row := TLBRow{Slot: i, Valid: e.Valid, ASID: e.ASID, VPN: e.VPN, Frame: e.Frame, LRURank: e.LRURank}
		if e.Valid {
			if int(e.Frame) < len(s.Frames) {
				row.Owner = s.Frames[e.Frame].PID
			}
			var prev kernel.TLBEntryView
			if i < len(m.prevTLB) {
				prev = m.prevTLB[i]
			}
			row.New = !prev.Valid || prev.VPN != e.VPN || prev.ASID != e.ASID || prev.Frame != e.Frame
			row.Used = !row.New && e.LastUse() > prev.LastUse()
		}
		f.TLBRows = append(f.TLBRows, row)
		if i >= rows-1 && n > rows {
			if i == rows-1 {
				p.text(x, y, fmt.Sprintf("... %d more slots", n-i), Dim)
			}
			continue
		}
		if !e.Valid {
			p.text(x, y, fmt.Sprintf("%4d  --    (empty)", i), Dim)
			y += LineH
			continue
		}
		c := ProcessColor(row.Owner)
		p.box(image.Rect(x, y+3, x+4, y+13), c)
		asid := "-"
		if s.Summary.ASID {
			asid = fmt.Sprint(e.ASID)
		}
		p.text(x, y, fmt.Sprintf("%4d  %-4s  %08x -> %5d  %-5s  %3d", i, asid, e.VPN<<12, e.Frame, fmt.Sprintf("pid %d", row.Owner), e.LRURank), c)
		mx := x + 46*CharW
		switch {
		case row.New:
			p.text(mx, y, "new (miss)", MissOrange)
		case row.Used:
			p.text(mx, y, "hit", HitGreen)
		}
		y += LineH
	}
}

// fade dims c as the flash runs out, from full to a third.
func fade(c interface{ RGBA() (r, g, b, a uint32) }, left int) color.RGBA {
	r, g, b, _ := c.RGBA()
	k := 0.33 + 0.67*float64(left)/FlashTicks
	return color.RGBA{uint8(float64(r>>8) * k), uint8(float64(g>>8) * k), uint8(float64(b>>8) * k), 255}
}
