; Says it runs, then two threads spin forever: TestFinding11InterruptWritesReports stops it with
; a signal.
        .data
msg:    .ascii "running\n"
        .equ LEN, . - msg
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, LEN
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
loop:   add  r5, 1
        jmp  loop
spin:   add  r6, 1
        jmp  spin
