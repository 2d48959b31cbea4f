; Constants: cycles, duplicates and reserved names.
        .equ A, B + 1
        .equ B, A + 1                   ; ERROR "constant \"A\" is defined in terms of itself"
        .equ C, 1
        .equ C, 2                       ; ERROR "duplicate constant \"C\"" "equ.s:4:14: note: previous definition here"
        .equ SYS_EXIT, 3                ; ERROR "SYS_EXIT is a predefined constant and cannot be redefined"
        .equ r1, 3                      ; ERROR "r1 is a register name"
        .equ D                          ; ERROR ".equ: expected a name and a value"
        .equ 5, 5                       ; ERROR ".equ: expected a name, got \"5\""
        .equ E, undefined_thing         ; ERROR "undefined symbol \"undefined_thing\""
        .equ F, E + 1
        mov r1, F
main:   ret
