; echo_stdin.s — read the host's input a line at a time, with read_line.
;
; Descriptor 0 of the first processes is the host's stdin: what you type,
; or what a pipe into vcpu carries. read_line (from io.s) reads one line
; into a buffer and returns its length, or -1 at the end of the input. A
; line longer than the buffer (here 16 bytes: 15 and the 0 byte) is cut,
; and the rest of it dropped. Each line comes back numbered, with its
; length.
;
;   printf 'hello\n\na line too long for the buffer\nthe end' | vcpu run programs/echo_stdin.s
;
; Look for: the empty line (length 0), the long line cut to 15 bytes, the
; last line read although no newline ends it, and the count at the end.
; Typed at a terminal, each line comes back as you press Enter; Ctrl-D
; ends the input.
        .include "io.s"
        .equ SIZE, 16
        .data
m_colon: .asciz ": "
m_len:  .asciz "  (length "
m_close: .asciz ")\n"
m_lines: .asciz "lines read: "
        .bss
line:   .space SIZE
        .text
main:   mov  r6, 0                  ; r6: lines read
next:   mov  r1, line
        mov  r2, SIZE
        call read_line
        blt  r0, 0, done            ; -1: end of input
        mov  r7, r0                 ; r7: its length
        inc  r6
        mov  r1, r6
        call print_int
        mov  r1, m_colon
        call print_str
        mov  r1, line
        call print_str
        mov  r1, m_len
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m_close
        call print_str
        jmp  next
done:   mov  r1, m_lines
        mov  r2, r6
        call print_str_int
        mov  r0, 0
        ret
