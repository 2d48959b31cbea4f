; ALU instructions: three-operand, two-operand, register and immediate sources.
        add r1, r3, r7                  ; BYTES: 02 00 13 70
        add r1, r3, 5                   ; BYTES: 02 01 13 00 05 00 00 00
        add r1, r7                      ; BYTES: 02 00 11 70
        add r1, -1                      ; BYTES: 02 01 11 00 ff ff ff ff
        sub r2, r4, r8                  ; BYTES: 03 00 24 80
        sub r2, r4, 1005                ; BYTES: 03 01 24 00 ed 03 00 00
        sub r2, r8                      ; BYTES: 03 00 22 80
        sub r2, -2                      ; BYTES: 03 01 22 00 fe ff ff ff
        mul r3, r5, r9                  ; BYTES: 04 00 35 90
        mul r3, r5, 2005                ; BYTES: 04 01 35 00 d5 07 00 00
        mul r3, r9                      ; BYTES: 04 00 33 90
        mul r3, -3                      ; BYTES: 04 01 33 00 fd ff ff ff
        and r4, r6, r10                 ; BYTES: 05 00 46 a0
        and r4, r6, 3005                ; BYTES: 05 01 46 00 bd 0b 00 00
        and r4, r10                     ; BYTES: 05 00 44 a0
        and r4, -4                      ; BYTES: 05 01 44 00 fc ff ff ff
        or r5, r7, r11                  ; BYTES: 06 00 57 b0
        or r5, r7, 4005                 ; BYTES: 06 01 57 00 a5 0f 00 00
        or r5, r11                      ; BYTES: 06 00 55 b0
        or r5, -5                       ; BYTES: 06 01 55 00 fb ff ff ff
        xor r6, r8, r12                 ; BYTES: 07 00 68 c0
        xor r6, r8, 5005                ; BYTES: 07 01 68 00 8d 13 00 00
        xor r6, r12                     ; BYTES: 07 00 66 c0
        xor r6, -6                      ; BYTES: 07 01 66 00 fa ff ff ff
        shl r7, r9, r13                 ; BYTES: 08 00 79 d0
        shl r7, r9, 6005                ; BYTES: 08 01 79 00 75 17 00 00
        shl r7, r13                     ; BYTES: 08 00 77 d0
        shl r7, -7                      ; BYTES: 08 01 77 00 f9 ff ff ff
        shr r8, r10, r14                ; BYTES: 09 00 8a e0
        shr r8, r10, 7005               ; BYTES: 09 01 8a 00 5d 1b 00 00
        shr r8, r14                     ; BYTES: 09 00 88 e0
        shr r8, -8                      ; BYTES: 09 01 88 00 f8 ff ff ff
        sar r9, r11, r15                ; BYTES: 0a 00 9b f0
        sar r9, r11, 8005               ; BYTES: 0a 01 9b 00 45 1f 00 00
        sar r9, r15                     ; BYTES: 0a 00 99 f0
        sar r9, -9                      ; BYTES: 0a 01 99 00 f7 ff ff ff
        div r10, r12, r0                ; BYTES: 0b 00 ac 00
        div r10, r12, 9005              ; BYTES: 0b 01 ac 00 2d 23 00 00
        div r10, r0                     ; BYTES: 0b 00 aa 00
        div r10, -10                    ; BYTES: 0b 01 aa 00 f6 ff ff ff
        rem r11, r13, r1                ; BYTES: 0c 00 bd 10
        rem r11, r13, 10005             ; BYTES: 0c 01 bd 00 15 27 00 00
        rem r11, r1                     ; BYTES: 0c 00 bb 10
        rem r11, -11                    ; BYTES: 0c 01 bb 00 f5 ff ff ff
        divu r12, r14, r2               ; BYTES: 0d 00 ce 20
        divu r12, r14, 11005            ; BYTES: 0d 01 ce 00 fd 2a 00 00
        divu r12, r2                    ; BYTES: 0d 00 cc 20
        divu r12, -12                   ; BYTES: 0d 01 cc 00 f4 ff ff ff
        remu r13, r15, r3               ; BYTES: 0e 00 df 30
        remu r13, r15, 12005            ; BYTES: 0e 01 df 00 e5 2e 00 00
        remu r13, r3                    ; BYTES: 0e 00 dd 30
        remu r13, -13                   ; BYTES: 0e 01 dd 00 f3 ff ff ff
        ADD R1, SP, FP                  ; BYTES: 02 00 1f e0
        Sub sp, 0xFFFFFFFF              ; BYTES: 03 01 ff 00 ff ff ff ff
        and r0, r0, -0x80000000         ; BYTES: 05 01 00 00 00 00 00 80
        shl r2, r3, (1 + 2) * 3         ; BYTES: 08 01 23 00 09 00 00 00
