; Asks for a line without ending the prompt with a newline, reads the
; answer from stdin and echoes it.
        .data
ask:    .ascii "say something: "
        .equ ASK, . - ask
said:   .ascii "you said: "
        .equ SAID, . - said
        .bss
buf:    .space 64
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, ask
        mov  r3, ASK
        syscall
        mov  r0, SYS_READ
        mov  r1, STDIN
        mov  r2, buf
        mov  r3, 64
        syscall
        mov  r5, r0
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, said
        mov  r3, SAID
        syscall
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, buf
        mov  r3, r5
        syscall
        mov  r0, 0
        ret
