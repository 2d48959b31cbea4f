; A lock word with two labels is named by one of them throughout: the
; call's argument and what the blocked thread waits for say the same name
; (they once took the first and the last label of the two).
; RUN: run --strace %s
; EXIT: 3
; STDERR: [pid 1 tid 2] LOCK(&beta) blocks: waits for lock 0x00002000 (beta) held by tid 1
; STDERR:   pid 1 (strace_two_labels) tid 2 waits for lock 0x00002000 (beta) held by tid 1
; STDERR-NOT: (alpha)
        .data
alpha:
beta:   .word 0
        .text
main:   mov  r0, SYS_LOCK
        mov  r1, beta
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        syscall
        mov  r1, r0
        mov  r0, SYS_THREAD_JOIN
        syscall
        ret
worker: mov  r0, SYS_LOCK
        mov  r1, alpha
        syscall
        ret
