package cpu

import "fmt"

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
	// r[zeroReg] is always 0. The array is indexed by a uop's 8-bit
	// register fields, and 256 entries let the compiler drop the bounds
	// check on every register access; only r0-r15 and zeroReg are used.
	r  [256]uint32
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
	// page and one segment whose translation sits in the TLB entry ent; an
	// access inside it skips the segment search and the TLB scan but counts
	// the same TLB hit and LRU clock tick a lookup would. Each stream of
	// accesses has its own window, opened only by an access of its own
	// kind, so the segment permission that opened it is the one every later
	// hit needs: fetches; ld/ldb; st/stb/xchg/xadd; pop/ret; push/call. The
	// fetch window is the page of the last byte of the last instruction
	// fetched.
	//
	// A window closes when the TLB inserts over its entry. Between Run
	// calls the kernel may change anything, so Run keeps the windows only
	// while key, what they were opened under, is unchanged (the TLB and its
	// gen, the memory, the address space's number of segments) and each
	// data window's segment is as it was. The address space itself is not
	// in key: SetAddressSpace, the only way to change it, clears key, which
	// closes every window at the next Run. A stream's spare windows are
	// checked the same way when reopened.
	fetch                  window
	load, store, pop, push stream
	epoch                  uint64 // counts closeWindows: spares of an older epoch are closed
	key                    windowKey
	// fetchLo, fetchN are the uops wholly on the fetch window's page
	// (Code.pages): a computed jump into them needs no translation.
	fetchLo, fetchN uint32

	// mem is c.Mem.Bytes (set when the windows are checked) and code is
	// c.as.Code (set by SetAddressSpace): one load nearer for exec, and Run
	// does not wait for a load from the far end of the AddressSpace, eight
	// kilobytes of page directory away from its segments.
	mem  []byte
	code *Code
}

// windowKey is what the windows depend on beyond their own segments and
// the address space (see CPU.key).
type windowKey struct {
	tlb  *TLB
	gen  uint64
	mem  *Memory
	segs int
}

// stream is the window of one kind of data access, and the windows it had
// before: when it goes back to one of their pages (the stack of each thread
// in turn, say), access reopens the window from here instead of searching
// the segments and scanning the TLB.
type stream struct {
	window
	spares [4]window // the last windows opened, round robin
	next   uint8     // the spare the next window opened goes to
}

// window is one page-sized (or smaller) run of translated addresses.
type window struct {
	base  uint32 // virtual addresses [base, base+span)
	span  uint32
	span4 uint32 // a whole word fits at [base, base+span4): span-3, or 0
	delta uint32 // physical address - virtual address, mod 2^32
	ent   *TLBEntry
	last  uint64   // data windows: the LRU clock of the last hit exec counted
	epoch uint64   // spares: the CPU's epoch when the window was put aside
	seg   *Segment // data windows: the segment that bounds it,
	was   Segment  // as it was when the window opened
}

// open sets w to [base, base+span), delta from physical memory, translated by
// ent and bounded by seg (nil for the fetch window). Field by field, not as
// one struct value: Go builds that on the stack and copies it with vector
// moves, whose loads of the stack temporary wait for its stores, a stall of
// several nanoseconds on every process switch.
func (w *window) open(base, span, delta uint32, ent *TLBEntry, seg *Segment) {
	w.base, w.span, w.span4, w.delta = base, span, max(span, 3)-3, delta
	w.ent, w.last, w.seg = ent, 0, seg
	if seg != nil {
		w.was = *seg
	}
}

// closeWindows empties every window.
func (c *CPU) closeWindows() {
	// One by one: a tuple assignment builds the empty windows on the stack
	// and copies them, stalling as open's comment explains.
	c.fetch.close()
	c.load.close()
	c.store.close()
	c.pop.close()
	c.push.close()
	c.fetchLo, c.fetchN = 0, 0
	c.epoch++
}

func (w *window) close() { *w = window{} }

// keepWindows closes the windows the kernel's changes since the last Run
// may have made wrong: all of them if the TLB's translations, the address
// space or its list of segments changed; a data window if its segment did.
func (c *CPU) keepWindows() {
	k := &c.key // field by field: comparing the structs calls memequal
	if k.tlb != c.TLB || k.gen != c.TLB.gen || k.mem != c.Mem || k.segs != len(c.as.Segments) {
		c.closeWindows()
		k.tlb, k.gen, k.mem, k.segs = c.TLB, c.TLB.gen, c.Mem, len(c.as.Segments)
		c.mem = c.Mem.Bytes
		return
	}
	c.load.keep()
	c.store.keep()
	c.pop.keep()
	c.push.keep()
}

// keep closes data window w if its segment changed since it opened.
func (w *window) keep() {
	if w.seg != nil && w.segChanged() {
		w.close()
	}
}

// segChanged reports whether data window w's segment has moved, shrunk or
// grown, or changed permission since the window opened.
func (w *window) segChanged() bool {
	s := w.seg
	return s.Base != w.was.Base || s.Limit != w.was.Limit || s.Perm != w.was.Perm
}

// closeWindowsOn empties the windows whose translation is in entry e, which
// the TLB has just replaced. The spares are checked when they are reopened.
func (c *CPU) closeWindowsOn(e *TLBEntry) {
	c.fetch.closeOn(e)
	c.load.closeOn(e)
	c.store.closeOn(e)
	c.pop.closeOn(e)
	c.push.closeOn(e)
	if c.fetch.ent == nil {
		c.fetchLo, c.fetchN = 0, 0
	}
}

func (w *window) closeOn(e *TLBEntry) {
	if w.ent == e {
		w.close()
	}
}

// New makes a CPU on memory m with TLB t.
func New(m *Memory, t *TLB) *CPU { return &CPU{Mem: m, TLB: t} }

// Context returns the running thread's registers.
func (c *CPU) Context() Context {
	var ctx Context
	c.SaveContext(&ctx)
	return ctx
}

// SetContext loads a thread's registers.
func (c *CPU) SetContext(ctx Context) { c.LoadContext(&ctx) }

// SaveContext stores the running thread's registers in ctx, as a context
// switch does. It and LoadContext spell the copy out register by register on
// purpose (the compiler pairs them into 64-bit moves): the kernel saves a
// context a few nanoseconds after Run wrote the registers with 32-bit
// stores, and copy or an array assignment (16-byte vector moves) loads
// bytes still in the store buffer that cannot be forwarded, a stall of
// several nanoseconds on every switch. A loop of 32-bit moves measured 8 ns
// slower per yield.
func (c *CPU) SaveContext(ctx *Context) {
	r, x := &c.r, &ctx.R
	x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7] = r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
	x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15] = r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]
	ctx.PC = c.pc
}

// LoadContext loads the registers saved in ctx.
func (c *CPU) LoadContext(ctx *Context) {
	r, x := &c.r, &ctx.R
	r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
	r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15] = x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15]
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

// SetAddressSpace switches the MMU to as and forgets its fast paths (even if
// as is the current one, so a test can make every access take the slow
// path). Flushing the TLB is the kernel's decision, not the CPU's: with
// ASIDs it keeps the entries.
func (c *CPU) SetAddressSpace(as *AddressSpace) {
	c.as, c.code = as, as.Code
	c.key = windowKey{} // the next Run finds the key changed and closes every window
}

// Run executes at most budget instructions of the current thread and says
// why it stopped. It returns the number of instructions it executed.
//
// It steps a uop index, not a byte pc (see Code), in two levels. exec is
// the fast path: it fetches uop i with no test at all, since predecode put
// an xGoto wherever the fetch would leave the page of the fetch window, and
// a computed jump checks its target against the window's range (fetchLo,
// fetchN). Run is the slow path of a fetch: translate, open the window,
// count the fetch; then exec again.
//
// The TLB counters are exact without touching the TLB on every access. A
// hit adds one to Hits and to the LRU clock and sets its entry's lastUse to
// the clock, so after any run of hits the TLB holds: Hits and the clock up
// by the number of hits, and each entry's lastUse at the clock of its last
// hit. exec keeps just enough to rebuild that. It counts down its budget,
// left, and carries tick, the LRU clock plus left: a fetch that hits the
// window takes one off left and so moves the clock, tick-left, on by one
// with no work at all. A data hit (hit) ticks and notes the clock in its
// window (last). settle, before any slow path (which may look up or
// insert) and before Run returns, hands the TLB the clock and the hits, each
// data window's last hit, and the fetch entry's: the clock if a fetch was
// the last hit, or the clock before the last data hit, which the fetch of
// its instruction came just before. Every counter and every lastUse is then
// what one lookup per access would have made it.
func (c *CPU) Run(budget uint64) (StopReason, uint64) {
	code := c.code
	i, ok := code.indexOf(c.pc)
	if !ok || budget == 0 {
		return c.stopOutside(c.pc, 0, budget)
	}
	c.keepWindows()
	left := budget
	tick := c.TLB.clock + left
	why := stopFetch
	if i-c.fetchLo < c.fetchN { // the fetch window from the last Run holds uop i
		why = stopResume
	}
	for {
		switch why {
		case stopFetch:
			c.settle(left, tick)
			if left == 0 { // a jump ended the budget: the fetch is the next Run's
				c.pc = code.uops[i].pc
				return c.retire(StopBudget, budget)
			}
			var pc uint32
			if i, pc, why = c.fetchSlow(i); why != StopBudget {
				c.pc = pc
				return c.retire(why, budget-left)
			}
			// The fetch of uop i is in the TLB already: exec will take
			// it off the budget without counting it again.
			tick = c.TLB.clock + left - 1
		case stopResume:
		default:
			return c.retire(why, budget-left)
		}
		i, left, tick, why = c.exec(code.uops, i, left, tick)
	}
}

// retire ends Run after n instructions, the CPU stopped at c.pc.
func (c *CPU) retire(why StopReason, n uint64) (StopReason, uint64) {
	c.Retired += n
	if why == StopFault {
		c.Fault.PC = c.pc
	}
	return why, n
}

// stopFetch is what exec returns to have Run fetch uop i on the slow path.
const stopFetch StopReason = 255

// exec runs uops from uop i, whose fetch is counted, until left is 0, a
// fetch leaves the window (stopFetch) or an instruction stops Run. It
// returns where it got to and the budget left, which for a stop is the
// budget Run accounts: a faulting instruction is given back. On any return
// but stopFetch the TLB is settled and c.pc is set.
func (c *CPU) exec(uops []uop, i uint32, left, tick uint64) (uint32, uint64, uint64, StopReason) {
	r := &c.r
	for left > 0 {
		left--
		in := &uops[i]
		i++

		switch in.op {
		case xIllegal:
			return c.faultAt(in, i, left, tick, IllegalFault)
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
		// A constant divisor (never 0: predecode makes that a division by
		// the zero register) divides by multiplying; a register divisor
		// takes divide.
		case xDivI:
			r[in.a] = sdiv(r[in.b], in.imm, in.target, in.c)
		case xRemI:
			r[in.a] = r[in.b] - sdiv(r[in.b], in.imm, in.target, in.c)*in.imm
		case xDivuI:
			r[in.a] = udiv(r[in.b], in.target, in.c)
		case xRemuI:
			r[in.a] = r[in.b] - udiv(r[in.b], in.target, in.c)*in.imm
		case xDivR, xRemR, xDivuR, xRemuR:
			var why StopReason
			if i, left, tick, why = c.divide(in, i, left, tick); why != stopResume {
				return i, left, tick, why
			}
		case xNot:
			r[in.a] = ^r[in.b]
		case xNeg:
			r[in.a] = -r[in.b]

		// Memory. A window hit is written out here and counted by hit,
		// which inlines; anything else (a miss, a straddle, a fault, xchg)
		// returns through memSlow, which runs the whole instruction on the
		// slow path. No call returns into this loop, so nothing it keeps
		// in registers has to be saved around one.
		case xLd:
			addr := r[in.b] + in.imm
			w := &c.load.window
			if addr-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			r[in.a] = ld32(c.mem, addr+w.delta)
		case xLdb:
			addr := r[in.b] + in.imm
			w := &c.load.window
			if addr-w.base >= w.span {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			r[in.a] = uint32(c.mem[addr+w.delta])
		case xSt:
			addr := r[in.b] + in.imm
			w := &c.store.window
			if addr-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			st32(c.mem, addr+w.delta, r[in.a])
		case xStb:
			addr := r[in.b] + in.imm
			w := &c.store.window
			if addr-w.base >= w.span {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			c.mem[addr+w.delta] = byte(r[in.a])
		case xPushR, xPushI:
			sp := r[SP] - 4
			w := &c.push.window
			if sp-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			v := in.imm
			if in.op == xPushR {
				v = r[in.c]
			}
			tick = c.hit(w, left, tick)
			st32(c.mem, sp+w.delta, v)
			r[SP] = sp
		case xCallI, xCallR:
			sp := r[SP] - 4
			w := &c.push.window
			if sp-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			target := in.target
			if in.op == xCallR {
				var ok bool
				if target, ok = c.code.indexOf(r[in.c]); !ok {
					return c.memSlow(in, i, left, tick)
				}
			}
			tick = c.hit(w, left, tick)
			st32(c.mem, sp+w.delta, uops[i].pc) // the return address
			r[SP] = sp
			i = target
			if in.op == xCallR && target-c.fetchLo >= c.fetchN {
				return i, left, tick, stopFetch
			}
		case xPop:
			sp := r[SP]
			w := &c.pop.window
			if sp-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			r[in.a] = ld32(c.mem, sp+w.delta)
			r[SP] += 4 // after the load: pop sp leaves sp = [sp] + 4, as the ISA orders
		case xRet:
			sp := r[SP]
			w := &c.pop.window
			if sp-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			v := ld32(c.mem, sp+w.delta)
			target, ok := c.code.indexOf(v)
			if !ok || v == c.Gate {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			r[SP] = sp + 4
			i = target
			if target-c.fetchLo >= c.fetchN {
				return i, left, tick, stopFetch
			}
		case xXchg, xXadd:
			return c.memSlow(in, i, left, tick)
		case xJmpI:
			i = in.target
		case xJmpR:
			idx, ok := c.code.indexOf(r[in.c])
			if !ok {
				return c.jumpOutside(r[in.c], i, left, tick)
			}
			i = idx
			if idx-c.fetchLo >= c.fetchN {
				return i, left, tick, stopFetch
			}
		case xBeqR:
			if r[in.a] == r[in.c] {
				i = in.target
			}
		case xBeqI:
			if r[in.a] == in.imm {
				i = in.target
			}
		case xBneR:
			if r[in.a] != r[in.c] {
				i = in.target
			}
		case xBneI:
			if r[in.a] != in.imm {
				i = in.target
			}
		case xBltR:
			if int32(r[in.a]) < int32(r[in.c]) {
				i = in.target
			}
		case xBltI:
			if int32(r[in.a]) < int32(in.imm) {
				i = in.target
			}
		case xBleR:
			if int32(r[in.a]) <= int32(r[in.c]) {
				i = in.target
			}
		case xBleI:
			if int32(r[in.a]) <= int32(in.imm) {
				i = in.target
			}
		case xBgtR:
			if int32(r[in.a]) > int32(r[in.c]) {
				i = in.target
			}
		case xBgtI:
			if int32(r[in.a]) > int32(in.imm) {
				i = in.target
			}
		case xBgeR:
			if int32(r[in.a]) >= int32(r[in.c]) {
				i = in.target
			}
		case xBgeI:
			if int32(r[in.a]) >= int32(in.imm) {
				i = in.target
			}
		case xBltuR:
			if r[in.a] < r[in.c] {
				i = in.target
			}
		case xBltuI:
			if r[in.a] < in.imm {
				i = in.target
			}
		case xBleuR:
			if r[in.a] <= r[in.c] {
				i = in.target
			}
		case xBleuI:
			if r[in.a] <= in.imm {
				i = in.target
			}
		case xBgtuR:
			if r[in.a] > r[in.c] {
				i = in.target
			}
		case xBgtuI:
			if r[in.a] > in.imm {
				i = in.target
			}
		case xBgeuR:
			if r[in.a] >= r[in.c] {
				i = in.target
			}
		case xBgeuI:
			if r[in.a] >= in.imm {
				i = in.target
			}

		// Fused pairs: the add, then, if the budget has room for a
		// second instruction, the branch (uop i, on the same page, so its
		// fetch is one more hit) as its own uop would run it. Without room
		// the add runs alone and Run stops at the branch. One case per
		// pair, so that the branch is not a second dispatch.
		case xAddIBeqR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] == r[br.c] {
					i = br.target
				}
			}
		case xAddIBeqI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] == br.imm {
					i = br.target
				}
			}
		case xAddIBneR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] != r[br.c] {
					i = br.target
				}
			}
		case xAddIBneI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] != br.imm {
					i = br.target
				}
			}
		case xAddIBltR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) < int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddIBltI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) < int32(br.imm) {
					i = br.target
				}
			}
		case xAddIBleR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) <= int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddIBleI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) <= int32(br.imm) {
					i = br.target
				}
			}
		case xAddIBgtR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) > int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddIBgtI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) > int32(br.imm) {
					i = br.target
				}
			}
		case xAddIBgeR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) >= int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddIBgeI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) >= int32(br.imm) {
					i = br.target
				}
			}
		case xAddIBltuR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] < r[br.c] {
					i = br.target
				}
			}
		case xAddIBltuI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] < br.imm {
					i = br.target
				}
			}
		case xAddIBleuR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] <= r[br.c] {
					i = br.target
				}
			}
		case xAddIBleuI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] <= br.imm {
					i = br.target
				}
			}
		case xAddIBgtuR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] > r[br.c] {
					i = br.target
				}
			}
		case xAddIBgtuI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] > br.imm {
					i = br.target
				}
			}
		case xAddIBgeuR:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] >= r[br.c] {
					i = br.target
				}
			}
		case xAddIBgeuI:
			r[in.a] = r[in.b] + in.imm
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] >= br.imm {
					i = br.target
				}
			}

		// The same with an add or subtract of registers (see xAddRBeqR).
		case xAddRBeqR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] == r[br.c] {
					i = br.target
				}
			}
		case xAddRBeqI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] == br.imm {
					i = br.target
				}
			}
		case xAddRBneR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] != r[br.c] {
					i = br.target
				}
			}
		case xAddRBneI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] != br.imm {
					i = br.target
				}
			}
		case xAddRBltR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) < int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddRBltI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) < int32(br.imm) {
					i = br.target
				}
			}
		case xAddRBleR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) <= int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddRBleI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) <= int32(br.imm) {
					i = br.target
				}
			}
		case xAddRBgtR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) > int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddRBgtI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) > int32(br.imm) {
					i = br.target
				}
			}
		case xAddRBgeR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) >= int32(r[br.c]) {
					i = br.target
				}
			}
		case xAddRBgeI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if int32(r[br.a]) >= int32(br.imm) {
					i = br.target
				}
			}
		case xAddRBltuR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] < r[br.c] {
					i = br.target
				}
			}
		case xAddRBltuI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] < br.imm {
					i = br.target
				}
			}
		case xAddRBleuR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] <= r[br.c] {
					i = br.target
				}
			}
		case xAddRBleuI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] <= br.imm {
					i = br.target
				}
			}
		case xAddRBgtuR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] > r[br.c] {
					i = br.target
				}
			}
		case xAddRBgtuI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] > br.imm {
					i = br.target
				}
			}
		case xAddRBgeuR:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] >= r[br.c] {
					i = br.target
				}
			}
		case xAddRBgeuI:
			r[in.a] = r[in.b] + (r[in.c] ^ in.target) - in.target
			if left > 0 {
				br := &uops[i]
				left--
				i++
				if r[br.a] >= br.imm {
					i = br.target
				}
			}

		case xAddICallI: // the call, if there is room for it, as its own uop runs it
			r[in.a] = r[in.b] + in.imm
			if left == 0 {
				break
			}
			in = &uops[i]
			left--
			i++
			sp := r[SP] - 4
			w := &c.push.window
			if sp-w.base >= w.span4 {
				return c.memSlow(in, i, left, tick)
			}
			tick = c.hit(w, left, tick)
			st32(c.mem, sp+w.delta, uops[i].pc) // the return address
			r[SP] = sp
			i = in.target

		case xSyscall:
			return c.leave(uops[i].pc, i, left, tick, StopSyscall)
		case xGoto: // not an instruction: the fetch of its target leaves the window
			left++
			i = in.target
			return i, left, tick, stopFetch
		case xOut: // not an instruction: the fetch of its pc stops Run
			left++
			i--
			return i, left, tick, stopFetch
		default: // not made by predecode
			panic("cpu: unknown uop")
		}
	}
	return c.leave(uops[i].pc, i, left, tick, StopBudget)
}

// divide runs a division or remainder by a register for exec, which goes on if it
// returns stopResume, or else returns what divide does: a fault for a
// divisor of 0. It is out of exec because the hardware divide wants fixed
// registers, which made exec shuffle its registers after every instruction;
// and exec keeps nothing across the call, so nothing spills.
func (c *CPU) divide(in *uop, i uint32, left, tick uint64) (uint32, uint64, uint64, StopReason) {
	r := &c.r
	d := r[in.c]
	if d == 0 {
		return c.faultAt(in, i, left, tick, ArithFault)
	}
	x := r[in.b]
	switch in.op {
	case xDivR: // Go defines MinInt32 / -1 as MinInt32, as the ISA does
		r[in.a] = uint32(int32(x) / int32(d))
	case xRemR:
		r[in.a] = uint32(int32(x) % int32(d))
	case xDivuR:
		r[in.a] = x / d
	default:
		r[in.a] = x % d
	}
	return i, left, tick, stopResume
}

// stopResume is what memSlow returns when exec may go on at uop i with the
// fetch window it had.
const stopResume StopReason = 254

// memSlow runs memory instruction in, whose fetch is counted and whose
// successor is uop i, on the slow path: the segment check and one TLB lookup
// per page it touches, which refill its window. It returns to Run, and says
// whether exec may resume at the next uop or its fetch needs the slow path:
// after a computed jump out of the window, or when the lookup's insert
// replaced the fetch window's entry.
func (c *CPU) memSlow(in *uop, i uint32, left, tick uint64) (uint32, uint64, uint64, StopReason) {
	c.settle(left, tick)
	r := &c.r
	code := c.as.Code
	dynamic := false // i is a computed target: it may be outside the window
	switch in.op {
	case xLd, xLdb:
		var v uint32
		var ok bool
		if in.op == xLd {
			v, ok = c.load32Slow(&c.load, r[in.b]+in.imm)
		} else {
			v, ok = c.load8Slow(&c.load, r[in.b]+in.imm)
		}
		if !ok {
			return c.faultAt(in, i, left, c.TLB.clock+left, SegFault)
		}
		r[in.a] = v
	case xSt, xStb:
		var ok bool
		if in.op == xSt {
			ok = c.store32Slow(&c.store, r[in.b]+in.imm, r[in.a])
		} else {
			ok = c.store8Slow(&c.store, r[in.b]+in.imm, r[in.a])
		}
		if !ok {
			return c.faultAt(in, i, left, c.TLB.clock+left, SegFault)
		}
	case xPushR, xPushI, xCallI, xCallR:
		v, target := in.imm, r[in.c] // the target register is read before sp moves
		switch in.op {
		case xPushR:
			v = r[in.c]
		case xCallI, xCallR:
			v = code.uops[i].pc // the return address
		}
		sp := r[SP] - 4
		if !c.store32Slow(&c.push, sp, v) {
			return c.faultAt(in, i, left, c.TLB.clock+left, SegFault)
		}
		r[SP] = sp
		switch in.op {
		case xCallI:
			i = in.target
		case xCallR:
			idx, ok := code.indexOf(target)
			if !ok {
				return c.jumpOutside(target, i, left, c.TLB.clock+left)
			}
			i, dynamic = idx, true
		}
	case xPop, xRet:
		v, ok := c.load32Slow(&c.pop, r[SP])
		if !ok {
			return c.faultAt(in, i, left, c.TLB.clock+left, SegFault)
		}
		if in.op == xPop {
			r[in.a] = v
			r[SP] += 4 // after the load: pop sp leaves sp = [sp] + 4
			break
		}
		r[SP] += 4
		if v == c.Gate {
			return c.leave(v, i, left, c.TLB.clock+left, StopGate)
		}
		idx, ok := code.indexOf(v)
		if !ok {
			return c.jumpOutside(v, i, left, c.TLB.clock+left)
		}
		i, dynamic = idx, true
	case xXchg, xXadd:
		// One locked read-modify-write: a single write translation covers
		// both halves, and no other thread can run in between.
		pa, ok := c.access(&c.store, r[in.b]+in.imm, 4, Write)
		if !ok {
			return c.faultAt(in, i, left, c.TLB.clock+left, SegFault)
		}
		old := c.peek32(pa)
		v := r[in.a]
		if in.op == xXadd {
			v += old
		}
		c.poke32(pa, v)
		r[in.a] = old
	}
	if c.fetch.ent == nil || (dynamic && i-c.fetchLo >= c.fetchN) {
		return i, left, c.TLB.clock + left, stopFetch
	}
	return i, left, c.TLB.clock + left, stopResume
}

// ld32 and st32 read and write the little-endian word at physical address
// p, which a window has checked: one bounds check, one move.
func ld32(m []byte, p uint32) uint32 {
	i := int(p)
	b := m[i : i+4 : i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func st32(m []byte, p, v uint32) {
	i := int(p)
	b := m[i : i+4 : i+4]
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// hit counts a data access inside window w on exec's tick (see Run).
func (c *CPU) hit(w *window, left, tick uint64) uint64 {
	tick++
	w.last = tick - left
	return tick
}

// settle hands the TLB what exec kept (see Run). Every tick since the TLB
// last saw the clock was a hit: inserts happen only on slow paths, after a
// settle.
func (c *CPU) settle(left, tick uint64) {
	t, now := c.TLB, tick-left
	if now == t.clock {
		return // no hit since the last settle
	}
	last := max(c.load.last, c.store.last, c.pop.last, c.push.last) // the clock of the last data hit
	switch {
	case last < now: // a fetch hit last
		c.fetch.ent.lastUse = now
	case last > t.clock: // a data hit was last; its instruction's fetch came just before
		c.fetch.ent.lastUse = now - 1
	}
	if last > t.clock { // after the fetch's: an entry both hit keeps the later
		c.load.noteHit()
		c.store.noteHit()
		c.pop.noteHit()
		c.push.noteHit()
	}
	t.Hits += now - t.clock
	t.clock = now
}

// noteHit gives w's entry the clock of w's last hit, if that is later.
func (w *window) noteHit() {
	if w.ent != nil && w.last > w.ent.lastUse {
		w.ent.lastUse = w.last
	}
}

// leave ends exec at pc.
func (c *CPU) leave(pc, i uint32, left, tick uint64, why StopReason) (uint32, uint64, uint64, StopReason) {
	c.settle(left, tick)
	c.pc = pc
	return i, left, tick, why
}

// faultAt ends exec with instruction in faulting: its fetch counts in the
// TLB, but the instruction does not. A segmentation fault has been recorded
// in c.Fault by the access that raised it; the other kinds are recorded
// here, out of exec, whose registers a write to c.Fault would spill.
func (c *CPU) faultAt(in *uop, i uint32, left, tick uint64, k FaultKind) (uint32, uint64, uint64, StopReason) {
	switch k {
	case ArithFault:
		c.Fault = Fault{Kind: ArithFault, Addr: in.pc, Reason: "division by zero"}
	case IllegalFault:
		c.Fault = Fault{Kind: IllegalFault, Access: Exec, Addr: in.pc, Reason: c.as.Code.why[in.imm]}
	}
	c.settle(left, tick)
	c.pc = in.pc
	return i, left + 1, tick, StopFault
}

// stopOutside stops Run at a pc that holds no instruction, after n
// instructions: the budget ends first, then the gate, then the fault.
func (c *CPU) stopOutside(pc uint32, n, budget uint64) (StopReason, uint64) {
	why := StopBudget
	switch {
	case n >= budget:
	case pc == c.Gate:
		why = StopGate
	default:
		c.fetchFault(pc)
		why = StopFault
	}
	c.pc = pc
	return c.retire(why, n)
}

// jumpOutside ends exec after a computed jump, call or return to pc, which
// holds no instruction: the budget ends first, then the gate, then the
// fault of fetching pc.
func (c *CPU) jumpOutside(pc, i uint32, left, tick uint64) (uint32, uint64, uint64, StopReason) {
	c.settle(left, tick)
	c.pc = pc
	switch {
	case left == 0:
		return i, left, tick, StopBudget
	case pc == c.Gate:
		return i, left, tick, StopGate
	}
	c.fetchFault(pc)
	return i, left, tick, StopFault
}

// fetchFault explains a pc that holds no instruction: inside the code it
// is misaligned, outside it the segments say why.
func (c *CPU) fetchFault(pc uint32) {
	if code := c.as.Code; pc-code.Base < code.limit {
		c.Fault = Fault{Kind: IllegalFault, Access: Exec, Addr: pc, Reason: "misaligned pc"}
		return
	}
	f := c.as.Check(pc, WordSize, Exec)
	if f == nil { // executable but not code: cannot happen with the kernel's segments
		f = &Fault{Kind: SegFault, Access: Exec, Addr: pc, Reason: "execute outside the code segment"}
	}
	c.Fault = *f
}

// fetchSlow fetches uop i on the slow path: it follows an xGoto, stops at
// an xOut (the gate, or a fetch fault), translates every page the
// instruction's bytes touch, one TLB lookup each as a window hit would count
// them, and opens the fetch window on the page of its last byte. It returns
// the uop to execute and StopBudget to mean "go on", or the pc and reason to
// stop with. The TLB must be settled.
func (c *CPU) fetchSlow(i uint32) (idx, pc uint32, why StopReason) {
	code := c.as.Code
	if code.uops[i].op == xGoto {
		i = code.uops[i].target
	}
	in := &code.uops[i]
	pc = in.pc
	if in.op == xOut {
		if pc == c.Gate {
			return 0, pc, StopGate
		}
		c.fetchFault(pc)
		return 0, pc, StopFault
	}
	page := pc &^ (PageSize - 1)
	slot, frame, ok := c.translate(pc, Exec)
	if !ok {
		return 0, pc, StopFault
	}
	if last := (code.uops[i+1].pc - 1) &^ (PageSize - 1); last != page {
		page = last
		if slot, frame, ok = c.translate(page, Exec); !ok {
			return 0, pc, StopFault
		}
	}
	c.fetch.open(page, PageSize, frame<<PageShift-page, &c.TLB.Entries[slot], nil)
	p := code.pages[(page-code.Base)/PageSize]
	c.fetchLo, c.fetchN = p.lo, p.n
	return i, pc, StopBudget
}

// translate is the paging layer: TLB lookup, and on a miss a page-table walk
// and an insert, which closes the windows on the entry it replaces. The
// segment check has already passed, and the TLB is settled; exec's clock
// goes on from the TLB's.
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
	slot = t.Insert(c.as.ASID, vpn, e.Frame())
	c.closeWindowsOn(&t.Entries[slot])
	c.key.gen = t.gen // an insert of its own keeps the other windows
	return slot, e.Frame(), true
}

// phys is where the bytes of an access are in physical memory: byte i at
// lo+i, or, from byte cut on (an access straddling two pages), at hi+i-cut.
// It is three words returned in registers: an array of the four addresses
// went through memory, stored a word at a time and loaded at once, which
// stalls.
type phys struct{ lo, hi, cut uint32 }

func (p phys) at(i uint32) uint32 {
	if i < p.cut {
		return p.lo + i
	}
	return p.hi + i - p.cut
}

// access is the slow path of every data reference: segment check, then one
// translation per page the n bytes touch. It returns where the bytes are,
// and opens window w on the part of the page inside the segment when the
// access fits in one page.
func (c *CPU) access(w *stream, addr, n uint32, a Access) (pa phys, ok bool) {
	if c.reopen(w, addr, n) {
		c.TLB.hit(w.ent) // what the lookup would have counted
		return phys{lo: addr + w.delta, cut: n}, true
	}
	seg, f := c.as.check(addr, n, a)
	if f != nil {
		c.Fault = *f
		return pa, false
	}
	slot, frame, ok := c.translate(addr, a)
	if !ok {
		return pa, false
	}
	pa = phys{lo: frame<<PageShift | addr%PageSize, cut: n}
	if off := addr % PageSize; off+n > PageSize { // the access crosses into the next page
		pa.cut = PageSize - off
		next := addr + pa.cut
		if _, frame, ok = c.translate(next, a); !ok {
			return pa, false
		}
		pa.hi = frame << PageShift
		return pa, true
	}
	page := addr &^ (PageSize - 1)
	lo, hi := max(page, seg.Base), min(uint64(page)+PageSize, seg.end())
	span := uint32(hi - uint64(lo))
	ent := &c.TLB.Entries[slot]
	delta := pa.lo - addr
	w.open(lo, span, delta, ent, seg)
	spare := &w.spares[w.next%uint8(len(w.spares))]
	spare.open(lo, span, delta, ent, seg)
	spare.epoch = c.epoch
	w.next++
	return pa, true
}

// reopen makes the spare window of stream w that holds the n bytes at addr
// its window, if it has one still good: of this epoch (no closeWindows
// since), its entry still holding the translation it was opened on, its
// segment as it was. A lookup would find that same entry (the TLB never
// holds a translation twice), so the access counts the same.
func (c *CPU) reopen(w *stream, addr, n uint32) bool {
	for k := range w.spares {
		s := &w.spares[k]
		lim := s.span4
		if n == 1 {
			lim = s.span
		}
		if s.ent == nil || s.epoch != c.epoch || addr-s.base >= lim {
			continue
		}
		e, page := s.ent, s.base&^(PageSize-1)
		if !e.Valid || e.VPN != page>>PageShift || e.ASID != c.as.ASID || e.Frame != (page+s.delta)>>PageShift || s.segChanged() {
			continue
		}
		w.window = *s // s was written when its window opened, long ago: the copy does not stall
		return true
	}
	return false
}

// The slow paths of loads and stores: a segment check and a translation
// per page touched, which refill window w.

func (c *CPU) load32Slow(w *stream, addr uint32) (uint32, bool) {
	pa, ok := c.access(w, addr, 4, Read)
	if !ok {
		return 0, false
	}
	return c.peek32(pa), true
}

func (c *CPU) store32Slow(w *stream, addr, v uint32) bool {
	pa, ok := c.access(w, addr, 4, Write)
	if ok {
		c.poke32(pa, v)
	}
	return ok
}

func (c *CPU) load8Slow(w *stream, addr uint32) (uint32, bool) {
	pa, ok := c.access(w, addr, 1, Read)
	if !ok {
		return 0, false
	}
	return uint32(c.Mem.Bytes[pa.lo]), true
}

func (c *CPU) store8Slow(w *stream, addr, v uint32) bool {
	pa, ok := c.access(w, addr, 1, Write)
	if ok {
		c.Mem.Bytes[pa.lo] = byte(v)
	}
	return ok
}

// peek32 and poke32 read and write a word at the physical addresses of its
// four bytes, which may lie in two frames.
func (c *CPU) peek32(pa phys) uint32 {
	m := c.Mem.Bytes
	if pa.cut == 4 {
		return ld32(m, pa.lo)
	}
	return uint32(m[pa.at(0)]) | uint32(m[pa.at(1)])<<8 | uint32(m[pa.at(2)])<<16 | uint32(m[pa.at(3)])<<24
}

func (c *CPU) poke32(pa phys, v uint32) {
	m := c.Mem.Bytes
	if pa.cut == 4 {
		st32(m, pa.lo, v)
		return
	}
	for i := range uint32(4) {
		m[pa.at(i)] = byte(v >> (8 * i))
	}
}
