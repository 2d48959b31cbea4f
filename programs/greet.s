; greet.s — ask for a name and a number: read_line and read_int.
;
; The program asks two questions on stdout and reads the answers from
; stdin: a line (read_line) and a number (read_int, which skips blanks and
; takes an optional sign). An answer that is not a number is caught:
; read_int returns r1 = -1 for it, as for the end of the input.
;
;   printf 'Ada\n36\n' | vcpu run programs/greet.s
;   printf 'Ada\nforty\n' | vcpu run programs/greet.s
;
; Look for: the questions and the answer built from both replies; with a
; reply that is not a number, the complaint and exit status 1. Run it
; without the pipe to answer yourself.
        .include "io.s"
        .include "string.s"
        .data
q_name: .asciz "What is your name? "
q_age:  .asciz "How old are you? "
m_hello: .asciz "Hello, "
m_next: .asciz "! Next year you will be "
m_dot:  .asciz ".\n"
m_nonum: .asciz "That is not a number.\n"
m_anon: .asciz "stranger"
        .bss
name:   .space 32
        .text
main:   mov  r1, q_name
        call print_str
        mov  r1, name
        mov  r2, 32
        call read_line
        bgt  r0, 0, ask_age         ; an empty name, or none at all:
        mov  r1, name               ; call them "stranger"
        mov  r2, m_anon
        mov  r3, 9                  ; "stranger" and its 0 byte
        call memcpy
ask_age:
        mov  r1, q_age
        call print_str
        call read_int
        bne  r1, 0, not_num
        mov  r6, r0                 ; r6: the age
        call print_nl               ; (a reply from a pipe is not echoed with its newline)
        mov  r1, m_hello
        call print_str
        mov  r1, name
        call print_str
        mov  r1, m_next
        call print_str
        add  r1, r6, 1
        call print_int
        mov  r1, m_dot
        call print_str
        mov  r0, 0
        ret
not_num:
        call print_nl
        mov  r1, m_nonum
        call print_str
        mov  r0, 1
        ret
