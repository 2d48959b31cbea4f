package cpu

// PageSize is the size of a page and of a physical frame.
const (
	PageSize  = 4096
	PageShift = 12
)

// PageTable maps virtual page numbers to physical frames, in two levels as on
// a 32-bit x86: a directory of 1024 pointers to tables of 1024 entries, each
// level allocated only where something is mapped.
//
//	 31        22 21        12 11          0
//	+------------+------------+-------------+
//	| dir index  | table index| page offset |
//	+------------+------------+-------------+
type PageTable struct {
	dir    [1024]*[1024]PTE
	mapped int
}

// PTE is a page-table entry: a frame number and a present bit.
//
//	 31                  12 11        1   0
//	+----------------------+-----------+---+
//	|     frame number     |  unused   | P |
//	+----------------------+-----------+---+
type PTE uint32

const ptePresent PTE = 1

func (e PTE) Present() bool    { return e&ptePresent != 0 }
func (e PTE) Frame() uint32    { return uint32(e) >> PageShift }
func makePTE(frame uint32) PTE { return PTE(frame<<PageShift) | ptePresent }

// NumPages is the number of virtual pages: page numbers are 20 bits.
const NumPages = 1 << (32 - PageShift)

// Walk returns the entry for virtual page vpn (zero if unmapped, or if vpn
// is not a page number).
func (pt *PageTable) Walk(vpn uint32) PTE {
	if vpn >= NumPages {
		return 0
	}
	t := pt.dir[vpn>>10]
	if t == nil {
		return 0
	}
	return t[vpn&1023]
}

// Map points vpn at frame, replacing any earlier mapping. A vpn or frame
// number past 20 bits is a bug in the caller: it panics rather than alias
// another page.
func (pt *PageTable) Map(vpn, frame uint32) {
	if vpn >= NumPages || frame >= NumPages {
		panic("cpu: PageTable.Map of a page or frame number past 20 bits")
	}
	t := pt.dir[vpn>>10]
	if t == nil {
		t = new([1024]PTE)
		pt.dir[vpn>>10] = t
	}
	if !t[vpn&1023].Present() {
		pt.mapped++
	}
	t[vpn&1023] = makePTE(frame)
}

// Unmap removes vpn's mapping and returns the frame it had.
func (pt *PageTable) Unmap(vpn uint32) (frame uint32, ok bool) {
	if vpn >= NumPages {
		return 0, false
	}
	t := pt.dir[vpn>>10]
	if t == nil || !t[vpn&1023].Present() {
		return 0, false
	}
	frame = t[vpn&1023].Frame()
	t[vpn&1023] = 0
	pt.mapped--
	return frame, true
}

// Mapped is the number of pages mapped.
func (pt *PageTable) Mapped() int { return pt.mapped }

// Range calls f for every mapped page in ascending order of vpn.
func (pt *PageTable) Range(f func(vpn, frame uint32)) {
	for d, t := range pt.dir {
		if t == nil {
			continue
		}
		for i, e := range t {
			if e.Present() {
				f(uint32(d)<<10|uint32(i), e.Frame())
			}
		}
	}
}
