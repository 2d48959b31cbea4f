; Creating threads without end stops at the per-process limit with EAGAIN.
; RUN: run --threads 8 %s
; EXIT: 0
; STDOUT: created 7
; STDOUT: then -11
        .include "lib/print.s"
        .data
m1:     .asciz "created "
m2:     .asciz "then "
        .text
main:   mov  r5, 0
again:  sys2 THREAD_CREATE, idle, 0
        blt  r0, 0, full
        inc  r5
        jmp  again
full:   mov  r6, r0
        mov  r2, r5
        mov  r1, m1
        call say
        mov  r2, r6
        mov  r1, m2
        call say
        sys1 EXIT, 0
idle:   sys1 SLEEP, 1000000
        ret
