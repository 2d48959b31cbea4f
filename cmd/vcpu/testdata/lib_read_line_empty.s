; io.s read_line on an empty stdin: -1 at once, and an empty string.
; RUN: run %s
; EXIT: 0
; STDOUT: -1 []
        .include "io.s"
        .data
m_open: .asciz " ["
m_close: .asciz "]\n"
buf:    .asciz "old"
        .text
main:   mov  r1, buf
        mov  r2, 4
        call read_line
        mov  r1, r0
        call print_int
        mov  r1, m_open
        call print_str
        mov  r1, buf
        call print_str
        mov  r1, m_close
        call print_str
        mov  r0, 0
        ret
