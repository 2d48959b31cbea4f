; io.s read_int with only blanks before the end of input: no number.
; RUN: run %s
; STDIN:  \n\t\n
; EXIT: 0
; STDOUT: 0 (-1)
        .include "io.s"
        .data
m_open: .asciz " ("
m_close: .asciz ")\n"
        .text
main:   call read_int
        mov  r7, r1
        mov  r1, r0
        call print_int
        mov  r1, m_open
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m_close
        call print_str
        mov  r0, 0
        ret
