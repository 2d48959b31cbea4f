package cpu

import (
	"encoding/binary"
	"fmt"
)

// Context is the register set a thread owns: what a context switch saves and
// restores.
type Context struct {
	R  [NumRegs]uint32
	PC uint32
}

// StopReason says why Run returned.
type StopReason uint8

const (
	StopBudget  StopReason = iota // it ran the whole budget
	StopSyscall                   // it executed a syscall instruction; PC is past it
	StopFault                     // an instruction faulted (see CPU.Fault); PC is at it and it did not count
	StopGate                      // the thread returned to the kernel's gate address; the ret counted
)

func (s StopReason) String() string {
	if s <= StopGate {
		return [...]string{"budget", "syscall", "fault", "gate"}[s]
	}
	return fmt.Sprintf("stop%d", uint8(s))
}

// CPU is one processor: registers, the current address space, and a TLB in
// front of a physical memory it shares with nobody but the kernel.
type CPU struct {
	r  [NumRegs + 1]uint32 // r[zeroReg] is always 0
	pc uint32

	Mem *Memory
	TLB *TLB
	as  *AddressSpace

	// Gate is the address whose execution ends the current thread
	// (StopGate): the kernel puts it on every new stack as the return
	// address of the entry function.
	Gate uint32

	// Fault is the trap of the last StopFault.
	Fault Fault
	// Retired counts instructions executed since the CPU was made.
	Retired uint64

	// The fast paths. Each window is a run of virtual addresses within one
	// page and one segment whose translation sits in TLB slot `slot`; an
	// access inside it skips the segment search and the TLB scan, but still
	// counts its TLB hit and refreshes the LRU clock, so the counters are the
	// same as on the slow path. Every window closes whenever the TLB
	// inserts an entry (the insert may have evicted its slot) and at the
	// start of every Run call: the kernel changes segments, page tables and
	// the TLB only between calls. Each stream of accesses has its own
	// window, opened only by an access of its own kind, so the segment
	// permission that opened it is the one every later hit needs: fetches;
	// ld/ldb; st/stb/xchg/xadd; pop/ret; push/call.
	fetch, load, store, pop, push window
}

// window is one page-sized (or smaller) run of translated addresses.
type window struct {
	base  uint32 // virtual addresses [base, base+span)
	span  uint32
	span4 uint32 // a whole word fits at [base, base+span4): span-3, or 0
	phys  uint32 // physical address of base
	slot  int
}

// hit returns the physical address of the n-byte access (n is 1 or 4) at
// addr, and counts its TLB hit, if window w holds all of it.
func (w *window) hit(t *TLB, addr, n uint32) (uint32, bool) {
	off := addr - w.base
	lim := w.span4
	if n == 1 {
		lim = w.span
	}
	if off >= lim {
		return 0, false
	}
	t.touch(w.slot)
	return w.phys + off, true
}

// closeWindows empties every window.
func (c *CPU) closeWindows() {
	c.fetch, c.load, c.store, c.pop, c.push = window{}, window{}, window{}, window{}, window{}
}

// New makes a CPU on memory m with TLB t.
func New(m *Memory, t *TLB) *CPU { return &CPU{Mem: m, TLB: t} }

// Context returns the running thread's registers, to be saved.
func (c *CPU) Context() Context {
	var ctx Context
	copy(ctx.R[:], c.r[:NumRegs])
	ctx.PC = c.pc
	return ctx
}

// SetContext loads a thread's registers.
func (c *CPU) SetContext(ctx Context) {
	copy(c.r[:NumRegs], ctx.R[:])
	c.pc = ctx.PC
}

// Reg and SetReg give the kernel the syscall arguments and result. Only
// r0-r15 exist: the hidden zero register behind absolute operands is out
// of reach.
func (c *CPU) Reg(i int) uint32       { return c.r[:NumRegs][i] }
func (c *CPU) SetReg(i int, v uint32) { c.r[:NumRegs][i] = v }
func (c *CPU) PC() uint32             { return c.pc }

// AddressSpace is the address space being executed.
func (c *CPU) AddressSpace() *AddressSpace { return c.as }

// SetAddressSpace switches the MMU to as. Flushing the TLB is the kernel's
// decision, not the CPU's: with ASIDs it keeps the entries.
func (c *CPU) SetAddressSpace(as *AddressSpace) { c.as = as }

// Run executes at most budget instructions of the current thread and says
// why it stopped. It returns the number of instructions it executed.
func (c *CPU) Run(budget uint64) (StopReason, uint64) {
	c.closeWindows()
	r := &c.r
	code := c.as.Code
	uops, base, limit := code.uops, code.Base, code.limit
	t := c.TLB
	pc := c.pc
	var n uint64
	for n < budget {
		off := pc - base
		if off >= limit || off%WordSize != 0 {
			if pc == c.Gate {
				return c.stop(StopGate, pc, n)
			}
			c.fetchFault(pc, off < limit)
			return c.stop(StopFault, pc, n)
		}
		in := &uops[off/WordSize]
		if _, ok := c.fetch.hit(t, pc, 1); !ok && !c.fetchSlow(pc) {
			return c.stop(StopFault, pc, n)
		}
		if in.straddle && !c.fetchSlow((pc+uint32(in.size)-1)&^(PageSize-1)) {
			return c.stop(StopFault, pc, n)
		}
		next := pc + uint32(in.size)

		switch in.op {
		case xNop:
		case xMovR:
			r[in.a] = r[in.c]
		case xMovI:
			r[in.a] = in.imm
		case xAddR:
			r[in.a] = r[in.b] + r[in.c]
		case xAddI:
			r[in.a] = r[in.b] + in.imm
		case xSubR:
			r[in.a] = r[in.b] - r[in.c]
		case xSubI:
			r[in.a] = r[in.b] - in.imm
		case xMulR:
			r[in.a] = r[in.b] * r[in.c]
		case xMulI:
			r[in.a] = r[in.b] * in.imm
		case xAndR:
			r[in.a] = r[in.b] & r[in.c]
		case xAndI:
			r[in.a] = r[in.b] & in.imm
		case xOrR:
			r[in.a] = r[in.b] | r[in.c]
		case xOrI:
			r[in.a] = r[in.b] | in.imm
		case xXorR:
			r[in.a] = r[in.b] ^ r[in.c]
		case xXorI:
			r[in.a] = r[in.b] ^ in.imm
		case xShlR:
			r[in.a] = r[in.b] << (r[in.c] & 31)
		case xShlI:
			r[in.a] = r[in.b] << (in.imm & 31)
		case xShrR:
			r[in.a] = r[in.b] >> (r[in.c] & 31)
		case xShrI:
			r[in.a] = r[in.b] >> (in.imm & 31)
		case xSarR:
			r[in.a] = uint32(int32(r[in.b]) >> (r[in.c] & 31))
		case xSarI:
			r[in.a] = uint32(int32(r[in.b]) >> (in.imm & 31))
		case xDivR, xDivI, xRemR, xRemI, xDivuR, xDivuI, xRemuR, xRemuI:
			d := in.imm
			if (in.op-xDivR)%2 == 0 {
				d = r[in.c]
			}
			if d == 0 {
				c.Fault = Fault{Kind: ArithFault, Addr: pc, Reason: "division by zero"}
				return c.stop(StopFault, pc, n)
			}
			x := r[in.b]
			switch in.op {
			case xDivR, xDivI: // Go defines MinInt32 / -1 as MinInt32, as the ISA does
				r[in.a] = uint32(int32(x) / int32(d))
			case xRemR, xRemI:
				r[in.a] = uint32(int32(x) % int32(d))
			case xDivuR, xDivuI:
				r[in.a] = x / d
			default:
				r[in.a] = x % d
			}
		case xNot:
			r[in.a] = ^r[in.b]
		case xNeg:
			r[in.a] = -r[in.b]
		case xInc:
			r[in.a]++
		case xDec:
			r[in.a]--
		// Memory: the window hit is written out here so that it inlines;
		// a miss takes the slow path (segment check, TLB, window refill).
		case xLd:
			addr := r[in.b] + in.imm
			if p, ok := c.load.hit(t, addr, 4); ok {
				r[in.a] = binary.LittleEndian.Uint32(c.Mem.Bytes[p:])
			} else if v, ok := c.load32Slow(&c.load, addr); ok {
				r[in.a] = v
			} else {
				return c.stop(StopFault, pc, n)
			}
		case xLdb:
			addr := r[in.b] + in.imm
			if p, ok := c.load.hit(t, addr, 1); ok {
				r[in.a] = uint32(c.Mem.Bytes[p])
			} else if v, ok := c.load8Slow(&c.load, addr); ok {
				r[in.a] = v
			} else {
				return c.stop(StopFault, pc, n)
			}
		case xSt:
			addr := r[in.b] + in.imm
			if p, ok := c.store.hit(t, addr, 4); ok {
				binary.LittleEndian.PutUint32(c.Mem.Bytes[p:], r[in.a])
			} else if !c.store32Slow(&c.store, addr, r[in.a]) {
				return c.stop(StopFault, pc, n)
			}
		case xStb:
			addr := r[in.b] + in.imm
			if p, ok := c.store.hit(t, addr, 1); ok {
				c.Mem.Bytes[p] = byte(r[in.a])
			} else if !c.store8Slow(&c.store, addr, r[in.a]) {
				return c.stop(StopFault, pc, n)
			}
		case xPushR, xPushI:
			v := in.imm
			if in.op == xPushR {
				v = r[in.c]
			}
			sp := r[SP] - 4
			if p, ok := c.push.hit(t, sp, 4); ok {
				binary.LittleEndian.PutUint32(c.Mem.Bytes[p:], v)
			} else if !c.store32Slow(&c.push, sp, v) {
				return c.stop(StopFault, pc, n)
			}
			r[SP] = sp
		case xPop:
			if p, ok := c.pop.hit(t, r[SP], 4); ok {
				r[in.a] = binary.LittleEndian.Uint32(c.Mem.Bytes[p:])
			} else if v, ok := c.load32Slow(&c.pop, r[SP]); ok {
				r[in.a] = v
			} else {
				return c.stop(StopFault, pc, n)
			}
			r[SP] += 4
		case xXchg, xXadd:
			// One locked read-modify-write: a single write translation covers
			// both halves, and no other thread can run in between.
			pa, ok := c.access(&c.store, r[in.b]+in.imm, 4, Write)
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			old := c.peek32(pa)
			v := r[in.a]
			if in.op == xXadd {
				v += old
			}
			c.poke32(pa, v)
			r[in.a] = old
		case xJmpI:
			next = in.target
		case xJmpR:
			next = r[in.c]
		case xCallI, xCallR:
			target := in.target
			if in.op == xCallR {
				target = r[in.c]
			}
			sp := r[SP] - 4
			if !c.store32(&c.push, sp, next) {
				return c.stop(StopFault, pc, n)
			}
			r[SP] = sp
			next = target
		case xRet:
			v, ok := c.load32(&c.pop, r[SP])
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			r[SP] += 4
			if v == c.Gate {
				return c.stop(StopGate, v, n+1)
			}
			next = v
		case xBeqR:
			if r[in.a] == r[in.c] {
				next = in.target
			}
		case xBeqI:
			if r[in.a] == in.imm {
				next = in.target
			}
		case xBneR:
			if r[in.a] != r[in.c] {
				next = in.target
			}
		case xBneI:
			if r[in.a] != in.imm {
				next = in.target
			}
		case xBltR:
			if int32(r[in.a]) < int32(r[in.c]) {
				next = in.target
			}
		case xBltI:
			if int32(r[in.a]) < int32(in.imm) {
				next = in.target
			}
		case xBleR:
			if int32(r[in.a]) <= int32(r[in.c]) {
				next = in.target
			}
		case xBleI:
			if int32(r[in.a]) <= int32(in.imm) {
				next = in.target
			}
		case xBgtR:
			if int32(r[in.a]) > int32(r[in.c]) {
				next = in.target
			}
		case xBgtI:
			if int32(r[in.a]) > int32(in.imm) {
				next = in.target
			}
		case xBgeR:
			if int32(r[in.a]) >= int32(r[in.c]) {
				next = in.target
			}
		case xBgeI:
			if int32(r[in.a]) >= int32(in.imm) {
				next = in.target
			}
		case xBltuR:
			if r[in.a] < r[in.c] {
				next = in.target
			}
		case xBltuI:
			if r[in.a] < in.imm {
				next = in.target
			}
		case xBleuR:
			if r[in.a] <= r[in.c] {
				next = in.target
			}
		case xBleuI:
			if r[in.a] <= in.imm {
				next = in.target
			}
		case xBgtuR:
			if r[in.a] > r[in.c] {
				next = in.target
			}
		case xBgtuI:
			if r[in.a] > in.imm {
				next = in.target
			}
		case xBgeuR:
			if r[in.a] >= r[in.c] {
				next = in.target
			}
		case xBgeuI:
			if r[in.a] >= in.imm {
				next = in.target
			}
		case xSyscall:
			return c.stop(StopSyscall, next, n+1)
		default: // xIllegal
			c.Fault = Fault{Kind: IllegalFault, Access: Exec, Addr: pc, Reason: code.why[in.imm]}
			return c.stop(StopFault, pc, n)
		}
		pc = next
		n++
	}
	return c.stop(StopBudget, pc, n)
}

func (c *CPU) stop(why StopReason, pc uint32, n uint64) (StopReason, uint64) {
	c.pc = pc
	c.Retired += n
	if why == StopFault {
		c.Fault.PC = pc
	}
	return why, n
}

// fetchFault explains a pc that holds no instruction.
func (c *CPU) fetchFault(pc uint32, inCode bool) {
	if inCode {
		c.Fault = Fault{Kind: IllegalFault, Access: Exec, Addr: pc, Reason: "misaligned pc"}
		return
	}
	f := c.as.Check(pc, WordSize, Exec)
	if f == nil { // executable but not code: cannot happen with the kernel's segments
		f = &Fault{Kind: SegFault, Access: Exec, Addr: pc, Reason: "execute outside the code segment"}
	}
	c.Fault = *f
}

// fetchSlow translates the page of a fetch through the TLB and opens the
// fetch window on it. The caller has checked that pc lies in the code, so
// the window is the whole page: Run checks every pc against the code's
// bounds before it looks at the window.
func (c *CPU) fetchSlow(pc uint32) bool {
	slot, frame, ok := c.translate(pc, Exec)
	if !ok {
		return false
	}
	c.fetch = window{base: pc &^ (PageSize - 1), span: PageSize, span4: PageSize - 3,
		phys: frame << PageShift, slot: slot}
	return true
}

// translate is the paging layer: TLB lookup, and on a miss a page-table walk
// and an insert, which closes every window. The segment check has already
// passed.
func (c *CPU) translate(addr uint32, a Access) (slot int, frame uint32, ok bool) {
	vpn := addr >> PageShift
	t := c.TLB
	if slot, ok := t.Lookup(c.as.ASID, vpn); ok {
		return slot, t.Entries[slot].Frame, true
	}
	e := c.as.PT.Walk(vpn)
	if !e.Present() {
		c.Fault = Fault{Kind: SegFault, Access: a, Addr: addr, Reason: a.String() + " of a page not present"}
		return 0, 0, false
	}
	c.closeWindows()
	return t.Insert(c.as.ASID, vpn, e.Frame()), e.Frame(), true
}

// access is the slow path of every data reference: segment check, then one
// translation per page the n bytes touch. It returns each byte's physical
// address, and opens window w on the part of the page inside the segment
// when the access fits in one page.
func (c *CPU) access(w *window, addr, n uint32, a Access) (pa [4]uint32, ok bool) {
	seg, f := c.as.check(addr, n, a)
	if f != nil {
		c.Fault = *f
		return pa, false
	}
	slot, frame, ok := c.translate(addr, a)
	if !ok {
		return pa, false
	}
	first := frame
	for i := range n {
		va := addr + i
		if i > 0 && va%PageSize == 0 { // the access crosses into the next page
			if _, frame, ok = c.translate(va, a); !ok {
				return pa, false
			}
		}
		pa[i] = frame<<PageShift | va%PageSize
	}
	if addr%PageSize+n <= PageSize {
		page := addr &^ (PageSize - 1)
		lo, hi := max(page, seg.Base), min(uint64(page)+PageSize, seg.end())
		span := uint32(hi - uint64(lo))
		*w = window{base: lo, span: span, span4: max(span, 3) - 3,
			phys: first<<PageShift | lo%PageSize, slot: slot}
	}
	return pa, true
}

// load32 reads the word at addr through window w (c.load or c.pop).
func (c *CPU) load32(w *window, addr uint32) (uint32, bool) {
	if p, ok := w.hit(c.TLB, addr, 4); ok {
		return binary.LittleEndian.Uint32(c.Mem.Bytes[p:]), true
	}
	return c.load32Slow(w, addr)
}

// store32 writes the word at addr through window w (c.store or c.push).
func (c *CPU) store32(w *window, addr, v uint32) bool {
	if p, ok := w.hit(c.TLB, addr, 4); ok {
		binary.LittleEndian.PutUint32(c.Mem.Bytes[p:], v)
		return true
	}
	return c.store32Slow(w, addr, v)
}

// The slow paths of loads and stores: a segment check and a translation
// per page touched, which refill window w.

func (c *CPU) load32Slow(w *window, addr uint32) (uint32, bool) {
	pa, ok := c.access(w, addr, 4, Read)
	if !ok {
		return 0, false
	}
	return c.peek32(pa), true
}

func (c *CPU) store32Slow(w *window, addr, v uint32) bool {
	pa, ok := c.access(w, addr, 4, Write)
	if ok {
		c.poke32(pa, v)
	}
	return ok
}

func (c *CPU) load8Slow(w *window, addr uint32) (uint32, bool) {
	pa, ok := c.access(w, addr, 1, Read)
	if !ok {
		return 0, false
	}
	return uint32(c.Mem.Bytes[pa[0]]), true
}

func (c *CPU) store8Slow(w *window, addr, v uint32) bool {
	pa, ok := c.access(w, addr, 1, Write)
	if ok {
		c.Mem.Bytes[pa[0]] = byte(v)
	}
	return ok
}

// peek32 and poke32 read and write a word at the physical addresses of its
// four bytes, which may lie in two frames.
func (c *CPU) peek32(pa [4]uint32) uint32 {
	m := c.Mem.Bytes
	return uint32(m[pa[0]]) | uint32(m[pa[1]])<<8 | uint32(m[pa[2]])<<16 | uint32(m[pa[3]])<<24
}

func (c *CPU) poke32(pa [4]uint32, v uint32) {
	m := c.Mem.Bytes
	for i := range 4 {
		m[pa[i]] = byte(v >> (8 * i))
	}
}
