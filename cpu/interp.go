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
	// same as on the slow path. A window is good only while the TLB's gen
	// is the one it was filled under, and only within one Run call (the
	// kernel changes segments only between calls).
	fetch, load, store window
}

type window struct {
	base, span uint32 // virtual addresses [base, base+span)
	phys       uint32 // physical address of base
	slot       int
	gen        uint64
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

// Reg and SetReg give the kernel the syscall arguments and result.
func (c *CPU) Reg(i int) uint32       { return c.r[i] }
func (c *CPU) SetReg(i int, v uint32) { c.r[i] = v }
func (c *CPU) PC() uint32             { return c.pc }

// AddressSpace is the address space being executed.
func (c *CPU) AddressSpace() *AddressSpace { return c.as }

// SetAddressSpace switches the MMU to as. Flushing the TLB is the kernel's
// decision, not the CPU's: with ASIDs it keeps the entries.
func (c *CPU) SetAddressSpace(as *AddressSpace) { c.as = as }

// Run executes at most budget instructions of the current thread and says
// why it stopped. It returns the number of instructions it executed.
func (c *CPU) Run(budget uint64) (StopReason, uint64) {
	c.fetch.span, c.load.span, c.store.span = 0, 0, 0
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
		if w := &c.fetch; pc-w.base < w.span && w.gen == t.gen {
			t.touch(w.slot)
		} else if !c.fetchSlow(pc) {
			return c.stop(StopFault, pc, n)
		}
		if in.straddle && !c.fetchSlow(pc+uint32(in.size)-1) {
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
		case xLd:
			v, ok := c.load32(r[in.b] + in.imm)
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			r[in.a] = v
		case xLdb:
			v, ok := c.load8(r[in.b] + in.imm)
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			r[in.a] = v
		case xSt:
			if !c.store32(r[in.b]+in.imm, r[in.a]) {
				return c.stop(StopFault, pc, n)
			}
		case xStb:
			if !c.store8(r[in.b]+in.imm, r[in.a]) {
				return c.stop(StopFault, pc, n)
			}
		case xPushR, xPushI:
			v := in.imm
			if in.op == xPushR {
				v = r[in.c]
			}
			sp := r[SP] - 4
			if !c.store32(sp, v) {
				return c.stop(StopFault, pc, n)
			}
			r[SP] = sp
		case xPop:
			v, ok := c.load32(r[SP])
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			r[in.a] = v
			r[SP] += 4
		case xXchg, xXadd:
			// One locked read-modify-write: a single write translation covers
			// both halves, and no other thread can run in between.
			addr := r[in.b] + in.imm
			old, ok := c.load32For(addr, Write)
			if !ok {
				return c.stop(StopFault, pc, n)
			}
			v := r[in.a]
			if in.op == xXadd {
				v += old
			}
			c.poke32(addr, v)
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
			if !c.store32(sp, next) {
				return c.stop(StopFault, pc, n)
			}
			r[SP] = sp
			next = target
		case xRet:
			v, ok := c.load32(r[SP])
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
// fetch window on it.
func (c *CPU) fetchSlow(pc uint32) bool {
	seg := c.as.Segment(SegCode)
	slot, frame, ok := c.translate(pc, Exec)
	if !ok {
		return false
	}
	c.fetch = c.windowFor(seg, pc, slot, frame)
	return true
}

// translate is the paging layer: TLB lookup, and on a miss a page-table walk
// and an insert. The segment check has already passed.
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
	return t.Insert(c.as.ASID, vpn, e.Frame()), e.Frame(), true
}

// windowFor is the part of addr's page inside seg.
func (c *CPU) windowFor(seg *Segment, addr uint32, slot int, frame uint32) window {
	page := addr &^ (PageSize - 1)
	lo, hi := max(page, seg.Base), min(uint64(page)+PageSize, seg.end())
	return window{base: lo, span: uint32(hi - uint64(lo)), phys: frame<<PageShift | lo%PageSize, slot: slot, gen: c.TLB.gen}
}

// access is the slow path of every data reference: segment check, then one
// translation per page the n bytes touch. It returns each byte's physical
// address, and opens the load or store window when the access fits one page.
func (c *CPU) access(addr, n uint32, a Access) (pa [4]uint32, ok bool) {
	seg, f := c.as.check(addr, n, a)
	if f != nil {
		c.Fault = *f
		return pa, false
	}
	slot, frame, ok := c.translate(addr, a)
	if !ok {
		return pa, false
	}
	last := addr + n - 1
	for i := uint32(0); i < n; i++ {
		va := addr + i
		if i > 0 && va%PageSize == 0 { // the access crosses into the next page
			if _, frame, ok = c.translate(va, a); !ok {
				return pa, false
			}
		}
		pa[i] = frame<<PageShift | va%PageSize
	}
	if addr>>PageShift == last>>PageShift {
		w := c.windowFor(seg, addr, slot, frame)
		if a == Write {
			c.store = w
		} else {
			c.load = w
		}
	}
	return pa, true
}

func (c *CPU) load32(addr uint32) (uint32, bool) {
	if w := &c.load; addr-w.base < w.span && w.span-(addr-w.base) >= 4 && w.gen == c.TLB.gen {
		c.TLB.touch(w.slot)
		p := w.phys + (addr - w.base)
		return binary.LittleEndian.Uint32(c.Mem.Bytes[p : p+4]), true
	}
	return c.load32For(addr, Read)
}

// load32For reads a word through the slow path, translating for access a
// (Write for the read half of xchg/xadd, which then writes without a second
// translation).
func (c *CPU) load32For(addr uint32, a Access) (uint32, bool) {
	pa, ok := c.access(addr, 4, a)
	if !ok {
		return 0, false
	}
	m := c.Mem.Bytes
	return uint32(m[pa[0]]) | uint32(m[pa[1]])<<8 | uint32(m[pa[2]])<<16 | uint32(m[pa[3]])<<24, true
}

// poke32 writes a word whose translation load32For(addr, Write) has just
// made, without touching the TLB again.
func (c *CPU) poke32(addr, v uint32) {
	pa, _ := c.physNoTLB(addr)
	m := c.Mem.Bytes
	for i := range 4 {
		m[pa[i]] = byte(v >> (8 * i))
	}
}

// physNoTLB translates 4 bytes by page-table walk alone.
func (c *CPU) physNoTLB(addr uint32) (pa [4]uint32, ok bool) {
	for i := range uint32(4) {
		p, ok := c.as.physical(addr + i)
		if !ok {
			return pa, false
		}
		pa[i] = p
	}
	return pa, true
}

func (c *CPU) load8(addr uint32) (uint32, bool) {
	if w := &c.load; addr-w.base < w.span && w.gen == c.TLB.gen {
		c.TLB.touch(w.slot)
		return uint32(c.Mem.Bytes[w.phys+(addr-w.base)]), true
	}
	pa, ok := c.access(addr, 1, Read)
	return uint32(c.Mem.Bytes[pa[0]]), ok
}

func (c *CPU) store32(addr, v uint32) bool {
	if w := &c.store; addr-w.base < w.span && w.span-(addr-w.base) >= 4 && w.gen == c.TLB.gen {
		c.TLB.touch(w.slot)
		p := w.phys + (addr - w.base)
		binary.LittleEndian.PutUint32(c.Mem.Bytes[p:p+4], v)
		return true
	}
	pa, ok := c.access(addr, 4, Write)
	if !ok {
		return false
	}
	m := c.Mem.Bytes
	for i := range 4 {
		m[pa[i]] = byte(v >> (8 * i))
	}
	return true
}

func (c *CPU) store8(addr, v uint32) bool {
	if w := &c.store; addr-w.base < w.span && w.gen == c.TLB.gen {
		c.TLB.touch(w.slot)
		c.Mem.Bytes[w.phys+(addr-w.base)] = byte(v)
		return true
	}
	pa, ok := c.access(addr, 1, Write)
	if ok {
		c.Mem.Bytes[pa[0]] = byte(v)
	}
	return ok
}
