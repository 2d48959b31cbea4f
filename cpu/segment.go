package cpu

import "fmt"

// SegKind names the part of a program a segment holds.
type SegKind uint8

const (
	SegCode SegKind = iota
	SegData
	SegBSS
	SegHeap
	SegStack
	NumSegKinds
)

func (k SegKind) String() string {
	return [...]string{"code", "data", "bss", "heap", "stack", "?"}[min(k, NumSegKinds)]
}

// Perm is a segment's permission bits.
type Perm uint8

const (
	PermR Perm = 1 << iota
	PermW
	PermX
)

func (p Perm) String() string {
	b := []byte("---")
	if p&PermR != 0 {
		b[0] = 'r'
	}
	if p&PermW != 0 {
		b[1] = 'w'
	}
	if p&PermX != 0 {
		b[2] = 'x'
	}
	return string(b)
}

// allows reports whether p permits access a.
func (p Perm) allows(a Access) bool {
	return p&[...]Perm{Read: PermR, Write: PermW, Exec: PermX}[a] != 0
}

// Segment is a contiguous, page-aligned range of an address space with one
// permission. Limit is checked to the byte: the valid addresses are
// [Base, Base+Limit), even though whole pages back them.
type Segment struct {
	Kind  SegKind
	Base  uint32
	Limit uint32
	Perm  Perm
	Owner int // for stacks: the thread that owns it
}

// End is one past the last valid address.
func (s *Segment) End() uint32 { return s.Base + s.Limit }

// Contains reports whether the n bytes at addr all lie inside s.
func (s *Segment) Contains(addr, n uint32) bool {
	off := addr - s.Base
	return addr >= s.Base && off < s.Limit && s.Limit-off >= n
}

func (s *Segment) String() string {
	name := s.Kind.String()
	if s.Kind == SegStack {
		name = fmt.Sprintf("stack of tid %d", s.Owner)
	}
	return fmt.Sprintf("%s [%#08x, %#08x) %s", name, s.Base, s.End(), s.Perm)
}

// check is the segmentation layer of translation: it finds the segment that
// holds all n bytes at addr and checks the access against its permission.
// The fault says what was attempted, in the words of the kill message.
func (as *AddressSpace) check(addr, n uint32, a Access) (*Segment, *Fault) {
	for _, s := range as.Segments {
		if s.Contains(addr, n) {
			if !s.Perm.allows(a) {
				return nil, &Fault{Kind: SegFault, Access: a, Addr: addr,
					Reason: fmt.Sprintf("%s %s segment", [...]string{Read: "read from", Write: "write to", Exec: "execute in"}[a], s.Kind)}
			}
			return s, nil
		}
	}
	return nil, &Fault{Kind: SegFault, Access: a, Addr: addr, Reason: as.whyUnmapped(addr, a)}
}

// end is End without wrapping, for a segment that reaches the top of the
// address space.
func (s *Segment) end() uint64 { return uint64(s.Base) + uint64(s.Limit) }

// whyUnmapped explains an access at addr that no segment holds, by the
// segments nearest to it: an access that starts inside one runs over its
// end; one in the page below a stack overflowed it; one in the page after
// a segment's end ran past it.
func (as *AddressSpace) whyUnmapped(addr uint32, a Access) string {
	var below, above *Segment // nearest segment ending at or before addr, starting after it
	for _, s := range as.Segments {
		switch {
		case addr >= s.Base && uint64(addr) < s.end():
			return fmt.Sprintf("%s straddles the end of %s segment", a, s.Kind)
		case uint64(addr) >= s.end() && (below == nil || s.end() >= below.end()): // on a tie the later segment: an empty heap, not the bss before it
			below = s
		case addr < s.Base && (above == nil || s.Base < above.Base):
			above = s
		}
	}
	switch {
	case above != nil && above.Kind == SegStack && above.Base-addr <= PageSize:
		return fmt.Sprintf("%s below stack of tid %d: stack overflow", a, above.Owner)
	case below != nil && uint64(addr)-below.end() < PageSize:
		return fmt.Sprintf("%s past the end of %s segment", a, below.Kind)
	case addr < PageSize:
		return fmt.Sprintf("%s of null page", a)
	}
	return fmt.Sprintf("%s of unmapped address", a)
}
