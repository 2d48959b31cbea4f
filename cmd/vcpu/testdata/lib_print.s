; io.s prints: every print routine, at the edges of its range, with the
; byte count each returns in r0 checked (a wrong count exits 1).
; RUN: run %s
; EXIT: 0
; STDOUT: int: 0|1|-1|42|2147483647|-2147483648|-1|-1000
; STDOUT: uint: 0|1|4294967295|2147483648|2147483647|1000
; STDOUT: hex: 0x00000000|0x0000002a|0xffffffff|0x80000000|0xdeadbeef|0x0123abcd
; STDOUT: char: A|A|~|
; STDOUT: str: ||hello, world|
; STDOUT: x = -2147483648
; STDOUT: 0
; STDOUT: unsigned? no: -1
; STDOUT: a string of exactly 200 bytes: 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345-> 7
; STDOUT: a string of 201 bytes, written by a WRITE of its own: 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123-> 8
; STDOUT: done
        .include "io.s"

        ; call ROUTINE with r1 = v, check r0 = n, print a "|" after it.
        .macro try routine, v, n
        mov  r1, \v
        call \routine
        bne  r0, \n, fail
        call bar
        .endm

        .data
sep:    .asciz "|"
m_int:  .asciz "int: "
m_uint: .asciz "uint: "
m_hex:  .asciz "hex: "
m_char: .asciz "char: "
m_str:  .asciz "str: "
empty:  .asciz ""
hello:  .asciz "hello, world"
m_x:    .asciz "x = "
m_uns:  .asciz "unsigned? no: "
long200: .ascii "a string of exactly 200 bytes: 012345678901234567890123456789012345678901234567890123456789012345678"
        .asciz "9012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345-> "
long201: .ascii "a string of 201 bytes, written by a WRITE of its own: 0123456789012345678901234567890123456789012345"
        .asciz "67890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123-> "
m_done: .asciz "done\n"
m_fail: .asciz "\nwrong byte count\n"
        .text
main:   mov  r1, m_int
        call print_str
        try  print_int, 0, 1
        try  print_int, 1, 1
        try  print_int, -1, 2
        try  print_int, 42, 2
        try  print_int, 2147483647, 10
        try  print_int, -2147483648, 11
        try  print_int, 0xffffffff, 2
        mov  r1, -1000
        call print_int
        bne  r0, 5, fail
        call print_nl
        bne  r0, 1, fail

        mov  r1, m_uint
        call print_str
        try  print_uint, 0, 1
        try  print_uint, 1, 1
        try  print_uint, 0xffffffff, 10
        try  print_uint, 0x80000000, 10
        try  print_uint, 0x7fffffff, 10
        mov  r1, 1000
        call print_uint
        call print_nl

        mov  r1, m_hex
        call print_str
        try  print_hex, 0, 10
        try  print_hex, 42, 10
        try  print_hex, -1, 10
        try  print_hex, 0x80000000, 10
        try  print_hex, 0xdeadbeef, 10
        mov  r1, 0x0123abcd
        call print_hex
        call print_nl

        mov  r1, m_char
        call print_str
        try  print_char, 'A', 1
        try  print_char, 0x7341, 1      ; only the low byte counts
        try  print_char, '~', 1
        call print_nl

        mov  r1, m_str
        call print_str
        try  print_str, empty, 0
        try  print_str, empty, 0
        try  print_str, hello, 12
        call print_nl

        mov  r1, m_x
        mov  r2, -2147483648
        call print_str_int
        bne  r0, 16, fail
        mov  r1, empty
        mov  r2, 0
        call print_str_int
        bne  r0, 2, fail
        mov  r1, m_uns
        mov  r2, 0xffffffff
        call print_str_int
        mov  r1, long200
        mov  r2, 7
        call print_str_int
        bne  r0, 202, fail              ; one WRITE: 200 + "7\n"
        mov  r1, long201
        mov  r2, 8
        call print_str_int
        bne  r0, 2, fail                ; the second WRITE: "8\n"

        mov  r1, m_done
        call print_str
        mov  r0, 0
        ret
fail:   mov  r1, m_fail
        call print_str
        mov  r0, 1
        ret

bar:    mov  r1, sep
        jmp  print_str
