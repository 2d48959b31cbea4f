; WAIT -1 collects children in the order they end; a collected child cannot be
; waited for again.
; RUN: run %s
; EXIT: 0
; STDOUT: first 30
; STDOUT: second 10
; STDOUT: third 20
; STDOUT: again -10
        .include "lib/print.s"
        .data
m1:     .asciz "first "
m2:     .asciz "second "
m3:     .asciz "third "
m4:     .asciz "again "
        .text
main:   mov  r5, 10                 ; child 1 sleeps 300 ticks, exits 10
        mov  r6, 300
        call spawn
        mov  r7, r0
        mov  r5, 20                 ; child 2 sleeps 600, exits 20
        mov  r6, 600
        call spawn
        mov  r5, 30                 ; child 3 does not sleep, exits 30
        mov  r6, 0
        call spawn
        sys1 WAIT, -1
        mov  r2, r0
        mov  r1, m1
        call say
        sys1 WAIT, -1
        mov  r2, r0
        mov  r1, m2
        call say
        sys1 WAIT, -1
        mov  r2, r0
        mov  r1, m3
        call say
        sys1 WAIT, r7
        mov  r2, r0
        mov  r1, m4
        call say
        mov  r0, 0
        ret

; spawn: fork a child that sleeps r6 ticks and exits with r5.
spawn:  sys0 FORK
        bne  r0, 0, s_ret
        sys1 SLEEP, r6
        mov  r0, r5
        sys1 EXIT, r0
s_ret:  ret
