; Guest stdout, guest stderr and vcpu's own lines reach the host in the order
; they happened, even when the two streams are one (2>&1): a printer's lines
; around another process's crash, and a guest's own stderr between its
; stdout lines (docs/RUN.md).
; RUN: run %s %d/helpers/crash_later.s
; EXIT: 0
; MERGED: line 1
; MERGED: to stderr 1
; MERGED: line 2
; MERGED: pid 2 (crash_later) tid 2 killed: segmentation fault
; MERGED: line 3
; MERGED: to stderr 3
; GOLDEN
        .include "lib/print.s"
        .data
out:    .asciz "line "
err:    .asciz "to stderr "
        .text
main:   mov  r7, 1
loop:   mov  r1, out
        mov  r2, r7
        call say
        mov  r0, SYS_WRITE              ; the same number, on stderr
        mov  r1, STDERR
        mov  r2, err
        mov  r3, 10
        syscall
        mov  r1, r7
        add  r1, '0'
        push r1
        push '\n'
        mov  r0, SYS_WRITE
        mov  r1, STDERR
        add  r2, sp, 4
        mov  r3, 1
        syscall
        mov  r0, SYS_WRITE
        mov  r1, STDERR
        mov  r2, sp
        mov  r3, 1
        syscall
        add  sp, 8
        mov  r0, SYS_SLEEP              ; let the other process run a while
        mov  r1, 1000
        syscall
        inc  r7
        ble  r7, 3, loop
        mov  r0, 0
        ret
