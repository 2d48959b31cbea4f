package image

import (
	"fmt"

	"vcpu/abi"
)

// Limits every program image obeys. They are the machine's, stated once:
// the assembler refuses to make an image past them, the .vbin reader and
// writer refuse one, and the kernel refuses to load one.
const (
	// MaxFileSize bounds a program file (source or .vbin) that vcpu reads
	// or writes: run, SPAWN and asm all refuse a larger one.
	MaxFileSize = 64 << 20
	// MaxSegment bounds the text, the data and the bss, each.
	MaxSegment = 16 << 20
	// MaxNameLen bounds a symbol's name.
	MaxNameLen = 255
	// MaxPathLen bounds the program's name and each source file name.
	MaxPathLen = 4096
	// MaxFiles bounds the source files a source map names.
	MaxFiles = 1 << 16
)

// Validate checks everything a machine relies on when it loads p: the
// segments page aligned, in order (text, data, bss), above the null page
// and wholly below abi.ImageTop, so the heap and every stack slot the
// kernel hands out fit above them; the entry point an instruction address
// in the text; the symbols and source map well formed. The assembler never
// makes an image that fails, but a .vbin file can say anything. Messages
// name fields and numbers, never the program's own names or bytes, so a
// refusal can be shown without showing the file.
func (p *Program) Validate() error {
	if len(p.Name) > MaxPathLen {
		return fmt.Errorf("program name longer than %d bytes", MaxPathLen)
	}
	type seg struct {
		what       string
		base, size uint64
	}
	segs := []seg{{"text", uint64(p.TextBase), uint64(len(p.Text))}, {"data", uint64(p.DataBase), uint64(len(p.Data))},
		{"bss", uint64(p.BSSBase), uint64(p.BSSSize)}}
	low := uint64(abi.TextBase) // everything below is never mapped
	for _, s := range segs {
		switch {
		case s.size > MaxSegment:
			return fmt.Errorf("%s segment of %d bytes is over the %d MiB limit", s.what, s.size, MaxSegment>>20)
		case s.base%abi.PageSize != 0:
			return fmt.Errorf("%s base %#x is not page aligned", s.what, s.base)
		case s.base < low:
			return fmt.Errorf("%s segment at %#x overlaps what lies below it (it must start at or above %#x)", s.what, s.base, low)
		}
		low = s.base + uint64(abi.PageAlign(uint32(s.size)))
		if low > abi.ImageTop {
			return fmt.Errorf("%s segment at %#x runs past %#x, where the heap and the stacks need the room above",
				s.what, s.base, uint64(abi.ImageTop))
		}
	}
	end := uint64(p.TextBase) + uint64(len(p.Text))
	if uint64(p.Entry) < uint64(p.TextBase) || uint64(p.Entry) > end || p.Entry%4 != 0 {
		return fmt.Errorf("entry point %#x is not a word-aligned address in the text segment (%#x-%#x)", p.Entry, p.TextBase, end)
	}
	if len(p.Files) > MaxFiles {
		return fmt.Errorf("more than %d file names", MaxFiles)
	}
	for i, f := range p.Files {
		if len(f) > MaxPathLen {
			return fmt.Errorf("file name %d longer than %d bytes", i, MaxPathLen)
		}
	}
	for i, s := range p.Symbols {
		if s.Name == "" || len(s.Name) > MaxNameLen {
			return fmt.Errorf("symbol %d has a name of %d bytes (1..%d allowed)", i, len(s.Name), MaxNameLen)
		}
		if s.Section > SecAbs {
			return fmt.Errorf("symbol %d has unknown section %d", i, s.Section)
		}
	}
	for i, l := range p.Lines {
		if i > 0 && l.PC <= p.Lines[i-1].PC {
			return fmt.Errorf("source map entry %d (pc %#x) is out of order", i, l.PC)
		}
		if uint64(l.PC) < uint64(p.TextBase) || uint64(l.PC) >= end {
			return fmt.Errorf("source map entry %d: pc %#x is outside the text segment", i, l.PC)
		}
		if int(l.File) >= len(p.Files) {
			return fmt.Errorf("source map entry %d names file %d, but there are %d", i, l.File, len(p.Files))
		}
	}
	return nil
}
