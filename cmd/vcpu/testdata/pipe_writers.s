; Many writers, one reader: three children each write ten bytes; the parent reads
; until every write end is closed.
; RUN: run --quantum 7 %s
; EXIT: 0
; STDOUT: read 30 bytes
        .include "lib/print.s"
        .data
fds:    .word 0, 0
ch:     .byte 'w'
m1:     .asciz "read "
m2:     .asciz " bytes\n"
        .bss
buf:    .space 16
        .text
main:   sys1 PIPE, fds
        mov  r5, 0
spawn:  sys0 FORK
        beq  r0, 0, writer
        inc  r5
        blt  r5, 3, spawn
        ld   r1, [fds + 4]
        sys1 CLOSE, r1
        mov  r7, 0
rd:     ld   r1, [fds]
        sys3 READ, r1, buf, 16
        beq  r0, 0, eof
        add  r7, r0
        jmp  rd
eof:    mov  r1, m1
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m2
        call print_str
        mov  r0, 0
        ret
writer: ld   r1, [fds]
        sys1 CLOSE, r1
        mov  r5, 0
w_loop: ld   r1, [fds + 4]
        sys3 WRITE, r1, ch, 1
        inc  r5
        blt  r5, 10, w_loop
        mov  r0, 0
        ret
