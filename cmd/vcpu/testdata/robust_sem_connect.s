; Finding 15 (documented edges): SEM_POST on a semaphore already at INT32_MAX with nobody
; waiting is EINVAL (the count never wraps); CONNECT to port 0 is EINVAL, as LISTEN on it is.
; RUN: run %s
; EXIT: 0
; STDOUT: post at INT32_MAX: -22
; STDOUT: connect to port 0: -22
; STDOUT: listen on port 0: -22
        .include "lib/print.s"
        .data
sem:    .word 0
m1:     .asciz "post at INT32_MAX: "
m2:     .asciz "connect to port 0: "
m3:     .asciz "listen on port 0: "
        .text
main:   sys2 SEM_INIT, sem, 0x7fffffff
        sys1 SEM_POST, sem
        mov  r2, r0
        mov  r1, m1
        call say
        sys1 CONNECT, 0
        mov  r2, r0
        mov  r1, m2
        call say
        sys1 LISTEN, 0
        mov  r2, r0
        mov  r1, m3
        call say
        mov  r0, 0
        ret
