package model

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"vcpu/kernel"
)

// row is one line of a list that may not fit: must rows (the running
// thread, the selection) are shown whatever the scroll.
type row struct {
	text  string
	color color.RGBA
	sel   Selection
	tip   []string
	must  bool
	ind   int // indent, in pixels
	mark  bool
	hl    bool
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
	var rows []row
	nProcs, nThreads := 0, 0
	for i := range s.Processes {
		pv := &s.Processes[i]
		for _, t := range pv.Threads {
			f.Threads = append(f.Threads, ThreadRow{PID: pv.PID, TID: t.TID, State: t.State.String(), Waits: t.Waits})
		}
		nProcs++
		head := fmt.Sprintf("pid %d %s  %s", pv.PID, pv.Name, pv.State)
		if pv.Parent != 0 {
			head += fmt.Sprintf("  parent %d", pv.Parent)
		}
		if pv.Ended != nil {
			head = fmt.Sprintf("pid %d %s  %s", pv.PID, pv.Name, endedHow(pv))
		}
		tip := []string{head}
		if e := pv.Ended; e != nil && e.Fault != "" {
			tip = append(tip, e.Fault)
			if e.Where != "" {
				tip = append(tip, "at "+e.Where)
			}
		}
		tip = append(tip, "click to select it")
		sel := Selection{PID: pv.PID}
		rows = append(rows, row{text: head, color: ProcessColor(pv.PID), sel: sel, tip: tip, mark: true,
			must: f.Selected.PID == pv.PID || f.Focus.PID == pv.PID || (s.Running != nil && s.Running.PID == pv.PID), hl: f.Selected == sel})
		if pv.Ended != nil && f.Selected.PID != pv.PID {
			continue // an ended process's threads are shown when it is selected
		}
		for _, t := range pv.Threads {
			nThreads++
			line := fmt.Sprintf("tid %d %s", t.TID, t.State)
			if t.Waits != "" {
				line += ": waits for " + t.Waits
			}
			if t.State == kernel.Running {
				line = "> " + line
			}
			tsel := Selection{PID: pv.PID, TID: t.TID}
			rows = append(rows, row{text: line, color: StateColor(t.State.String()), sel: tsel, ind: ind,
				tip:  []string{fmt.Sprintf("pid %d tid %d: %s", pv.PID, t.TID, t.State), line, fmt.Sprintf("pc 0x%08x  sp 0x%08x", t.Regs.PC, t.Regs.R[15]), "click to select it"},
				must: t.State == kernel.Running || f.Selected == tsel || f.Focus == tsel, hl: f.Selected == tsel})
		}
	}
	if s.Summary.ProcessesDropped > 0 {
		rows = append(rows, row{text: fmt.Sprintf("(%d ended processes no longer kept)", s.Summary.ProcessesDropped), color: Dim})
	}
	avail := max(1, (inner.Dy()-lh-2)/lh) // the ready queue takes the last line
	shown, hidden := scrollRows(rows, avail, in.Scroll["procs"])
	y := inner.Min.Y
	for _, r := range shown {
		rr := image.Rect(inner.Min.X, y, inner.Max.X, y+lh)
		if r.hl {
			p.box(rr, RowHilite)
		}
		x := inner.Min.X + r.ind
		if r.mark {
			sw := lh * 2 / 3
			p.box(image.Rect(x, y+(lh-sw)/2, x+sw, y+(lh+sw)/2), r.color)
			x += sw + 4
		}
		p.textW(x, y, inner.Max.X-x, r.text, r.color)
		if r.sel != (Selection{}) {
			p.hit(Hit{R: rr, Tip: r.tip, Select: r.sel, Scroll: "procs"})
		}
		y += lh
	}
	if hidden > 0 {
		note := fmt.Sprintf("+%d more rows (%d processes, %d threads): the wheel scrolls", hidden, nProcs, nThreads)
		p.textW(inner.Min.X, y, inner.Dx(), note, Dim)
		f.Notices = append(f.Notices, note)
	}
	p.hit(Hit{R: inner, Scroll: "procs"})
	p.Hits = append(p.Hits[len(p.Hits)-1:], p.Hits[:len(p.Hits)-1]...) // the scroll area under the rows
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

// scrollRows picks the rows that fit in avail lines from offset, keeping
// every must row: it returns them in order and how many were left out.
// One line is kept for the notice when some are.
func scrollRows(rows []row, avail, offset int) ([]row, int) {
	if len(rows) <= avail {
		return rows, 0
	}
	avail-- // the notice
	offset = max(0, min(offset, len(rows)-avail))
	in := make([]bool, len(rows))
	n := 0
	for i := offset; i < len(rows) && n < avail; i++ {
		in[i], n = true, n+1
	}
	// Must rows outside the window replace its last ordinary rows.
	for i, r := range rows {
		if !r.must || in[i] {
			continue
		}
		for j := len(rows) - 1; j >= 0; j-- {
			if in[j] && !rows[j].must {
				in[j] = false
				in[i] = true
				break
			}
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
