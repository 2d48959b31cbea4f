; Values that do not fit, and expressions that cannot be evaluated.
        mov r1, 0x100000000             ; ERROR "immediate 0x100000000 does not fit in 32 bits"
        mov r1, -0x80000001             ; ERROR "immediate -0x80000001 does not fit in 32 bits"
        mov r1, 0xFFFFFFFF
        mov r1, -0x80000000
        add r1, r2, 1 << 40             ; ERROR "immediate 0x10000000000 does not fit"
        ld r1, [r2 + 0x100000000]       ; ERROR "displacement 0x100000000 does not fit in 32 bits"
        ld r1, [r2 - 0x80000001]        ; ERROR "displacement -0x80000001 does not fit"
        jmp 0x100000000                 ; ERROR "target address 0x100000000 does not fit"
        mov r1, 10 / 0                  ; ERROR "division by zero"
        mov r1, 10 % (2 - 2)            ; ERROR "division by zero"
        mov r1, 1 << 64                 ; ERROR "shift count 64 out of range 0..63"
        mov r1, 1 >> -1                 ; ERROR "shift count -1 out of range"
        mov r1, 99999999999999999999    ; ERROR "number 99999999999999999999 is too large"
        mov r1, 12abc                   ; ERROR "malformed number \"12abc\""
        mov r1, 0x                      ; ERROR "malformed number \"0x\""
        mov r1, 0b102                   ; ERROR "malformed number"
        mov r1, @                       ; ERROR "unexpected character '@'"
        .data
        .byte 255, -128, 'a'
        .byte 256                       ; ERROR "value 256 does not fit in a byte (-128..255)"
        .byte -129                      ; ERROR "value -129 does not fit in a byte"
        .word 0x100000000               ; ERROR "value 0x100000000 does not fit in 32 bits"
        .word 1, 2 / 0, 3               ; ERROR "division by zero"
        .word                           ; ERROR ".word: expected one or more values"
        .word "abc"                     ; ERROR ".word: expected a number or an expression, got \"\\\"abc\\\"\""
