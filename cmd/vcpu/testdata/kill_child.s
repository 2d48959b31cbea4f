; KILL ends another process with status 137, whatever it was doing.
; RUN: run %s
; EXIT: 0
; STDOUT: child status 137
; STDERR: pid 2 (kill_child) killed by pid 1
        .include "lib/print.s"
        .data
m1:     .asciz "child status "
        .text
main:   sys0 FORK
        beq  r0, 0, spin
        mov  r5, r0
        sys0 YIELD
        sys1 KILL, r5
        sys1 WAIT, r5
        mov  r2, r0
        mov  r1, m1
        call say
        mov  r0, 0
        ret
spin:   jmp  spin
