; --seed finds the race a regular quantum hides (docs/KERNEL.md). Two threads
; add 1 to a counter 10,000 times each with a 5-instruction loop and no
; lock. At --quantum 10 every preemption falls at the same harmless point of
; the loop and the count comes out right; with random quantum lengths some
; preemptions fall between the load and the store, and updates are lost.
; Each seed gives the same count every run (TestSeedRace runs several).
; RUN: run --quantum 10 --seed 3 %s
; EXIT: 0
; STDOUT: counter = 13720
        .include "lib/print.s"
        .equ N, 10000
        .data
counter: .word 0
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r5, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r5
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r1, label
        call print_str
        ld   r1, [counter]
        call print_int
        call print_nl
        mov  r0, 0
        ret
bump:   mov  r5, 0
loop:   ld   r6, [counter]          ; load...
        add  r6, 1                  ; ...add...
        st   r6, [counter]          ; ...store: a preemption before this loses updates
        inc  r5
        blt  r5, N, loop
        ret
        .data
label:  .asciz "counter = "
