; Bad pointers passed to syscalls return EFAULT; they never kill the caller and never
; reach another process's memory.
; RUN: run %s
; EXIT: 0
; STDOUT: write from null -14
; STDOUT: write past data -14
; STDOUT: read into code -14
; STDOUT: pipe into code -14
; STDOUT: spawn wild path -14
; STDOUT: lock wild -14
; STDOUT: still alive
        .include "lib/print.s"
        .data
m1:     .asciz "write from null "
m2:     .asciz "write past data "
m3:     .asciz "read into code "
m4:     .asciz "pipe into code "
m5:     .asciz "spawn wild path "
m6:     .asciz "lock wild "
m7:     .asciz "still alive\n"
tail:   .word 1
        .text
main:   sys3 WRITE, STDOUT, 0, 4
        mov  r2, r0
        mov  r1, m1
        call say
        sys3 WRITE, STDOUT, tail, 4096
        mov  r2, r0
        mov  r1, m2
        call say
        sys3 READ, STDIN, main, 4
        mov  r2, r0
        mov  r1, m3
        call say
        sys1 PIPE, main
        mov  r2, r0
        mov  r1, m4
        call say
        sys2 SPAWN, 0x70000000, 0
        mov  r2, r0
        mov  r1, m5
        call say
        sys1 LOCK, 0x50000000
        mov  r2, r0
        mov  r1, m6
        call say
        mov  r1, m7
        call print_str
        mov  r0, 0
        ret
