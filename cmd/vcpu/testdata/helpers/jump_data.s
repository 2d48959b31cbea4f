; Helper for fault_labels.s: jumps into its data.
        .data
table:  .word 1, 2, 3
        .text
main:   mov  r1, table + 4
        jmp  r1
