; Sections: what may go where, and sizes known in the first pass.
        .equ LATER_OK, 8
        .bss
buf:    .space 16
        .align 8
        .byte 1                         ; ERROR ".byte in .bss: only labels, .space/.zero and .align are allowed there"
        .word 1                         ; ERROR ".word in .bss"
        .asciz "x"                      ; ERROR ".asciz in .bss"
        nop                             ; ERROR "instruction nop in .bss: instructions belong in .text"
        .data
        mov r1, 2                       ; ERROR "instruction mov in .data"
        .space LATER_OK
        .space SIZE                     ; ERROR "\"SIZE\" is not defined before this line"
        .space buf                      ; ERROR "\"buf\" is a label, but a size must be a constant"
        .space -1                       ; ERROR ".space: size -1 out of range"
        .zero 0x2000000                 ; ERROR ".zero: size 0x2000000 out of range 0..16777216"
        .align 3                        ; ERROR ".align: 3 is not a power of two between 1 and 4096"
        .align 0                        ; ERROR ".align: 0 is not a power of two"
        .align 8192                     ; ERROR "not a power of two between 1 and 4096"
        .text 5                         ; ERROR ".text: expected no arguments"
        .equ SIZE, 4
        .equ DEP, end - buf
        .space DEP                      ; ERROR "\"DEP\" is not known yet here"
end:
