; string.s: every routine, with empty strings, high bytes, n = 0 and the
; ends of the number range. Each line prints what a call returned.
; RUN: run %s
; EXIT: 0
; STDOUT: strlen: 0 1 12 3
; STDOUT: strcmp: 0 0 - + - + + - + - 0
; STDOUT: memcpy: dst ok, n=0: [xxxxxxxx] n=4: [hellxxxx] n=1: [Hellxxxx]
; STDOUT: memset: dst ok, n=0: [abcdefgh] n=3: [AAAdefgh] n=8: [........]
; STDOUT: atoi: 42 -42 7 12 12 0 0 0 0 -2147483648 2147483647 -1 7 0 -5
; STDOUT: itoa: 0 (1) -1 (2) -2147483648 (11) 2147483647 (10) 1000 (4) -5 (2)
        .include "io.s"
        .include "string.s"
        .include "io.s"                 ; twice: assembled once

        .macro show_r0                  ; print a space and r0
        push r0
        mov  r1, ' '
        call print_char
        pop  r1
        call print_int
        .endm
        .macro len s
        mov  r1, \s
        call strlen
        show_r0
        .endm
        .macro cmp a, b                 ; print the sign of strcmp(a, b)
        mov  r1, \a
        mov  r2, \b
        call strcmp
        call sign
        .endm
        .macro num s
        mov  r1, \s
        call atoi
        show_r0
        .endm
        .macro toa v
        mov  r1, \v
        mov  r2, buf
        call itoa
        push r0
        mov  r1, ' '
        call print_char
        mov  r1, buf
        call print_str
        mov  r1, m_open
        call print_str
        pop  r1
        call print_int
        mov  r1, ')'
        call print_char
        .endm

        .data
m_len:  .asciz "strlen:"
m_cmp:  .asciz "strcmp:"
m_cpy:  .asciz "memcpy: "
m_set:  .asciz "memset: "
m_atoi: .asciz "atoi:"
m_itoa: .asciz "itoa:"
m_ok:   .asciz "dst ok, "
m_n0:   .asciz "n=0: ["
m_n4:   .asciz "] n=4: ["
m_n1:   .asciz "] n=1: ["
m_n3:   .asciz "] n=3: ["
m_n8:   .asciz "] n=8: ["
m_end:  .asciz "]\n"
m_open: .asciz " ("
m_fail: .asciz "\nwrong result\n"
empty:  .asciz ""
one:    .asciz "x"
twelve: .asciz "hello, world"
abc:    .asciz "abc"
ab:     .asciz "ab"
abd:    .asciz "abd"
high:   .asciz "\xff"
low:    .asciz "a"
a80:    .asciz "a\x80"
a7f:    .asciz "a\x7f"
hello:  .asciz "hello"
Hello:  .asciz "Hello"
n42:    .asciz "42"
nm42:   .asciz "-42"
np7:    .asciz "+7"
nsp:    .asciz " \t\n 12"
ngarb:  .asciz "12abc"
nabc:   .asciz "abc"
nminus: .asciz "-"
nsign2: .asciz "+-3"
nmin:   .asciz "-2147483648"
nmax:   .asciz "2147483647"
nwrap:  .asciz "4294967295"
n007:   .asciz "007"
nsp2:   .asciz "- 5"
nm5:    .asciz "-5 and more"
        .bss
mem:    .space 12
buf:    .space 12
        .text
main:   mov  r1, m_len
        call print_str
        len  empty
        len  one
        len  twelve
        len  abc
        call print_nl

        mov  r1, m_cmp
        call print_str
        cmp  empty, empty
        cmp  abc, abc
        cmp  ab, abc                    ; a prefix sorts first
        cmp  abc, ab
        cmp  abc, abd
        cmp  abd, abc
        cmp  high, low                  ; bytes are unsigned: 0xff after 'a'
        cmp  low, high
        cmp  a80, a7f
        cmp  empty, one
        cmp  hello, hello
        call print_nl

        mov  r1, m_cpy
        call print_str
        call fill_x
        mov  r1, mem
        mov  r2, hello
        mov  r3, 0
        call memcpy
        bne  r0, mem, fail
        mov  r1, m_ok
        call print_str
        mov  r1, m_n0
        call print_str
        call show_mem
        mov  r1, m_n4
        call print_str
        mov  r1, mem
        mov  r2, hello
        mov  r3, 4
        call memcpy
        call show_mem
        mov  r1, m_n1
        call print_str
        mov  r1, mem
        mov  r2, Hello
        mov  r3, 1
        call memcpy
        call show_mem
        mov  r1, m_end
        call print_str

        mov  r1, m_set
        call print_str
        mov  r1, mem                    ; mem = "abcdefgh"
        mov  r2, 'a'
fill:   stb  r2, [r1]
        inc  r1
        inc  r2
        blt  r2, 'i', fill
        mov  r1, mem
        mov  r2, 'z'
        mov  r3, 0
        call memset
        bne  r0, mem, fail
        mov  r1, m_ok
        call print_str
        mov  r1, m_n0
        call print_str
        call show_mem
        mov  r1, m_n3
        call print_str
        mov  r1, mem
        mov  r2, 0x141                  ; only the low byte counts: 'A'
        mov  r3, 3
        call memset
        call show_mem
        mov  r1, m_n8
        call print_str
        mov  r1, mem
        mov  r2, '.'
        mov  r3, 8
        call memset
        call show_mem
        mov  r1, m_end
        call print_str

        mov  r1, m_atoi
        call print_str
        num  n42
        num  nm42
        num  np7
        num  nsp
        num  ngarb
        num  nabc
        num  empty
        num  nminus
        num  nsign2
        num  nmin
        num  nmax
        num  nwrap                      ; wraps around: -1
        num  n007
        num  nsp2                       ; no space after the sign
        num  nm5
        call print_nl

        mov  r1, m_itoa
        call print_str
        toa  0
        toa  -1
        toa  -2147483648
        toa  2147483647
        toa  1000
        toa  -5
        call print_nl
        mov  r0, 0
        ret

fail:   mov  r1, m_fail
        call print_str
        mov  r0, 1
        ret

; sign: print a space and -, 0 or + for r0.
sign:   push r0
        mov  r1, ' '
        call print_char
        pop  r0
        mov  r1, '0'
        beq  r0, 0, sign_p
        mov  r1, '+'
        bgt  r0, 0, sign_p
        mov  r1, '-'
sign_p: jmp  print_char

; fill_x: mem = "xxxxxxxx".
fill_x: mov  r1, mem
        mov  r2, 'x'
        mov  r3, 8
        jmp  memset

; show_mem: print the 8 bytes at mem.
show_mem:
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, mem
        mov  r3, 8
        syscall
        ret
