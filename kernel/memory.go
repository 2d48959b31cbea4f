package kernel

import (
	"encoding/binary"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
)

// This file builds and tears down address spaces: the loader's segments,
// thread stacks, sbrk and fork's copy. Every page a segment covers is backed
// by a frame as soon as the segment exists (no demand paging), so running
// out of memory is an error returned to the guest at sbrk, thread_create,
// fork or spawn time, never a fault in the middle of an instruction.

// pageSpan is the page numbers [first, last) that [base, base+size) covers.
func pageSpan(base, size uint32) (first, last uint32) {
	return base / cpu.PageSize, uint32((uint64(base) + uint64(size) + cpu.PageSize - 1) / cpu.PageSize)
}

// pages counts the pages [base, base+size) covers.
func pages(base, size uint32) int {
	first, last := pageSpan(base, size)
	return int(last - first)
}

// mapRange backs [base, base+size) of p with fresh zeroed frames. It is all
// or nothing: on ENOMEM nothing stays mapped.
func (k *Kernel) mapRange(p *Process, base, size uint32, owner FrameOwner) error {
	first, last := pageSpan(base, size)
	// Fail fast on a huge request: at least the range's pages minus all
	// the pages mapped anywhere are new, so no page walk is needed to
	// refuse a gigabyte sbrk.
	if int(last-first)-p.AS.PT.Mapped() > k.frames.free {
		return abi.ENOMEM
	}
	need := 0
	for vpn := first; vpn < last; vpn++ {
		if !p.AS.PT.Walk(vpn).Present() {
			need++
		}
	}
	if need > k.frames.free {
		return abi.ENOMEM
	}
	for vpn := first; vpn < last; vpn++ {
		if p.AS.PT.Walk(vpn).Present() {
			continue
		}
		owner.VPN = vpn
		f, _ := k.frames.alloc(owner)
		p.AS.PT.Map(vpn, f)
	}
	p.Stats.PeakFrames = max(p.Stats.PeakFrames, p.AS.PT.Mapped())
	return nil
}

// unmapRange frees the frames of the pages [base, base+size) covers and
// drops their translations from the TLB.
func (k *Kernel) unmapRange(p *Process, base, size uint32) {
	first, last := pageSpan(base, size)
	for vpn := first; vpn < last; vpn++ {
		if f, ok := p.AS.PT.Unmap(vpn); ok {
			k.frames.release(f)
			k.tlb.Invalidate(p.AS.ASID, vpn)
		}
	}
}

// loadImage builds p's address space from its program: code, data and bss
// segments, and an empty heap after them.
func (k *Kernel) loadImage(p *Process) error {
	prog := p.img.prog
	if p.img.code == nil {
		p.img.code = cpu.Predecode(prog.TextBase, prog.Text)
	}
	p.AS = &cpu.AddressSpace{ASID: uint32(p.PID), Code: p.img.code}
	add := func(kind cpu.SegKind, base uint32, size uint32, perm cpu.Perm, init []byte) error {
		seg := &cpu.Segment{Kind: kind, Base: base, Limit: size, Perm: perm}
		p.AS.Segments = append(p.AS.Segments, seg)
		if err := k.mapRange(p, base, size, FrameOwner{PID: p.PID, Kind: kind}); err != nil {
			return err
		}
		return p.AS.CopyOut(k.mem, base, init)
	}
	rx, rw := cpu.PermR|cpu.PermX, cpu.PermR|cpu.PermW
	if err := add(cpu.SegCode, prog.TextBase, uint32(len(prog.Text)), rx, nil); err != nil {
		return err
	}
	// The code segment is read-only to the guest; the loader writes it
	// through a temporary writable view.
	code := p.AS.Segments[0]
	code.Perm = rw
	err := p.AS.CopyOut(k.mem, prog.TextBase, prog.Text)
	code.Perm = rx
	if err != nil {
		return err
	}
	if err := add(cpu.SegData, prog.DataBase, uint32(len(prog.Data)), rw, prog.Data); err != nil {
		return err
	}
	if err := add(cpu.SegBSS, prog.BSSBase, prog.BSSSize, rw, nil); err != nil {
		return err
	}
	return add(cpu.SegHeap, prog.HeapBase(), 0, rw, nil)
}

// stackTop is the top of stack slot i. Slots are StackSize apart with an
// unmapped guard page between them, so an overflow faults instead of
// running into a sibling's stack.
func (k *Kernel) stackTop(slot int) uint32 {
	return abi.StackTop - uint32(slot)*(k.cfg.StackSize+cpu.PageSize)
}

// newStack gives t a stack segment in the lowest free slot, with the return
// gate as the return address of its entry function.
func (k *Kernel) newStack(t *Thread) error {
	p := t.Proc
	slot := 0
	for slot < len(p.stackSlots) && p.stackSlots[slot] {
		slot++
	}
	top := k.stackTop(slot)
	if uint64(slot+1)*uint64(k.cfg.StackSize+cpu.PageSize) > abi.StackTop-uint64(abi.PageAlign(p.AS.Segment(cpu.SegHeap).End())) {
		return abi.ENOMEM
	}
	seg := &cpu.Segment{Kind: cpu.SegStack, Base: top - k.cfg.StackSize, Limit: k.cfg.StackSize, Perm: cpu.PermR | cpu.PermW, Owner: t.TID}
	if err := k.mapRange(p, seg.Base, seg.Limit, FrameOwner{PID: p.PID, Kind: cpu.SegStack, TID: t.TID}); err != nil {
		return err
	}
	if slot == len(p.stackSlots) {
		p.stackSlots = append(p.stackSlots, true)
	}
	p.stackSlots[slot] = true
	p.AS.Segments = append(p.AS.Segments, seg)
	t.Stack, t.stackSlot = seg, slot
	var gate [4]byte
	binary.LittleEndian.PutUint32(gate[:], abi.ReturnGate)
	t.Context.R[cpu.SP] = top - 4
	return p.AS.CopyOut(k.mem, top-4, gate[:])
}

// freeStack returns an exited thread's stack.
func (k *Kernel) freeStack(t *Thread) {
	p := t.Proc
	if t.Stack == nil {
		return
	}
	k.unmapRange(p, t.Stack.Base, t.Stack.Limit)
	p.AS.Segments = removeSeg(p.AS.Segments, t.Stack)
	p.stackSlots[t.stackSlot] = false
	t.Stack = nil
}

func removeSeg(segs []*cpu.Segment, s *cpu.Segment) []*cpu.Segment {
	for i, x := range segs {
		if x == s {
			return append(segs[:i], segs[i+1:]...)
		}
	}
	return segs
}

// sbrk moves the end of p's heap by delta and returns the old end.
func (k *Kernel) sbrk(p *Process, delta int32) (uint32, error) {
	heap := p.AS.Segment(cpu.SegHeap)
	old := heap.End()
	newLimit := int64(heap.Limit) + int64(delta)
	if newLimit < 0 {
		return 0, abi.EINVAL
	}
	// The heap may grow up to the guard page below the lowest stack slot.
	ceiling := uint64(k.stackTop(len(p.stackSlots))) - uint64(k.cfg.StackSize) - cpu.PageSize
	if uint64(heap.Base)+uint64(newLimit) > ceiling {
		return 0, abi.ENOMEM
	}
	if delta > 0 {
		if err := k.mapRange(p, heap.Base, uint32(newLimit), FrameOwner{PID: p.PID, Kind: cpu.SegHeap}); err != nil {
			return 0, err
		}
		heap.Limit = uint32(newLimit)
		return old, nil
	}
	keep := abi.PageAlign(uint32(newLimit))
	k.unmapRange(p, heap.Base+keep, abi.PageAlign(heap.Limit)-keep)
	heap.Limit = uint32(newLimit)
	return old, nil
}

// imageFrames is how many frames a new process of prog needs: its segments
// and its main thread's stack. Segments never share a page (each base is
// page aligned), so this is exactly what loadImage and newStack map.
func (k *Kernel) imageFrames(prog *image.Program) int {
	return pages(prog.TextBase, uint32(len(prog.Text))) + pages(prog.DataBase, uint32(len(prog.Data))) +
		pages(prog.BSSBase, prog.BSSSize) + pages(0, k.cfg.StackSize)
}

// forkFrames is how many frames copyAddressSpace needs to copy parent for
// a fork by t.
func forkFrames(parent *Process, t *Thread) int {
	n := 0
	for _, s := range parent.AS.Segments {
		if forkCopies(s, t) {
			n += pages(s.Base, s.Limit)
		}
	}
	return n
}

// forkCopies says whether a fork by t copies segment s: every segment but
// the other threads' stacks.
func forkCopies(s *cpu.Segment, t *Thread) bool { return s.Kind != cpu.SegStack || s == t.Stack }

// copyAddressSpace gives child a frame-by-frame copy of parent's code, data,
// bss and heap, and of the one stack of the thread that forked.
func (k *Kernel) copyAddressSpace(parent, child *Process, forker *Thread) error {
	child.AS = &cpu.AddressSpace{ASID: uint32(child.PID), Code: parent.AS.Code}
	for _, s := range parent.AS.Segments {
		if !forkCopies(s, forker) {
			continue
		}
		cs := *s
		owner := FrameOwner{PID: child.PID, Kind: s.Kind}
		if s.Kind == cpu.SegStack {
			cs.Owner = child.Threads[0].TID
			owner.TID = cs.Owner
		}
		if err := k.mapRange(child, cs.Base, cs.Limit, owner); err != nil {
			return err
		}
		first, last := pageSpan(cs.Base, cs.Limit)
		for vpn := first; vpn < last; vpn++ {
			copy(k.mem.Frame(child.AS.PT.Walk(vpn).Frame()), k.mem.Frame(parent.AS.PT.Walk(vpn).Frame()))
		}
		child.AS.Segments = append(child.AS.Segments, &cs)
		if s.Kind == cpu.SegStack {
			t := child.Threads[0]
			t.Stack, t.stackSlot = child.AS.Segments[len(child.AS.Segments)-1], forker.stackSlot
			child.stackSlots = make([]bool, forker.stackSlot+1)
			child.stackSlots[forker.stackSlot] = true
		}
	}
	return nil
}

// freeAddressSpace returns every frame of an ended process.
func (k *Kernel) freeAddressSpace(p *Process) {
	p.AS.PT.Range(func(vpn, frame uint32) {
		k.frames.release(frame)
	})
	p.AS.PT = cpu.PageTable{}
	p.AS.Segments = nil
	k.tlb.InvalidateASID(p.AS.ASID)
}
