; Writing to a pipe whose read end is closed is EPIPE; reading one whose write end is
; closed gives end of file; closing a closed descriptor, or any bad one, is EBADF.
; RUN: run %s
; EXIT: 0
; STDOUT: write with no reader -32
; STDOUT: read with no writer 0
; STDOUT: close twice -9
; STDOUT: read bad fd -9
; STDOUT: write on read end -9
        .include "lib/print.s"
        .data
fds:    .word 0, 0
fds2:   .word 0, 0
byte:   .byte 'x'
m1:     .asciz "write with no reader "
m2:     .asciz "read with no writer "
m3:     .asciz "close twice "
m4:     .asciz "read bad fd "
m5:     .asciz "write on read end "
        .text
main:   sys1 PIPE, fds
        ld   r5, [fds]
        sys1 CLOSE, r5
        ld   r6, [fds + 4]
        sys3 WRITE, r6, byte, 1
        mov  r2, r0
        mov  r1, m1
        call say
        sys1 PIPE, fds2
        ld   r6, [fds2 + 4]
        sys1 CLOSE, r6
        ld   r5, [fds2]
        sys3 READ, r5, byte, 1
        mov  r2, r0
        mov  r1, m2
        call say
        sys1 CLOSE, r6
        mov  r2, r0
        mov  r1, m3
        call say
        sys3 READ, 12, byte, 1
        mov  r2, r0
        mov  r1, m4
        call say
        sys3 WRITE, r5, byte, 1
        mov  r2, r0
        mov  r1, m5
        call say
        mov  r0, 0
        ret
