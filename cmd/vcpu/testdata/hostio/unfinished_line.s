; A guest line without its newline, then a fault: where stdout and stderr
; meet, the kill line must start a line of its own.
        .data
msg:    .ascii "no newline"
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, 10
        syscall
        ld   r1, [0]
        ret
