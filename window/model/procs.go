package model

import (
	"fmt"
	"image"
	"image/color"
	"regexp"
	"strings"

	"vcpu/cpu"
	"vcpu/kernel"
)

// row is one entry of a list that may not fit: must rows (the running
// thread, the selection) are shown whatever the scroll. A row takes one
// line, or two when its text is wrapped (a long wait reason).
type row struct {
	text  string
	more  string // a second line, or ""
	full  string // the whole text when text (and more) shorten it
	color color.RGBA
	sel   Selection
	tip   []string
	must  bool
	ind   int // indent, in pixels
	mark  bool
	hl    bool
}

// height is how many lines r takes.
func (r row) height() int {
	if r.more != "" {
		return 2
	}
	return 1
}

// procs fills the processes panel: every process the kernel still keeps
// (live, ended and not yet waited for, and the last ones that ended), its
// threads and what each waits for, then the ready queue.
func (m *Model) procs(f *Frame, in *Input) {
	s := in.Snap
	p := &f.Procs
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	ind := in.Metrics.Width("  ")
	sw := lh * 2 / 3
	var rows []row
	nProcs, nThreads := 0, 0
	for i := range s.Processes {
		pv := &s.Processes[i]
		for _, t := range pv.Threads {
			f.Threads = append(f.Threads, ThreadRow{PID: pv.PID, TID: t.TID, State: t.State.String(), Waits: t.Waits})
		}
		nProcs++
		state := pv.State.String()
		if pv.Parent != 0 {
			state += fmt.Sprintf("  parent %d", pv.Parent)
		}
		if pv.Ended != nil {
			state = endedHow(pv)
		}
		prefix := fmt.Sprintf("pid %d ", pv.PID)
		head, cut := FitName(in.Metrics, prefix, pv.Name, "  "+state, inner.Dx()-sw-4)
		whole := prefix + pv.Name + "  " + state
		tip := []string{whole}
		if e := pv.Ended; e != nil && e.Fault != "" {
			tip = append(tip, e.Fault)
			if e.Where != "" {
				tip = append(tip, "at "+e.Where)
			}
		}
		tip = append(tip, "click to select it")
		sel := Selection{PID: pv.PID}
		r := row{text: head, color: ProcessColor(pv.PID), sel: sel, tip: tip, mark: true,
			must: f.Selected.PID == pv.PID || f.Focus.PID == pv.PID || (s.Running != nil && s.Running.PID == pv.PID), hl: f.Selected == sel}
		if cut {
			r.full = whole
		}
		rows = append(rows, r)
		if pv.Ended != nil && f.Selected.PID != pv.PID {
			continue // an ended process's threads are shown when it is selected
		}
		// Threads that have exited and wait to be joined are one row when
		// there are many of them (forkbomb.s joins 31): each its own row
		// pushed every other process off the panel.
		var exited []int
		manyExited := countExited(pv) > 3
		for _, t := range pv.Threads {
			nThreads++
			tsel := Selection{PID: pv.PID, TID: t.TID}
			must := t.State == kernel.Running || f.Selected == tsel || f.Focus == tsel
			if t.State == kernel.Exited && !must && manyExited {
				exited = append(exited, t.TID)
				continue
			}
			r := threadRow(in.Metrics, inner.Dx()-ind, t)
			r.sel, r.ind, r.must, r.hl = tsel, ind, must, f.Selected == tsel
			r.tip = []string{fmt.Sprintf("pid %d tid %d: %s", pv.PID, t.TID, t.State), threadLine(t), fmt.Sprintf("pc 0x%08x  sp 0x%08x", t.Regs.PC, t.Regs.R[cpu.SP]), "click to select it"}
			rows = append(rows, r)
		}
		if len(exited) > 0 {
			text := fmt.Sprintf("%d exited: tid %s", len(exited), tidRanges(exited))
			rows = append(rows, row{text: text, color: StateColor(kernel.Exited), sel: sel, ind: ind,
				tip: []string{fmt.Sprintf("pid %d: %d threads have exited", pv.PID, len(exited)), "tid " + tidRanges(exited), "click the process to select it"}})
		}
	}
	if s.Summary.ProcessesDropped > 0 {
		rows = append(rows, row{text: fmt.Sprintf("(%d ended processes no longer kept)", s.Summary.ProcessesDropped), color: Dim})
	}
	avail := max(1, (inner.Dy()-lh-2)/lh) // the ready queue takes the last line
	shown, hidden := scrollRows(rows, avail, in.Scroll["procs"])
	y := inner.Min.Y
	for _, r := range shown {
		rr := image.Rect(inner.Min.X, y, inner.Max.X, y+r.height()*lh)
		if r.hl {
			p.box(rr, RowHilite)
		}
		x := inner.Min.X + r.ind
		if r.mark {
			p.box(image.Rect(x, y+(lh-sw)/2, x+sw, y+(lh+sw)/2), r.color)
			x += sw + 4
		}
		if r.full != "" {
			p.textAs(x, y, inner.Max.X-x, r.text, r.full, r.color)
		} else {
			p.textW(x, y, inner.Max.X-x, r.text, r.color)
		}
		if r.more != "" {
			x2 := x + 2*ind
			p.textW(x2, y+lh, inner.Max.X-x2, r.more, r.color)
		}
		if r.sel != (Selection{}) {
			p.hit(Hit{R: rr, Tip: r.tip, Select: r.sel, Scroll: "procs"})
		}
		y += r.height() * lh
	}
	if hidden > 0 {
		note := fmt.Sprintf("+%d more rows (%s, %s): the wheel scrolls", hidden, plural(nProcs, "process", "processes"), plural(nThreads, "thread", "threads"))
		p.textW(inner.Min.X, y, inner.Dx(), note, Dim)
		f.Notices = append(f.Notices, note)
	}
	p.hitUnder(Hit{R: inner, Scroll: "procs"}) // the scroll area under the rows
	f.Ready = append(f.Ready, s.Ready...)
	q := "ready queue: (empty)"
	if len(s.Ready) > 0 {
		var b strings.Builder
		b.WriteString("ready queue: ")
		for i, tid := range s.Ready {
			if i > 0 {
				b.WriteString(" ← ")
			}
			fmt.Fprintf(&b, "tid %d", tid)
		}
		q = b.String()
	}
	p.textW(inner.Min.X, inner.Max.Y-lh, inner.Dx(), q, Accent)
}

// threadLine is a thread's row in full: its state and what it waits for.
func threadLine(t kernel.ThreadView) string {
	line := fmt.Sprintf("tid %d %s", t.TID, t.State)
	if t.Waits != "" {
		line += ": waits for " + t.Waits
	}
	if t.State == kernel.Running {
		line = "> " + line
	}
	return line
}

// namedAddr is an address with the data label it falls on, as the kernel
// writes it in a wait reason: "0x00002004 (mutex)".
var namedAddr = regexp.MustCompile(`0x[0-9a-f]{8} \(([^()]+)\)`)

// threadRow lays out a thread's row in w pixels. What a blocked thread
// waits for is the point of the row ("held by tid 2" above all), so
// rather than cut it, the row drops words that say nothing new (": waits
// for" after "blocked"), then a named address's digits, and then wraps
// onto a second line, before the holder.
func threadRow(m Metrics, w int, t kernel.ThreadView) row {
	full := threadLine(t)
	r := row{text: full, color: StateColor(t.State)}
	if t.Waits == "" || m.Width(full) <= w {
		return r
	}
	r.full = full
	on := fmt.Sprintf("tid %d %s on ", t.TID, t.State)
	short := namedAddr.ReplaceAllString(t.Waits, "$1")
	for _, c := range []string{on + t.Waits, on + short} {
		if m.Width(c) <= w {
			r.text = c
			return r
		}
	}
	for _, c := range []string{on + t.Waits, on + short} {
		if i := strings.LastIndex(c, " held by "); i > 0 && m.Width(c[:i]) <= w {
			r.text, r.more = c[:i], c[i+1:]
			return r
		}
	}
	r.text, r.more = wrap(m, on+t.Waits, w)
	return r
}

// wrap breaks s at the last space that lets its first part fit in w
// pixels (at w when no space does); the second part may still need
// shortening.
func wrap(m Metrics, s string, w int) (string, string) {
	cut := -1
	for i, c := range s {
		if c == ' ' && i > 0 {
			if m.Width(s[:i]) > w {
				break
			}
			cut = i
		}
	}
	if cut < 0 {
		first, _ := Fit(m, s, w)
		return first, ""
	}
	return s[:cut], s[cut+1:]
}

func countExited(pv *kernel.ProcessView) int {
	n := 0
	for _, t := range pv.Threads {
		if t.State == kernel.Exited {
			n++
		}
	}
	return n
}

// tidRanges writes ascending tids short: "2, 5-9, 12".
func tidRanges(tids []int) string {
	var b strings.Builder
	for i := 0; i < len(tids); {
		j := i
		for j+1 < len(tids) && tids[j+1] == tids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		switch {
		case j == i:
			fmt.Fprintf(&b, "%d", tids[i])
		case j == i+1:
			fmt.Fprintf(&b, "%d, %d", tids[i], tids[j])
		default:
			fmt.Fprintf(&b, "%d–%d", tids[i], tids[j])
		}
		i = j + 1
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// scrollRows picks the rows that fit in avail lines from offset, keeping
// every must row: it returns them in order and how many were left out.
// One line is kept for the notice when some are.
func scrollRows(rows []row, avail, offset int) ([]row, int) {
	total := 0
	for _, r := range rows {
		total += r.height()
	}
	if total <= avail {
		return rows, 0
	}
	avail-- // the notice
	// The furthest offset still fills the lines: scrolling stops at the end.
	last, tail := len(rows), 0
	for last > 0 && tail+rows[last-1].height() <= avail {
		last--
		tail += rows[last].height()
	}
	offset = max(0, min(offset, last))
	in := make([]bool, len(rows))
	used := 0
	for i := offset; i < len(rows) && used+rows[i].height() <= avail; i++ {
		in[i], used = true, used+rows[i].height()
	}
	// Must rows outside the window replace its last ordinary rows.
	for i, r := range rows {
		if !r.must || in[i] {
			continue
		}
		for j := len(rows) - 1; j >= 0 && used+r.height() > avail; j-- {
			if in[j] && !rows[j].must {
				in[j], used = false, used-rows[j].height()
			}
		}
		if used+r.height() <= avail {
			in[i], used = true, used+r.height()
		}
	}
	var out []row
	for i, r := range rows {
		if in[i] {
			out = append(out, r)
		}
	}
	return out, len(rows) - len(out)
}
