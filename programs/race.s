; race.s — two threads, one counter, no lock: updates get lost.
;
; Each thread adds 1 to `counter` N times, and an increment is three
; instructions: load, add, store. When the timer preempts a thread between
; its load and its store, the other thread's increments in between are
; overwritten when it resumes and stores its stale value + 1: lost updates.
; Whether that happens depends on exactly where each quantum ends. With the
; default quantum (100, a multiple of the loop's 5 instructions) every
; preemption hits the same spot of the loop, and here that spot is harmless:
; the count comes out right, by luck. Other quanta hit the critical
; section: --quantum 7 loses thousands. With --seed N
; each quantum's length is drawn at random, as real timer interrupts fall:
; every seed loses thousands (5321 to 6164 for seeds 0 to 99), each its own
; number, the same on every run. race_mutex.s, race_spinlock.s and
; race_atomic.s are three ways to fix it.
;
;   vcpu run programs/race.s
;   vcpu run --quantum 7 programs/race.s
;   vcpu run --seed 1 programs/race.s
;   vcpu run --seed 2 programs/race.s
;
; Look for: the counter against the 20000 it should be; with a seed, the
; updates lost (5747 with seed 1, 5579 with seed 2).
; With --stats: the thread switches: each one is a chance to lose updates.
; In the window: the two threads take turns on the timeline; the counter
; is a word in the data segment both of them load and store.
        .include "io.s"
        .equ N, 10000
        .data
counter: .word 0
m_got:  .asciz "2 threads x 10000 increments: counter = "
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

; bump: add 1 to counter, N times, with no lock.
bump:   mov  r5, 0
loop:   ld   r6, [counter]          ; load...
        add  r6, 1                  ; ...add...
        st   r6, [counter]          ; ...store: preempted before this, the
        inc  r5                     ; other thread's increments since the load are lost
        blt  r5, N, loop
        mov  r0, 0
        ret
