package cpu

import "fmt"

// Memory is the machine's physical memory: whole frames of PageSize bytes,
// shared by every address space. Which frame belongs to whom is the kernel's
// business; the MMU only follows page tables into it.
type Memory struct {
	Bytes []byte
}

// NewMemory makes a physical memory of size bytes, rounded down to whole
// frames.
func NewMemory(size int) *Memory {
	return &Memory{Bytes: make([]byte, size/PageSize*PageSize)}
}

// Frames is the number of physical frames.
func (m *Memory) Frames() int { return len(m.Bytes) / PageSize }

// Frame is the bytes of frame f.
func (m *Memory) Frame(f uint32) []byte {
	return m.Bytes[f*PageSize : (f+1)*PageSize : (f+1)*PageSize]
}

// AddressSpace is what one process sees of memory: its segments, the page
// table that backs them and the tag its TLB entries carry.
type AddressSpace struct {
	ASID     uint32
	Segments []*Segment
	PT       PageTable
	// Code is the predecoded code segment. Code is never writable, so the
	// decode done at load time stays true for the life of the program, and
	// forks share it. It is set before the address space is given to a CPU
	// (SetAddressSpace) and not changed after.
	Code *Code
}

// Segment returns the first segment of kind k, or nil.
func (as *AddressSpace) Segment(k SegKind) *Segment {
	for _, s := range as.Segments {
		if s.Kind == k {
			return s
		}
	}
	return nil
}

// Check applies the segmentation layer alone: it reports the fault that an
// access of n bytes at addr would raise, or nil.
func (as *AddressSpace) Check(addr, n uint32, a Access) *Fault {
	_, f := as.check(addr, n, a)
	return f
}

// physical translates one address by segment check and page-table walk,
// without the TLB: the kernel's own way into guest memory.
func (as *AddressSpace) physical(addr uint32) (uint32, bool) {
	e := as.PT.Walk(addr >> PageShift)
	if !e.Present() {
		return 0, false
	}
	return e.Frame()<<PageShift | addr&(PageSize-1), true
}

// CopyIn reads len(buf) bytes of guest memory at addr, as the kernel does for
// a syscall's buffer. Every byte must lie in one readable segment: a bad
// pointer is an error (EFAULT to the guest), never a read of anyone else's
// frames. The TLB is not involved.
func (as *AddressSpace) CopyIn(m *Memory, addr uint32, buf []byte) error {
	return as.copy(m, addr, buf, Read)
}

// CopyOut writes buf into guest memory at addr, with the same checks for a
// writable segment.
func (as *AddressSpace) CopyOut(m *Memory, addr uint32, buf []byte) error {
	return as.copy(m, addr, buf, Write)
}

func (as *AddressSpace) copy(m *Memory, addr uint32, buf []byte, a Access) error {
	if len(buf) == 0 {
		return nil
	}
	if uint64(addr)+uint64(len(buf)) > 1<<32 {
		return &Fault{Kind: SegFault, Access: a, Addr: addr, Reason: "buffer wraps around the address space"}
	}
	if _, f := as.check(addr, uint32(len(buf)), a); f != nil {
		return f
	}
	for done := 0; done < len(buf); {
		va := addr + uint32(done)
		pa, ok := as.physical(va)
		if !ok {
			return &Fault{Kind: SegFault, Access: a, Addr: va, Reason: "page not present"}
		}
		n := min(len(buf)-done, int(PageSize-va%PageSize))
		if a == Write {
			copy(m.Bytes[pa:], buf[done:done+n])
		} else {
			copy(buf[done:done+n], m.Bytes[pa:])
		}
		done += n
	}
	return nil
}

// ReadString reads a 0-terminated string of at most max bytes at addr.
func (as *AddressSpace) ReadString(m *Memory, addr uint32, max int) (string, error) {
	var s []byte
	var b [1]byte
	for i := 0; i < max; i++ {
		if err := as.CopyIn(m, addr+uint32(i), b[:]); err != nil {
			return "", err
		}
		if b[0] == 0 {
			return string(s), nil
		}
		s = append(s, b[0])
	}
	return "", fmt.Errorf("string at %#x longer than %d bytes", addr, max)
}
