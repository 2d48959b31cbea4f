package model

import (
	"fmt"
	"image"
	"strings"

	"vcpu/kernel"
)

// procs fills the processes panel: each process not yet collected, its
// segments (what it may touch) and its threads (what each is doing), then
// the ready queue.
func (m *Model) procs(f *Frame, s *kernel.Snapshot) {
	p := &f.Procs
	x, y := p.inner()
	width := (p.Rect.Dx() - 16) / CharW
	bottom := p.Rect.Max.Y - 2*LineH - 8 // room for the ready queue
	hidden := 0
	for _, pv := range s.Processes {
		for _, t := range pv.Threads {
			f.Threads = append(f.Threads, ThreadRow{PID: pv.PID, TID: t.TID, State: t.State.String(), Waits: t.Waits})
		}
		if pv.State == kernel.ProcReaped {
			continue
		}
		if y+LineH > bottom {
			hidden++
			continue
		}
		c := ProcessColor(pv.PID)
		p.box(image.Rect(x, y+3, x+10, y+13), c)
		head := fmt.Sprintf("pid %d %s  parent %d  %s", pv.PID, pv.Name, pv.Parent, pv.State)
		if pv.State == kernel.ProcZombie {
			head += fmt.Sprintf(" (status %d, not yet waited for)", pv.Status)
		}
		p.text(x+14, y, clip(head, width-3), c)
		y += LineH
		for _, seg := range pv.Segments {
			if y+LineH > bottom {
				break
			}
			name := seg.Kind.String()
			if seg.Owner != 0 && name == "stack" {
				name = fmt.Sprintf("stack t%d", seg.Owner)
			}
			p.text(x+14, y, fmt.Sprintf("%-9s %08x-%08x %s %6s", name, seg.Base, seg.End(), seg.Perm, size(seg.Limit)), Dim)
			y += LineH
		}
		for _, t := range pv.Threads {
			if y+LineH > bottom {
				break
			}
			st := t.State.String()
			line := fmt.Sprintf("tid %-3d %-8s", t.TID, st)
			if t.State == kernel.Running {
				line = "> " + line
			} else {
				line = "  " + line
			}
			p.text(x+14, y, line, StateColor(st))
			if t.Waits != "" {
				p.text(x+14+CharW*(len(line)+1), y, clip("waits for "+t.Waits, width-len(line)-4), Text)
			}
			y += LineH
		}
		y += 4
	}
	if hidden > 0 {
		p.text(x, bottom, fmt.Sprintf("... and %d more processes", hidden), Dim)
	}
	f.Ready = append(f.Ready, s.Ready...)
	q := "ready queue: (empty)"
	if len(s.Ready) > 0 {
		var b strings.Builder
		b.WriteString("ready queue: ")
		for i, tid := range s.Ready {
			if i > 0 {
				b.WriteString(" <- ")
			}
			fmt.Fprintf(&b, "tid %d", tid)
		}
		q = b.String()
	}
	p.text(x, p.Rect.Max.Y-LineH-6, clip(q, width), Accent)
}

func size(n uint32) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dM", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dK", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}
