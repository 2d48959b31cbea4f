// Package image is a loaded program: the segments the kernel maps, the
// symbols and source map that let faults, traces and the window name places
// in the source, the .vbin file that stores it, and the one set of rules
// (Validate) that every image must pass before a machine will run it. The
// assembler produces images, the kernel loads them; neither needs the other.
package image

import (
	"errors"
	"fmt"
	"sort"

	"vcpu/abi"
	"vcpu/cpu"
)

// Section is where a symbol or a byte of the program lives.
type Section uint8

const (
	SecText Section = iota
	SecData
	SecBSS
	SecAbs // a .equ constant or predefined name: not an address
)

func (s Section) String() string {
	if s > SecAbs {
		return fmt.Sprintf("section%d", uint8(s))
	}
	return [...]string{".text", ".data", ".bss", "abs"}[s]
}

// Program is a program image: what the kernel loads, with the symbols and
// source map that let faults, traces and the window name places in the
// source. It is what a .vbin file holds. A Program handed to a machine is
// never modified again, so processes running it share it.
type Program struct {
	Name string // the program's file name without folder or extension: "hello" for "demo/hello.s"
	Path string // the file it came from, as named (not stored in .vbin)

	Text     []byte // code, mapped r-x at TextBase
	TextBase uint32
	Data     []byte // initialised data, mapped rw- at DataBase
	DataBase uint32
	BSSBase  uint32 // zeroed data, rw-
	BSSSize  uint32
	Entry    uint32 // address of main, else TextBase

	Symbols []Symbol    // labels and .equ names, sorted by value then name
	Lines   []LineEntry // source map, sorted by PC: each instruction's first byte
	Files   []string    // source file names the Lines refer to
}

// Symbol is a label or constant defined by the program.
type Symbol struct {
	Name    string
	Value   uint32
	Section Section
}

// LineEntry maps the instruction at PC to a line of a source file.
type LineEntry struct {
	PC   uint32
	File uint32 // index into Program.Files
	Line uint32
}

// Loader makes a program image from the bytes of the file at path (source
// or .vbin). The kernel is given one for SPAWN, so that it never needs to
// know how programs are written.
type Loader func(path string, src []byte) (*Program, error)

// HeapBase is where the heap segment starts: the page after the bss.
func (p *Program) HeapBase() uint32 { return abi.PageAlign(p.BSSBase + p.BSSSize) }

// Instruction decodes the instruction at pc, for a viewer that shows what
// a thread is about to execute, or says why there is none: outside the code,
// misaligned, or bytes that are no instruction.
func (p *Program) Instruction(pc uint32) (cpu.Inst, error) {
	off := pc - p.TextBase
	switch {
	case pc < p.TextBase || off >= uint32(len(p.Text)):
		return cpu.Inst{}, errors.New("pc outside the code")
	case off%cpu.WordSize != 0:
		return cpu.Inst{}, errors.New("misaligned pc")
	}
	in, _, err := cpu.Decode(p.Text[off:])
	return in, err
}

// SourceLine finds the source line of the instruction at pc.
func (p *Program) SourceLine(pc uint32) (file string, line int, ok bool) {
	i := sort.Search(len(p.Lines), func(i int) bool { return p.Lines[i].PC > pc }) - 1
	if i < 0 || p.Lines[i].PC != pc || int(p.Lines[i].File) >= len(p.Files) {
		return "", 0, false
	}
	return p.Files[p.Lines[i].File], int(p.Lines[i].Line), true
}

// SymbolAt names the code label at or before addr, as "label+off", for
// traces and the window; "" if there is none.
func (p *Program) SymbolAt(addr uint32) (string, uint32) { return p.LabelAt(addr, SecText) }

// LabelAt names addr by the nearest symbol of section sec at or before it:
// the symbol and addr's offset from it, "" if there is none. Of several at
// one address it takes the last in Symbols' order. It does not rely on that
// order, which a .vbin file need not keep.
func (p *Program) LabelAt(addr uint32, sec Section) (string, uint32) {
	best := -1
	for i, s := range p.Symbols {
		if s.Section == sec && s.Value <= addr && (best < 0 || s.Value >= p.Symbols[best].Value) {
			best = i
		}
	}
	if best < 0 {
		return "", 0
	}
	return p.Symbols[best].Name, addr - p.Symbols[best].Value
}

// Normalize makes empty slices nil, so that a Program read back from a
// .vbin file compares equal to the one that was written.
func (p *Program) Normalize() {
	if len(p.Text) == 0 {
		p.Text = nil
	}
	if len(p.Data) == 0 {
		p.Data = nil
	}
	if len(p.Symbols) == 0 {
		p.Symbols = nil
	}
	if len(p.Lines) == 0 {
		p.Lines = nil
	}
	if len(p.Files) == 0 {
		p.Files = nil
	}
}
