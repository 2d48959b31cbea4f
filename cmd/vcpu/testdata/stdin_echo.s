; Descriptor 0 reads the host's stdin, until end of file.
; RUN: run %s
; STDIN: first line\nsecond line\n
; EXIT: 0
; STDOUT: first line
; STDOUT: second line
        .include "lib/print.s"
        .bss
buf:    .space 7
        .text
main:
rd:     sys3 READ, STDIN, buf, 7
        beq  r0, 0, done
        sys3 WRITE, STDOUT, buf, r0
        jmp  rd
done:   mov  r0, 0
        ret
