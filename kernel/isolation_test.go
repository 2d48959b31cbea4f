package kernel_test

import (
	"testing"

	"vcpu/kernel"
)

// A page freed by SBRK goes back to the pool and may be given to another
// process at once. If the TLB still held the old translation, the first
// process would read the other's data through it: the kernel must drop the
// entry when it unmaps the page, with ASIDs (entries survive switches) and
// without.
func TestStaleTranslationAfterShrink(t *testing.T) {
	owner := `
main:   mov  r0, SYS_SBRK
        mov  r1, 4096
        syscall
        mov  r5, r0
        mov  r6, 1234
        st   r6, [r5]               ; the TLB now maps the heap page
        mov  r0, SYS_SBRK
        mov  r1, -4096
        syscall                     ; its frame goes back to the pool
        mov  r0, SYS_YIELD
        syscall                     ; the thief takes it and writes 0xAB
        mov  r0, SYS_SBRK
        mov  r1, 4096
        syscall                     ; a fresh, zeroed frame
        ld   r0, [r5]               ; must read 0, not 0xAB, not 1234
        ret
`
	thief := `
main:   mov  r0, SYS_SBRK
        mov  r1, 4096
        syscall
        mov  r6, 0xAB
        st   r6, [r0]
        mov  r0, SYS_YIELD
        syscall
        mov  r0, 0
        ret
`
	for _, asid := range []bool{false, true} {
		m := boot(t, cfgWith(func(c *kernel.Config) { c.ASID = asid }), owner, thief)
		m.Run()
		if got := m.Processes()[0].Status; got != 0 {
			t.Errorf("asid %v: the owner read %d through a stale translation, want 0", asid, got)
		}
		if err := m.Check(); err != nil {
			t.Errorf("asid %v: %v", asid, err)
		}
	}
}

// Forked processes get their own frames for every page: no frame is mapped
// twice, whatever the programs did.
func TestForkedFramesAreDisjoint(t *testing.T) {
	src := `
        .data
v:      .word 1
        .text
main:   mov  r0, SYS_SBRK
        mov  r1, 5000
        syscall
        mov  r0, SYS_FORK
        syscall
        mov  r0, SYS_FORK
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
spin:   jmp  spin
`
	m := boot(t, cfgWith(func(c *kernel.Config) { c.MaxSteps = 5000; c.Quantum = 7 }), src)
	m.Run()
	if n := len(m.Processes()); n != 4 {
		t.Fatalf("%d processes, want 4", n)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
	owners := map[int]int{}
	for _, o := range m.FrameOwners() {
		owners[o.PID]++
	}
	for _, p := range m.Processes() {
		if n := p.AS.PT.Mapped(); owners[p.PID] != n || n == 0 {
			t.Errorf("%s: frame table says %d frames, page table maps %d", p, owners[p.PID], p.AS.PT.Mapped())
		}
	}
}
