; Writes a file, says it runs, then two threads spin forever: the Finding11
; tests stop it with a signal and check that --fs-save still saves the file.
        .data
msg:    .ascii "running\n"
        .equ LEN, . - msg
name:   .asciz "saved.txt"
note:   .ascii "written before the signal\n"
        .equ NOTE, . - note
        .text
main:   mov  r0, SYS_OPEN
        mov  r1, name
        mov  r2, O_WRITE
        syscall
        mov  r1, r0
        mov  r0, SYS_WRITE
        mov  r2, note
        mov  r3, NOTE
        syscall
        mov  r0, SYS_WRITE
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
