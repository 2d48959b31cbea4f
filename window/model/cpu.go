package model

import (
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"vcpu/abi"
	"vcpu/asm"
	"vcpu/cpu"
	vimage "vcpu/image"
	"vcpu/kernel"
)

// regCell is the widest register cell: Arrange fits columns of it.
const regCell = "r10 00000000  "

// cpu fills the CPU panel with the registers of the thread the panels
// follow (the selected one, else the one on the CPU, else the last), the
// changed ones marked, and the instruction at its pc with its source line.
func (m *Model) cpu(f *Frame, in *Input) {
	s := in.Snap
	p := &f.CPU
	inner := p.Inner()
	lh := in.Metrics.LineHeight()
	th := findThread(s, f.Focus)
	pv := findProc(s, f.Focus.PID)
	if th == nil || pv == nil {
		p.Title = "CPU: idle, no thread has run yet"
		return
	}
	f.RegsOf = Selection{PID: th.PID, TID: th.TID}
	regs := th.Regs
	switch {
	case th.State == kernel.Running:
		p.titleName(fmt.Sprintf("CPU: pid %d (", th.PID), pv.Name, fmt.Sprintf(") tid %d is running", th.TID))
	case f.Selected != (Selection{}):
		p.titleName(fmt.Sprintf("Registers of pid %d (", th.PID), pv.Name, fmt.Sprintf(") tid %d, %s (selected)", th.TID, th.State))
	case s.Outcome != kernel.Unfinished:
		p.titleName(fmt.Sprintf("Last registers of pid %d (", th.PID), pv.Name, fmt.Sprintf(") tid %d", th.TID))
	default:
		p.Title = fmt.Sprintf("CPU between threads: the registers of pid %d tid %d", th.PID, th.TID)
	}
	changedOK := m.havePrev && m.prevOf == f.RegsOf
	cw := in.Metrics.Width(regCell)
	cols := RegColumns(inner.Dx(), in.Metrics)
	y := inner.Min.Y
	for i := 0; i <= cpu.NumRegs; i++ {
		row := RegRow{Name: "pc"}
		v, old := regs.PC, m.prevRegs.PC
		if i < cpu.NumRegs {
			row.Name = cpu.RegName(i)
			v, old = regs.R[i], m.prevRegs.R[i]
		}
		row.Value = fmt.Sprintf("%08x", v)
		row.Changed = changedOK && v != old
		f.Regs = append(f.Regs, row)
		c := Text
		if row.Changed {
			c = Accent
		}
		col, line := i%cols, i/cols
		rx, ry := inner.Min.X+col*cw, y+line*lh
		if ry+lh > inner.Max.Y {
			continue // a short panel: the registers that fit
		}
		nx := p.textW(rx, ry, cw, fmt.Sprintf("%-3s ", row.Name), Dim)
		p.textW(nx, ry, rx+cw-nx, row.Value, c)
		tip := fmt.Sprintf("%s = 0x%08x = %d", row.Name, v, int32(v))
		if row.Changed {
			tip += fmt.Sprintf(" (was 0x%08x)", old)
		}
		p.hit(Hit{R: image.Rect(rx, ry, rx+cw, ry+lh), Tip: []string{fmt.Sprintf("register %s of tid %d", row.Name, th.TID), tip}})
	}
	y += (cpu.NumRegs/cols+1)*lh + f.Geo.Pad/2
	m.prevRegs, m.prevOf, m.havePrev = regs, f.RegsOf, true
	f.Inst = instruction(pv.Program, regs.PC, th.State != kernel.Exited || pv.Ended != nil)
	if pv.Ended != nil && pv.Ended.Fault == "" && f.Inst.Where == "" {
		f.Inst.Text = "(ended: " + endedHow(pv) + ")"
	}
	if th.State == kernel.Exited && regs.PC == abi.ReturnGate {
		if pv.Ended == nil || pv.Ended.TID != th.TID {
			f.Inst.Text = "(ended: returned from its thread function)"
		}
		f.Inst.Where = "the kernel's return gate"
	}
	if y+lh > inner.Max.Y {
		return
	}
	x := p.text(inner.Min.X, y, fmt.Sprintf("%08x  ", f.Inst.PC), Dim)
	p.text(x, y, f.Inst.Text, Text)
	y += lh
	if f.Inst.Where != "" && y+lh <= inner.Max.Y {
		// file:line  in label+8: a long file name gives way first.
		file, rest, ok := strings.Cut(f.Inst.Where, ":")
		if !ok {
			file, rest = f.Inst.Where, ""
		} else {
			rest = ":" + rest
		}
		shown, _ := FitName(in.Metrics, "", file, rest, inner.Max.X-x)
		p.textAs(x, y, inner.Max.X-x, shown, f.Inst.Where, Dim)
	}
	if pv.Ended != nil && pv.Ended.Fault != "" && y+2*lh <= inner.Max.Y {
		p.text(inner.Min.X, y+lh, "fault: "+pv.Ended.Fault, FaultMark)
	}
}

// instruction disassembles the instruction at pc of prog, decoding it
// from the program's bytes: the window keeps no per-program cache.
func instruction(prog *vimage.Program, pc uint32, known bool) Inst {
	in := Inst{PC: pc}
	switch {
	case !known:
		in.Text = "(idle)"
		return in
	case prog == nil:
		in.Text = "(program not known to the window)"
		return in
	}
	inst, err := prog.Instruction(pc)
	if err != nil {
		in.Text = "(" + err.Error() + ")"
		return in
	}
	in.Text = asm.DisassembleInst(inst, prog)
	if file, line, ok := prog.SourceLine(pc); ok {
		in.Where = fmt.Sprintf("%s:%d", filepath.Base(file), line)
	}
	if sym, off := prog.SymbolAt(pc); sym != "" {
		if in.Where != "" {
			in.Where += "  "
		}
		in.Where += fmt.Sprintf("in %s+%d", sym, off)
	}
	return in
}
