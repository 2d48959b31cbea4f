; Misused syscalls return the errors docs/KERNEL.md names, and the caller goes on.
; RUN: run %s
; EXIT: 0
; STDOUT: join self -35
; STDOUT: join nobody -3
; STDOUT: wait no child -10
; STDOUT: unlock unheld -1
; STDOUT: relock -35
; STDOUT: cond without mutex -1
; STDOUT: sem uninitialised -22
; STDOUT: kill nobody -3
; STDOUT: unknown syscall -38
; STDOUT: sleep 0 0
        .include "lib/print.s"
        .data
m1:     .asciz "join self "
m2:     .asciz "join nobody "
m3:     .asciz "wait no child "
m4:     .asciz "unlock unheld "
m5:     .asciz "relock "
m6:     .asciz "cond without mutex "
m7:     .asciz "sem uninitialised "
m8:     .asciz "kill nobody "
m9:     .asciz "unknown syscall "
m10:    .asciz "sleep 0 "
lk:     .word 0
cv:     .word 0
sem:    .word 0
        .text
main:   sys0 GETTID
        sys1 THREAD_JOIN, r0
        mov  r2, r0
        mov  r1, m1
        call say
        sys1 THREAD_JOIN, 999
        mov  r2, r0
        mov  r1, m2
        call say
        sys1 WAIT, -1
        mov  r2, r0
        mov  r1, m3
        call say
        sys1 UNLOCK, lk
        mov  r2, r0
        mov  r1, m4
        call say
        sys1 LOCK, lk
        sys1 LOCK, lk
        mov  r2, r0
        mov  r1, m5
        call say
        sys1 UNLOCK, lk
        sys2 COND_WAIT, cv, lk
        mov  r2, r0
        mov  r1, m6
        call say
        sys1 SEM_WAIT, sem
        mov  r2, r0
        mov  r1, m7
        call say
        sys1 KILL, 77
        mov  r2, r0
        mov  r1, m8
        call say
        mov  r0, 9999
        syscall
        mov  r2, r0
        mov  r1, m9
        call say
        sys1 SLEEP, 0
        mov  r2, r0
        mov  r1, m10
        call say
        mov  r0, 0
        ret
