; Condition variables: waiters sleep until a broadcast, re-take the mutex one at a
; time, and a signal with nobody waiting is not remembered.
; RUN: run --quantum 9 %s
; EXIT: 0
; STDOUT: woken 3
        .include "lib/print.s"
        .data
mutex:  .word 0
cond:   .word 0
ready:  .word 0
woken:  .word 0
m1:     .asciz "woken "
        .text
main:   sys1 COND_SIGNAL, cond          ; nobody waits: forgotten
        sys2 THREAD_CREATE, waiter, 0
        mov  r5, r0
        sys2 THREAD_CREATE, waiter, 0
        mov  r6, r0
        sys2 THREAD_CREATE, waiter, 0
        mov  r7, r0
        sys1 SLEEP, 5000                ; let them all wait
        sys1 LOCK, mutex
        mov  r1, 1
        st   r1, [ready]
        sys1 COND_BROADCAST, cond
        sys1 UNLOCK, mutex
        sys1 THREAD_JOIN, r5
        sys1 THREAD_JOIN, r6
        sys1 THREAD_JOIN, r7
        ld   r2, [woken]
        mov  r1, m1
        call say
        mov  r0, 0
        ret

waiter: sys1 LOCK, mutex
w_chk:  ld   r1, [ready]
        bne  r1, 0, w_go
        sys2 COND_WAIT, cond, mutex
        jmp  w_chk
w_go:   ld   r1, [woken]
        inc  r1
        st   r1, [woken]
        sys1 UNLOCK, mutex
        mov  r0, 0
        ret
