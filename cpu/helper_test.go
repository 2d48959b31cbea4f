package cpu_test

import (
	"bytes"
	"fmt"
	"testing"

	"vcpu/cpu"
)

// The test address space, laid out as the kernel lays out a process (see
// docs/MEMORY.md): code at 0x1000, a two-page data segment, a two-page stack
// just below 0x80000000, and the return gate at 0xFFFFF000.
const (
	codeBase  = 0x0000_1000
	dataBase  = 0x0001_0000
	dataLimit = 2 * cpu.PageSize
	stackTop  = 0x8000_0000
	stackSize = 2 * cpu.PageSize
	stackBase = stackTop - stackSize
	gate      = 0xFFFF_F000
	numFrames = 64
	canary    = 0xA5
)

// machine is a CPU with one address space, built the way the kernel builds
// one: frames allocated from a Memory, pages mapped with PageTable.Map,
// segments added, code predecoded.
type machine struct {
	mem  *cpu.Memory
	as   *cpu.AddressSpace
	cpu  *cpu.CPU
	next uint32 // next free frame; frame 0 is never handed out
	used map[uint32]bool
}

// seg describes one segment of a test address space.
type seg struct {
	kind  cpu.SegKind
	base  uint32
	limit uint32
	perm  cpu.Perm
	init  []byte
}

// standardSegs is the usual test layout for a program of text bytes.
func standardSegs(text []byte) []seg {
	return []seg{
		{cpu.SegCode, codeBase, uint32(len(text)), cpu.PermR | cpu.PermX, text},
		{cpu.SegData, dataBase, dataLimit, cpu.PermR | cpu.PermW, nil},
		{cpu.SegStack, stackBase, stackSize, cpu.PermR | cpu.PermW, nil},
	}
}

// newMachine builds a machine running text with a TLB of tlbSize entries.
// Every frame not backing a segment is filled with canary bytes.
func newMachine(tb testing.TB, tlbSize int, text []byte, segs ...seg) *machine {
	tb.Helper()
	return newMachineFrames(tb, numFrames, tlbSize, text, segs...)
}

var canaryFrame = bytes.Repeat([]byte{canary}, cpu.PageSize)

// newMachineFrames is newMachine with a physical memory of frames frames.
func newMachineFrames(tb testing.TB, frames, tlbSize int, text []byte, segs ...seg) *machine {
	tb.Helper()
	if segs == nil {
		segs = standardSegs(text)
	}
	m := &machine{mem: cpu.NewMemory(frames * cpu.PageSize), next: 1, used: map[uint32]bool{}}
	for f := range m.mem.Frames() {
		copy(m.mem.Frame(uint32(f)), canaryFrame)
	}
	m.as = &cpu.AddressSpace{ASID: 7, Code: cpu.Predecode(codeBase, text)}
	for _, s := range segs {
		m.addSegment(tb, s)
	}
	m.cpu = cpu.New(m.mem, cpu.NewTLB(tlbSize))
	m.cpu.Gate = gate
	m.cpu.SetAddressSpace(m.as)
	ctx := cpu.Context{PC: codeBase}
	ctx.R[cpu.SP] = stackTop
	m.cpu.SetContext(ctx)
	return m
}

// addSegment maps fresh zeroed frames under s and copies s.init into them.
func (m *machine) addSegment(tb testing.TB, s seg) {
	tb.Helper()
	for vpn := s.base / cpu.PageSize; uint64(vpn)*cpu.PageSize < uint64(s.base)+uint64(s.limit); vpn++ {
		if m.as.PT.Walk(vpn).Present() {
			continue
		}
		if int(m.next) >= m.mem.Frames() {
			tb.Fatalf("test machine out of frames")
		}
		f := m.next
		m.next++
		clear(m.mem.Frame(f))
		m.used[f] = true
		m.as.PT.Map(vpn, f)
	}
	m.as.Segments = append(m.as.Segments, &cpu.Segment{Kind: s.kind, Base: s.base, Limit: s.limit, Perm: s.perm})
	if len(s.init) > 0 {
		// The loader's way in: a temporarily writable view.
		sg := m.as.Segments[len(m.as.Segments)-1]
		perm := sg.Perm
		sg.Perm |= cpu.PermW
		if err := m.as.CopyOut(m.mem, s.base, s.init); err != nil {
			tb.Fatalf("loading %s: %v", s.kind, err)
		}
		sg.Perm = perm
	}
}

// checkCanaries fails if any byte of a frame that backs no segment changed.
func (m *machine) checkCanaries(tb testing.TB) {
	tb.Helper()
	for f := uint32(0); f < uint32(m.mem.Frames()); f++ {
		if m.used[f] {
			continue
		}
		if fr := m.mem.Frame(f); !bytes.Equal(fr, canaryFrame) {
			i := 0
			for fr[i] == canary {
				i++
			}
			tb.Fatalf("frame %d (backing no segment) changed at offset %d", f, i)
		}
	}
}

// word reads a guest word through CopyIn.
func (m *machine) word(tb testing.TB, addr uint32) uint32 {
	tb.Helper()
	var b [4]byte
	if err := m.as.CopyIn(m.mem, addr, b[:]); err != nil {
		tb.Fatalf("reading %#x: %v", addr, err)
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// setWord writes a guest word through CopyOut.
func (m *machine) setWord(tb testing.TB, addr, v uint32) {
	tb.Helper()
	b := []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}
	if err := m.as.CopyOut(m.mem, addr, b); err != nil {
		tb.Fatalf("writing %#x: %v", addr, err)
	}
}

// runToStop runs until the CPU stops for a reason other than the budget,
// with at most limit instructions.
func (m *machine) runToStop(tb testing.TB, limit uint64) cpu.StopReason {
	tb.Helper()
	why, n := m.cpu.Run(limit)
	if why == cpu.StopBudget {
		tb.Fatalf("still running after %d instructions, pc %#x", n, m.cpu.PC())
	}
	return why
}

// prog assembles a list of instructions at codeBase. A branch, jmp or call
// whose Target is a label index (see lbl) is resolved; labels are markers
// in the list.
type prog struct {
	items []item
}

type item struct {
	in    cpu.Inst
	label string // a label marker if non-empty and in is zero
	to    string // the label this instruction's Target refers to
	raw   []byte // raw bytes, for hand-made (possibly invalid) encodings
}

func (p *prog) I(in cpu.Inst) *prog { p.items = append(p.items, item{in: in}); return p }

// To adds an instruction whose Target is the address of label.
func (p *prog) To(in cpu.Inst, label string) *prog {
	p.items = append(p.items, item{in: in, to: label})
	return p
}

// L places a label.
func (p *prog) L(name string) *prog { p.items = append(p.items, item{label: name}); return p }

// Raw places bytes as they are (a multiple of 4 to keep alignment).
func (p *prog) Raw(b ...byte) *prog { p.items = append(p.items, item{raw: b}); return p }

// Pad adds nops up to address addr.
func (p *prog) Pad(addr uint32) *prog {
	for p.addrOf(len(p.items)) < addr {
		p.I(cpu.Inst{Op: cpu.NOP})
	}
	return p
}

func (p *prog) addrOf(n int) uint32 {
	a := uint32(codeBase)
	for _, it := range p.items[:n] {
		switch {
		case it.raw != nil:
			a += uint32(len(it.raw))
		case it.label == "":
			a += uint32(it.in.Size())
		}
	}
	return a
}

// Addr is the address of a label.
func (p *prog) Addr(name string) uint32 {
	for i, it := range p.items {
		if it.label == name && it.raw == nil {
			return p.addrOf(i)
		}
	}
	panic("no label " + name)
}

// Bytes encodes the program.
func (p *prog) Bytes() []byte {
	var b []byte
	for _, it := range p.items {
		switch {
		case it.raw != nil:
			b = append(b, it.raw...)
		case it.label != "":
		default:
			in := it.in
			if it.to != "" {
				in.Target = p.Addr(it.to)
			}
			b = in.Append(b)
		}
	}
	return b
}

// Short constructors for instructions.
func rrr(op cpu.Opcode, a, b, c uint8) cpu.Inst { return cpu.Inst{Op: op, A: a, B: b, C: c} }
func rri(op cpu.Opcode, a, b uint8, imm uint32) cpu.Inst {
	return cpu.Inst{Op: op, Mode: cpu.ModeImm, A: a, B: b, Imm: imm}
}
func movi(a uint8, imm uint32) cpu.Inst {
	return cpu.Inst{Op: cpu.MOV, Mode: cpu.ModeImm, A: a, Imm: imm}
}
func movr(a, c uint8) cpu.Inst { return cpu.Inst{Op: cpu.MOV, A: a, C: c} }
func mem(op cpu.Opcode, a, base uint8, disp uint32) cpu.Inst {
	return cpu.Inst{Op: op, A: a, B: base, Imm: disp}
}
func abs(op cpu.Opcode, a uint8, addr uint32) cpu.Inst {
	return cpu.Inst{Op: op, Mode: cpu.ModeAbs, A: a, Imm: addr}
}
func one(op cpu.Opcode, a uint8) cpu.Inst { return cpu.Inst{Op: op, A: a} }
func brr(op cpu.Opcode, a, c uint8) cpu.Inst {
	return cpu.Inst{Op: op, A: a, C: c}
}
func bri(op cpu.Opcode, a uint8, imm uint32) cpu.Inst {
	return cpu.Inst{Op: op, Mode: cpu.ModeImm, A: a, Imm: imm}
}

var (
	nop     = cpu.Inst{Op: cpu.NOP}
	ret     = cpu.Inst{Op: cpu.RET}
	syscall = cpu.Inst{Op: cpu.SYSCALL}
)

// machineState is everything observable about a machine after a run.
type machineState struct {
	Ctx     cpu.Context
	Stats   cpu.TLBStats
	Entries []cpu.TLBEntry
	LRU     []int
	Retired uint64
	Fault   cpu.Fault
	Mem     []byte
}

func (m *machine) state() machineState {
	return machineState{
		Ctx:     m.cpu.Context(),
		Stats:   m.cpu.TLB.TLBStats,
		Entries: append([]cpu.TLBEntry(nil), m.cpu.TLB.Entries...),
		LRU:     m.cpu.TLB.LRUOrder(),
		Retired: m.cpu.Retired,
		Fault:   m.cpu.Fault,
		Mem:     append([]byte(nil), m.mem.Bytes...),
	}
}

// diff describes how two states differ, or returns "".
func (s machineState) diff(o machineState) string {
	switch {
	case s.Ctx != o.Ctx:
		return fmt.Sprintf("context %+v vs %+v", s.Ctx, o.Ctx)
	case s.Stats != o.Stats:
		return fmt.Sprintf("TLB stats %+v vs %+v", s.Stats, o.Stats)
	case fmt.Sprint(s.Entries) != fmt.Sprint(o.Entries):
		return fmt.Sprintf("TLB entries %+v vs %+v", s.Entries, o.Entries)
	case fmt.Sprint(s.LRU) != fmt.Sprint(o.LRU):
		return fmt.Sprintf("LRU order %v vs %v", s.LRU, o.LRU)
	case s.Retired != o.Retired:
		return fmt.Sprintf("retired %d vs %d", s.Retired, o.Retired)
	case s.Fault != o.Fault:
		return fmt.Sprintf("fault %+v vs %+v", s.Fault, o.Fault)
	case !bytes.Equal(s.Mem, o.Mem):
		i := 0
		for s.Mem[i] == o.Mem[i] {
			i++
		}
		return fmt.Sprintf("memory differs at physical %#x", i)
	}
	return ""
}
