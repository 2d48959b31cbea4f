; The in-memory file system is shared by all processes of a run: a child writes a
; file and exits, the parent reads it; O_APPEND appends; missing files and wrong
; directions give ENOENT and EBADF.
; RUN: run %s
; EXIT: 0
; STDOUT: open missing -2
; STDOUT: first line
; STDOUT: second line
; STDOUT: read write-only -9
        .include "lib/print.s"
        .data
name:   .asciz "notes.txt"
nope:   .asciz "missing.txt"
l1:     .ascii "first line\n"
l2:     .ascii "second line\n"
m1:     .asciz "open missing "
m2:     .asciz "read write-only "
        .bss
buf:    .space 64
        .text
main:   sys2 OPEN, nope, O_READ
        mov  r2, r0
        mov  r1, m1
        call say
        sys0 FORK
        beq  r0, 0, child
        sys1 WAIT, r0
        sys2 OPEN, name, O_APPEND
        mov  r5, r0
        sys3 WRITE, r5, l2, 12
        sys1 CLOSE, r5
        sys2 OPEN, name, O_READ
        mov  r5, r0
rd:     sys3 READ, r5, buf, 5
        beq  r0, 0, eof
        sys3 WRITE, STDOUT, buf, r0
        jmp  rd
eof:    sys2 OPEN, name, O_WRITE
        sys3 READ, r0, buf, 5
        mov  r2, r0
        mov  r1, m2
        call say
        mov  r0, 0
        ret
child:  sys2 OPEN, name, O_WRITE
        mov  r5, r0
        sys3 WRITE, r5, l1, 11
        mov  r0, 0
        ret
