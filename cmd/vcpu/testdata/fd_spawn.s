; A spawned program inherits the open descriptors: the child writes into the pipe
; whose write end it was told about in its argument.
; RUN: run %s
; EXIT: 0
; STDOUT: parent read: hello from a spawned child
        .include "lib/print.s"
        .data
fds:    .word 0, 0
path:   .asciz "helpers/pipe_writer.s"
m1:     .asciz "parent read: "
        .bss
buf:    .space 64
        .text
main:   sys1 PIPE, fds
        ld   r5, [fds + 4]
        sys2 SPAWN, path, r5
        blt  r0, 1, bad
        sys1 CLOSE, r5
        mov  r1, m1
        call print_str
rd:     ld   r1, [fds]
        sys3 READ, r1, buf, 64
        beq  r0, 0, done
        sys3 WRITE, STDOUT, buf, r0
        jmp  rd
done:   sys1 WAIT, -1
        mov  r0, 0
        ret
bad:    mov  r0, 1
        ret
