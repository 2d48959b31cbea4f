package image_test

import (
	"testing"

	"vcpu/cpu"
	"vcpu/image"
)

// Instruction reads back what was encoded at each instruction's pc, and
// says why there is none outside the text, between words, or where the
// bytes are no instruction.
func TestInstruction(t *testing.T) {
	mov := cpu.Inst{Op: cpu.MOV, Mode: cpu.ModeImm, A: 1, Imm: 7}
	add := cpu.Inst{Op: cpu.ADD, A: 1, B: 1, C: 2}
	ret := cpu.Inst{Op: cpu.RET}
	text := ret.Append(add.Append(mov.Append(nil)))
	text = append(text, 0xFF, 0, 0, 0) // no opcode 255
	p := &image.Program{TextBase: 0x1000, Text: text}
	movEnd := 0x1000 + uint32(mov.Size())
	for _, tt := range []struct {
		pc   uint32
		want cpu.Inst
	}{{0x1000, mov}, {movEnd, add}, {movEnd + uint32(add.Size()), ret}} {
		if got, err := p.Instruction(tt.pc); err != nil || got != tt.want {
			t.Errorf("Instruction(%#x) = %+v, %v; want %+v", tt.pc, got, err, tt.want)
		}
	}
	bad := 0x1000 + uint32(len(text)) - 4
	for _, pc := range []uint32{0, 0xffc, 0x1000 + uint32(len(text)), 0x1002, bad} {
		if in, err := p.Instruction(pc); err == nil {
			t.Errorf("Instruction(%#x) = %+v with no error", pc, in)
		}
	}
}

// LabelAt names an address by the nearest label of its section at or
// before it, whatever order the symbols come in (a .vbin keeps any), and
// of two labels on one address takes the later by name, as the sorted
// table would. SymbolAt is LabelAt in the text.
func TestLabelAt(t *testing.T) {
	p := &image.Program{Symbols: []image.Symbol{
		{Name: "msg", Value: 0x2000, Section: image.SecData},
		{Name: "main", Value: 0x1000, Section: image.SecText},
		{Name: "loop", Value: 0x1010, Section: image.SecText},
		{Name: "buf", Value: 0x3000, Section: image.SecBSS},
		{Name: "LEN", Value: 0x1008, Section: image.SecAbs},
		{Name: "top", Value: 0x1010, Section: image.SecText},
	}}
	for _, tt := range []struct {
		addr uint32
		sec  image.Section
		name string
		off  uint32
	}{
		{0x1000, image.SecText, "main", 0},
		{0x100c, image.SecText, "main", 12}, // LEN is no code label
		{0x1014, image.SecText, "top", 4},
		{0x0ffc, image.SecText, "", 0},
		{0x2004, image.SecData, "msg", 4},
		{0x2004, image.SecBSS, "", 0},
		{0x3000, image.SecBSS, "buf", 0},
	} {
		if name, off := p.LabelAt(tt.addr, tt.sec); name != tt.name || off != tt.off {
			t.Errorf("LabelAt(%#x, %v) = %q+%d, want %q+%d", tt.addr, tt.sec, name, off, tt.name, tt.off)
		}
		if tt.sec != image.SecText {
			continue
		}
		if name, off := p.SymbolAt(tt.addr); name != tt.name || off != tt.off {
			t.Errorf("SymbolAt(%#x) = %q+%d, want %q+%d", tt.addr, name, off, tt.name, tt.off)
		}
	}
}
