; With memory as the scarcer resource, the fork bomb meets ENOMEM instead. Processes
; that fail exit and free their frames, so the others fork again: the bomb goes on,
; bounded in memory, until --max-steps ends it.
; RUN: run --mem 128K --max-steps 300000 %s
; EXIT: 124
; STDOUT: pid 1: fork failed with -12
        .include "lib/print.s"
        .data
m1:     .asciz "pid 1: fork failed with "
        .text
main:
bomb:   sys0 FORK
        blt  r0, 0, failed
        jmp  bomb
failed: mov  r6, r0
        sys0 GETPID
        bne  r0, 1, quiet
        mov  r2, r6
        mov  r1, m1
        call say
quiet:  mov  r0, 0
        ret
