package kernel_test

import (
	"strings"
	"testing"

	"vcpu/kernel"
)

// Waiters on a pipe are served in the order they came, by whoever brings the
// data: a woken reader returns from READ with its bytes and never runs only
// to find the pipe empty again (no zero-instruction slices).
func TestPipeReadersServedInOrderWithoutSpuriousWakeups(t *testing.T) {
	src := `
        .data
fds:    .word 0, 0
abc:    .ascii "abc"
        .bss
got:    .space 4
        .text
main:   mov  r0, SYS_PIPE
        mov  r1, fds
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, reader
        mov  r2, 0
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, reader
        mov  r2, 1
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, reader
        mov  r2, 2
        syscall
        mov  r0, SYS_YIELD          ; let all three block on the empty pipe
        syscall
        mov  r5, 0
write:  mov  r0, SYS_WRITE          ; one byte at a time
        ld   r1, [fds + 4]
        add  r2, r5, abc
        mov  r3, 1
        syscall
        inc  r5
        blt  r5, 3, write
        mov  r0, SYS_SLEEP
        mov  r1, 1000
        syscall
        ldb  r0, [got]              ; reader 0 got 'a', 1 got 'b', 2 got 'c'
        ldb  r1, [got + 1]
        ldb  r2, [got + 2]
        bne  r0, 'a', bad
        bne  r1, 'b', bad
        bne  r2, 'c', bad
        mov  r0, 0
        ret
bad:    mov  r0, 1
        ret

reader: mov  r6, r1
        mov  r0, SYS_READ
        ld   r1, [fds]
        add  r2, r6, got
        mov  r3, 1
        syscall
        ret
`
	m := boot(t, kernel.DefaultConfig(), src)
	m.Run()
	if st := m.ExitStatus(); st != 0 {
		t.Fatalf("status %d: readers got their bytes out of order\n%s", st, m.err.String())
	}
	for _, s := range m.slices {
		if from, to, _ := strings.Cut(s[strings.Index(s, "@")+1:], "-"); from == to {
			t.Errorf("slice %s ran no instruction: a thread was woken for nothing (schedule %s)", s, m.schedule())
		}
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
}

// A write larger than the pipe goes in parts; when the last reader leaves,
// the blocked writer returns the bytes that went, and the next write is EPIPE.
func TestBlockedWriterWhenReaderLeaves(t *testing.T) {
	src := `
        .data
fds:    .word 0, 0
        .bss
big:    .space 2000
        .text
main:   mov  r0, SYS_PIPE
        mov  r1, fds
        syscall
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        ld   r1, [fds]              ; the parent keeps only the write end
        mov  r0, SYS_CLOSE
        syscall
        mov  r0, SYS_WRITE
        ld   r1, [fds + 4]
        mov  r2, big
        mov  r3, 2000
        syscall                     ; 512 + 100 read + ... then the reader exits
        mov  r5, r0
        mov  r0, SYS_WRITE
        ld   r1, [fds + 4]
        mov  r2, big
        mov  r3, 1
        syscall
        mov  r6, r0
        bne  r6, EPIPE, bad
        mov  r0, r5                 ; exit status: how much the first write moved, mod 256
        ret
bad:    mov  r0, 1
        ret
child:  mov  r0, SYS_READ           ; read 100 bytes once, then leave
        ld   r1, [fds]
        mov  r2, big
        mov  r3, 100
        syscall
        mov  r0, 0
        ret
`
	m := boot(t, kernel.DefaultConfig(), src)
	m.Run()
	// The pipe held 512; the child read 100, making room for 100 more: 612.
	if st := m.ExitStatus(); st != 612%256 {
		t.Errorf("status %d, want %d (612 bytes written before EPIPE)\n%s", st, 612%256, m.err.String())
	}
}

// A process blocked in ACCEPT gets the connection handed to it when a
// client connects, in the order the acceptors came.
func TestAcceptHandover(t *testing.T) {
	server := `
main:   mov  r0, SYS_LISTEN
        mov  r1, 9
        syscall
        mov  r5, r0
        mov  r0, SYS_ACCEPT
        mov  r1, r5
        syscall
        mov  r6, r0                 ; a descriptor, 4 (after stdio and the listener)
        mov  r0, SYS_READ
        mov  r1, r6
        mov  r2, sp
        sub  r2, 8
        mov  r3, 4
        syscall                     ; 2 bytes arrive
        add  r0, r6, r0             ; status 4 + 2
        ret
`
	client := `
main:   mov  r0, SYS_YIELD          ; let the server listen and block in accept
        syscall
        mov  r0, SYS_CONNECT
        mov  r1, 9
        syscall
        mov  r1, r0
        mov  r0, SYS_WRITE
        mov  r2, main
        mov  r3, 2
        syscall
        mov  r0, 0
        ret
`
	m := boot(t, kernel.DefaultConfig(), server, client)
	m.Run()
	if st := m.Processes()[0].Status; st != 6 {
		t.Errorf("server status %d, want 6 (descriptor 4, 2 bytes)\n%s", st, m.err.String())
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
}
