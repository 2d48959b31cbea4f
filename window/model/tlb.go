package model

import (
	"fmt"
	"image"
	"image/color"

	"vcpu/cpu"
	"vcpu/kernel"
)

// BannerFrames is how many frames a flush banner shows (1.5 s at 60
// frames a second), fading in its second half.
const BannerFrames = 90

// BannerHold is how many frames a banner stays before a newer flush may
// replace it: at high speeds flushes come every frame, and a banner that
// changed every frame could not be read. Flushes in the meantime are
// counted on it, and the latest of them replaces it when the hold ends,
// so that the banner never names a switch older than BannerHold frames
// while a newer one has happened (the TLB below shows the newer one's
// entries).
const BannerHold = 45

// Banner is the TLB panel's explanation of the last process switch.
type Banner struct {
	Text   string  // "pid 2 → pid 3: TLB flushed, 5 entries dropped"
	Detail string  // what it means
	Flush  bool    // a flush (red); false: an --asid switch, nothing flushed
	More   int     // switches since this one, not shown separately
	Fade   float64 // 1 while fresh, down to 0.3 when it ends
	Age    int     // frames since it appeared
}

// DetailLine is the banner's second line: what the switch means, or,
// when more switches came while it was held, how many.
func (b *Banner) DetailLine() string {
	switch {
	case b.More == 0:
		return b.Detail
	case b.Flush:
		return fmt.Sprintf("+%d more since, each one a cold start", b.More)
	}
	return fmt.Sprintf("+%d more since, none of them flushed", b.More)
}

type bannerState struct {
	cur      *Banner
	start    int
	next     *Banner // the latest switch offered while cur is held
	lastFrom int     // the pid the last switch seen left: a flush names it
	last     lastProcessSwitch
}

// lastProcessSwitch is the run's last switch between address spaces, for
// the TLB panel after the end, when no banner is current.
type lastProcessSwitch struct {
	from, to int
	clock    uint64
	flushed  bool
}

// FlushText is the banner's wording for a flush of n entries on the
// switch from pid a to pid b.
func FlushText(a, b int, n uint64) string {
	what := "nothing to drop"
	switch {
	case n == 1:
		what = "1 entry dropped"
	case n > 1:
		what = fmt.Sprintf("%d entries dropped", n)
	}
	return fmt.Sprintf("pid %d → pid %d: TLB flushed, %s", a, b, what)
}

func (b *bannerState) flush(frame int, e *kernel.Event) {
	b.last = lastProcessSwitch{from: b.lastFrom, to: e.PID, clock: e.Clock, flushed: true}
	b.offer(frame, Banner{Text: FlushText(b.lastFrom, e.PID, uint64(e.Dropped)), Flush: true,
		Detail: "new address space: its first accesses miss"})
}

func (b *bannerState) asidSwitch(frame int, e *kernel.Event) {
	b.last = lastProcessSwitch{from: e.FromPID, to: e.PID, clock: e.Clock}
	b.offer(frame, Banner{Text: fmt.Sprintf("pid %d → pid %d: no flush (--asid)", e.FromPID, e.PID),
		Detail: "entries are tagged: pid " + fmt.Sprint(e.PID) + "'s may still hit"})
}

func (b *bannerState) offer(frame int, nb Banner) {
	if b.cur == nil || frame-b.start >= BannerHold {
		b.cur, b.start, b.next = &nb, frame, nil
		return
	}
	b.cur.More++
	b.next = &nb
}

// at is the banner to show at frame, or nil.
func (b *bannerState) at(frame int) *Banner {
	if b.cur == nil {
		return nil
	}
	if b.next != nil && frame-b.start >= BannerHold {
		b.cur, b.start, b.next = b.next, frame, nil
	}
	age := frame - b.start
	if age >= BannerFrames {
		b.cur = nil
		return nil
	}
	out := *b.cur
	out.Age, out.Fade = age, 1
	if half := BannerFrames / 2; age > half {
		out.Fade = 1 - 0.7*float64(age-half)/float64(BannerFrames-half)
	}
	return &out
}

// endNote says, after the end of the run, what the last process switch
// did to the TLB; no banner is current then.
func (b *bannerState) endNote(asid bool) string {
	l := b.last
	switch {
	case l.to == 0 && asid:
		return "no process switch in this run"
	case l.to == 0:
		return "no process switch, so no flush, in this run"
	case l.flushed:
		return fmt.Sprintf("last flush: pid %d → pid %d at clock %d", l.from, l.to, l.clock)
	}
	return fmt.Sprintf("last process switch: pid %d → pid %d at clock %d", l.from, l.to, l.clock)
}

// tlb fills the TLB panel: the banner explaining the last process switch,
// then one row per slot, coloured by the process that owns the frame it
// maps, marked new (filled after a miss) or hit since the last frame.
func (m *Model) tlb(f *Frame, in *Input) {
	s := in.Snap
	p := &f.TLB
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	y := inner.Min.Y
	st := s.TLBStats
	entries, frames := s.TLB, s.Frames
	remembered := false
	if s.Outcome != kernel.Unfinished && m.lastLive != nil && m.lastLive != s {
		// The run is over and the TLB empty: show it as it was, and say
		// when; a banner about a switch long past would read as if it
		// explained these entries.
		entries, frames, remembered = m.lastLive.TLB, m.lastLive.Frames, true
		p.Title = fmt.Sprintf("TLB as it was at clock %d (the run has ended)", m.lastLive.Clock)
	}
	if !remembered {
		f.Banner = m.banner.at(m.frameNo)
	}
	if b := f.Banner; b != nil {
		base := FlushRed
		if !b.Flush {
			base = ASIDSwitch
		}
		if b.Flush {
			p.Edge = FlushRed
		}
		r := image.Rect(p.Rect.Min.X+3, y-2, p.Rect.Max.X-3, y+2*lh+2) // inside the red border
		fill := fadeTo(base, PanelFill, b.Fade*0.85)
		p.box(r, fill)
		// The --asid banner is near white while fresh: the ink that
		// stands out more from the fill, dark or light.
		ink := Text
		if 2*luma(fill) > luma(Text)+luma(Background) {
			ink = Background
		}
		detail := b.DetailLine()
		p.textW(inner.Min.X, y, inner.Dx(), b.Text, ink)
		p.textW(inner.Min.X, y+lh, inner.Dx(), detail, ink)
		p.hit(Hit{R: r, Tip: []string{b.Text, detail, b.Detail, fmt.Sprintf("flushes so far: %d; hits %d, misses %d", st.Flushes, st.Hits, st.Misses)}})
	} else if remembered {
		p.textW(inner.Min.X, y, inner.Dx(), m.banner.endNote(s.Summary.ASID), Dim)
		p.text(inner.Min.X, y+lh, fmt.Sprintf("hits %d  misses %d  flushes %d", st.Hits, st.Misses, st.Flushes), Dim)
	} else {
		asid := "ASIDs off: a process switch flushes the TLB"
		if s.Summary.ASID {
			asid = "ASIDs on: entries tagged, nothing flushed"
		}
		p.text(inner.Min.X, y, asid, Dim)
		p.text(inner.Min.X, y+lh, fmt.Sprintf("hits %d  misses %d  flushes %d", st.Hits, st.Misses, st.Flushes), Dim)
	}
	y += 2*lh + 4
	// Columns: slot, asid, page, arrow, frame, owner, lru, then the mark.
	// Without ASIDs the asid column would say "-" in every row: it goes,
	// and at 1024 wide "hit" and "miss" fit instead.
	asidCol := ""
	if s.Summary.ASID {
		asidCol = "asid  "
	}
	cols := []int{0}
	for _, c := range []string{"slot  ", asidCol, "00000000 ", "→ ", "frame  ", "pid 00  ", "lru  "} {
		cols = append(cols, cols[len(cols)-1]+in.Metrics.Width(c))
	}
	// A column that does not fit whole is left out (the row's tooltip
	// has it all), rather than cut to "…" in every row.
	cell := func(j, y int, t string, c color.RGBA) {
		x := inner.Min.X + cols[j]
		if cols[j+1] > cols[j] && x+in.Metrics.Width(t) <= inner.Max.X {
			p.textW(x, y, cols[j+1]-cols[j], t, c)
		}
	}
	for i, h := range []string{"slot", "asid", "page", "", "frame", "owner", "lru"} {
		cell(i, y, h, Dim)
	}
	y += lh
	rows := max(0, (inner.Max.Y-y)/lh)
	for i, e := range entries {
		row := TLBRow{Slot: i, Valid: e.Valid, ASID: e.ASID, VPN: e.VPN, Frame: e.Frame, LRURank: e.LRURank}
		if e.Valid {
			if int(e.Frame) < len(frames) {
				row.Owner = frames[e.Frame].PID
			}
			var prev kernel.TLBEntryView
			if i < len(m.prevTLB) {
				prev = m.prevTLB[i]
			}
			row.New = !remembered && (!prev.Valid || prev.VPN != e.VPN || prev.ASID != e.ASID || prev.Frame != e.Frame)
			row.Used = !remembered && !row.New && e.LastUse() > prev.LastUse()
		}
		f.TLBRows = append(f.TLBRows, row)
		if i >= rows-1 && len(entries) > rows {
			if i == rows-1 {
				note := fmt.Sprintf("+%d more slots", len(entries)-i)
				p.text(inner.Min.X, y, note, Dim)
				f.Notices = append(f.Notices, "TLB: "+note)
			}
			continue
		}
		x := inner.Min.X
		if !e.Valid {
			cell(0, y, fmt.Sprintf("%4d", i), Dim)
			cell(2, y, "empty", Dim)
			y += lh
			continue
		}
		c := ProcessColor(row.Owner)
		if remembered {
			c = shade(c, 0.6)
		}
		asid := "-"
		if s.Summary.ASID {
			asid = fmt.Sprint(e.ASID)
		}
		for j, t := range []string{fmt.Sprintf("%4d", i), asid, fmt.Sprintf("%08x", e.VPN<<12), "→", fmt.Sprintf("%5d", e.Frame), fmt.Sprintf("pid %d", row.Owner), fmt.Sprintf("%3d", e.LRURank)} {
			cell(j, y, t, c)
		}
		// "miss", not "new (miss)": the column has room for about six
		// characters at 1280 wide, and the word is the lesson.
		// A word that does not fit is left out, not cut to "…": the row's
		// tooltip says it too.
		mark := func(word string, c color.RGBA) {
			if mx := x + cols[7]; mx+in.Metrics.Width(word) <= inner.Max.X {
				p.text(mx, y, word, c)
			}
		}
		switch {
		case row.New:
			mark("miss", MissOrange)
		case row.Used:
			mark("hit", HitGreen)
		}
		tip := []string{fmt.Sprintf("TLB slot %d", i), fmt.Sprintf("virtual page 0x%05x (0x%08x) → physical frame %d", e.VPN, e.VPN*cpu.PageSize, e.Frame)}
		switch {
		case row.New:
			tip = append(tip, "miss: filled from the page table since the last frame")
		case row.Used:
			tip = append(tip, "hit: used since the last frame without a page-table walk")
		}
		if int(e.Frame) < len(frames) {
			o := frames[e.Frame]
			tip = append(tip, fmt.Sprintf("the frame holds pid %d's %s", o.PID, o.Kind))
		}
		if s.Summary.ASID {
			tip = append(tip, fmt.Sprintf("tagged with address space %d", e.ASID))
		}
		tip = append(tip, fmt.Sprintf("LRU rank %d (0 is evicted next)", e.LRURank))
		p.hit(Hit{R: image.Rect(inner.Min.X, y, inner.Max.X, y+lh), Tip: tip, Frames: []int{int(e.Frame)}, Select: Selection{PID: row.Owner}})
		y += lh
	}
}

// luma is c's brightness, 0 to 255.
func luma(c color.RGBA) int { return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000 }

// fadeTo mixes c toward bg: k = 1 is c.
func fadeTo(c, bg color.RGBA, k float64) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8(float64(b) + (float64(a)-float64(b))*k + 0.5) }
	return color.RGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 255}
}
