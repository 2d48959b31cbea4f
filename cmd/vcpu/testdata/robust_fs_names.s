; Finding 3: a guest creating empty files with new names grew the host's memory without
; bound (--fs-size counted contents only). Names now count against --fs-size and
; --fs-files bounds the number of files: creating the 11th is ENOSPC.
; RUN: run --fs-files 10 %s
; EXIT: 0
; STDOUT: files made before ENOSPC: 10
; STDOUT: the next open: -28
        .include "lib/print.s"
        .data
name:   .asciz "f0000000"
m1:     .asciz "files made before ENOSPC: "
m2:     .asciz "the next open: "
        .text
main:   mov  r6, 0              ; files made
make:   call mkname
        sys2 OPEN, name, O_WRITE
        blt  r0, 0, full
        sys1 CLOSE, r0
        inc  r6
        jmp  make
full:   mov  r7, r0
        mov  r1, m1
        mov  r2, r6
        call say
        mov  r1, m2
        mov  r2, r7
        call say
        mov  r0, 0
        ret

; mkname writes r6 as seven decimal digits after the 'f' of name.
mkname: mov  r1, r6
        mov  r2, name + 7
digit:  mov  r3, r1
        rem  r3, 10
        add  r3, '0'
        stb  r3, [r2]
        div  r1, 10
        dec  r2
        bgt  r2, name, digit
        ret
