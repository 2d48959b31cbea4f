; race_atomic.s — race.s fixed with one atomic instruction: `xadd`.
;
; `xadd r, [counter]` adds r to the word at counter and hands back its old
; value, as one instruction: the load, the add and the store cannot be
; separated by a preemption, so there is no critical section to protect.
; This is how real counters are kept (a "fetch-and-add"), and the cheapest
; of the three fixes.
;
; Past this header and the message, the code is race.s line for line:
; `diff programs/race.s programs/race_atomic.s` ends with the fix.
;
;   vcpu run programs/race_atomic.s
;   vcpu run --quantum 7 programs/race_atomic.s
;   vcpu run --seed 1 programs/race_atomic.s
;
; Look for: counter = 20000, 0 lost, at any quantum and with any seed.
; With --stats: fewer instructions than race.s itself (the increment is
; one instruction, not three), and no lock, no spinning, no blocking.
        .include "io.s"
        .equ N, 10000
        .data
counter: .word 0
m_got:  .asciz "2 threads x 10000 increments, with xadd: counter = "
m_lost: .asciz "updates lost: "
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r7
        syscall
        mov  r1, m_got
        ld   r2, [counter]
        call print_str_int
        mov  r1, m_lost
        ld   r2, [counter]
        neg  r2, r2
        add  r2, 2 * N              ; 20000 - counter
        call print_str_int
        mov  r0, 0
        ret

; bump: add 1 to counter, N times, atomically.
bump:   mov  r5, 0
loop:   mov  r6, 1
        xadd r6, [counter]          ; counter += 1, all at once
        inc  r5
        blt  r5, N, loop
        mov  r0, 0
        ret
