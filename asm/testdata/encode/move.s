; Moves, one-register instructions, the stack, and the operand-less instructions.
        nop                             ; BYTES: 00 00 00 00
        NOP                             ; BYTES: 00 00 00 00
        mov r1, r2                      ; BYTES: 01 00 10 20
        mov r15, 42                     ; BYTES: 01 01 f0 00 2a 00 00 00
        mov r3, -1                      ; BYTES: 01 01 30 00 ff ff ff ff
        mov r4, 'A'                     ; BYTES: 01 01 40 00 41 00 00 00
        mov r5, '\n'                    ; BYTES: 01 01 50 00 0a 00 00 00
        mov r6, SYS_WRITE               ; BYTES: 01 01 60 00 02 00 00 00
        mov r7, ENOENT                  ; BYTES: 01 01 70 00 fe ff ff ff
        mov r8, here                    ; BYTES: 01 01 80 00 44 10 00 00
here:   mov fp, sp                      ; BYTES: 01 00 e0 f0
        not r1, r2                      ; BYTES: 0f 00 12 00
        neg r9, r10                     ; BYTES: 10 00 9a 00
        inc r11                         ; BYTES: 11 00 b0 00
        dec r12                         ; BYTES: 12 00 c0 00
        push r13                        ; BYTES: 17 00 00 d0
        push 0x12345678                 ; BYTES: 17 01 00 00 78 56 34 12
        pop r14                         ; BYTES: 18 00 e0 00
        ret                             ; BYTES: 27 00 00 00
        syscall                         ; BYTES: 28 00 00 00
