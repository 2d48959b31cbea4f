; race_spinlock.s — race.s fixed with a spin lock built on `xchg`.
;
; `xchg r, [lock]` swaps a register with a word of memory as one instruction:
; no preemption can fall between the read and the write. To take the lock a
; thread swaps a 1 in; if it gets a 0 back, the lock was free and is now
; its own; if it gets a 1, someone holds it, and it tries again: it spins.
; A store of 0 gives the lock back. No kernel call is needed, but on one
; CPU spinning is waste: a thread that finds the lock held spins until its
; quantum runs out, since the holder cannot run meanwhile to release it.
;
; Past this header, the message and the spin counting, the code is race.s:
; `diff programs/race.s programs/race_spinlock.s` ends with the fix.
;
;   vcpu run programs/race_spinlock.s
;   vcpu run --quantum 7 programs/race_spinlock.s
;   vcpu run --seed 1 programs/race_spinlock.s
;
; Look for: counter = 20000, 0 lost; and the spins: how many times a
; thread found the lock taken. None at the default quantum: 100 is a
; multiple of the loop's 10 instructions, so every preemption falls at the
; same point, outside the lock. --quantum 7 and --seed 1 preempt holders
; of the lock: 19999 and 29120 spins.
; With --stats: at the default quantum twice race.s's instructions, none
; of them spinning: taking and giving back the lock costs 5 instructions
; an increment. Each spin adds 4 more. Only 2 system calls per thread
; (create and join), unlike race_mutex.s.
; In the window: the thread that spins stays "running" while doing no work.
        .include "io.s"
        .equ N, 10000
        .data
counter: .word 0
lock:   .word 0                     ; 0: free, 1: held
m_got:  .asciz "2 threads x 10000 increments, with a spin lock: counter = "
m_lost: .asciz "updates lost: "
m_spins: .asciz "spins while the lock was taken: "
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN    ; a thread's value: its spins
        mov  r1, r6
        syscall
        mov  r8, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r7
        syscall
        add  r8, r0
        mov  r1, m_got
        ld   r2, [counter]
        call print_str_int
        mov  r1, m_lost
        ld   r2, [counter]
        neg  r2, r2
        add  r2, 2 * N              ; 20000 - counter
        call print_str_int
        mov  r1, m_spins
        mov  r2, r8
        call print_str_int
        mov  r0, 0
        ret

; bump: add 1 to counter, N times, holding the spin lock; the value is
; how many times it found the lock taken.
bump:   mov  r5, 0
        mov  r0, 0                  ; r0: spins
loop:   mov  r7, 1
spin:   xchg r7, [lock]             ; take it: swap in 1, see what was there
        beq  r7, 0, locked          ; 0: it was free, now it is ours
        inc  r0
        jmp  spin                   ; 1: held; try again
locked: ld   r6, [counter]          ; the critical section
        add  r6, 1
        st   r6, [counter]
        mov  r7, 0
        st   r7, [lock]             ; give it back
        inc  r5
        blt  r5, N, loop
        ret
