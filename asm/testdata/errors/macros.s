; Errors in macro expansions name the macro body line and the call.
        .macro swap a, b
        xchg \a, [\b]                   ; ERROR "xchg: operand 1: expected a register, got \"5\"" "macros.s:17:9: note: in expansion of macro \"swap\""
        .endm
        .macro loop
        loop                            ; ERROR "macro expansion nested too deeply (limit 64): does macro \"loop\" call itself?"
        .endm
        .macro unknown x
        mov r1, \y                      ; ERROR "macro \"unknown\" has no parameter \"y\""
        .endm
        .macro mov a                    ; ERROR "macro name \"mov\" is already an instruction"
        .endm
        .macro swap c                   ; ERROR "macro \"swap\" is already defined"
        .endm
        .endm                           ; ERROR ".endm without .macro"
main:   swap r1, r2
        swap 5, r2
        swap r1                         ; ERROR "macro \"swap\" takes 2 arguments (a, b), got 1"
        loop
        unknown 1
        SWAP r3, r4
        ret
        .macro noend                    ; ERROR "macro \"noend\" has no .endm"
        nop
