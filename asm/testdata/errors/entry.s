; The entry point must be a label in .text.
        nop
        .data
main:   .word 0                         ; ERROR "main is the entry point and must be a label in .text"
