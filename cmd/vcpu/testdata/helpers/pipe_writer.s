; Spawned by fd_spawn.s: writes a line to the descriptor in r1, which it inherited.
        .data
msg:    .asciz "hello from a spawned child\n"
        .text
main:   mov  r2, msg
        mov  r3, 27
        mov  r0, SYS_WRITE
        syscall
        mov  r0, 0
        ret
