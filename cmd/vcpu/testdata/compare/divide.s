; Helper for TestCompareOutcome: pid 1 divides by zero.
main:   mov  r1, 7
        mov  r2, 0
        div  r1, r1, r2
        ret
