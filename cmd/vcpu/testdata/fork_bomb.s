; Every process forks in a loop: the bomb ends at the process limit with EAGAIN in the
; guests, and the host is unharmed.
; RUN: run --procs 12 %s
; EXIT: 0
; STDOUT: pid 1: fork failed with -11
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
