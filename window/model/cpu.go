package model

import (
	"fmt"
	"path/filepath"

	"vcpu/asm"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/kernel"
)

// cpu fills the CPU panel: who runs, the registers (changed ones marked),
// the instruction at pc and the guests' last output lines.
func (m *Model) cpu(f *Frame, in Input) {
	s := in.Snap
	p := &f.CPU
	x, y := p.inner()
	var prog *image.Program
	name := "?"
	onCPU := func(pid int) { // the process whose registers the CPU holds
		for _, pv := range s.Processes {
			if pv.PID == pid {
				prog, name = pv.Program, pv.Name
			}
		}
	}
	switch r := s.Running; {
	case r != nil:
		onCPU(r.PID)
		p.text(x, y, fmt.Sprintf("running: pid %d (%s) tid %d", r.PID, name, r.TID), ProcessColor(r.PID))
	case m.lastTID != 0 && s.Outcome == kernel.Unfinished:
		// Between two threads (the frame's budget ended at a switch): the
		// registers are still the last thread's.
		onCPU(m.lastPID)
		p.text(x, y, fmt.Sprintf("between threads; registers of pid %d (%s) tid %d", m.lastPID, name, m.lastTID), ProcessColor(m.lastPID))
	default:
		p.text(x, y, "nobody is on the CPU", Dim)
	}
	y += LineH + 4
	for i := 0; i <= cpu.NumRegs; i++ {
		row := RegRow{Name: "pc"}
		v, old := s.Regs.PC, m.prevRegs.PC
		if i < cpu.NumRegs {
			row.Name = cpu.RegName(i)
			v, old = s.Regs.R[i], m.prevRegs.R[i]
		}
		row.Value = fmt.Sprintf("%08x", v)
		row.Changed = m.havePrev && v != old
		f.Regs = append(f.Regs, row)
		col, line := i%3, i/3
		c := Text
		if row.Changed {
			c = Accent
		}
		rx, ry := x+col*134, y+line*LineH
		p.text(rx, ry, fmt.Sprintf("%3s", row.Name), Dim)
		p.text(rx+4*CharW, ry, row.Value, c)
	}
	y += 6*LineH + 6
	f.Inst = m.instruction(s, prog, s.Running != nil || prog != nil)
	p.text(x, y, fmt.Sprintf("%08x", f.Inst.PC), Dim)
	p.text(x+10*CharW, y, f.Inst.Text, Text)
	y += LineH
	if f.Inst.Where != "" {
		p.text(x+10*CharW, y, f.Inst.Where, Dim)
	}
	y += LineH + 4
	f.Output = in.Output
	p.text(x, y, "guest output:", Dim)
	y += LineH
	lines := in.Output
	if n := p.linesFrom(y); len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for _, l := range lines {
		p.text(x, y, clip(l, (p.Rect.Dx()-16)/CharW), Text)
		y += LineH
	}
}

// instruction disassembles the instruction at the running thread's pc.
func (m *Model) instruction(s *kernel.Snapshot, prog *image.Program, onCPU bool) Inst {
	in := Inst{PC: s.Regs.PC}
	if !onCPU {
		in.Text = "(idle)"
		return in
	}
	if prog == nil {
		in.Text = "(program not known to the window)"
		return in
	}
	code := m.codeCache[prog]
	if code == nil {
		code = cpu.Predecode(prog.TextBase, prog.Text)
		m.codeCache[prog] = code
	}
	inst, err := code.At(s.Regs.PC)
	if err != nil {
		in.Text = "(" + err.Error() + ")"
		return in
	}
	in.Text = asm.DisassembleInst(inst, prog)
	if file, line, ok := prog.SourceLine(s.Regs.PC); ok {
		in.Where = fmt.Sprintf("%s:%d", filepath.Base(file), line)
	}
	if sym, off := prog.SymbolAt(s.Regs.PC); sym != "" {
		if in.Where != "" {
			in.Where += "  "
		}
		in.Where += fmt.Sprintf("in %s+%d", sym, off)
	}
	return in
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return s[:n-1] + "~"
}
