package kernel

import "vcpu/cpu"

// FrameOwner says who holds a physical frame and for what: the window
// colours the memory map by it.
type FrameOwner struct {
	PID  int // 0: free
	Kind cpu.SegKind
	TID  int    // for stack frames
	VPN  uint32 // the virtual page it backs in PID's address space
}

// frameTable allocates physical frames, lowest number first, so that runs are
// reproducible and the memory map reads left to right.
type frameTable struct {
	mem    *cpu.Memory
	owners []FrameOwner
	free   int
	hint   int // no free frame below this index
}

func newFrameTable(m *cpu.Memory) *frameTable {
	return &frameTable{mem: m, owners: make([]FrameOwner, m.Frames()), free: m.Frames()}
}

// alloc takes one zeroed frame for owner, or reports that memory is full.
func (ft *frameTable) alloc(owner FrameOwner) (uint32, bool) {
	if ft.free == 0 {
		return 0, false
	}
	for i := ft.hint; i < len(ft.owners); i++ {
		if ft.owners[i].PID == 0 {
			ft.owners[i] = owner
			ft.free--
			ft.hint = i + 1
			clear(ft.mem.Frame(uint32(i)))
			return uint32(i), true
		}
	}
	panic("kernel: frame table free count out of step with owners")
}

func (ft *frameTable) release(f uint32) {
	if ft.owners[f].PID == 0 {
		panic("kernel: freeing a free frame")
	}
	ft.owners[f] = FrameOwner{}
	ft.free++
	ft.hint = min(ft.hint, int(f))
}
