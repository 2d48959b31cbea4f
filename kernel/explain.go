package kernel

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"vcpu/cpu"
	"vcpu/image"
	"vcpu/internal/termsafe"
)

// This file puts places of the machine in the words of the program's
// source: a pc as file:line and the label it falls under, an address as
// the label and segment it lies in. Fault messages, the report of where a
// run stopped and --strace use it, so a student learns where, not only
// what.

// sourceLine is "file.s:12" for the instruction at pc, if the program's
// source map knows it.
func sourceLine(prog *image.Program, pc uint32) (string, bool) {
	file, line, ok := prog.SourceLine(pc)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s:%d", termsafe.String(filepath.Base(file)), line), true
}

// labelAt names addr by the nearest symbol of section sec at or before it
// (image.Program.LabelAt), "msg" or "msg+4"; "" if there is none.
func labelAt(prog *image.Program, addr uint32, sec image.Section) string {
	name, off := prog.LabelAt(addr, sec)
	switch {
	case name == "":
		return ""
	case off == 0:
		return termsafe.String(name)
	}
	return fmt.Sprintf("%s+%d", termsafe.String(name), off)
}

// sectionOf is the program section a segment kind holds, if any.
func sectionOf(kind cpu.SegKind) (image.Section, bool) {
	switch kind {
	case cpu.SegCode:
		return image.SecText, true
	case cpu.SegData:
		return image.SecData, true
	case cpu.SegBSS:
		return image.SecBSS, true
	}
	return 0, false
}

// placeOf says where addr lies in p's address space: "msg+4 in the data
// segment", "main+8 in the code segment", "12 bytes below the top of the
// stack of tid 2", "in the heap, 16 bytes from its start"; "" for an
// address no segment holds (the fault's reason says why already).
func placeOf(p *Process, addr uint32) string {
	s := segmentAt(p, addr)
	switch {
	case s == nil:
		return ""
	case s.Kind == cpu.SegStack:
		return fmt.Sprintf("%d bytes below the top of the stack of tid %d", s.End()-addr, s.Owner)
	case s.Kind == cpu.SegHeap:
		return fmt.Sprintf("in the heap, %d bytes from its start", addr-s.Base)
	}
	sec, _ := sectionOf(s.Kind)
	if l := labelAt(p.Program, addr, sec); l != "" {
		return fmt.Sprintf("%s in the %s segment", l, s.Kind)
	}
	return fmt.Sprintf("in the %s segment", s.Kind)
}

// segmentAt is the segment of p's address space that holds addr, or nil:
// what the fault messages and --strace's reasons say an address is in.
func segmentAt(p *Process, addr uint32) *cpu.Segment {
	if p.AS == nil {
		return nil
	}
	for _, s := range p.AS.Segments {
		if addr >= s.Base && addr < s.End() {
			return s
		}
	}
	return nil
}

// pcPlace is "hello.s:9 (main+8)" for a pc: its source line when known,
// and the code label it falls under.
func pcPlace(prog *image.Program, pc uint32) string {
	var parts []string
	if line, ok := sourceLine(prog, pc); ok {
		parts = append(parts, line)
	}
	if l := labelAt(prog, pc, image.SecText); l != "" {
		parts = append(parts, "("+l+")")
	}
	return strings.Join(parts, " ")
}

// lastInstruction is the source map's last entry before pc: the
// instruction a thread executed before it ran into pc.
func lastInstruction(prog *image.Program, pc uint32) (image.LineEntry, bool) {
	i := sort.Search(len(prog.Lines), func(i int) bool { return prog.Lines[i].PC >= pc })
	if i == 0 {
		return image.LineEntry{}, false
	}
	return prog.Lines[i-1], true
}

// faultText is what a fault attempted, where, and the pc: the kill line's
// words, and what a viewer keeps of them (Ending.Fault).
func faultText(f cpu.Fault) string {
	return fmt.Sprintf("%s at 0x%08x (pc 0x%08x)", f.Error(), f.Addr, f.PC)
}

// faultMessage is the kill line of a fault, the fixed prefix and faultText,
// then the source line of the pc and the label and segment of the address;
// and for the faults beginners meet most a hint, else "".
func (k *Kernel) faultMessage(t *Thread, f cpu.Fault) (kill, hint string) {
	p := t.Proc
	var b strings.Builder
	fmt.Fprintf(&b, "vcpu: %s tid %d killed: %s", p, t.TID, faultText(f))
	line, pcKnown := sourceLine(p.Program, f.PC)
	if pcKnown {
		fmt.Fprintf(&b, " [%s]", line)
	}
	switch {
	case f.Kind == cpu.ArithFault: // no address but the pc's
	case f.Kind == cpu.SegFault && f.Access != cpu.Exec:
		if place := placeOf(p, f.Addr); place != "" {
			fmt.Fprintf(&b, "; the address is %s", place)
		}
	case !pcKnown: // a pc that is no instruction: say where it is instead
		if place := placeOf(p, f.PC); place != "" {
			fmt.Fprintf(&b, "; the pc is at %s", place)
		}
	}
	return b.String(), faultHint(p, f, pcKnown)
}

// faultHint explains the faults that come from the shape of a program
// rather than from a bad pointer: running off the end of the code,
// running into data assembled among the instructions, jumping to data.
// pcKnown says whether the source map knows the pc.
func faultHint(p *Process, f cpu.Fault, pcKnown bool) string {
	prog := p.Program
	codeEnd := prog.TextBase + uint32(len(prog.Text))
	switch {
	case f.Access == cpu.Exec && f.PC == codeEnd && f.Kind == cpu.SegFault:
		return "execution ran off the end of the code" + after(prog, f.PC) + ": a missing ret, or SYS_EXIT?"
	case f.Kind == cpu.IllegalFault && !pcKnown && f.PC >= prog.TextBase && f.PC < codeEnd:
		what := "no instruction was assembled at the pc"
		if l := labelAt(prog, f.PC, image.SecText); l != "" {
			what = l + " holds data (.ascii, .word, ...), not an instruction"
		}
		return what + "; execution ran into it" + after(prog, f.PC) + ": a missing ret or SYS_EXIT before it, or data that belongs in .data?"
	case f.Access == cpu.Exec && f.Kind == cpu.SegFault:
		if s := segmentAt(p, f.PC); s != nil && s.Kind != cpu.SegCode {
			return fmt.Sprintf("the program jumped into its %s segment, which holds data, not code: a jmp or call to a data label, or through a register holding a data address?", s.Kind)
		}
	case f.Kind == cpu.SegFault && f.Addr < cpu.PageSize:
		return "the null page is never mapped: a pointer register that was never set, or a missing label?"
	case f.Kind == cpu.SegFault:
		// Just past the bss lies the heap, empty until SBRK grows it: an
		// access there names a segment the program never asked for.
		if h := p.AS.Segment(cpu.SegHeap); h != nil && h.Limit == 0 && f.Addr >= h.Base && f.Addr-h.Base < cpu.PageSize {
			return "the heap is empty (SBRK never grew it), so nothing is mapped there: an address made from a number instead of a label, or an index past the end of an array?"
		}
	}
	return ""
}

// after is " after main+16 (hello.s:12)", the last instruction before pc.
func after(prog *image.Program, pc uint32) string {
	last, ok := lastInstruction(prog, pc)
	if !ok {
		return ""
	}
	return " after " + pcPlaceLabelFirst(prog, last.PC)
}

// pcPlaceLabelFirst is "main+16 (hello.s:12)".
func pcPlaceLabelFirst(prog *image.Program, pc uint32) string {
	l := labelAt(prog, pc, image.SecText)
	line, ok := sourceLine(prog, pc)
	switch {
	case l != "" && ok:
		return fmt.Sprintf("%s (%s)", l, line)
	case ok:
		return line
	case l != "":
		return l
	}
	return fmt.Sprintf("0x%08x", pc)
}
