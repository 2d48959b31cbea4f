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

// Every errno has its name, Errnos lists them in numeric order, and a
// number with no name prints as one.
func TestErrnoNames(t *testing.T) {
	want := []abi.Errno{abi.EPERM, abi.ENOENT, abi.ESRCH, abi.EIO, abi.ENOEXEC, abi.EBADF, abi.ECHILD, abi.EAGAIN, abi.ENOMEM,
		abi.EFAULT, abi.EINVAL, abi.EMFILE, abi.ENOSPC, abi.EPIPE, abi.EDEADLK, abi.ENOSYS, abi.EADDRINUSE, abi.ECONNREFUSED}
	if len(abi.Errnos) != len(want) {
		t.Fatalf("Errnos = %v, want %v", abi.Errnos, want)
	}
	for i, e := range want {
		if abi.Errnos[i] != e {
			t.Errorf("Errnos[%d] = %v, want %v", i, abi.Errnos[i], e)
		}
	}
	for e, name := range map[abi.Errno]string{abi.EPERM: "EPERM", abi.ENOEXEC: "ENOEXEC", abi.ECONNREFUSED: "ECONNREFUSED",
		4: "errno4", 0: "errno0", -1: "errno-1", 4095: "errno4095"} {
		if got := e.String(); got != name {
			t.Errorf("Errno(%d).String() = %q, want %q", int32(e), got, name)
		}
	}
	if got := abi.Constants()["ENOEXEC"]; got != -8 {
		t.Errorf("the assembler's ENOEXEC = %d, want -8", got)
	}
}
