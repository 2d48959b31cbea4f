; Helper for TestCompareOutcome: pid 1 reads the null page.
main:   mov  r1, 0
        ld   r2, [r1]
        ret
