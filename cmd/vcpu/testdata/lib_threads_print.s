; Two threads print 6 lines each at once, a line per call (print_str_int,
; print_str), preempted every 3 instructions, inside the library's
; routines too: the lines take turns, but none is ever split.
; RUN: run --quantum 3 %s
; EXIT: 0
; STDOUT: thread A line 0
; STDOUT: thread B line 0
; STDOUT: thread A line 1
; STDOUT: thread B line 1
; STDOUT: thread A line 2
; STDOUT: thread B line 2
; STDOUT: a whole line from A
; STDOUT: a whole line from B
; STDOUT: thread A line 3
; STDOUT: thread B line 3
; STDOUT: thread A line 4
; STDOUT: thread B line 4
; STDOUT: thread A line 5
; STDOUT: thread B line 5
        .include "io.s"
        .data
m_a:    .asciz "thread A line "
m_b:    .asciz "thread B line "
l_a:    .asciz "a whole line from A\n"
l_b:    .asciz "a whole line from B\n"
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, printer
        mov  r2, m_a
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, printer
        mov  r2, m_b
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r7
        syscall
        mov  r0, 0
        ret

; printer: r1 = its prefix; prints six numbered lines, a whole line after the third.
printer:
        mov  r6, r1
        mov  r7, 0
p_loop: mov  r1, r6
        mov  r2, r7
        call print_str_int
        inc  r7
        bne  r7, 3, p_next
        mov  r1, l_a
        beq  r6, m_a, p_whole
        mov  r1, l_b
p_whole:
        call print_str
p_next: blt  r7, 6, p_loop
        mov  r0, 0
        ret
