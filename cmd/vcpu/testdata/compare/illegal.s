; Helper for TestCompareOutcome: pid 1 runs into a word that is no instruction.
main:   nop
        .word 0xffffffff
