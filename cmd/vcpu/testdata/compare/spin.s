; Helper for TestCompareOutcome: never ends on its own.
main:   jmp  main
