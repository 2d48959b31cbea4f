package abi_test

import (
	"testing"

	"vcpu/abi"
)

// ErrnoOf reads back what Ret leaves in r0 for every errno, and takes any
// other r0 (a count, an address, a joined thread's value) for a result.
func TestErrnoOfIsRetBackwards(t *testing.T) {
	for _, e := range abi.Errnos {
		if got, ok := abi.ErrnoOf(e.Ret()); !ok || got != e {
			t.Errorf("ErrnoOf(%v.Ret()) = %v, %v", e, got, ok)
		}
	}
	for _, r0 := range []uint32{0, 1, 13, 0x7fff_ffff, 0x8000_0000, uint32(1<<32 - 4096)} {
		if e, ok := abi.ErrnoOf(r0); ok {
			t.Errorf("ErrnoOf(%#x) = %v: a result taken for an error", r0, e)
		}
	}
	if e, ok := abi.ErrnoOf(uint32(1<<32 - 4095)); !ok || e != 4095 {
		t.Errorf("ErrnoOf(-4095) = %v, %v; want errno 4095", e, ok)
	}
}
