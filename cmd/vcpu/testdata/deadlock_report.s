; The deadlock report names each blocked thread and what it waits for.
; RUN: run %s
; EXIT: 3
; STDERR: vcpu: deadlock:
; STDERR: tid 2 waits for lock 0x
; STDERR: (lock_b) held by tid 3
; STDERR: tid 3 waits for lock
; STDERR: (lock_a) held by tid 2
; STDERR: tid 1 waits for join of tid 2
        .include "lib/print.s"
        .data
lock_a: .word 0
lock_b: .word 0
        .text
main:   sys2 THREAD_CREATE, first, 0
        mov  r5, r0
        sys2 THREAD_CREATE, second, 0
        sys1 THREAD_JOIN, r5
        mov  r0, 0
        ret
first:  sys1 LOCK, lock_a
        sys0 YIELD
        sys1 LOCK, lock_b
        ret
second: sys1 LOCK, lock_b
        sys0 YIELD
        sys1 LOCK, lock_a
        ret
