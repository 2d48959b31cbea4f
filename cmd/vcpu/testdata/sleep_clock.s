; SLEEP waits at least that many ticks; while every thread sleeps the clock jumps.
; RUN: run %s
; EXIT: 0
; STDOUT: slept enough
        .include "lib/print.s"
        .data
m1:     .asciz "slept enough\n"
m2:     .asciz "woke early after "
        .text
main:   sys0 TIME
        mov  r5, r0
        sys1 SLEEP, 100000
        sys0 TIME
        sub  r2, r0, r5
        blt  r2, 100000, early
        mov  r1, m1
        call print_str
        mov  r0, 0
        ret
early:  mov  r1, m2
        call say
        mov  r0, 1
        ret
