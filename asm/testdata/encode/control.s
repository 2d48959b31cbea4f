; Jumps, calls and every branch, to labels before and after, and through registers.
start:  jmp start                       ; BYTES: 1b 00 00 00 00 10 00 00
        jmp later                       ; BYTES: 1b 00 00 00 f8 10 00 00
        jmp r3                          ; BYTES: 1b 04 00 30
        jmp 0x1000                      ; BYTES: 1b 00 00 00 00 10 00 00
        call later                      ; BYTES: 26 00 00 00 f8 10 00 00
        call r15                        ; BYTES: 26 04 00 f0
        CALL start + 8                  ; BYTES: 26 00 00 00 08 10 00 00
        beq r0, r1, start               ; BYTES: 1c 00 00 10 00 10 00 00
        beq r2, -3, later               ; BYTES: 1c 01 20 00 fd ff ff ff f8 10 00 00
        bne r1, r2, start               ; BYTES: 1d 00 10 20 00 10 00 00
        bne r3, 4, later                ; BYTES: 1d 01 30 00 04 00 00 00 f8 10 00 00
        blt r2, r3, start               ; BYTES: 1e 00 20 30 00 10 00 00
        blt r4, 11, later               ; BYTES: 1e 01 40 00 0b 00 00 00 f8 10 00 00
        ble r3, r4, start               ; BYTES: 1f 00 30 40 00 10 00 00
        ble r5, 18, later               ; BYTES: 1f 01 50 00 12 00 00 00 f8 10 00 00
        bgt r4, r5, start               ; BYTES: 20 00 40 50 00 10 00 00
        bgt r6, 25, later               ; BYTES: 20 01 60 00 19 00 00 00 f8 10 00 00
        bge r5, r6, start               ; BYTES: 21 00 50 60 00 10 00 00
        bge r7, 32, later               ; BYTES: 21 01 70 00 20 00 00 00 f8 10 00 00
        bltu r6, r7, start              ; BYTES: 22 00 60 70 00 10 00 00
        bltu r8, 39, later              ; BYTES: 22 01 80 00 27 00 00 00 f8 10 00 00
        bleu r7, r8, start              ; BYTES: 23 00 70 80 00 10 00 00
        bleu r9, 46, later              ; BYTES: 23 01 90 00 2e 00 00 00 f8 10 00 00
        bgtu r8, r9, start              ; BYTES: 24 00 80 90 00 10 00 00
        bgtu r10, 53, later             ; BYTES: 24 01 a0 00 35 00 00 00 f8 10 00 00
        bgeu r9, r10, start             ; BYTES: 25 00 90 a0 00 10 00 00
        bgeu r11, 60, later             ; BYTES: 25 01 b0 00 3c 00 00 00 f8 10 00 00
later:  beq sp, 'x', later              ; BYTES: 1c 01 f0 00 78 00 00 00 f8 10 00 00
