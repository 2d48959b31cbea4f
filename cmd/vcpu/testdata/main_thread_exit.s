; THREAD_EXIT in the main thread ends only that thread: the process lives on while a
; thread remains, and ends with status 0 when the last one exits.
; RUN: run %s
; EXIT: 0
; STDOUT: worker still running
        .include "lib/print.s"
        .data
m1:     .asciz "worker still running\n"
        .text
main:   sys2 THREAD_CREATE, worker, 0
        sys1 THREAD_EXIT, 99
        mov  r0, 1                  ; never reached
        ret
worker: sys1 SLEEP, 100
        mov  r1, m1
        call print_str
        mov  r0, 7
        ret                         ; the last thread: the process ends, status 0
