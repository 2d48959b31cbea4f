package model

import (
	"fmt"
	"image"
	"path/filepath"
	"sort"
	"strings"

	"vcpu/abi"
	"vcpu/cpu"
	vimage "vcpu/image"
	"vcpu/kernel"
)

// Listing is the source panel's content: the program of the thread the
// panels follow, around its pc, with a marker where each of the
// program's threads stands.
type Listing struct {
	PID, TID int
	File     string // "" when the listing is the disassembly
	Lines    []ListingLine
	Away     []string // threads of the program whose line is not shown, and where they are
}

// ListingLine is one shown line of source (or one instruction).
type ListingLine struct {
	N       int    // line number in File (0 in a disassembly)
	Addr    uint32 // a disassembly's address
	Text    string
	Y       int
	Current bool  // the followed thread's line
	TIDs    []int // the threads that stand on it
}

type standing struct {
	pid, tid int
	file     string
	line     int
	pc       uint32
	running  bool
}

// source fills the source panel.
func (m *Model) source(f *Frame, in *Input) {
	s := in.Snap
	p := &f.Source
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	th := findThread(s, f.Focus)
	pv := findProc(s, f.Focus.PID)
	if th == nil || pv == nil || pv.Program == nil {
		p.text(inner.Min.X, inner.Min.Y, "no thread to follow yet", Dim)
		return
	}
	prog := pv.Program
	f.Listing.PID, f.Listing.TID = th.PID, th.TID
	// Where every live thread running this program stands.
	var stand []standing
	for i := range s.Processes {
		q := &s.Processes[i]
		if q.Program != prog {
			continue
		}
		for _, t := range q.Threads {
			if t.State == kernel.Exited && !(q.PID == th.PID && t.TID == th.TID) {
				continue
			}
			st := standing{pid: q.PID, tid: t.TID, pc: t.Regs.PC, running: t.State == kernel.Running}
			if file, line, ok := prog.SourceLine(t.Regs.PC); ok {
				st.file, st.line = file, line
			}
			stand = append(stand, st)
		}
	}
	if th.State == kernel.Exited && th.Regs.PC == abi.ReturnGate {
		// It returned from its function: its pc is the kernel's return
		// gate, in no program. A listing around it would show whatever
		// code is last, and "no source" would be wrong too.
		p.titleName(fmt.Sprintf("Source: pid %d (", th.PID), pv.Name, fmt.Sprintf(") tid %d has ended", th.TID))
		how := "returned from its thread function"
		if pv.Ended != nil && pv.Ended.TID == th.TID && strings.HasPrefix(pv.ExitReason, "returned") {
			how = endedHow(pv)
		}
		y := inner.Min.Y
		for _, l := range []string{
			fmt.Sprintf("tid %d %s.", th.TID, how),
			fmt.Sprintf("Its pc, 0x%08x, is the kernel's return gate:", th.Regs.PC),
			"the return address every main and thread function",
			"starts with. Running it ends the thread; for main,",
			"the process, with r0 as its exit status.",
		} {
			if y+lh > inner.Max.Y-lh {
				break
			}
			p.textW(inner.Min.X, y, inner.Dx(), l, Dim)
			y += lh
		}
		for _, st := range stand {
			if st.tid != th.TID {
				f.Listing.Away = append(f.Listing.Away, fmt.Sprintf("t%d at 0x%08x", st.tid, st.pc))
			}
		}
		if len(f.Listing.Away) > 0 {
			p.textW(inner.Min.X, inner.Max.Y-lh, inner.Dx(), "not shown: "+strings.Join(f.Listing.Away, ", "), Dim)
		}
		return
	}
	file, line, ok := prog.SourceLine(th.Regs.PC)
	var src []string
	if ok && in.Sources != nil {
		src = in.Sources(file)
	}
	who := "the running thread"
	if f.Selected != (Selection{}) {
		who = "the selection"
	}
	rows := max(1, inner.Dy()/lh-1)
	gutter := in.Metrics.Width("t00 t00 ")
	numW := in.Metrics.Width("0000 ")
	if src != nil && line >= 1 && line <= len(src) {
		f.Listing.File = file
		// What the panel follows gives way before the file's name, and
		// the name before the thread and its line.
		where := fmt.Sprintf(", pid %d tid %d at line %d", th.PID, th.TID, line)
		follows := fmt.Sprintf(" (following %s)", who)
		p.titleName("Source: ", filepath.Base(file), where+follows)
		if p.TitleFull != "" {
			p.titleName("Source: ", filepath.Base(file), where)
			p.TitleFull = "Source: " + filepath.Base(file) + where + follows
		}
		first := max(1, min(line-rows/3, len(src)-rows+1))
		last := min(len(src), first+rows-1)
		on := map[int][]standing{}
		for _, st := range stand {
			if st.file == file && st.line >= first && st.line <= last {
				on[st.line] = append(on[st.line], st)
			} else {
				f.Listing.Away = append(f.Listing.Away, awayText(st, file, first, last))
			}
		}
		y := inner.Min.Y
		for n := first; n <= last; n++ {
			ll := ListingLine{N: n, Text: strings.ReplaceAll(src[n-1], "\t", "    "), Y: y, Current: n == line}
			m.listingRow(f, in, &ll, on[n], gutter, numW, fmt.Sprintf("%4d ", n))
			f.Listing.Lines = append(f.Listing.Lines, ll)
			y += lh
		}
	} else {
		p.titleName(fmt.Sprintf("Code of pid %d (", th.PID), pv.Name, fmt.Sprintf(") around tid %d's pc (no source: disassembly)", th.TID))
		addrs := instructionsAround(prog, th.Regs.PC, rows)
		at := map[uint32][]standing{}
		for _, st := range stand {
			at[st.pc] = append(at[st.pc], st)
		}
		shownPC := map[uint32]bool{}
		y := inner.Min.Y
		for _, a := range addrs {
			ll := ListingLine{Addr: a, Y: y, Current: a == th.Regs.PC, Text: instruction(prog, a, true).Text}
			m.listingRow(f, in, &ll, at[a], gutter, in.Metrics.Width("00000000 "), fmt.Sprintf("%08x ", a))
			f.Listing.Lines = append(f.Listing.Lines, ll)
			shownPC[a] = true
			y += lh
		}
		for _, st := range stand {
			if !shownPC[st.pc] {
				f.Listing.Away = append(f.Listing.Away, fmt.Sprintf("t%d at 0x%08x", st.tid, st.pc))
			}
		}
	}
	if len(f.Listing.Away) > 0 {
		note := "not shown: " + strings.Join(f.Listing.Away, ", ")
		p.textW(inner.Min.X, inner.Max.Y-lh, inner.Dx(), note, Dim)
	}
}

func awayText(st standing, file string, first, last int) string {
	switch {
	case st.file == "":
		return fmt.Sprintf("t%d at 0x%08x (no source line)", st.tid, st.pc)
	case st.file != file:
		return fmt.Sprintf("t%d at %s:%d", st.tid, filepath.Base(st.file), st.line)
	case st.line < first:
		return fmt.Sprintf("t%d at line %d (above)", st.tid, st.line)
	}
	return fmt.Sprintf("t%d at line %d (below)", st.tid, st.line)
}

// listingRow draws one line: the markers of the threads on it, its
// number or address, and its text; the followed thread's line highlighted.
func (m *Model) listingRow(f *Frame, in *Input, ll *ListingLine, on []standing, gutter, numW int, num string) {
	p := &f.Source
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	y := ll.Y
	if ll.Current {
		p.box(image.Rect(inner.Min.X, y, inner.Max.X, y+lh), RowHilite)
	}
	sort.Slice(on, func(i, j int) bool { return on[i].tid < on[j].tid })
	x := inner.Min.X
	for _, st := range on {
		ll.TIDs = append(ll.TIDs, st.tid)
	}
	// Two markers fit the gutter; more are one marker (the running
	// thread's if it is here) and a count: two markers and "+48" did not
	// fit, and the count was cut to "+…".
	if len(on) > 2 {
		sort.SliceStable(on, func(i, j int) bool { return on[i].running && !on[j].running })
	}
	for i, st := range on {
		if i == 1 && len(on) > 2 {
			p.textW(x, y, inner.Min.X+gutter-x, fmt.Sprintf("+%d", len(on)-1), Dim)
			break
		}
		mark := fmt.Sprintf("t%d", st.tid)
		c := ProcessColor(st.pid)
		w := in.Metrics.Width(mark)
		r := image.Rect(x-1, y+1, x+w+1, y+lh-1)
		if st.running {
			p.box(r, c)
			p.textW(x, y, w, mark, Background)
		} else {
			p.outline(r, 1, c)
			p.textW(x, y, w, mark, c)
		}
		state := "stands here"
		if st.running {
			state = "runs here"
		}
		p.hit(Hit{R: r, Select: Selection{PID: st.pid, TID: st.tid}, Tip: []string{fmt.Sprintf("pid %d tid %d %s (pc 0x%08x)", st.pid, st.tid, state, st.pc), "click to follow it"}})
		x += w + in.Metrics.Width(" ")
	}
	x = inner.Min.X + gutter
	x = p.textW(x, y, numW, num, Dim)
	c := Text
	if ll.Current {
		c = Accent
	}
	p.textW(x, y, inner.Max.X-x, ll.Text, c)
}

// instructionsAround lists up to n instruction addresses of prog around
// pc, a third of them before it, from the program's source map (or by
// decoding from the start when it has none).
func instructionsAround(prog *vimage.Program, pc uint32, n int) []uint32 {
	var all []uint32
	if len(prog.Lines) > 0 {
		i := sort.Search(len(prog.Lines), func(i int) bool { return prog.Lines[i].PC >= pc })
		lo := max(0, i-n/3)
		for j := lo; j < len(prog.Lines) && len(all) < n; j++ {
			if len(all) == 0 || prog.Lines[j].PC != all[len(all)-1] {
				all = append(all, prog.Lines[j].PC)
			}
		}
		return all
	}
	end := prog.TextBase + uint32(len(prog.Text))
	for a := prog.TextBase; a < end && len(all) < 1<<16; {
		all = append(all, a)
		_, sz, err := cpu.Decode(prog.Text[a-prog.TextBase:])
		if err != nil || sz == 0 {
			sz = cpu.WordSize
		}
		a += uint32(sz)
	}
	i := sort.Search(len(all), func(i int) bool { return all[i] >= pc })
	lo := max(0, min(i-n/3, len(all)-n))
	return all[lo:min(len(all), lo+n)]
}
