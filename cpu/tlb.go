package cpu

// TLBEntry caches one translation: virtual page -> physical frame, tagged
// with the address space it belongs to (used only when ASIDs are on).
type TLBEntry struct {
	Valid   bool
	ASID    uint32
	VPN     uint32
	Frame   uint32
	lastUse uint64 // LRU clock value of the last hit or the insert
}

// LastUse is the LRU clock value of the entry's last hit or insert: a
// viewer that remembers it can tell which entries were used since it last
// looked, at no cost to the lookup itself.
func (e TLBEntry) LastUse() uint64 { return e.lastUse }

// TLBStats counts what the TLB did.
type TLBStats struct {
	Hits, Misses, Evictions, Flushes uint64
}

// TLB is a fully associative translation cache with LRU replacement. Without
// ASIDs (the default) the kernel flushes it on every process switch; with
// ASIDs entries of several address spaces live side by side. Entries is
// exported to be read; change it only through the methods, which keep gen
// and valid.
type TLB struct {
	Entries []TLBEntry
	TLBStats
	clock uint64
	// gen counts the changes to which translations the entries hold
	// (inserts, flushes, invalidations; not hits): a CPU keeps its fast
	// paths across Run calls while gen has not moved.
	gen uint64
	// valid counts the valid entries, so that Flush need not.
	valid int
}

// NewTLB makes a TLB of n entries (at least 1).
func NewTLB(n int) *TLB {
	return &TLB{Entries: make([]TLBEntry, max(n, 1))}
}

// Lookup finds vpn of address space asid; a hit refreshes the entry's LRU
// position. It counts a hit or a miss.
func (t *TLB) Lookup(asid, vpn uint32) (slot int, ok bool) {
	if t.valid == 0 {
		// Just flushed: the first access of every process after a switch
		// comes here, and a scan would find nothing.
		t.Misses++
		return -1, false
	}
	for i := range t.Entries {
		e := &t.Entries[i]
		if e.Valid && e.VPN == vpn && e.ASID == asid {
			t.hit(e)
			return i, true
		}
	}
	t.Misses++
	return -1, false
}

// hit counts a hit on entry e: found by Lookup, or without a lookup by a
// CPU's spare window, which so counts what the lookup would have.
func (t *TLB) hit(e *TLBEntry) {
	t.Hits++
	t.clock++
	e.lastUse = t.clock
}

// Insert adds a translation after a miss, replacing an invalid entry or else
// the least recently used one (an eviction).
func (t *TLB) Insert(asid, vpn, frame uint32) int {
	victim := 0
	for i := range t.Entries {
		e := &t.Entries[i]
		if !e.Valid {
			victim = i
			break
		}
		if e.lastUse < t.Entries[victim].lastUse {
			victim = i
		}
	}
	if t.Entries[victim].Valid {
		t.Evictions++
	} else {
		t.valid++
	}
	t.gen++
	t.clock++
	// Field by field: a struct value is built on the stack and copied with
	// vector moves that stall on the stack stores, on every process switch.
	e := &t.Entries[victim]
	e.Valid, e.ASID, e.VPN, e.Frame, e.lastUse = true, asid, vpn, frame, t.clock
	return victim
}

// Flush drops every entry, as a process switch does without ASIDs, and says
// how many valid ones were thrown away.
func (t *TLB) Flush() (dropped int) {
	dropped, t.valid = t.valid, 0
	t.Flushes++
	t.gen++
	if dropped > 0 { // else every entry is already zero (Invalidate zeroes)
		clear(t.Entries)
	}
	return dropped
}

// Invalidate drops vpn of asid, if cached: the kernel calls it whenever it
// unmaps a page, so no stale translation can reach a freed frame.
func (t *TLB) Invalidate(asid, vpn uint32) {
	t.gen++
	for i := range t.Entries {
		if e := &t.Entries[i]; e.Valid && e.VPN == vpn && e.ASID == asid {
			*e = TLBEntry{}
			t.valid--
		}
	}
}

// InvalidateASID drops every entry of an address space that is going away.
func (t *TLB) InvalidateASID(asid uint32) {
	t.gen++
	for i := range t.Entries {
		if e := &t.Entries[i]; e.Valid && e.ASID == asid {
			*e = TLBEntry{}
			t.valid--
		}
	}
}

// LRUOrder returns the valid slots from least to most recently used, the
// order in which they would be evicted.
func (t *TLB) LRUOrder() []int {
	var slots []int
	for i, e := range t.Entries {
		if e.Valid {
			slots = append(slots, i)
		}
	}
	for i := 1; i < len(slots); i++ { // insertion sort: a TLB has a handful of entries
		for j := i; j > 0 && t.Entries[slots[j]].lastUse < t.Entries[slots[j-1]].lastUse; j-- {
			slots[j], slots[j-1] = slots[j-1], slots[j]
		}
	}
	return slots
}
