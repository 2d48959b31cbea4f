; io.s read_line: a line that fits, one of exactly size-1 bytes, one of size
; bytes and a longer one (cut, the rest dropped), an empty line, a last line
; without a newline, then end of input (-1, twice). Sizes 1 and 0: only
; the 0 byte, and nothing at all (the buffer keeps its "Z"s), the line
; read either way.
; RUN: run %s
; STDIN: hi\nabc\nabcd\nabcdefghij\n\nsize one\nsize zero\nlast
; EXIT: 0
; STDOUT: 2 [hi]
; STDOUT: 3 [abc]
; STDOUT: 3 [abc]
; STDOUT: 3 [abc]
; STDOUT: 0 []
; STDOUT: 0 []
; STDOUT: 0 [ZZZ]
; STDOUT: 3 [las]
; STDOUT: -1 []
; STDOUT: -1 []
        .include "io.s"
        .data
m_open: .asciz " ["
m_close: .asciz "]\n"
        .bss
buf:    .space 8
        .text
main:   mov  r6, 0                  ; r6: calls made (read_line keeps r6)
next:   mov  r1, buf                ; buf = "ZZZ" and a 0 byte
        mov  r2, 0x005a5a5a
        st   r2, [buf]
        mov  r2, 4                  ; size 4: up to 3 bytes
        bne  r6, 5, size_ok
        mov  r2, 1
size_ok:
        bne  r6, 6, size_ok2
        mov  r2, 0
size_ok2:
        call read_line
        mov  r1, r0
        call print_int
        mov  r1, m_open
        call print_str
        mov  r1, buf
        call print_str
        mov  r1, m_close
        call print_str
        inc  r6
        blt  r6, 10, next
        mov  r0, 0
        ret
