; Memory operands: [rs], [rs + expr], [rs - expr] and [expr], for every load and store.
        ld r1, [r2]                     ; BYTES: 13 00 12 00 00 00 00 00
        ld r1, [r2 + 8]                 ; BYTES: 13 00 12 00 08 00 00 00
        ld r1, [r2 - 4]                 ; BYTES: 13 00 12 00 fc ff ff ff
        ld r1, [sp + 4 * 3]             ; BYTES: 13 00 1f 00 0c 00 00 00
        ld r1, [0x2000]                 ; BYTES: 13 02 10 00 00 20 00 00
        ld r1, [here + 4]               ; BYTES: 13 02 10 00 34 10 00 00
here:   ldb r3, [r4 + 1]                ; BYTES: 14 00 34 00 01 00 00 00
        ldb r3, [here]                  ; BYTES: 14 02 30 00 30 10 00 00
        st r5, [r6]                     ; BYTES: 15 00 56 00 00 00 00 00
        st r5, [fp - 8]                 ; BYTES: 15 00 5e 00 f8 ff ff ff
        st r5, [16]                     ; BYTES: 15 02 50 00 10 00 00 00
        stb r7, [r8 + 0xFFFFFFFF]       ; BYTES: 16 00 78 00 ff ff ff ff
        stb r7, [0]                     ; BYTES: 16 02 70 00 00 00 00 00
        xchg r9, [r10]                  ; BYTES: 19 00 9a 00 00 00 00 00
        xchg r9, [4096]                 ; BYTES: 19 02 90 00 00 10 00 00
        xadd r11, [r12 + 4]             ; BYTES: 1a 00 bc 00 04 00 00 00
        xadd r11, [8192]                ; BYTES: 1a 02 b0 00 00 20 00 00
