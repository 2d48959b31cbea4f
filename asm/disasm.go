package asm

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"vcpu/cpu"
	"vcpu/image"
)

// The disassembler prints a Program as assembly source that assembles back
// to the same bytes: labels come from the symbol table, instructions from
// the ISA table through cpu.Decode, and anything that does not decode (or
// would swallow a label) is printed as data. Only names that are valid,
// unambiguous labels are used, so a crafted .vbin cannot produce a listing
// that means something else.

// labeler decides which symbol names a listing uses and where.
type labeler struct {
	p      *image.Program
	at     [3]map[uint32][]string // emitted labels by section and address
	target map[uint32]string      // the text label an address prints as
	any    map[uint32]string      // any label, for immediates and [abs] operands
}

func newLabeler(p *image.Program) *labeler {
	l := &labeler{p: p, target: map[uint32]string{}, any: map[uint32]string{}}
	for i := range l.at {
		l.at[i] = map[uint32][]string{}
	}
	if p == nil {
		return l
	}
	syms := append([]image.Symbol(nil), p.Symbols...)
	sortSymbols(syms)
	used := map[string]bool{}
	predef := predefined()
	hasMain := false
	for _, s := range syms {
		if s.Section > image.SecBSS || !validLabel(s.Name, predef) || used[s.Name] || !l.inSection(s.Section, s.Value) {
			continue
		}
		if s.Name == "main" {
			if s.Section != image.SecText || s.Value != p.Entry {
				continue // main must mean the entry point when reassembled
			}
			hasMain = true
		}
		used[s.Name] = true
		l.add(s.Section, s.Value, s.Name)
	}
	if !hasMain && p.Entry != p.TextBase && l.inSection(image.SecText, p.Entry) {
		l.add(image.SecText, p.Entry, "main")
	}
	// Prefer main, then the first name, when an address has several.
	for _, name := range l.at[image.SecText][p.Entry] {
		if name == "main" {
			l.target[p.Entry], l.any[p.Entry] = name, name
		}
	}
	return l
}

func (l *labeler) add(sec image.Section, v uint32, name string) {
	l.at[sec][v] = append(l.at[sec][v], name)
	if sec == image.SecText {
		if _, ok := l.target[v]; !ok {
			l.target[v] = name
		}
	}
	if _, ok := l.any[v]; !ok {
		l.any[v] = name
	}
}

// inSection reports whether a label at v can be placed in sec: anywhere
// from the section's start to its end inclusive.
func (l *labeler) inSection(sec image.Section, v uint32) bool {
	base, size := uint64(0), uint64(0)
	switch sec {
	case image.SecText:
		base, size = uint64(l.p.TextBase), uint64(len(l.p.Text))
	case image.SecData:
		base, size = uint64(l.p.DataBase), uint64(len(l.p.Data))
	case image.SecBSS:
		base, size = uint64(l.p.BSSBase), uint64(l.p.BSSSize)
	default:
		return false
	}
	return uint64(v) >= base && uint64(v) <= base+size
}

// validLabel is true for names the assembler accepts as labels.
func validLabel(name string, predef map[string]int64) bool {
	if name == "" || len(name) > image.MaxNameLen || !isIdentStart(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if !isIdentChar(name[i]) {
			return false
		}
	}
	_, isReg := regNum(name)
	_, isPre := predef[name]
	return !isReg && !isPre && !looksLikeReg(name)
}

// offsets lists the section offsets that carry labels, ascending.
func (l *labeler) offsets(sec image.Section, base uint32) []uint32 {
	var out []uint32
	for v := range l.at[sec] {
		out = append(out, v-base)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Disassemble returns a listing of p that is valid assembly source:
// assembling it gives the same text, data, bss size and entry point.
func Disassemble(p *image.Program) string {
	if p == nil {
		return ""
	}
	l := newLabeler(p)
	var b strings.Builder
	// The name is printed in a comment: a control character in it (from a
	// crafted .vbin) must not end the comment and smuggle in a line of code.
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, p.Name)
	fmt.Fprintf(&b, "; %s: disassembled by vcpu\n", name)
	b.WriteString("\t.text\n")
	l.section(&b, image.SecText, p.TextBase, p.Text)
	if len(p.Data) > 0 || len(l.at[image.SecData]) > 0 {
		b.WriteString("\n\t.data\n")
		l.section(&b, image.SecData, p.DataBase, p.Data)
	}
	if p.BSSSize > 0 || len(l.at[image.SecBSS]) > 0 {
		b.WriteString("\n\t.bss\n")
		l.bss(&b)
	}
	return b.String()
}

// DisassembleInst prints one instruction, naming addresses with p's labels
// (p may be nil): "add   r1, r2, 5", "beq   r1, 0, done".
func DisassembleInst(in cpu.Inst, p *image.Program) string {
	return newLabeler(p).inst(in)
}

// listing accumulates data lines, merging runs of one directive.
type listing struct {
	b     *strings.Builder
	dir   string
	items []string
	addr  uint32
}

func (w *listing) item(dir string, v string, addr uint32) {
	if dir != w.dir || len(w.items) == 8 {
		w.flush()
		w.dir, w.addr = dir, addr
	}
	w.items = append(w.items, v)
}

func (w *listing) line(s string, addr uint32) {
	w.flush()
	fmt.Fprintf(w.b, "\t%-30s ; %08x\n", s, addr)
}

func (w *listing) label(name string) {
	w.flush()
	fmt.Fprintf(w.b, "%s:\n", name)
}

func (w *listing) flush() {
	if len(w.items) > 0 {
		fmt.Fprintf(w.b, "\t%-30s ; %08x\n", w.dir+" "+strings.Join(w.items, ", "), w.addr)
		w.dir, w.items = "", w.items[:0]
	}
}

// section prints the text or data section: labels at their offsets, and
// between them instructions (text) or data.
func (l *labeler) section(b *strings.Builder, sec image.Section, base uint32, bytes []byte) {
	w := &listing{b: b}
	bounds := l.offsets(sec, base)
	o, bi := 0, 0
	for o < len(bytes) {
		for bi < len(bounds) && int(bounds[bi]) <= o {
			if int(bounds[bi]) == o {
				for _, name := range l.at[sec][base+bounds[bi]] {
					w.label(name)
				}
			}
			bi++
		}
		next := len(bytes)
		if bi < len(bounds) && int(bounds[bi]) < next {
			next = int(bounds[bi])
		}
		addr := base + uint32(o)
		if z := zeroRun(bytes[o:next]); z >= 32 {
			z &^= 3
			w.line(fmt.Sprintf(".zero %d", z), addr)
			o += z
			continue
		}
		if sec == image.SecText && o%4 == 0 {
			if in, n, err := cpu.Decode(bytes[o:next]); err == nil {
				w.line(l.inst(in), addr)
				o += n
				continue
			}
		}
		if sec == image.SecData {
			if n, s := stringAt(bytes[o:next]); n > 0 {
				w.line(s, addr)
				o += n
				continue
			}
		}
		if o%4 == 0 && next-o >= 4 && !(sec == image.SecData && stringSoon(bytes[o:next])) {
			v := uint32(bytes[o]) | uint32(bytes[o+1])<<8 | uint32(bytes[o+2])<<16 | uint32(bytes[o+3])<<24
			w.item(".word", fmt.Sprintf("0x%08x", v), addr)
			o += 4
			continue
		}
		w.item(".byte", strconv.Itoa(int(bytes[o])), addr)
		o++
	}
	w.flush()
	for _, name := range l.at[sec][base+uint32(len(bytes))] {
		w.label(name)
	}
}

// bss prints labels and the .space between them.
func (l *labeler) bss(b *strings.Builder) {
	w := &listing{b: b}
	o := uint32(0)
	for _, off := range l.offsets(image.SecBSS, l.p.BSSBase) {
		if off > o {
			w.line(fmt.Sprintf(".space %d", off-o), l.p.BSSBase+o)
			o = off
		}
		for _, name := range l.at[image.SecBSS][l.p.BSSBase+off] {
			w.label(name)
		}
	}
	if l.p.BSSSize > o {
		w.line(fmt.Sprintf(".space %d", l.p.BSSSize-o), l.p.BSSBase+o)
	}
}

// stringSoon reports whether a string starts within the next word, so that
// the word is better printed as bytes that lead up to it.
func stringSoon(b []byte) bool {
	for k := 1; k < 4 && k < len(b); k++ {
		if n, _ := stringAt(b[k:]); n > 0 {
			return true
		}
	}
	return false
}

func zeroRun(b []byte) int {
	n := 0
	for n < len(b) && b[n] == 0 {
		n++
	}
	return n
}

// stringAt recognises text at the start of b: printable bytes ending in a
// 0 (.asciz), or a longer printable run (.ascii). It returns how many bytes
// it covers and the directive, or 0.
func stringAt(b []byte) (int, string) {
	n := 0
	for n < len(b) && n < 64 && (b[n] >= 0x20 && b[n] < 0x7f || b[n] == '\n' || b[n] == '\t' || b[n] == '\r') {
		n++
	}
	switch {
	case n >= 2 && n < len(b) && b[n] == 0:
		return n + 1, ".asciz " + quote(b[:n])
	case n >= 8:
		return n, ".ascii " + quote(b[:n])
	}
	return 0, ""
}

// quote writes bytes as a string literal with the assembler's escapes.
func quote(b []byte) string {
	var s strings.Builder
	s.WriteByte('"')
	for _, c := range b {
		switch c {
		case '"', '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case '\n':
			s.WriteString(`\n`)
		case '\t':
			s.WriteString(`\t`)
		case '\r':
			s.WriteString(`\r`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&s, `\x%02x`, c)
			} else {
				s.WriteByte(c)
			}
		}
	}
	s.WriteByte('"')
	return s.String()
}

// num prints an immediate: small negative numbers as such, small numbers
// in decimal, the rest in hex. Any form assembles to the same bits.
func num(v uint32) string {
	if s := int32(v); s < 0 && s >= -65536 {
		return strconv.Itoa(int(s))
	}
	if v < 65536 {
		return strconv.FormatUint(uint64(v), 10)
	}
	return fmt.Sprintf("%#x", v)
}

// inst formats one instruction.
func (l *labeler) inst(in cpu.Inst) string {
	if err := in.Valid(); err != nil {
		return fmt.Sprintf("; invalid instruction: %v", err)
	}
	reg := func(r uint8) string { return cpu.RegName(int(r)) }
	src := func() string {
		if in.Mode&cpu.ModeImm == 0 {
			return reg(in.C)
		}
		if name, ok := l.any[in.Imm]; ok && (in.Op == cpu.MOV || in.Op == cpu.PUSH) {
			return name // mov r1, msg: an address is most likely meant
		}
		return num(in.Imm)
	}
	target := func(v uint32) string {
		if name, ok := l.target[v]; ok {
			return name
		}
		return fmt.Sprintf("%#x", v)
	}
	var ops []string
	switch cpu.Instructions[in.Op].Format {
	case cpu.FmtRdRsSrc:
		ops = []string{reg(in.A), reg(in.B), src()}
	case cpu.FmtRdSrc:
		ops = []string{reg(in.A), src()}
	case cpu.FmtRdRs:
		ops = []string{reg(in.A), reg(in.B)}
	case cpu.FmtRd:
		ops = []string{reg(in.A)}
	case cpu.FmtRegMem:
		ops = []string{reg(in.A), l.mem(in)}
	case cpu.FmtSrc:
		ops = []string{src()}
	case cpu.FmtTarget:
		if in.Mode&cpu.ModeTarget != 0 {
			ops = []string{reg(in.C)}
		} else {
			ops = []string{target(in.Target)}
		}
	case cpu.FmtRsSrcTarget:
		ops = []string{reg(in.A), src(), target(in.Target)}
	}
	name := cpu.Instructions[in.Op].Name
	if len(ops) == 0 {
		return name
	}
	return fmt.Sprintf("%-5s %s", name, strings.Join(ops, ", "))
}

func (l *labeler) mem(in cpu.Inst) string {
	if in.Mode&cpu.ModeAbs != 0 {
		if name, ok := l.any[in.Imm]; ok {
			return "[" + name + "]"
		}
		return fmt.Sprintf("[%#x]", in.Imm)
	}
	base := cpu.RegName(int(in.B))
	switch d := int32(in.Imm); {
	case d == 0:
		return "[" + base + "]"
	case d < 0 && d >= -65536:
		return fmt.Sprintf("[%s - %d]", base, -d)
	}
	return fmt.Sprintf("[%s + %s]", base, num(in.Imm))
}
