package image_test

import (
	"testing"

	"vcpu/image"
)

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
