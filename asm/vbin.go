package asm

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"vcpu/abi"
)

// The .vbin file: an assembled Program, so that a program can be assembled
// ahead of time. docs/VBIN.md has the layout. A damaged file is refused with
// a message that says what is wrong and where; the reader never panics and
// never allocates more than the file's own length justifies.

const (
	vbinMagic   = "VBIN"
	vbinVersion = 1
	headerSize  = 16 // magic, version, payload length, CRC-32
	maxPayload  = 128 << 20
	maxNameLen  = 4096 // program and file names
	maxFiles    = 1 << 16
)

// MarshalBinary encodes p as a .vbin file. It refuses a Program that a
// reader would refuse.
func (p *Program) MarshalBinary() ([]byte, error) {
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("vbin: cannot write program: %v", err)
	}
	w := make([]byte, headerSize, headerSize+len(p.Text)+len(p.Data)+64)
	str := func(s string) {
		w = binary.LittleEndian.AppendUint32(w, uint32(len(s)))
		w = append(w, s...)
	}
	u32 := func(v uint32) { w = binary.LittleEndian.AppendUint32(w, v) }
	str(p.Name)
	u32(p.TextBase)
	str(string(p.Text))
	u32(p.DataBase)
	str(string(p.Data))
	u32(p.BSSBase)
	u32(p.BSSSize)
	u32(p.Entry)
	u32(uint32(len(p.Files)))
	for _, f := range p.Files {
		str(f)
	}
	u32(uint32(len(p.Symbols)))
	for _, s := range p.Symbols {
		str(s.Name)
		u32(s.Value)
		w = append(w, byte(s.Section))
	}
	u32(uint32(len(p.Lines)))
	for _, l := range p.Lines {
		u32(l.PC)
		u32(l.File)
		u32(l.Line)
	}
	payload := w[headerSize:]
	if len(payload) > maxPayload {
		return nil, fmt.Errorf("vbin: cannot write program: %d bytes is more than the %d MiB a .vbin may hold", len(payload), maxPayload>>20)
	}
	copy(w, vbinMagic)
	binary.LittleEndian.PutUint32(w[4:], vbinVersion)
	binary.LittleEndian.PutUint32(w[8:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(w[12:], crc32.ChecksumIEEE(payload))
	return w, nil
}

// UnmarshalProgram decodes a .vbin file. Program.Path is left empty.
func UnmarshalProgram(b []byte) (*Program, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("vbin: empty file")
	}
	if len(b) < headerSize {
		if len(b) < 4 && string(b) != vbinMagic[:len(b)] || len(b) >= 4 && string(b[:4]) != vbinMagic {
			return nil, fmt.Errorf("vbin: not a .vbin file (it does not start with %q)", vbinMagic)
		}
		return nil, fmt.Errorf("vbin: truncated at byte %d reading the header (%d bytes)", len(b), headerSize)
	}
	if string(b[:4]) != vbinMagic {
		return nil, fmt.Errorf("vbin: not a .vbin file (it starts with %q, not %q)", b[:4], vbinMagic)
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != vbinVersion {
		return nil, fmt.Errorf("vbin: unsupported version %d (this vcpu reads version %d)", v, vbinVersion)
	}
	n := binary.LittleEndian.Uint32(b[8:])
	if n > maxPayload {
		return nil, fmt.Errorf("vbin: header claims a payload of %d bytes, more than the %d MiB limit", n, maxPayload>>20)
	}
	have := len(b) - headerSize
	if have < int(n) {
		// Say which field the file ends in: read what there is.
		r := &vreader{b: b[headerSize:], truncated: true}
		r.program()
		if r.err != nil {
			return nil, r.err
		}
		return nil, fmt.Errorf("vbin: truncated: the header says %d payload bytes, the file has %d", n, have)
	}
	if have > int(n) {
		return nil, fmt.Errorf("vbin: %d bytes of trailing garbage after byte %d", have-int(n), headerSize+int(n))
	}
	payload := b[headerSize:]
	if want, got := binary.LittleEndian.Uint32(b[12:]), crc32.ChecksumIEEE(payload); want != got {
		return nil, fmt.Errorf("vbin: checksum mismatch (stored %#08x, computed %#08x): the file is damaged", want, got)
	}
	r := &vreader{b: payload}
	p := r.program()
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(r.b) {
		return nil, fmt.Errorf("vbin: %d unexpected bytes after the source map at byte %d", len(r.b)-r.pos, headerSize+r.pos)
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("vbin: %v", err)
	}
	p.normalize()
	return p, nil
}

// vreader reads the payload, remembering the first error.
type vreader struct {
	b         []byte
	pos       int
	truncated bool // the file is shorter than its header says: running out is truncation
	err       error
}

func (r *vreader) fail(what string, need int) {
	if r.err != nil {
		return
	}
	at := headerSize + r.pos
	if r.truncated {
		r.err = fmt.Errorf("vbin: truncated at byte %d reading %s", headerSize+len(r.b), what)
	} else {
		r.err = fmt.Errorf("vbin: %s at byte %d needs %d bytes but only %d are left (a length field is wrong)",
			what, at, need, len(r.b)-r.pos)
	}
}

func (r *vreader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.pos {
		r.fail(what, n)
		return nil
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s
}

func (r *vreader) u32(what string) uint32 {
	s := r.take(4, what)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(s)
}

// blob reads a length-prefixed byte string of at most max bytes. The length
// is checked against the limit and against the bytes left before anything
// is allocated.
func (r *vreader) blob(what string, max int) []byte {
	n := r.u32(what + " length")
	if r.err != nil {
		return nil
	}
	if int64(n) > int64(max) {
		r.err = fmt.Errorf("vbin: %s of %d bytes at byte %d is over the %d-byte limit", what, n, headerSize+r.pos-4, max)
		return nil
	}
	s := r.take(int(n), what)
	if s == nil {
		return nil
	}
	return append([]byte(nil), s...)
}

// count reads an element count and checks that the bytes left could hold
// that many elements of at least minSize bytes each.
func (r *vreader) count(what string, minSize, max int) int {
	n := r.u32("the number of " + what)
	if r.err != nil {
		return 0
	}
	if int64(n) > int64(max) {
		r.err = fmt.Errorf("vbin: %d %s at byte %d is over the limit of %d", n, what, headerSize+r.pos-4, max)
		return 0
	}
	if left := len(r.b) - r.pos; int64(n)*int64(minSize) > int64(left) {
		if r.truncated {
			r.fail(what, int(n)*minSize)
		} else {
			r.err = fmt.Errorf("vbin: %d %s at byte %d cannot fit in the %d bytes left (a count is wrong)", n, what, headerSize+r.pos-4, left)
		}
		return 0
	}
	return int(n)
}

func (r *vreader) program() *Program {
	p := &Program{}
	p.Name = string(r.blob("the program name", maxNameLen))
	p.TextBase = r.u32("the text base")
	p.Text = r.blob("the text segment", maxSection)
	p.DataBase = r.u32("the data base")
	p.Data = r.blob("the data segment", maxSection)
	p.BSSBase = r.u32("the bss base")
	p.BSSSize = r.u32("the bss size")
	p.Entry = r.u32("the entry point")
	nf := r.count("file names", 4, maxFiles)
	for i := 0; i < nf && r.err == nil; i++ {
		p.Files = append(p.Files, string(r.blob(fmt.Sprintf("file name %d", i), maxNameLen)))
	}
	ns := r.count("symbols", 9, maxSection)
	for i := 0; i < ns && r.err == nil; i++ {
		name := string(r.blob(fmt.Sprintf("symbol %d", i), maxIdentLen))
		v := r.u32(fmt.Sprintf("symbol %d's value", i))
		sec := r.take(1, fmt.Sprintf("symbol %d's section", i))
		if sec != nil {
			p.Symbols = append(p.Symbols, Symbol{Name: name, Value: v, Section: Section(sec[0])})
		}
	}
	nl := r.count("source map entries", 12, maxSection)
	for i := 0; i < nl && r.err == nil; i++ {
		l := LineEntry{PC: r.u32("the source map"), File: r.u32("the source map"), Line: r.u32("the source map")}
		p.Lines = append(p.Lines, l)
	}
	return p
}

// validate checks what a loader relies on. Both directions use it: a
// Program that could not be read back is never written.
func (p *Program) validate() error {
	if len(p.Name) > maxNameLen {
		return fmt.Errorf("program name longer than %d bytes", maxNameLen)
	}
	for _, sz := range []struct {
		what string
		n    uint64
	}{{"text segment", uint64(len(p.Text))}, {"data segment", uint64(len(p.Data))}, {"bss segment", uint64(p.BSSSize)}} {
		if sz.n > maxSection {
			return fmt.Errorf("%s of %d bytes is over the %d MiB limit", sz.what, sz.n, maxSection>>20)
		}
	}
	type seg struct {
		what       string
		base, size uint64
	}
	segs := []seg{{"text", uint64(p.TextBase), uint64(len(p.Text))}, {"data", uint64(p.DataBase), uint64(len(p.Data))},
		{"bss", uint64(p.BSSBase), uint64(p.BSSSize)}}
	low := uint64(abi.PageSize) // page 0 is never mapped
	for _, s := range segs {
		if s.base%abi.PageSize != 0 {
			return fmt.Errorf("%s base %#x is not page aligned", s.what, s.base)
		}
		if s.base < low {
			return fmt.Errorf("%s segment at %#x overlaps what lies below it (it must start at or above %#x)", s.what, s.base, low)
		}
		low = s.base + uint64(abi.PageAlign(uint32(s.size)))
		if s.size > 0 && s.base+s.size > abi.StackTop || low > abi.StackTop {
			return fmt.Errorf("%s segment at %#x runs into the stack area at %#x", s.what, s.base, uint64(abi.StackTop))
		}
	}
	end := uint64(p.TextBase) + uint64(len(p.Text))
	if uint64(p.Entry) < uint64(p.TextBase) || uint64(p.Entry) > end || p.Entry%4 != 0 {
		return fmt.Errorf("entry point %#x is not a word-aligned address in the text segment (%#x-%#x)", p.Entry, p.TextBase, end)
	}
	if len(p.Files) > maxFiles {
		return fmt.Errorf("more than %d file names", maxFiles)
	}
	for i, f := range p.Files {
		if len(f) > maxNameLen {
			return fmt.Errorf("file name %d longer than %d bytes", i, maxNameLen)
		}
	}
	for i, s := range p.Symbols {
		if s.Name == "" || len(s.Name) > maxIdentLen {
			return fmt.Errorf("symbol %d has a name of %d bytes (1..%d allowed)", i, len(s.Name), maxIdentLen)
		}
		if s.Section > SecAbs {
			return fmt.Errorf("symbol %q has unknown section %d", s.Name, s.Section)
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
