package cpu_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"vcpu/cpu"
)

func TestPageTable(t *testing.T) {
	var pt cpu.PageTable
	if e := pt.Walk(5); e.Present() || e != 0 {
		t.Fatalf("empty table: Walk(5) = %#x", e)
	}
	maps := map[uint32]uint32{0x3FF: 1, 0x400: 2, 0xFFFFF: 3, 5: 4, 0x7FFFF: 0}
	for vpn, f := range maps {
		pt.Map(vpn, f)
	}
	if pt.Mapped() != len(maps) {
		t.Errorf("Mapped() = %d, want %d", pt.Mapped(), len(maps))
	}
	for vpn, f := range maps {
		if e := pt.Walk(vpn); !e.Present() || e.Frame() != f {
			t.Errorf("Walk(%#x) = %#x: present %v frame %d, want frame %d", vpn, e, e.Present(), e.Frame(), f)
		}
	}
	if pt.Walk(0x401).Present() || pt.Walk(0).Present() {
		t.Error("a neighbour of a mapped page is present")
	}
	// Remapping replaces and does not count twice.
	pt.Map(5, 9)
	if pt.Walk(5).Frame() != 9 || pt.Mapped() != len(maps) {
		t.Errorf("remap: frame %d, mapped %d", pt.Walk(5).Frame(), pt.Mapped())
	}
	var got []string
	pt.Range(func(vpn, frame uint32) { got = append(got, fmt.Sprintf("%#x:%d", vpn, frame)) })
	if want := "0x5:9 0x3ff:1 0x400:2 0x7ffff:0 0xfffff:3"; strings.Join(got, " ") != want {
		t.Errorf("Range visited %v, want %s", got, want)
	}
	if f, ok := pt.Unmap(0x400); !ok || f != 2 {
		t.Errorf("Unmap(0x400) = %d, %v", f, ok)
	}
	if _, ok := pt.Unmap(0x400); ok {
		t.Error("Unmap of an unmapped page succeeded")
	}
	if _, ok := pt.Unmap(0x12345); ok {
		t.Error("Unmap under an absent directory entry succeeded")
	}
	if pt.Walk(0x400).Present() || pt.Mapped() != len(maps)-1 {
		t.Errorf("after Unmap: present %v, mapped %d", pt.Walk(0x400).Present(), pt.Mapped())
	}
}

// TestPageTableRange is a regression test: a page number past 20 bits used
// to alias the page with the same low 20 bits.
func TestPageTableRange(t *testing.T) {
	var pt cpu.PageTable
	pt.Map(5, 1)
	if pt.Walk(cpu.NumPages + 5).Present() {
		t.Error("Walk(2^20 + 5) found page 5")
	}
	if _, ok := pt.Unmap(cpu.NumPages + 5); ok || !pt.Walk(5).Present() {
		t.Error("Unmap(2^20 + 5) removed page 5")
	}
	for _, c := range [][2]uint32{{cpu.NumPages, 1}, {1, cpu.NumPages}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Map(%#x, %#x) did not panic", c[0], c[1])
				}
			}()
			pt.Map(c[0], c[1])
		}()
	}
	if pt.Mapped() != 1 || pt.Walk(5).Frame() != 1 {
		t.Errorf("the table changed: mapped %d, page 5 at frame %d", pt.Mapped(), pt.Walk(5).Frame())
	}
}

// TestTLBLRU fills a TLB, touches some entries, and checks which one each
// insert evicts.
func TestTLBLRU(t *testing.T) {
	tlb := cpu.NewTLB(4)
	for vpn := uint32(1); vpn <= 4; vpn++ {
		if slot := tlb.Insert(0, vpn, 100+vpn); slot != int(vpn-1) {
			t.Fatalf("Insert of page %d into slot %d, want the free slot %d", vpn, slot, vpn-1)
		}
	}
	if tlb.Evictions != 0 || fmt.Sprint(tlb.LRUOrder()) != "[0 1 2 3]" {
		t.Fatalf("after filling: evictions %d, LRU %v", tlb.Evictions, tlb.LRUOrder())
	}
	for _, vpn := range []uint32{1, 3} {
		if slot, ok := tlb.Lookup(0, vpn); !ok || tlb.Entries[slot].Frame != 100+vpn {
			t.Fatalf("Lookup(%d) = %d, %v", vpn, slot, ok)
		}
	}
	if got := fmt.Sprint(tlb.LRUOrder()); got != "[1 3 0 2]" {
		t.Fatalf("LRU order %s, want [1 3 0 2] (pages 2 4 1 3)", got)
	}
	// Page 5 evicts page 2, the least recently used.
	if slot := tlb.Insert(0, 5, 105); slot != 1 {
		t.Errorf("page 5 went to slot %d, want 1 (page 2's)", slot)
	}
	if _, ok := tlb.Lookup(0, 2); ok {
		t.Error("page 2 still cached after its eviction")
	}
	// Then page 4; then page 1 (touched before page 3).
	for _, want := range []struct{ vpn, slot uint32 }{{6, 3}, {7, 0}} {
		if slot := tlb.Insert(0, want.vpn, 0); slot != int(want.slot) {
			t.Errorf("page %d went to slot %d, want %d", want.vpn, slot, want.slot)
		}
	}
	want := cpu.TLBStats{Hits: 2, Misses: 1, Evictions: 3}
	if tlb.TLBStats != want {
		t.Errorf("stats %+v, want %+v", tlb.TLBStats, want)
	}
}

func TestTLBFlushInvalidate(t *testing.T) {
	tlb := cpu.NewTLB(4)
	tlb.Insert(1, 5, 10)
	tlb.Insert(2, 5, 20) // same page, another address space: both live
	tlb.Insert(1, 6, 11)
	tlb.Insert(2, 7, 21)
	for _, c := range []struct{ asid, vpn, frame uint32 }{{1, 5, 10}, {2, 5, 20}, {1, 6, 11}, {2, 7, 21}} {
		if slot, ok := tlb.Lookup(c.asid, c.vpn); !ok || tlb.Entries[slot].Frame != c.frame {
			t.Errorf("Lookup(asid %d, page %d) = slot %d, %v; want frame %d", c.asid, c.vpn, slot, ok, c.frame)
		}
	}
	if _, ok := tlb.Lookup(1, 7); ok {
		t.Error("asid 1 sees asid 2's page 7")
	}
	tlb.Invalidate(1, 5)
	if _, ok := tlb.Lookup(1, 5); ok {
		t.Error("Invalidate(1, 5) left the entry")
	}
	if _, ok := tlb.Lookup(2, 5); !ok {
		t.Error("Invalidate(1, 5) dropped asid 2's page 5")
	}
	tlb.Invalidate(3, 5) // not cached: nothing happens
	tlb.InvalidateASID(2)
	if got := fmt.Sprint(tlb.LRUOrder()); got != "[2]" {
		t.Errorf("after InvalidateASID(2): LRU %s, want [2] (asid 1 page 6)", got)
	}
	if tlb.Evictions != 0 || tlb.Flushes != 0 {
		t.Errorf("invalidation counted as %+v", tlb.TLBStats)
	}
	// An invalid slot is reused before any valid one is evicted.
	if slot := tlb.Insert(1, 9, 0); slot != 0 || tlb.Evictions != 0 {
		t.Errorf("Insert after invalidation: slot %d, evictions %d", slot, tlb.Evictions)
	}
	valid := len(tlb.LRUOrder())
	if dropped := tlb.Flush(); dropped != valid || valid == 0 {
		t.Errorf("first flush dropped %d entries, want the %d valid ones", dropped, valid)
	}
	if dropped := tlb.Flush(); dropped != 0 {
		t.Errorf("second flush dropped %d entries, want 0", dropped)
	}
	if tlb.Flushes != 2 || len(tlb.LRUOrder()) != 0 {
		t.Errorf("after two flushes: %+v, LRU %v", tlb.TLBStats, tlb.LRUOrder())
	}
	if _, ok := tlb.Lookup(1, 6); ok {
		t.Error("a flushed entry hit")
	}
	if len(cpu.NewTLB(0).Entries) != 1 {
		t.Error("NewTLB(0) has no entry")
	}
}

// TestTLBAccounting checks the exact lookups the CPU makes: one per fetch
// (two for a fetch that straddles pages), one per data page touched, a
// single write translation for xchg/xadd, none for an access that fails
// the segment check.
func TestTLBAccounting(t *testing.T) {
	p := func() *prog { return new(prog) }
	tests := []struct {
		name  string
		code  *prog
		segs  func([]byte) []seg
		size  int
		setup func(*machine)
		want  cpu.TLBStats
	}{
		{name: "loads on one and two pages",
			code: p().I(abs(cpu.LD, 1, dataBase)).I(abs(cpu.LD, 1, dataBase+4)).I(abs(cpu.LD, 1, dataBase+cpu.PageSize-2)).I(syscall),
			want: cpu.TLBStats{Misses: 3, Hits: 5}},
		{name: "byte accesses",
			code: p().I(abs(cpu.LDB, 1, dataBase+cpu.PageSize-1)).I(abs(cpu.STB, 1, dataBase+cpu.PageSize)).I(abs(cpu.LDB, 1, dataBase+cpu.PageSize-1)).I(syscall),
			want: cpu.TLBStats{Misses: 3, Hits: 4}},
		{name: "xchg and xadd translate once",
			code: p().I(abs(cpu.XCHG, 1, dataBase)).I(abs(cpu.XADD, 1, dataBase)).I(syscall),
			want: cpu.TLBStats{Misses: 2, Hits: 3}},
		{name: "xchg straddling translates each page once",
			code: p().I(abs(cpu.XCHG, 1, dataBase+cpu.PageSize-1)).I(syscall),
			want: cpu.TLBStats{Misses: 3, Hits: 1}},
		{name: "push pop call ret",
			code: p().I(cpu.Inst{Op: cpu.PUSH, C: 1}).I(one(cpu.POP, 1)).To(cpu.Inst{Op: cpu.CALL}, "f").I(syscall).L("f").I(ret),
			want: cpu.TLBStats{Misses: 2, Hits: 7}},
		{name: "segment fault touches no counter",
			code: p().I(abs(cpu.ST, 1, codeBase)),
			want: cpu.TLBStats{Misses: 1}},
		{name: "limit fault touches no counter", segs: smallData,
			code: p().I(abs(cpu.LD, 1, dataBase+98)),
			want: cpu.TLBStats{Misses: 1}},
		{name: "page not present is a miss",
			code:  p().I(abs(cpu.LD, 1, dataBase)),
			setup: func(m *machine) { m.as.PT.Unmap(dataBase / cpu.PageSize) },
			want:  cpu.TLBStats{Misses: 2}},
		{name: "straddling fetch looks up both pages",
			code: p().Pad(0x2000 - 4).I(movi(1, 1)).I(syscall),
			want: cpu.TLBStats{Misses: 2, Hits: 1024}},
		{name: "one-entry TLB evicts on every page change", size: 1,
			code: p().I(abs(cpu.LD, 1, dataBase)).I(syscall),
			want: cpu.TLBStats{Misses: 3, Evictions: 2}},
		{name: "two-entry TLB keeps code and data", size: 2,
			code: p().I(abs(cpu.LD, 1, dataBase)).I(abs(cpu.ST, 1, dataBase+8)).I(syscall),
			want: cpu.TLBStats{Misses: 2, Hits: 3}},
		{name: "two-entry TLB, three pages", size: 2,
			code: p().I(abs(cpu.LD, 1, dataBase)).I(cpu.Inst{Op: cpu.PUSH, C: 1}).I(abs(cpu.LD, 1, dataBase)).I(syscall),
			// fetch M, data0 M; fetch H, stack M evicts data0; fetch H, data0 M evicts stack; fetch H
			want: cpu.TLBStats{Misses: 4, Hits: 3, Evictions: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.code.Bytes()
			var segs []seg
			if tt.segs != nil {
				segs = tt.segs(text)
			}
			m := newMachine(t, max(tt.size, 4), text, segs...)
			if tt.size != 0 {
				m.cpu.TLB = cpu.NewTLB(tt.size)
			}
			if tt.setup != nil {
				tt.setup(m)
			}
			m.runToStop(t, 10_000)
			if m.cpu.TLB.TLBStats != tt.want {
				t.Errorf("TLB stats %+v, want %+v (stopped at %#x: %v)", m.cpu.TLB.TLBStats, tt.want, m.cpu.PC(), &m.cpu.Fault)
			}
		})
	}
}

// TestTLBIsUsed: translations come from the TLB, not the page table, until
// they are invalidated; ASIDs keep two address spaces apart.
func TestTLBIsUsed(t *testing.T) {
	text := new(prog).I(abs(cpu.LD, 1, dataBase)).I(syscall).Bytes()
	m := newMachine(t, 4, text)
	m.setWord(t, dataBase, 1)
	m.runToStop(t, 10)
	// Point the page at another frame behind the TLB's back.
	old := m.as.PT.Walk(dataBase / cpu.PageSize).Frame()
	fresh := m.next
	m.used[fresh] = true
	clear(m.mem.Frame(fresh))
	m.mem.Frame(fresh)[0] = 2
	m.as.PT.Map(dataBase/cpu.PageSize, fresh)
	m.cpu.SetContext(cpu.Context{PC: codeBase})
	m.runToStop(t, 10)
	if m.cpu.Reg(1) != 1 {
		t.Errorf("read %d, want 1 from frame %d, still cached", m.cpu.Reg(1), old)
	}
	m.cpu.TLB.Invalidate(m.as.ASID, dataBase/cpu.PageSize)
	m.cpu.SetContext(cpu.Context{PC: codeBase})
	m.runToStop(t, 10)
	if m.cpu.Reg(1) != 2 {
		t.Errorf("read %d after Invalidate, want 2 from frame %d", m.cpu.Reg(1), fresh)
	}

	// A second address space with other frames under the same pages and
	// another ASID shares the TLB without a flush.
	m2 := newMachine(t, 4, text)
	m2.as.ASID = m.as.ASID + 1
	m2.as.PT = cpu.PageTable{}
	for vpn, f := range map[uint32]uint32{codeBase / cpu.PageSize: fresh + 1, dataBase / cpu.PageSize: fresh + 2} {
		clear(m.mem.Frame(f))
		m.used[f] = true
		m2.as.PT.Map(vpn, f)
	}
	m.mem.Frame(fresh + 2)[0] = 3
	m.cpu.SetAddressSpace(m2.as)
	m.cpu.SetContext(cpu.Context{PC: codeBase})
	m.runToStop(t, 10)
	if m.cpu.Reg(1) != 3 || m.cpu.AddressSpace() != m2.as {
		t.Errorf("second address space read %d, want 3", m.cpu.Reg(1))
	}
	if n := len(m.cpu.TLB.LRUOrder()); n != 4 {
		t.Errorf("%d entries cached, want 4 (two pages of each ASID)", n)
	}
	m.checkCanaries(t)
}

// TestXchgWritesThroughItsTranslation is a regression test: xchg and xadd
// read through the TLB but wrote through a second, page-table-only
// translation, which ignored failure: with a translation still cached for
// a page just unmapped, the write went to physical address 0.
func TestXchgWritesThroughItsTranslation(t *testing.T) {
	for _, op := range []cpu.Opcode{cpu.XCHG, cpu.XADD} {
		text := new(prog).I(abs(op, 1, dataBase+8)).I(syscall).Bytes()
		m := newMachine(t, 4, text)
		m.cpu.SetReg(1, 5)
		m.runToStop(t, 10)
		frame := m.as.PT.Walk(dataBase / cpu.PageSize).Frame()
		// Unmap the page behind the TLB's back: the cached translation
		// is the one this xchg uses, for its read and for its write.
		m.as.PT.Unmap(dataBase / cpu.PageSize)
		m.cpu.SetContext(cpu.Context{PC: codeBase, R: [cpu.NumRegs]uint32{1: 7}})
		if why := m.runToStop(t, 10); why != cpu.StopSyscall {
			t.Fatalf("%v: %v (%v)", op, why, &m.cpu.Fault)
		}
		got := binary.LittleEndian.Uint32(m.mem.Frame(frame)[8:])
		want := map[cpu.Opcode]uint32{cpu.XCHG: 7, cpu.XADD: 12}[op]
		if got != want || m.cpu.Reg(1) != 5 {
			t.Errorf("%v: memory %d, r1 %d; want %d, 5", op, got, m.cpu.Reg(1), want)
		}
		m.checkCanaries(t)
	}
}

// TestTopOfAddressSpace is a regression test: a segment that ends at
// 2^32 made the fast path's window wrap and cover the next physical frame,
// so an access to the segment's second page read the wrong frame and
// counted a hit instead of a miss.
func TestTopOfAddressSpace(t *testing.T) {
	const top = 0xFFFF_E000
	text := new(prog).I(abs(cpu.LD, 1, top)).I(abs(cpu.LD, 2, top+cpu.PageSize)).I(abs(cpu.LD, 3, top+cpu.PageSize+4)).I(syscall).Bytes()
	segs := standardSegs(text)
	segs[1] = seg{cpu.SegData, top, 2 * cpu.PageSize, cpu.PermR | cpu.PermW, nil}
	m := newMachine(t, 4, text, segs...)
	m.cpu.Gate = 0xFFFF_0000
	// Put the second page on a frame that does not follow the first.
	f := m.next
	m.used[f] = true
	clear(m.mem.Frame(f))
	m.as.PT.Map(top/cpu.PageSize+1, f)
	m.setWord(t, top, 11)
	m.setWord(t, top+cpu.PageSize, 22)
	m.setWord(t, top+cpu.PageSize+4, 33)
	m.runToStop(t, 10)
	if m.cpu.Reg(1) != 11 || m.cpu.Reg(2) != 22 || m.cpu.Reg(3) != 33 {
		t.Errorf("read %d %d %d, want 11 22 33", m.cpu.Reg(1), m.cpu.Reg(2), m.cpu.Reg(3))
	}
	if want := (cpu.TLBStats{Misses: 3, Hits: 4}); m.cpu.TLB.TLBStats != want {
		t.Errorf("stats %+v, want %+v", m.cpu.TLB.TLBStats, want)
	}
	// The last bytes of the address space are valid; a word there that
	// would wrap to address 0 is not.
	m.cpu.SetContext(cpu.Context{PC: codeBase})
	if err := m.as.CopyIn(m.mem, 0xFFFF_FFFC, make([]byte, 4)); err != nil {
		t.Errorf("CopyIn of the last word: %v", err)
	}
	if f := m.as.Check(0xFFFF_FFFE, 4, cpu.Read); f == nil {
		t.Error("a word wrapping past 2^32 passed the segment check")
	}
}

func TestSegment(t *testing.T) {
	s := &cpu.Segment{Kind: cpu.SegData, Base: 0x1000, Limit: 10, Perm: cpu.PermR | cpu.PermW}
	for _, tt := range []struct {
		addr, n uint32
		want    bool
	}{
		{0x1000, 10, true}, {0x1000, 11, false}, {0x1009, 1, true}, {0x100A, 1, false},
		{0x1008, 4, false}, {0xFFF, 1, false}, {0xFFE, 4, false}, {0xFFFFFFFF, 2, false},
	} {
		if got := s.Contains(tt.addr, tt.n); got != tt.want {
			t.Errorf("Contains(%#x, %d) = %v, want %v", tt.addr, tt.n, got, tt.want)
		}
	}
	if s.End() != 0x100A || s.String() != "data [0x00001000, 0x0000100a) rw-" {
		t.Errorf("End %#x, String %q", s.End(), s.String())
	}
	st := &cpu.Segment{Kind: cpu.SegStack, Base: 0x7000_0000, Limit: 0x1000, Perm: cpu.PermR | cpu.PermW, Owner: 3}
	if st.String() != "stack of tid 3 [0x70000000, 0x70001000) rw-" {
		t.Errorf("String %q", st.String())
	}
	if p := cpu.PermR | cpu.PermX; p.String() != "r-x" {
		t.Errorf("Perm %q", p.String())
	}
	if k := cpu.SegKind(99); k.String() != "?" {
		t.Errorf("SegKind(99) = %q", k.String())
	}
}

// TestCheck covers the segmentation layer alone and the words of its faults.
func TestCheck(t *testing.T) {
	m := newMachine(t, 4, make([]byte, 16), smallData(make([]byte, 16))...)
	m.as.Segments = append(m.as.Segments,
		&cpu.Segment{Kind: cpu.SegHeap, Base: dataBase + cpu.PageSize, Limit: 0, Perm: cpu.PermR | cpu.PermW})
	for _, tt := range []struct {
		addr, n uint32
		a       cpu.Access
		want    string // "" for no fault
	}{
		{codeBase, 4, cpu.Read, ""},
		{codeBase, 4, cpu.Exec, ""},
		{codeBase + 12, 4, cpu.Write, "write to code segment"},
		{codeBase + 14, 4, cpu.Read, "read straddles the end of code segment"},
		{codeBase + 16, 1, cpu.Read, "read past the end of code segment"},
		{dataBase, 4, cpu.Exec, "execute in data segment"},
		{dataBase + 99, 1, cpu.Write, ""},
		{dataBase + 100, 1, cpu.Write, "write past the end of data segment"},
		{dataBase + 200, 1, cpu.Read, "read past the end of data segment"},
		{dataBase + cpu.PageSize, 1, cpu.Read, "read past the end of heap segment"},
		{stackBase - 1, 1, cpu.Write, "write below stack of tid 0: stack overflow"},
		{stackBase - cpu.PageSize, 1, cpu.Write, "write below stack of tid 0: stack overflow"},
		{stackBase - cpu.PageSize - 1, 1, cpu.Write, "write of unmapped address"},
		{stackTop, 4, cpu.Read, "read past the end of stack segment"},
		{0, 1, cpu.Read, "read of null page"},
		{cpu.PageSize - 1, 1, cpu.Read, "read of null page"},
	} {
		f := m.as.Check(tt.addr, tt.n, tt.a)
		got := ""
		if f != nil {
			got = f.Reason
			if f.Kind != cpu.SegFault || f.Addr != tt.addr || f.Access != tt.a {
				t.Errorf("Check(%#x, %d, %v) = %+v", tt.addr, tt.n, tt.a, f)
			}
		}
		if got != tt.want {
			t.Errorf("Check(%#x, %d, %v) = %q, want %q", tt.addr, tt.n, tt.a, got, tt.want)
		}
	}
}

func TestCopyInOut(t *testing.T) {
	m := newMachine(t, 4, make([]byte, 16), smallData(make([]byte, 16))...)
	// data: 100 bytes on one page; stack: two pages. Good copies cross the
	// stack's page boundary.
	msg := []byte("hello, pages")
	at := uint32(stackBase + cpu.PageSize - 5)
	if err := m.as.CopyOut(m.mem, at, msg); err != nil {
		t.Fatalf("CopyOut across pages: %v", err)
	}
	back := make([]byte, len(msg))
	if err := m.as.CopyIn(m.mem, at, back); err != nil || !bytes.Equal(back, msg) {
		t.Fatalf("CopyIn across pages = %q, %v", back, err)
	}
	// The bytes really are in the two frames the page table names.
	f0 := m.as.PT.Walk(at / cpu.PageSize).Frame()
	f1 := m.as.PT.Walk(at/cpu.PageSize + 1).Frame()
	if got := append(append([]byte{}, m.mem.Frame(f0)[cpu.PageSize-5:]...), m.mem.Frame(f1)[:7]...); !bytes.Equal(got, msg) {
		t.Errorf("frames hold %q", got)
	}
	if s, err := m.as.ReadString(m.mem, at, 100); err != nil || s != "hello, pages" {
		t.Errorf("ReadString = %q, %v", s, err)
	}
	if _, err := m.as.ReadString(m.mem, at, 5); err == nil {
		t.Error("ReadString past its maximum succeeded")
	}
	if err := m.as.CopyOut(m.mem, dataBase+90, []byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.as.ReadString(m.mem, dataBase+90, 100); err == nil {
		t.Error("ReadString running off the data segment succeeded")
	}
	if err := m.as.CopyIn(m.mem, 0, nil); err != nil {
		t.Errorf("empty copy at address 0: %v", err)
	}
	for _, tt := range []struct {
		name  string
		addr  uint32
		n     int
		write bool
		want  string
	}{
		{"null", 0, 4, false, "read of null page"},
		{"null write", 8, 1, true, "write of null page"},
		{"beyond the limit", dataBase + 98, 4, false, "read straddles the end of data segment"},
		{"past the limit", dataBase + 100, 1, true, "write past the end of data segment"},
		{"wrapping", 0xFFFF_FFFE, 4, false, "buffer wraps around the address space"},
		{"huge", stackBase, 1 << 20, true, "write straddles the end of stack segment"},
		{"into code", codeBase, 4, true, "write to code segment"},
		{"two segments", stackBase - 4, 8, true, "write below stack of tid 0: stack overflow"},
	} {
		buf := make([]byte, tt.n)
		var err error
		if tt.write {
			err = m.as.CopyOut(m.mem, tt.addr, buf)
		} else {
			err = m.as.CopyIn(m.mem, tt.addr, buf)
		}
		f, ok := err.(*cpu.Fault)
		if !ok || f.Reason != tt.want {
			t.Errorf("%s: error %v, want a fault %q", tt.name, err, tt.want)
		}
	}
	// A page missing inside a segment is an error, not a read of frame 0.
	m.as.PT.Unmap(stackBase/cpu.PageSize + 1)
	if err := m.as.CopyIn(m.mem, at, back); err == nil || !strings.Contains(err.Error(), "not present") {
		t.Errorf("CopyIn over a missing page: %v", err)
	}
	if m.cpu.TLB.TLBStats != (cpu.TLBStats{}) || len(m.cpu.TLB.LRUOrder()) != 0 {
		t.Errorf("copies touched the TLB: %+v", m.cpu.TLB.TLBStats)
	}
	m.checkCanaries(t)
}

func TestMemory(t *testing.T) {
	m := cpu.NewMemory(3*cpu.PageSize + 100)
	if m.Frames() != 3 || len(m.Bytes) != 3*cpu.PageSize {
		t.Fatalf("%d frames, %d bytes", m.Frames(), len(m.Bytes))
	}
	f := m.Frame(1)
	if len(f) != cpu.PageSize || cap(f) != cpu.PageSize {
		t.Errorf("frame has len %d cap %d", len(f), cap(f))
	}
	f[0] = 7
	if m.Bytes[cpu.PageSize] != 7 {
		t.Error("Frame is not a view of Bytes")
	}
}
