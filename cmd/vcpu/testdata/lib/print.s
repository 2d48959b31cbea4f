; print.s — what the test programs include: the built-in library's io.s
; (print_int, print_str, print_nl, ...), `say` and syscall macros.
        .include "io.s"

; say: print the string at r1, then the number in r2, then a newline, as one
; line (io.s's print_str_int). Clobbers r0-r5.
say:
        jmp  print_str_int

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
