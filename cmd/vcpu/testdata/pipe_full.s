; A write larger than the pipe completes in parts: the writer blocks while the pipe is
; full and a slow reader drains it; every byte arrives, in order.
; RUN: run --pipe 512 %s
; EXIT: 0
; STDOUT: writer wrote 3000
; STDOUT: reader got 3000 bytes, in order
        .include "lib/print.s"
        .equ N, 3000
        .data
fds:    .word 0, 0
m1:     .asciz "writer wrote "
m2:     .asciz "reader got "
m3:     .asciz " bytes, in order\n"
m4:     .asciz "out of order at "
        .bss
src:    .space N
dst:    .space 100
        .text
main:   mov  r5, 0                      ; src[i] = i mod 251
fill:   remu r6, r5, 251
        stb  r6, [r5 + src]
        inc  r5
        blt  r5, N, fill
        sys1 PIPE, fds
        sys0 FORK
        beq  r0, 0, reader
        ld   r1, [fds]
        sys1 CLOSE, r1
        ld   r1, [fds + 4]
        sys3 WRITE, r1, src, N
        mov  r2, r0
        mov  r1, m1
        call say
        ld   r1, [fds + 4]
        sys1 CLOSE, r1
        sys1 WAIT, -1
        mov  r0, 0
        ret

reader: ld   r1, [fds + 4]
        sys1 CLOSE, r1
        mov  r7, 0                      ; bytes checked
r_loop: sys1 SLEEP, 200                 ; a slow reader
        ld   r1, [fds]
        sys3 READ, r1, dst, 100
        beq  r0, 0, r_done
        mov  r8, 0
r_chk:  ldb  r9, [r8 + dst]
        remu r10, r7, 251
        bne  r9, r10, bad
        inc  r7
        inc  r8
        blt  r8, r0, r_chk
        jmp  r_loop
r_done: mov  r1, m2
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m3
        call print_str
        mov  r0, 0
        ret
bad:    mov  r2, r7
        mov  r1, m4
        call say
        mov  r0, 1
        ret
