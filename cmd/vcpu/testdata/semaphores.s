; A bounded buffer with two semaphores and a mutex: the producer blocks when the
; buffer is full and the consumer when it is empty; nothing is lost or duplicated.
; RUN: run --quantum 13 %s
; EXIT: 0
; STDOUT: consumed 50 items, sum 1275
        .include "lib/print.s"
        .equ N, 50
        .equ SLOTS, 4
        .data
empty:  .word 0
full:   .word 0
mutex:  .word 0
buf:    .word 0, 0, 0, 0
head:   .word 0
tail:   .word 0
m1:     .asciz "consumed 50 items, sum "
        .text
main:   sys2 SEM_INIT, empty, SLOTS
        sys2 SEM_INIT, full, 0
        sys2 THREAD_CREATE, producer, 0
        mov  r5, r0
        mov  r6, 0                  ; sum
        mov  r7, 0                  ; count
c_loop: sys1 SEM_WAIT, full
        sys1 LOCK, mutex
        ld   r8, [head]
        shl  r9, r8, 2
        ld   r9, [r9 + buf]
        add  r6, r9
        inc  r8
        and  r8, SLOTS - 1
        st   r8, [head]
        sys1 UNLOCK, mutex
        sys1 SEM_POST, empty
        inc  r7
        blt  r7, N, c_loop
        sys1 THREAD_JOIN, r5
        mov  r2, r6
        mov  r1, m1
        call say
        mov  r0, 0
        ret

producer:
        mov  r7, 1
p_loop: sys1 SEM_WAIT, empty
        sys1 LOCK, mutex
        ld   r8, [tail]
        shl  r9, r8, 2
        st   r7, [r9 + buf]
        inc  r8
        and  r8, SLOTS - 1
        st   r8, [tail]
        sys1 UNLOCK, mutex
        sys1 SEM_POST, full
        inc  r7
        ble  r7, N, p_loop
        mov  r0, 0
        ret
