; print.s — printing helpers the test programs include.
; print_int: write r1 as a signed decimal number to stdout. Clobbers r0-r4.
print_int:
        push fp
        mov  fp, sp
        sub  sp, 12
        mov  r2, fp
        mov  r4, 0
        bge  r1, 0, pi_digits
        mov  r4, 1
        neg  r1, r1
pi_digits:
        remu r3, r1, 10
        add  r3, '0'
        dec  r2
        stb  r3, [r2]
        divu r1, r1, 10
        bne  r1, 0, pi_digits
        beq  r4, 0, pi_write
        dec  r2
        mov  r3, '-'
        stb  r3, [r2]
pi_write:
        mov  r3, fp
        sub  r3, r2
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        mov  sp, fp
        pop  fp
        ret

; print_str: write the 0-terminated string at r1 to stdout. Clobbers r0-r4.
print_str:
        mov  r2, r1
ps_scan:
        ldb  r4, [r2]
        beq  r4, 0, ps_write
        inc  r2
        jmp  ps_scan
ps_write:
        mov  r3, r2
        sub  r3, r1
        mov  r2, r1
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        ret

; print_nl: write a newline. Clobbers r0-r3.
print_nl:
        push '\n'
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, sp
        mov  r3, 1
        syscall
        pop  r0
        ret

; say: print the string at r1, then the number in r2, then a newline. Clobbers r0-r4.
say:
        push r2
        call print_str
        pop  r1
        call print_int
        call print_nl
        ret

; syscall macros: sys NAME, a, b puts the arguments in r1, r2 and traps.
        .macro sys0 name
        mov  r0, SYS_\name
        syscall
        .endm
        .macro sys1 name, a
        mov  r1, \a
        mov  r0, SYS_\name
        syscall
        .endm
        .macro sys2 name, a, b
        mov  r1, \a
        mov  r2, \b
        mov  r0, SYS_\name
        syscall
        .endm
        .macro sys3 name, a, b, c
        mov  r1, \a
        mov  r2, \b
        mov  r3, \c
        mov  r0, SYS_\name
        syscall
        .endm
