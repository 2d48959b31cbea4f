; A process blocked on a pipe can be killed: it leaves the pipe's wait queue, its
; descriptors close, and with no reader left a write is EPIPE.
; RUN: run %s
; EXIT: 0
; STDOUT: child status 137
; STDOUT: write after -32
        .include "lib/print.s"
        .data
fds:    .word 0, 0
m1:     .asciz "child status "
m2:     .asciz "write after "
        .text
main:   sys1 PIPE, fds
        sys0 FORK
        beq  r0, 0, child
        mov  r5, r0
        ld   r1, [fds]
        sys1 CLOSE, r1              ; only the child reads
        sys0 YIELD                  ; the child blocks reading
        sys1 KILL, r5
        sys1 WAIT, r5
        mov  r2, r0
        mov  r1, m1
        call say
        ld   r1, [fds + 4]
        sys3 WRITE, r1, fds, 1
        mov  r2, r0
        mov  r1, m2
        call say
        mov  r0, 0
        ret
child:  ld   r1, [fds]
        sys3 READ, r1, fds, 4       ; nobody writes: blocks until killed
        mov  r0, 1
        ret
