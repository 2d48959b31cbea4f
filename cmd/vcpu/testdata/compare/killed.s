; Helper for TestCompareOutcome: a child kills pid 1, which ends with 137.
main:   mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
wait:   jmp  wait
child:  mov  r0, SYS_KILL
        mov  r1, 1
        syscall
        mov  r0, 0
        ret
