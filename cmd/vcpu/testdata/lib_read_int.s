; io.s read_int: spaces, tabs and newlines skipped; signs; the ends of the
; range; no number (the byte that is not one is consumed: "abc" takes three
; calls); a sign alone; a number too big (wraps); a number ended by the end
; of input; then end of input, twice.
; RUN: run %s
; STDIN:   42\n-17 +5\n\t 0\n-2147483648 2147483647 abc 7 -x 99999999999\n12
; EXIT: 0
; STDOUT: 42 (0)
; STDOUT: -17 (0)
; STDOUT: 5 (0)
; STDOUT: 0 (0)
; STDOUT: -2147483648 (0)
; STDOUT: 2147483647 (0)
; STDOUT: 0 (-1)
; STDOUT: 0 (-1)
; STDOUT: 0 (-1)
; STDOUT: 7 (0)
; STDOUT: 0 (-1)
; STDOUT: 1215752191 (0)
; STDOUT: 12 (0)
; STDOUT: 0 (-1)
; STDOUT: 0 (-1)
        .include "io.s"
        .data
m_open: .asciz " ("
m_close: .asciz ")\n"
        .text
main:   mov  r6, 0                  ; r6: calls made (read_int keeps r6)
next:   call read_int
        mov  r7, r1
        mov  r1, r0
        call print_int
        mov  r1, m_open
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m_close
        call print_str
        inc  r6
        blt  r6, 15, next
        mov  r0, 0
        ret
