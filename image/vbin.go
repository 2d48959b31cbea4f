package image

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// The .vbin file: an assembled Program, so that a program can be assembled
// ahead of time. docs/VBIN.md has the layout. A damaged file is refused with
// a message that says what is wrong and where; the reader never panics and
// never allocates more than the file's own length justifies.

// Magic is how a .vbin file starts; a loader tells a .vbin from source by it.
const Magic = "VBIN"

const (
	vbinVersion = 1
	headerSize  = 16 // magic, version, payload length, CRC-32
	maxPayload  = MaxFileSize - headerSize
)

// MarshalBinary encodes p as a .vbin file. It refuses a Program that a
// reader would refuse, a file larger than MaxFileSize included.
func (p *Program) MarshalBinary() ([]byte, error) {
	if err := p.Validate(); err != nil {
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
		return nil, fmt.Errorf("vbin: cannot write program: a file of %d bytes would be over the %d MiB a program file may hold",
			len(w), MaxFileSize>>20)
	}
	copy(w, Magic)
	binary.LittleEndian.PutUint32(w[4:], vbinVersion)
	binary.LittleEndian.PutUint32(w[8:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(w[12:], crc32.ChecksumIEEE(payload))
	return w, nil
}

// Unmarshal decodes a .vbin file and validates the program in it.
// Program.Path is left empty.
func Unmarshal(b []byte) (*Program, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("vbin: empty file")
	}
	if len(b) < headerSize {
		if len(b) < 4 && string(b) != Magic[:len(b)] || len(b) >= 4 && string(b[:4]) != Magic {
			return nil, fmt.Errorf("vbin: not a .vbin file (it does not start with %q)", Magic)
		}
		return nil, fmt.Errorf("vbin: truncated at byte %d reading the header (%d bytes)", len(b), headerSize)
	}
	if string(b[:4]) != Magic {
		return nil, fmt.Errorf("vbin: not a .vbin file (it starts with %q, not %q)", b[:4], Magic)
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != vbinVersion {
		return nil, fmt.Errorf("vbin: unsupported version %d (this vcpu reads version %d)", v, vbinVersion)
	}
	n := binary.LittleEndian.Uint32(b[8:])
	if n > maxPayload {
		return nil, fmt.Errorf("vbin: header claims a payload of %d bytes, more than a %d MiB program file can hold", n, MaxFileSize>>20)
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
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("vbin: %v", err)
	}
	p.Normalize()
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
	p.Name = string(r.blob("the program name", MaxPathLen))
	p.TextBase = r.u32("the text base")
	p.Text = r.blob("the text segment", MaxSegment)
	p.DataBase = r.u32("the data base")
	p.Data = r.blob("the data segment", MaxSegment)
	p.BSSBase = r.u32("the bss base")
	p.BSSSize = r.u32("the bss size")
	p.Entry = r.u32("the entry point")
	nf := r.count("file names", 4, MaxFiles)
	for i := 0; i < nf && r.err == nil; i++ {
		p.Files = append(p.Files, string(r.blob(fmt.Sprintf("file name %d", i), MaxPathLen)))
	}
	ns := r.count("symbols", 9, maxPayload/9)
	for i := 0; i < ns && r.err == nil; i++ {
		name := string(r.blob(fmt.Sprintf("symbol %d", i), MaxNameLen))
		v := r.u32(fmt.Sprintf("symbol %d's value", i))
		sec := r.take(1, fmt.Sprintf("symbol %d's section", i))
		if sec != nil {
			p.Symbols = append(p.Symbols, Symbol{Name: name, Value: v, Section: Section(sec[0])})
		}
	}
	nl := r.count("source map entries", 12, maxPayload/12)
	for i := 0; i < nl && r.err == nil; i++ {
		l := LineEntry{PC: r.u32("the source map"), File: r.u32("the source map"), Line: r.u32("the source map")}
		p.Lines = append(p.Lines, l)
	}
	return p
}
